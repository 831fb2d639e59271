"""办理台账: the season's cases as a table (期限 coloured by days left), filters, a case's details (similar
earlier cases and their promises, history), opening or starting its draft in 起草答复, 标记已答复 (the reply
becomes a precedent), 登记反馈, 分派; an admin imports the 交办清单 and its proposal files; the register as
.xlsx; the year-end figures."""

from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from ..cases.intake import read_date as _day
from ..cases.register import FEEDBACK, STATUSES
from ..cases.similar import similar_line
from ..errors import QueryError
from . import render
from .common import Context, as_id, handler, require, user_of

ALL = "全部"
WHOSE = {ALL: None, "分给我的": "mine", "分给我所在组的": "group"}
DUE = {ALL: None, "7日内到期": "soon", "已逾期": "late"}


def _year(value) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise QueryError(f"年份“{text}”应为四位数字（如 2026）", f"year {text!r} must be four digits (e.g. 2026)")
    return int(text)


class CasesHandlers:
    def __init__(self, ctx: Context, drafts_handlers):
        self.ctx, self.assistant, self.drafts_handlers = ctx, ctx.assistant, drafts_handlers

    @handler
    def table(self, whose, status, due, year, current=None, request: gr.Request | None = None):
        """The cases this user may see, filtered; the picker lists them and keeps the case picked."""
        cases = self.assistant.find_cases(
            user_of(request), status=None if status in (None, ALL) else status, whose=WHOSE.get(whose), due=DUE.get(due), year=_year(year)
        )
        choices = [(f"#{c.id} {c.label()} {c.title[:24]}", str(c.id)) for c in cases]
        ids = [value for _, value in choices]
        picked = str(current) if current is not None and str(current) in ids else (ids[0] if ids else None)
        return render.cases_table(cases, self.assistant.today()), gr.Dropdown(choices=choices, value=picked)

    @handler
    def detail(self, choice, request: gr.Request):
        """A case's details: role, deadline, similar earlier cases with their promises, what its reply cited, history."""
        if not choice:
            return "<p class='muted'>请选择一件。</p>"
        user = user_of(request)
        case = self.assistant.get_case(as_id(choice), user=user)
        lines = [
            f"<p><b>#{case.id} {html.escape(case.label())}</b> · {html.escape(case.title)}</p>",
            f"<p>{html.escape(case.role)}"
            + (f"（主办单位：{html.escape(case.lead_unit)}，起草会办意见）" if case.role == "会办" else "")
            + f" · 交办 {html.escape(case.assigned or '—')} · 期限 {html.escape(case.due or '—')}"
            + (f"（延期：{html.escape(case.extension)}）" if case.extension else "")
            + f" · {html.escape(case.status)}"
            + (f" · 草稿 #{case.draft_id}" if case.draft_id else "")
            + "</p>",
        ]
        for similar in case.similar:
            promises = "".join(f"<li>{html.escape(p)}</li>" for p in similar.get("promises") or [])
            lines.append(
                f"<div class='similar'><b>{html.escape(similar_line(similar))}</b>" + (f"<ul>此前承诺：{promises}</ul>" if promises else "") + "</div>"
            )
        if case.precedents:
            lines.append("<p>答复所引先例：" + html.escape("、".join(p["doc_number"] or p["title"] for p in case.precedents)) + "</p>")
        history = "".join(
            f"<li>{html.escape(self.ctx.local(h['at']))} {html.escape(h['user'] or '—')} {html.escape(h['action'])}：{html.escape(h['detail'])}</li>"
            for h in self.assistant.case_history(case.id, user=user)
        )
        lines.append(f"<details><summary>办理记录</summary><ul>{history}</ul></details>")
        return "".join(lines)

    @handler
    def open_case(self, choice, request: gr.Request):
        """The case's draft in 起草答复: the linked one, or a new one from its proposal (a 会办意见 when we are 会办)."""
        require(choice, "请先选择一件")
        _, draft_id, _ = self.assistant.start_case_draft(as_id(choice), user=user_of(request))
        return self.drafts_handlers.open_draft(str(draft_id), request)

    @handler
    def attach(self, choice, file, request: gr.Request):
        """附上原文: the proposal's file for a case the list came without (then it can be drafted)."""
        require(choice, "请先选择一件")
        require(file, "请先上传提案/建议原文")
        self.ctx.own_file(file, request)
        case = self.assistant.attach_proposal(as_id(choice), Path(file if isinstance(file, str) else file.name), user=user_of(request))
        return f"已附上原文：#{case.id} {case.label()}（{len(case.proposal_text)} 字），可以起草了"

    @handler
    def mark_replied(self, choice, doc_number, day, file, request: gr.Request):
        """标记已答复: the 文号 and date recorded; the letter sent (the file, else the draft's text) becomes a precedent."""
        require(choice, "请先选择一件")
        require((doc_number or "").strip(), "请填写答复文号（如 温科提复〔2026〕12号）")
        self.ctx.own_file(file, request)
        path = Path(file if isinstance(file, str) else file.name) if file else None
        case = self.assistant.record_reply(as_id(choice), doc_number, _day(day, "答复日期") or self.assistant.today(), path, user=user_of(request))
        sent = "会办意见已送主办单位，此件办结" if case.role == "会办" else "答复函已入库，可在先例检索中查到"
        return f"已登记：#{case.id} {case.label()} {case.reply_doc_number}（{case.reply_date}），{sent}"

    @handler
    def record_feedback(self, choice, feedback, day, request: gr.Request):
        require(choice, "请先选择一件")
        require(feedback, "请选择反馈意见")
        case = self.assistant.record_feedback(as_id(choice), feedback, _day(day, "反馈日期"), user=user_of(request))
        again = f"，须于 {case.due} 前再次办理" if case.status == "再次办理" else ""
        return f"已登记反馈：#{case.id} {case.label()} {feedback} → {case.status}{again}"

    @handler
    def assign(self, choice, assignee, request: gr.Request):
        require(choice, "请先选择一件")
        case = self.assistant.assign_case(as_id(choice), assignee or "", user=user_of(request))  # group：名 is read there
        return f"已分派：#{case.id} {case.label()} → {case.assignee or '（未分派）'}"

    @handler
    def import_list(self, sheet, proposals, request: gr.Request):
        """An admin imports the 交办清单 (.xlsx) with the proposals' files (matched by number or title)."""
        require(sheet, "请先上传交办清单（.xlsx）")
        for path in [sheet, *(proposals or [])]:
            self.ctx.own_file(path, request)
        folder = Path(tempfile.mkdtemp(prefix="proposals-", dir=self.ctx.settings.data_dir))
        try:
            for path in proposals or []:
                source = Path(path if isinstance(path, str) else path.name)
                shutil.copy(source, folder / source.name)
            report = self.assistant.import_cases(Path(sheet if isinstance(sheet, str) else sheet.name), folder if proposals else None, user=user_of(request))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in report.problems)
        return f"<p><b>{html.escape(report.summary())}</b></p>" + (f"<ul class='flags'>{problems}</ul>" if problems else "")

    @handler
    def set_unit(self, name, request: gr.Request):
        """An admin names the unit where the import asks for it (written to .env, in force at once)."""
        saved, caution = self.assistant.set_issuing_unit(name or "", user=user_of(request))
        return f"已设置本单位名称：{saved}（已写入 .env，本服务器立即生效）" + (f"<br>⚠ {caution}" if caution else "")

    @handler
    def export(self, request: gr.Request):
        path = self.assistant.export_cases(user=user_of(request))
        self.ctx.record_export(path, request)
        return str(path)

    @handler
    def stats(self, year, request: gr.Request):
        return render.case_stats(self.assistant.case_stats(_year(year), user=user_of(request)))


def build(ctx: Context, drafts_handlers) -> SimpleNamespace:
    handlers = CasesHandlers(ctx, drafts_handlers)
    with gr.Row():
        whose = gr.Dropdown(list(WHOSE), value=ALL, label="范围", elem_id="cases-whose")
        status = gr.Dropdown([ALL, *STATUSES], value=ALL, label="状态", elem_id="cases-status")
        due = gr.Dropdown(list(DUE), value=ALL, label="期限", elem_id="cases-due")
        year = gr.Textbox(label="交办年份（空为全部）", elem_id="cases-year")
        refresh = gr.Button("刷新", elem_id="cases-refresh")
    table = gr.HTML(elem_id="cases-table")
    with gr.Row():
        case_pick = gr.Dropdown(label="选择一件", choices=[], allow_custom_value=True, elem_id="case-pick")
        open_button = gr.Button("打开/起草草稿", variant="primary", elem_id="case-open")
    detail = gr.HTML(elem_id="case-detail")
    with gr.Accordion("附上原文（清单未附原文的件）", open=False):
        with gr.Row():
            attach_file = gr.File(label="提案/建议原文（文本、Word、WPS、OFD、PDF、扫描件或照片）", type="filepath", elem_id="case-attach-file")
            attach_button = gr.Button("附上原文", elem_id="case-attach")
    with gr.Accordion("标记已答复", open=False):
        with gr.Row():
            doc_number = gr.Textbox(label="答复文号", placeholder="温科提复〔2026〕12号", elem_id="reply-doc-number")
            reply_day = gr.Textbox(label="答复日期（空为今天）", placeholder="2026-06-20", elem_id="reply-date")
            reply_file = gr.File(label="发出的答复函（可选；默认用草稿最新文本）", type="filepath", elem_id="reply-file")
        reply_button = gr.Button("标记已答复并入库", elem_id="reply-button")
    with gr.Accordion("登记反馈", open=False):
        with gr.Row():
            feedback = gr.Dropdown(list(FEEDBACK), label="提案人/代表反馈", elem_id="feedback-pick")
            feedback_day = gr.Textbox(label="反馈日期（空为今天）", elem_id="feedback-date")
        feedback_button = gr.Button("登记反馈", elem_id="feedback-button")
    with gr.Accordion("分派（管理员）", open=False):
        with gr.Row():
            assignee = gr.Textbox(label="承办人（用户名或 group:组名；空为取消分派）", elem_id="case-assignee")
            assign_button = gr.Button("分派", elem_id="assign-button")
    case_note = gr.Markdown(elem_id="case-note")
    with gr.Accordion("导入交办清单（管理员）", open=False):
        with gr.Row():
            sheet = gr.File(label="交办清单（.xlsx）", type="filepath", elem_id="cases-sheet")  # no file_types: our message, not Gradio's English one
            proposals = gr.File(label="提案/建议原文（可多选，按编号或标题匹配）", file_count="multiple", type="filepath", elem_id="cases-proposals")
        with gr.Row():  # the list is read against the unit's name: a first import asks for it here, not in a file on the server
            unit_name = gr.Textbox(
                label="本单位名称（从交办清单中认出本单位的件、草稿落款用）",
                value=lambda: ctx.settings.issuing_unit,  # read at each page load: a name saved since shows
                placeholder="温州市科学技术局",
                elem_id="cases-unit-name",
            )
            unit_button = gr.Button("保存单位名称", size="sm", elem_id="cases-unit-save")
        import_button = gr.Button("导入", elem_id="cases-import")
        import_note = gr.HTML(elem_id="cases-import-note")
    with gr.Row():
        export_button = gr.Button("导出办理台账（.xlsx）", elem_id="cases-export")
        export_file = gr.File(label="办理台账", interactive=False, elem_id="cases-export-file")
    with gr.Row():
        stats_year = gr.Textbox(label="统计年份（空为全部）", elem_id="stats-year")
        stats_button = gr.Button("办理情况统计", elem_id="stats-button")
    stats = gr.HTML(elem_id="cases-stats")

    filters = [whose, status, due, year, case_pick]
    listing = [table, case_pick]
    for control in (whose, status, due):
        control.change(handlers.table, filters, listing, api_visibility="private")
    refresh.click(handlers.table, filters, listing, api_name="list_cases")
    year.submit(handlers.table, filters, listing, api_visibility="private")
    case_pick.change(handlers.detail, [case_pick], [detail], api_name="case_detail")
    for button, method, inputs in (
        (attach_button, handlers.attach, [case_pick, attach_file]),
        (reply_button, handlers.mark_replied, [case_pick, doc_number, reply_day, reply_file]),
        (feedback_button, handlers.record_feedback, [case_pick, feedback, feedback_day]),
        (assign_button, handlers.assign, [case_pick, assignee]),
    ):
        button.click(method, inputs, [case_note], api_name=method.__name__).success(handlers.table, filters, listing).success(
            handlers.detail, [case_pick], [detail]
        )
    import_button.click(handlers.import_list, [sheet, proposals], [import_note], api_name="import_cases").success(handlers.table, filters, listing)
    unit_button.click(handlers.set_unit, [unit_name], [import_note], api_name="set_issuing_unit")
    export_button.click(handlers.export, None, [export_file], api_name="export_cases")
    stats_button.click(handlers.stats, [stats_year], [stats], api_name="case_stats")
    return SimpleNamespace(handlers=handlers, open_button=open_button, case_pick=case_pick, filters=filters, listing=listing)
