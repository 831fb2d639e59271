"""The ``reply-assistant`` command: a thin layer that calls ``Assistant`` and renders."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import AssistantError, QueryError

app = typer.Typer(help="答复函助手 reply-assistant：检索先例、起草答复函。", no_args_is_help=True, add_completion=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

IndexOption = typer.Option(None, "--index", help="索引目录 index directory (default: settings.index_dir)")


def _cli_user() -> str:
    """Who the audit log names for a command-line change: the account that ran it."""
    import getpass

    from .users import OPERATOR

    try:
        return f"{OPERATOR}:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return OPERATOR


def _assistant(index: Optional[Path], operator: bool = True):
    """The door for a command: run on the server by its operator, who sees every draft and case (``serve``
    passes False: the web app's calls are each a logged-in user's)."""
    from .service import Assistant
    from .settings import Settings

    return Assistant(Settings(index_dir=index) if index else Settings(), operator=operator)


def _fail(exc: AssistantError, code: int = 2) -> NoReturn:
    err.print(f"[red]错误 / Error:[/red] {exc}")
    raise typer.Exit(code)


def _existing_index(index: Optional[Path]) -> None:
    """Refuse an --index folder that is not there: reviewing against a new, empty index checks nothing."""
    if index is not None and not index.is_dir():
        _fail(
            AssistantError(
                f"索引目录不存在：{index}（请先用 reply-assistant ingest 建立索引，或检查 --index）",
                f"index folder not found: {index} (build it with reply-assistant ingest, or check --index)",
            )
        )


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="文件或文件夹 files or folders"),
    doc_type: Optional[str] = typer.Option(None, "--type", help="强制文档类型 force doc type: reply | policy"),
    index: Optional[Path] = IndexOption,
):
    """导入文档到索引（增量）。Ingest documents into the index (unchanged files are skipped)."""
    from .corpus.ingest import IngestReport

    assistant = _assistant(index)
    report = IngestReport()
    labels = {
        "added": "[green]新增[/green]",
        "replaced": "[yellow]更新[/yellow]",
        "unchanged": "[dim]未变[/dim]",
        "duplicate": "[cyan]重复[/cyan]",
        "skipped": "[magenta]跳过[/magenta]",
        "error": "[red]失败[/red]",
        "cancelled": "[dim]已取消[/dim]",
    }
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True) as progress:
            files = progress.add_task("读取文件 files", total=None)
            embed = progress.add_task("计算向量 embedding", total=None, visible=False)
            ocr = progress.add_task("识别扫描件 OCR", total=None, visible=False)
            for event in assistant.ingest(paths, doc_type, user=_cli_user()):
                report.count(event)
                if event.kind == "start":
                    progress.update(files, total=event.total)
                elif event.kind == "embed":
                    progress.update(embed, total=event.total, completed=event.done, visible=event.done < event.total)
                elif event.kind == "ocr":
                    progress.update(
                        ocr, description=f"识别扫描件 {Path(event.path).name} 页", total=event.total, completed=event.done, visible=event.done < event.total
                    )
                elif event.kind == "warning":
                    progress.console.print(f"[yellow]{event.message}[/yellow]", highlight=False)
                elif event.kind == "file":
                    progress.advance(files)
                    line = f"{labels.get(event.status, event.status)} {event.path}"
                    if event.chunks:
                        line += f" [dim]({event.chunks} 段)[/dim]"
                    if event.message:
                        line += f"：{event.message}"
                    progress.console.print(line, highlight=False)
    except AssistantError as exc:
        _fail(exc)
    for notice in assistant.corpus.take_notices():
        err.print(f"[yellow]{notice}[/yellow]")
    err.print(f"完成 done: {report.summary()}；新段落 {report.chunks_added}", highlight=False)
    if report.errors:
        raise typer.Exit(1)


@app.command("remove")
def remove_cmd(
    path: str = typer.Argument(..., help="导入时的文件路径或文件夹 path as ingested"),
    yes: bool = typer.Option(False, "--yes", "-y", help="不再确认 remove without asking"),
    index: Optional[Path] = IndexOption,
):
    """从索引中删除文档（先列出将删除的文件并确认）。Remove the documents of a file (or folder) from the index."""
    assistant = _assistant(index)
    files = assistant.files_under(path)
    if not files:
        err.print(f"[red]索引中没有该路径 / not in the index:[/red] {path}")
        raise typer.Exit(1)
    # a folder takes every file under it: say which before anything goes
    err.print(f"将从索引中删除 {len(files)} 个文件 / will remove {len(files)} file(s) from the index:")
    for key in files:
        err.print(f"  {key}", highlight=False, markup=False)
    if not yes and not typer.confirm("确认删除？/ Remove them?", default=False, err=True):
        err.print("未删除任何文件 / nothing removed")
        raise typer.Exit(1)
    removed = assistant.remove(path, user=_cli_user())
    for key in removed:
        err.print(f"已删除 removed: {key}")


@app.command()
def search(
    query: str = typer.Argument(..., help="检索词 query"),
    k: int = typer.Option(5, "--k", min=1, max=100, help="返回条数 number of results"),
    doc_type: Optional[str] = typer.Option(None, "--type", help="reply | policy"),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid | bm25 | dense"),
    role: Optional[str] = typer.Option(None, "--role", help="只看含此角色单元的段落 成效|举措|计划|条文"),
    show_all: bool = typer.Option(False, "--all", help="也显示相关度较低的结果 include results below the relevance floor"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 print one JSON object"),
    index: Optional[Path] = IndexOption,
):
    """检索先例。Hybrid precedent search (BM25 + dense, fused)."""
    try:
        response = _assistant(index).search(query, k=k, doc_type=doc_type, mode=mode, role=role, show_all=show_all)
    except AssistantError as exc:
        _fail(exc)
    for warning in response.warnings:
        err.print(f"[yellow]{warning}[/yellow]")
    if as_json:
        sys.stdout.write(json.dumps(response.to_dict(), ensure_ascii=False) + "\n")
        return
    if response.expansions:
        err.print(f"[dim]同时检索 also searched: {'、'.join(response.expansions)}[/dim]")
    if not response.results:
        out.print(
            "未找到相关先例 / no relevant precedent"
            + (f"（另有 {response.hidden} 条相关度较低的结果，--all 显示 / {response.hidden} below the floor: --all）" if response.hidden else "")
        )
        return
    from .corpus.formats import scanned_note

    for rank, r in enumerate(response.results, 1):
        found = "+".join(r.retrievers)
        roles = f" · {'/'.join(r.roles)}" if r.roles else ""
        scanned = f" [yellow]{scanned_note(r.metadata)}[/yellow]" if scanned_note(r.metadata) else ""
        meta = f"{r.doc_type}{roles} · {found} · {r.score:.4f} · 相关度 {response.relevance(r)}"
        out.print(f"[bold]{rank}. {r.title}[/bold]  [dim]{meta}[/dim]{scanned}", highlight=False)
        out.print(f"   [dim]{r.source}{' › ' + r.heading if r.heading else ''}[/dim]", highlight=False)
        out.print("   " + r.text.replace("\n", " ")[:300], highlight=False)
        out.print()
    if response.hidden:
        out.print(f"[dim]另有 {response.hidden} 条相关度较低的结果未显示（--all 显示）/ {response.hidden} more below the relevance floor (--all)[/dim]")


@app.command("eval")
def eval_cmd(
    file: Path = typer.Argument(..., help="JSONL 评测集 eval set"),
    k: int = typer.Option(5, "--k", min=1, max=100),
    as_json: bool = typer.Option(False, "--json"),
    index: Optional[Path] = IndexOption,
):
    """检索评测：success@1、success@k、MRR@10（混合与各单路）。Evaluate retrieval."""
    try:
        report = _assistant(index).evaluate(file, k=k)
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    modes = report["modes"]
    table = Table(title=f"{report['queries']} queries")
    table.add_column("mode")
    for column in ("success@1", f"success@{k}", "mrr@10"):
        table.add_column(column, justify="right")
    for mode, scores in modes.items():
        table.add_row(mode, *(f"{scores[c]:.2f}" for c in ("success@1", f"success@{k}", "mrr@10")))
    out.print(table)
    per = Table(title="per query (rank of first relevant result, - = not in top 10)")
    per.add_column("id")
    per.add_column("query")
    for mode in modes:
        per.add_column(mode, justify="right")
    for i, row in enumerate(modes["hybrid"]["per_query"]):
        per.add_row(row["id"], row["query"], *(str(modes[m]["per_query"][i]["rank"] or "-") for m in modes))
    out.print(per)


@app.command()
def stats(index: Optional[Path] = IndexOption):
    """索引统计（含发现的重复文件和旧版本）。Index statistics, duplicates found included."""
    assistant = _assistant(index)
    for key, value in assistant.stats().items():
        out.print(f"{key}: {value}")
    for path, kind, other in assistant.unindexed_files():
        out.print(f"  {kind}（未导入）: {path} → {other}", highlight=False)


@app.command()
def vocabulary(
    index: Optional[Path] = IndexOption,
    missing: bool = typer.Option(False, "--missing", help="只列同义词表尚未描述的术语 only terms the thesaurus lacks"),
    limit: int = typer.Option(0, "--limit", min=0, help="最多列出几条（0 = 全部）"),
):
    """列出语料自身的专有术语（答复函引号术语、简称、本领域法规高区分度词），供扩充同义词表。
    The corpus's distinctive terms, for extending the thesaurus."""
    _existing_index(index)
    terms = [c for c in _assistant(index).vocabulary() if not (missing and c.described)]
    for c in terms[: limit or None]:
        sys.stdout.write(f"{c.term}\t{c.origin}\t{c.documents}\t{'已有' if c.described else '缺'}\t{c.example}\n")  # tab-separated, for scripts
    err.print(f"共 {len(terms)} 个术语 / {len(terms)} terms")


@app.command()
def check(index: Optional[Path] = IndexOption):
    """检查索引一致性（FAISS ↔ 数据库 ↔ 全文索引）。Check index integrity."""
    try:
        problems = _assistant(index).check()
    except AssistantError as exc:
        _fail(exc)
    _stop_on(problems)
    out.print("索引一致 / index is consistent")


def _stop_on(problems: list[str]) -> None:
    """Each problem on its own line (one Chinese/English line with its fix), then exit 1."""
    if problems:
        for problem in problems:
            err.print(f"[red]✗[/red] {escape(problem)}", highlight=False)
        raise typer.Exit(1)


@app.command()
def reindex(
    embed: bool = typer.Option(False, "--embed", help="用当前模型重新计算全部向量 re-embed with the current model"),
    index: Optional[Path] = IndexOption,
):
    """从数据库重建 FAISS 向量索引。Rebuild the FAISS index from the database."""
    try:
        with Progress(TextColumn("重建 reindex"), BarColumn(), MofNCompleteColumn(), console=err, transient=True) as progress:
            task = progress.add_task("", total=None)
            for done, total in _assistant(index).reindex(re_embed=embed):
                progress.update(task, total=total, completed=done)
    except AssistantError as exc:
        _fail(exc)
    out.print("已重建 / rebuilt")


@app.command()
def draft(
    proposal_file: Path = typer.Argument(..., help="提案/建议文件（文本、Word、WPS、OFD、PDF、扫描件或照片）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入文件 write to this file"),
    as_json: bool = typer.Option(False, "--json", help="输出草稿数据 print the Draft as JSON"),
    appraisal: Optional[str] = typer.Option(None, "--appraisal", help="评价模板 appraisal template (prompts/letter/appraisal)"),
    use_llm: Optional[bool] = typer.Option(None, "--llm/--no-llm", help="用本地大模型润色（需配置 llm_base_url）"),
    handling_class: Optional[str] = typer.Option(None, "--class", help="办理结果类别，记入草稿 handling class (A|B|C|D), kept in the draft"),
    co_handling: bool = typer.Option(False, "--co-handling", help="起草会办意见（致主办单位），而非答复函 draft a 会办意见 to the lead unit"),
    lead_unit: str = typer.Option("", "--lead-unit", help="主办单位，会办意见的主送 the lead unit (with --co-handling)"),
    index: Optional[Path] = IndexOption,
):
    """起草答复函框架（逐条建议，段落注明出处）；会办件用 --co-handling --lead-unit 起草会办意见。Draft a cited reply-letter skeleton."""
    from .letter.markdown import draft_to_markdown

    try:
        assistant = _assistant(index)
        proposal = assistant.parse_proposal(path=proposal_file)  # read as the web page reads it: the second reading too
        code = assistant.handling_class(handling_class)
        if lead_unit.strip() and not co_handling:
            raise QueryError("--lead-unit 只用于会办意见：请同时写 --co-handling", "--lead-unit goes with --co-handling")
        if co_handling and handling_class:
            raise QueryError("会办意见不定办理结果类别（由主办单位答复时确定），请去掉 --class", "a 会办意见 has no handling class: drop --class")
        result = assistant.draft(proposal, appraisal=appraisal, use_llm=use_llm, lead_unit=lead_unit if co_handling else None)
        result.handling_class = code
    except AssistantError as exc:
        _fail(exc)
    for warning in result.warnings:
        err.print(f"[yellow]{warning}[/yellow]")
    if proposal.missing:
        err.print(f"[yellow]提案中未找到 not found in the proposal: {', '.join(proposal.missing)}（草稿中以【待填】标出）[/yellow]")
    rendered = json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) if as_json else draft_to_markdown(result)
    if output:
        output.write_text(rendered + ("\n" if as_json else ""), encoding="utf-8")
        err.print(f"已写入 written: {output}（{len(result.citations)} 处引用，{len(result.flags)} 处待核实）")
    else:
        sys.stdout.write(rendered + ("\n" if as_json else ""))


@app.command()
def lint(
    draft_file: Path = typer.Argument(..., help="答复函草稿 (.md .txt .docx)"),
    as_json: bool = typer.Option(False, "--json"),
):
    """检查答复函格式（文号、标题层级、冒号、日期、抄送、占位符、金额单位、引号方向）。Lint a reply letter."""
    from .corpus.loaders import decode_bytes, load_file
    from .errors import LoadError

    try:
        if draft_file.suffix.lower() == ".docx":
            text = load_file(draft_file)[0].text
        else:
            text = decode_bytes(draft_file.read_bytes(), draft_file.name)
    except (LoadError, OSError) as exc:
        _fail(exc if isinstance(exc, AssistantError) else AssistantError(f"无法读取 {draft_file}", f"cannot read {draft_file}: {exc}"))
    findings = _assistant(None).lint(text)
    if as_json:
        sys.stdout.write(json.dumps([f.to_dict() for f in findings], ensure_ascii=False) + "\n")
    else:
        for f in findings:
            out.print(f"第 {f.line} 行 [{f.rule}] {f.message}\n    建议：{f.fix}", highlight=False, markup=False)
        out.print(f"共 {len(findings)} 处问题" if findings else "未发现格式问题 / no findings")
    if findings:
        raise typer.Exit(1)


@app.command()
def review(
    draft_file: Path = typer.Argument(..., help="答复函草稿：draft --json 的 .json，.md/.txt，或 Word .docx"),
    proposal: Optional[Path] = typer.Option(None, "--proposal", help="提案/建议文件（.md/.docx 草稿不含提案时用于检查逐条答复）"),
    handling_class: Optional[str] = typer.Option(None, "--class", help="办理结果类别 handling class (settings.handling_classes: A|B|C|D)"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 print one JSON object"),
    index: Optional[Path] = IndexOption,
):
    """审核答复函：逐条答复、空泛、重复、数据时效、承诺跟进、办理结果类别。Review a reply before it is sent."""
    _existing_index(index)
    try:
        report = _assistant(index).review_file(draft_file, proposal, handling_class)
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        for note in report.notes:
            err.print(f"[yellow]{note}[/yellow]", highlight=False)
        for f in report.findings:
            where = f"第 {f.line} 行" if f.line else "全文"
            out.print(f"{where} [{f.label}·{f.severity}] {f.message}", highlight=False, markup=False)
            if f.paragraph:
                out.print(f"    段落：{f.paragraph}", highlight=False, markup=False)
            out.print(f"    建议：{f.fix}", highlight=False, markup=False)
        out.print(f"共 {report.summary()}" if report.findings else f"未发现问题 / no findings；{report.overview()}", highlight=False)
    if report.problems:
        raise typer.Exit(1)


@app.command()
def export(
    draft_file: Path = typer.Argument(..., help="草稿：draft --json 的 .json，或修改后的 .md/.txt"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出 .docx（默认按标题和日期命名）"),
    base: Optional[Path] = typer.Option(None, "--base", help="修改前的草稿 JSON，提供完整引用信息"),
    clean: bool = typer.Option(False, "--clean", help="不带批注的清洁稿 clean copy without comments"),
    public: bool = typer.Option(
        False, "--public", help="公开版：去掉联系人/电话行、联系人姓名、电话号码、邮箱、身份证号和批注，文件名加“_公开版”（-o 指定的文件名也加）"
    ),
):
    """导出 GB/T 9704 格式的 Word 答复函（引用与待核实项作为批注）。Export a .docx letter."""
    assistant = _assistant(None)
    try:
        result = assistant.load_draft(draft_file, base)
        path = assistant.export(result, output, clean=clean, public=public, user=_cli_user())
    except AssistantError as exc:
        _fail(exc)
    comments = (
        "（公开版，无批注）" if public else "" if clean else f"，{sum(len(p.citations) for p in result.paragraphs)} 条引用批注、{len(result.flags)} 条核实批注"
    )
    err.print(f"已导出 exported: {path}{comments}")


@app.command("import")
def import_cmd(
    docx_file: Path = typer.Argument(..., help="在 Word 中修改过的答复函 .docx（本工具导出的，或普通 Word 答复函）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入 Markdown 草稿（默认输出到屏幕）"),
    draft_id: Optional[int] = typer.Option(None, "--draft", help="作为已保存草稿 #ID 的新版本保存"),
    user: str = typer.Option("", "--user", help="以此用户身份访问草稿（启用登录时）act as this user on saved drafts"),
    proposal: Optional[Path] = typer.Option(None, "--proposal", help="提案/建议文件，用于检查逐条答复（默认用已保存草稿的提案）"),
    index: Optional[Path] = IndexOption,
):
    """把在 Word 中修改的答复函读回 Markdown 草稿（接受修订，引用从批注恢复），并做格式检查和审核。Import an edited .docx.

    退出码：审核或格式检查发现问题时为 1（提示不计），否则为 0；文件无法读取或无权访问草稿时为 2。"""
    _existing_index(index)
    assistant = _assistant(index)
    try:
        result = assistant.import_docx(docx_file, draft_id=draft_id, user=user, proposal_path=proposal)
    except AssistantError as exc:
        _fail(exc)
    if output:
        output.write_text(result.markdown, encoding="utf-8")
        err.print(f"已写入 written: {output}")
    elif draft_id is None:
        sys.stdout.write(result.markdown)
    if result.version is not None:
        err.print(f"已保存为草稿 #{draft_id} 第 {result.version} 版 / saved as version {result.version} of draft #{draft_id}")
    for note in result.notes:
        err.print(note, highlight=False, markup=False)
    for f in result.findings:
        where = f"第 {f['line']} 行 " if f.get("line") else ""
        err.print(
            f"[{f['check']}·{f.get('severity') or '问题'}] {where}{f['message']}" + (f"\n    建议：{f['fix']}" if f.get("fix") else ""),
            highlight=False,
            markup=False,
        )
    problems = sum(1 for f in result.findings if (f.get("severity") or "问题") == "问题")
    notes = len(result.findings) - problems
    if result.findings:
        err.print(
            f"检查发现 {problems} 处问题" + (f"，{notes} 条提示" if notes else "") + f" / {problems} problem(s)" + (f", {notes} note(s)" if notes else ""),
            highlight=False,
            markup=False,
        )
    else:
        err.print("未发现问题 / no findings", highlight=False, markup=False)
    if problems:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, "--host", help="监听地址（默认 127.0.0.1，仅本机）"),
    port: Optional[int] = typer.Option(None, "--port", help="端口（默认 7860）"),
    index: Optional[Path] = IndexOption,
):
    """启动网页界面。Start the web app (binds 127.0.0.1 unless --host says otherwise)."""
    from .web.app import launch

    assistant = _assistant(index, operator=False)  # each web call is a logged-in user's, never the operator's
    settings = assistant.settings
    try:  # a damaged database is said before anyone logs in, not page by page afterwards
        problems = assistant.startup_problems()
    except AssistantError as exc:
        _fail(exc)
    _stop_on(problems)
    for line in assistant.tidy_uploads():  # what a killed run left in corpus/uploads
        logging.getLogger("assistant.uploads").warning("uploads folder at start: %s", line)
    try:  # load (and checksum) the model before accepting anyone: a bad model stops the start
        from .corpus.embeddings import SentenceTransformerEmbedder

        if isinstance(assistant.corpus.embedder, SentenceTransformerEmbedder):
            _ = assistant.corpus.embedder.model
    except AssistantError as exc:
        _fail(exc)
    where = f"http://{host or settings.host}:{port or settings.port}"
    try:
        login = "，需登录" if assistant.login_required() else ""
    except AssistantError as exc:
        _fail(exc)
    try:  # the start line only once the server listens; a busy port is one line, exit 2
        launch(assistant, host=host, port=port, on_ready=lambda: err.print(f"答复函助手已启动 / serving on {where}{login}（Ctrl+C 退出）"))
    except AssistantError as exc:
        _fail(exc)


@app.command()
def migrate(
    to_backend: Optional[str] = typer.Option(None, "--to-backend", help="把索引复制到另一后端 copy the index to: milvus"),
    to_database: Optional[str] = typer.Option(None, "--to-database", help="把草稿库复制到 copy drafts to: postgresql://…"),
    index: Optional[Path] = IndexOption,
):
    """迁移到多机部署：索引到 Milvus，草稿到 PostgreSQL（按数量核对）。Move a deployment beyond one machine, verified by counts."""
    if not (to_backend or to_database):
        _fail(AssistantError("请指定 --to-backend milvus 或 --to-database URL", "give --to-backend milvus or --to-database URL"))
    assistant = _assistant(index)
    try:
        for label, counts in ([("索引 index", assistant.migrate_index(to_backend))] if to_backend else []) + (
            [("草稿 drafts", assistant.migrate_drafts(to_database))] if to_database else []
        ):
            err.print(f"已迁移 {label}：" + "，".join(f"{name} {n}" for name, n in counts.items()))
    except AssistantError as exc:
        _fail(exc)


@app.command("add-user")
def add_user_cmd(
    name: str = typer.Argument(..., help="用户名"),
    users_file: Optional[Path] = typer.Option(
        None, "--users-file", help="用户文件（JSON，密码加盐哈希；默认 data/users.json）。设置了 REPLY_ASSISTANT_DATABASE_URL 时用户写入该数据库"
    ),
    password: str = typer.Option(..., prompt="密码 password", hide_input=True, confirmation_prompt=True),
    admin: bool = typer.Option(False, "--admin", help="管理员：可查看和共享所有草稿 sees and shares every draft"),
    group: Optional[list[str]] = typer.Option(None, "--group", help="加入组（可多次），草稿可共享给 group:组名 join a group"),
):
    """添加网页登录用户（密码以 argon2id 哈希保存）。Add a login user for the web app: into the users
    file, or into PostgreSQL when REPLY_ASSISTANT_DATABASE_URL is set (shared by every app server)."""
    from .db import safe_url
    from .settings import Settings
    from .users import DatabaseUsers, add_user, set_roles

    try:
        url = Settings().database_url
        if url:
            if users_file is not None:
                raise AssistantError(
                    "已设置 REPLY_ASSISTANT_DATABASE_URL：用户保存在数据库中，不能再用 --users-file",
                    "REPLY_ASSISTANT_DATABASE_URL is set: users live in the database; drop --users-file",
                )
            from .drafts.book import open_book

            book = open_book(url)
            try:
                DatabaseUsers(book).add(name, password, admin=admin, groups=group or [])
            finally:
                book.close()
            err.print(f"已添加用户 {name.strip()} 到数据库 {safe_url(url)}；所有设置该数据库的服务器都需登录")
            return
        users_file = users_file or Path("data/users.json")
        add_user(users_file, name, password)
        if admin or group:
            set_roles(users_file, name.strip(), admin=admin, groups=group or [])
    except AssistantError as exc:
        _fail(exc)
    err.print(f"已添加用户 {name}；启动时设置 REPLY_ASSISTANT_USERS_FILE={users_file}")


cases_app = typer.Typer(help="办理台账：交办清单导入、办理期限、答复与反馈。The handling season's register.", no_args_is_help=True)
app.add_typer(cases_app, name="cases")


def _day(value: Optional[str], what: str) -> Optional[date]:
    from .cases.intake import read_date

    try:
        return read_date(value, what)
    except AssistantError as exc:
        _fail(exc)


def _today() -> date:
    """Today in the office's time zone (settings.timezone): what deadlines and days left count from."""
    from .db import today_in
    from .settings import Settings

    return today_in(Settings().timezone)


def _case_line(case, as_of: date) -> str:
    left = case.days_left(as_of)  # None for a closed case
    when = "" if left is None else (f"逾期 {-left} 天" if left < 0 else f"剩 {left} 天")
    return f"#{case.id} {case.label()} {case.role} {case.title}  期限 {case.due or '—'} {when}  [{case.status}]"


def _show_case(change) -> None:
    """Make one change to a case and print the case as it now stands (a refusal: one line, exit 2)."""
    try:
        case = change()
    except AssistantError as exc:
        _fail(exc)
    out.print(_case_line(case, _today()), highlight=False, markup=False)


@cases_app.command("import")
def cases_import(
    sheet: Path = typer.Argument(..., help="交办清单 .xlsx"),
    proposals: Optional[Path] = typer.Option(None, "--proposals", help="提案/建议原文所在目录（按编号或标题匹配）"),
    kind: Optional[str] = typer.Option(None, "--kind", help="清单未写明时：提案 | 建议"),
    session: str = typer.Option("", "--session", help="清单未写明时的会议届次，如 市政协十二届四次会议"),
    due: Optional[str] = typer.Option(None, "--due", help="清单未写办理期限时，各件的期限（默认按规定计算）"),
    index: Optional[Path] = IndexOption,
):
    """导入交办清单（可重复导入，不会重复登记）。Import an assignment list; rows that cannot be read are reported."""
    try:
        report = _assistant(index).import_cases(sheet, proposals, kind, session, user=_cli_user(), due=_day(due, "办理期限"))
    except AssistantError as exc:
        _fail(exc)
    for problem in report.problems:
        err.print(f"[yellow]{problem}[/yellow]", highlight=False)
    out.print(report.summary(), highlight=False)
    if report.problems:
        raise typer.Exit(1)


@cases_app.command("add")
def cases_add(
    proposal_file: Path = typer.Argument(..., help="提案/建议文件"),
    assigned: Optional[str] = typer.Option(None, "--assigned", help="交办日期（默认今天）"),
    role: str = typer.Option("主办", "--role", help="主办 | 会办 | 分办"),
    lead_unit: str = typer.Option("", "--lead-unit", help="会办件的主办单位"),
    due: Optional[str] = typer.Option(None, "--due", help="办理期限（默认按规定计算）"),
    kind: Optional[str] = typer.Option(None, "--kind", help="提案 | 建议（文件未写明时）"),
    number: str = typer.Option("", "--number", help="编号（文件未写明时）"),
    session: str = typer.Option("", "--session", help="会议届次（文件未写明时）"),
    index: Optional[Path] = IndexOption,
):
    """登记一件提案/建议。Register one proposal."""
    try:
        case, what = _assistant(index).add_case(
            proposal_file, _day(assigned, "交办日期"), role, lead_unit, _day(due, "办理期限"), kind, session, number, user=_cli_user()
        )
    except AssistantError as exc:
        _fail(exc)
    out.print(f"{what}：{_case_line(case, _today())}", highlight=False, markup=False)


@cases_app.command("list")
def cases_list(
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 print one JSON object"),
    status: Optional[str] = typer.Option(None, "--status", help="只列此状态"),
    late: bool = typer.Option(False, "--late", help="只列已逾期"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="以此日期计算剩余天数（默认今天）"),
    index: Optional[Path] = IndexOption,
):
    """列出办理事项。List the cases."""
    day = _day(as_of, "日期") or _today()
    try:
        cases = [c for c in _assistant(index).list_cases(status, user=_cli_user()) if not late or c.late(day)]
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps({"cases": [c.to_dict(day) for c in cases]}, ensure_ascii=False) + "\n")
        return
    for case in cases:
        out.print(_case_line(case, day), highlight=False, markup=False)
    out.print(f"共 {len(cases)} 件", highlight=False)


@cases_app.command("due")
def cases_due(
    within: int = typer.Option(14, "--within", min=0, help="列出此天数内到期的"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="以此日期计算（默认今天）"),
    index: Optional[Path] = IndexOption,
):
    """到期与逾期（有逾期时退出码为 1，便于定时任务发送提醒）。What is due and what is late; exit 1 when anything is late."""
    day = _day(as_of, "日期") or _today()
    try:
        report = _assistant(index).due_cases(within, day, user=_cli_user())
    except AssistantError as exc:
        _fail(exc)
    for case in report.late:
        out.print("逾期 " + _case_line(case, day), highlight=False, markup=False)
    for case in report.due_soon:
        out.print("将到期 " + _case_line(case, day), highlight=False, markup=False)
    out.print(f"{len(report.due_soon)} 件 {within} 日内到期，{len(report.late)} 件已逾期（{day.isoformat()}）", highlight=False)
    if report.late:
        raise typer.Exit(1)


@cases_app.command("show")
def cases_show(case_id: int, index: Optional[Path] = IndexOption):
    """一件的详情：相似件及其承诺、答复所引先例、办理记录。One case: similar earlier cases, what its reply cited, its history."""
    from .cases.similar import similar_line
    from .db import local_time

    try:
        assistant = _assistant(index)
        case = assistant.get_case(case_id, user=_cli_user())
        history = assistant.case_history(case_id, user=_cli_user())
    except AssistantError as exc:
        _fail(exc)
    out.print(_case_line(case, _today()), highlight=False, markup=False)
    for similar in case.similar:
        out.print(f"  相似：{similar_line(similar)}", highlight=False, markup=False)
        for promise in similar.get("promises", []):
            out.print(f"    承诺：{promise}", highlight=False, markup=False)
    if case.precedents:
        out.print("  答复所引：" + "、".join(p["doc_number"] or p["title"] for p in case.precedents), highlight=False, markup=False)
    for line in history:
        out.print(
            f"  {local_time(line['at'], assistant.settings.timezone)} {line['user'] or '—'} {line['action']}：{line['detail']}", highlight=False, markup=False
        )


@cases_app.command("similar")
def cases_similar(
    case_ids: Optional[list[int]] = typer.Argument(None, help="办理事项编号（可多个）"),
    every: bool = typer.Option(False, "--all", help="所有在办的件"),
    index: Optional[Path] = IndexOption,
):
    """重新查找相似旧案（导入往年答复函之后，或旧版本登记的件）。Look again for earlier cases on the same matter."""
    from .cases.similar import similar_line

    if not case_ids and not every:
        _fail(AssistantError("请给出办理事项编号，或用 --all", "give case ids, or --all"))
    try:
        cases = _assistant(index).refresh_similar(None if every else case_ids, user=_cli_user())
    except AssistantError as exc:
        _fail(exc)
    for case in cases:
        out.print(_case_line(case, _today()), highlight=False, markup=False)
        for similar in case.similar:
            out.print(f"  相似：{similar_line(similar)}", highlight=False, markup=False)
    out.print(f"共 {len(cases)} 件，其中 {sum(bool(c.similar) for c in cases)} 件有相似旧案", highlight=False)


@cases_app.command("draft")
def cases_draft(
    case_id: int,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="把草稿写入文件"),
    use_llm: Optional[bool] = typer.Option(None, "--llm/--no-llm", help="用本地大模型润色（需配置 llm_base_url）"),
    index: Optional[Path] = IndexOption,
):
    """为此件起草（会办件起草会办意见）、保存并关联；已有草稿则取出。Draft the case's letter (a 会办意见 when we are 会办), saved and linked."""
    try:
        assistant = _assistant(index)
        case, draft_id, made = assistant.start_case_draft(case_id, user=_cli_user(), use_llm=use_llm)
        text = assistant.get_draft(draft_id, _cli_user()).working_text
    except AssistantError as exc:
        _fail(exc)
    err.print(f"{'已起草' if made else '已有草稿'} 草稿 #{draft_id}：{_case_line(case, _today())}", highlight=False, markup=False)
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"已写入 written: {output}", highlight=False)
    else:
        sys.stdout.write(text)


@cases_app.command("status")
def cases_status(case_id: int, status: str, note: str = typer.Option("", "--note"), index: Optional[Path] = IndexOption):
    """改变办理状态（待办、起草中、待审；已答复用 reply，已办结/再次办理用 feedback）。Move a case between 待办, 起草中 and 待审."""
    _show_case(lambda: _assistant(index).move_case(case_id, status, user=_cli_user(), note=note))


@cases_app.command("reply")
def cases_reply(
    case_id: int,
    doc_number: str = typer.Option(..., "--doc-number", help="答复文号，如 温科提复〔2026〕12号"),
    day: Optional[str] = typer.Option(None, "--date", help="答复日期（默认今天）"),
    file: Optional[Path] = typer.Option(None, "--file", help="发出的答复函（.docx 等）；默认用关联草稿的最新文本"),
    index: Optional[Path] = IndexOption,
):
    """登记已答复（文号与日期），并把答复函入库作为先例。Record the reply sent; it becomes a precedent."""
    _show_case(lambda: _assistant(index).record_reply(case_id, doc_number, _day(day, "答复日期") or _today(), file, user=_cli_user()))


@cases_app.command("feedback")
def cases_feedback(
    case_id: int,
    feedback: str = typer.Argument(..., help="满意 | 基本满意 | 不满意"),
    day: Optional[str] = typer.Option(None, "--date", help="反馈日期（默认今天）"),
    index: Optional[Path] = IndexOption,
):
    """登记提案人/代表的反馈（不满意则再次办理，按规定期限重新答复）。Record the proposer's feedback."""
    _show_case(lambda: _assistant(index).record_feedback(case_id, feedback, _day(day, "反馈日期"), user=_cli_user()))


@cases_app.command("assign")
def cases_assign(case_id: int, assignee: str = typer.Argument(..., help="用户名，或 group:组名；空字符串取消分派"), index: Optional[Path] = IndexOption):
    """分派承办人（用户或 group:组名）。Give a case to a user or a group."""
    _show_case(lambda: _assistant(index).assign_case(case_id, assignee, user=_cli_user()))


@cases_app.command("stats")
def cases_stats(
    year: Optional[int] = typer.Option(None, "--year", help="交办年份（默认全部）"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
    index: Optional[Path] = IndexOption,
):
    """年度办理情况（按类别和角色、按时答复率、办理结果类别、满意度）。Year-end figures."""
    try:
        stats = _assistant(index).case_stats(year, user=_cli_user())
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(stats, ensure_ascii=False) + "\n")
        return
    rate = f"{stats['on_time_rate']:.0%}" if stats["on_time_rate"] is not None else "—"
    which = f"{stats['year']}年" if stats["year"] else "全部"
    out.print(
        f"{which}：共 {stats['cases']} 件（{'，'.join(f'{k} {v}' for k, v in stats['by_kind_and_role'].items()) or '无'}）；"
        f"已答复 {stats['answered']} 件，按时 {stats['on_time']} 件（{rate}）；在办 {stats['open']} 件，逾期 {stats['late']} 件",
        highlight=False,
    )
    out.print(f"办理结果类别：{stats['classes'] or '未登记'}；反馈：{stats['feedback'] or '未登记'}", highlight=False)


@cases_app.command("export")
def cases_export(output: Path = typer.Argument(..., help="输出 .xlsx"), index: Optional[Path] = IndexOption):
    """导出办理台账为 Excel。Export the register as .xlsx."""
    try:
        path = _assistant(index).export_cases(output, user=_cli_user())
    except (AssistantError, OSError) as exc:
        _fail(exc if isinstance(exc, AssistantError) else AssistantError(f"无法写入 {output}", f"cannot write {output}: {exc}"))
    out.print(f"已导出 exported: {path}", highlight=False)


@cases_app.command("extend")
def cases_extend(
    case_id: int,
    due: str = typer.Option(..., "--due", help="新的办理期限"),
    approval: str = typer.Option(..., "--approval", help="批准情况，如 经市人大代表工委同意"),
    index: Optional[Path] = IndexOption,
):
    """延期（记录批准情况）。Extend a case's deadline, with its approval."""
    _show_case(lambda: _assistant(index).extend_case(case_id, _day(due, "办理期限"), approval, user=_cli_user()))


def main():  # pragma: no cover - console entry
    try:
        app()
    except AssistantError as exc:  # one that a command did not catch itself (e.g. a corrupt store.db): one line, no traceback
        err.print(f"[red]错误 / Error:[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
