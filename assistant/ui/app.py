"""The staff web app: 起草答复 / 先例检索 / 语料库 / 草稿.

Every handler calls one ``Assistant`` method and renders the result; the model and the index
are loaded once per process and shared by all sessions; requests queue rather than crash.
"""

import os
from pathlib import Path

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: never phone home

import gradio as gr  # noqa: E402  (this module is loaded only to serve the app)

from ..errors import AssistantError
from ..service import Assistant
from . import render

TYPE_CHOICES = {"全部": None, "答复函": "reply", "政策文件": "policy"}
ROLE_CHOICES = {"全部": None, "答复函·成效": "成效", "答复函·举措": "举措", "答复函·计划": "计划", "政策条文": "条文"}
APPRAISAL_LABELS = {"adopt": "吸收采纳", "partial": "部分已落实，其余统筹实施", "reference": "留作参考"}
DRAFT_HEADERS = ["编号", "标题", "状态", "更新时间", "创建人", "版本数"]
DOC_HEADERS = ["来源", "标题", "类型", "文号", "日期", "段落数"]


def _user(request: gr.Request | None) -> str:
    return getattr(request, "username", None) or "" if request is not None else ""


def build_app(assistant: Assistant, owners=None):
    """The Blocks. ``owners`` (ui.security.FileOwners): who uploaded or exported each temp file;
    handlers refuse a file input that is not the caller's, and exports are recorded to their user."""
    from ..drafts import STATUSES

    settings = assistant.settings

    def fail(exc: Exception):
        raise gr.Error(str(exc), duration=None) from exc

    # -- 起草答复 -------------------------------------------------------------------------
    def own_file(path, request) -> None:
        """A file input must be one the caller uploaded: Gradio accepts any path in its cache."""
        if owners is not None:
            owners.check_input(path, _user(request))

    def parse(text, file, request: gr.Request):
        try:
            own_file(file, request)
            proposal = assistant.parse_proposal(text, path=file or None)
        except AssistantError as exc:
            fail(exc)
        missing = {"title": "标题", "number": "编号", "session": "会议届次", "proposers": "提案人", "role": "身份",
                   "kind": "类别", "suggestions": "建议条目"}
        note = ("未能识别：" + "、".join(missing[m] for m in proposal.missing) + "（请补充，否则草稿中以【待填】标出）") if proposal.missing else "已识别全部字段。"
        return (proposal.text, proposal.title, str(proposal.number or ""), proposal.session, "、".join(proposal.proposers),
                proposal.role or None, proposal.kind or None, "\n".join(proposal.suggestions), note)

    def panels(draft_id: int, text: str, user: str):
        draft = assistant.edited_draft(draft_id, text, user)
        findings = [[f.line, f.rule, f.message, f.fix] for f in assistant.lint(text)]
        gaps = gr.Dropdown(choices=draft.gaps, value=draft.gaps[0] if draft.gaps else None, visible=bool(draft.gaps))
        return render.citations_panel(draft), render.flags_panel(draft), findings, gaps, gr.Button(visible=bool(draft.gaps))

    def generate(text, title, number, session, proposers, role, kind, suggestions, appraisal, request: gr.Request):
        try:
            proposal = assistant.proposal_from_fields(text, title=title, number=number, session=session, proposers=proposers,
                                                      role=role, kind=kind, suggestions=suggestions)
            draft_id, markdown, draft = assistant.start_draft(proposal, appraisal=appraisal, user=_user(request))
        except AssistantError as exc:
            fail(exc)
        warning = "；".join(draft.warnings)
        label = f"**草稿 #{draft_id}** · 已保存第 1 版 · 修改会自动保存" + (f"\n\n⚠ {warning}" if warning else "")
        return draft_id, label, markdown, *panels(draft_id, markdown, _user(request))

    def autosave(draft_id, text, request: gr.Request):
        if not draft_id:
            return gr.skip()
        try:
            changed = assistant.autosave_draft(int(draft_id), text or "", _user(request))
        except AssistantError as exc:
            fail(exc)
        return f"**草稿 #{draft_id}** · 已自动保存" if changed else gr.skip()

    def refresh_panels(draft_id, text, request: gr.Request):
        if not draft_id:
            raise gr.Error("请先生成或打开一份草稿")
        try:
            return panels(int(draft_id), text, _user(request))
        except AssistantError as exc:
            fail(exc)

    def review_draft(draft_id, text, handling_class, request: gr.Request):
        """审核: coverage, 空泛, copying, stale figures, promises, class — of the edited text."""
        if not draft_id:
            raise gr.Error("请先生成或打开一份草稿")
        try:
            report = assistant.review_saved(int(draft_id), text or "", _user(request), handling_class=handling_class or None)
        except AssistantError as exc:
            fail(exc)
        rows = [[str(f.line) if f.line else "全文", f.label, f.severity, f.paragraph, f.message, f.fix] for f in report.findings]
        head = f"**审核**：共 {report.summary()}" if report.findings else f"**审核**：未发现问题；{report.overview()}"
        return "\n\n".join([head, *(f"注：{note}" for note in report.notes)]), rows

    def save(draft_id, text, request: gr.Request):
        if not draft_id:
            raise gr.Error("请先生成或打开一份草稿")
        try:
            number = assistant.save_draft(int(draft_id), text, _user(request))
        except AssistantError as exc:
            fail(exc)
        return f"**草稿 #{draft_id}** · 已保存第 {number} 版"

    def export(draft_id, text, clean, public, request: gr.Request):
        if not draft_id:
            raise gr.Error("请先生成或打开一份草稿")
        try:
            path = assistant.export_saved(int(draft_id), text, clean=bool(clean), public=bool(public), user=_user(request))
            if owners is not None:
                owners.record_export(path, _user(request))
            mark = assistant.edited_draft(int(draft_id), text, _user(request)).handling_class if settings.class_mark else None
        except AssistantError as exc:
            fail(exc)
        extra = f"（首页右上角标注办理结果类别 {mark}）" if mark else ""
        return str(path), f"**草稿 #{draft_id}** · 已导出 {path.name}{extra}"

    # -- 先例检索 -------------------------------------------------------------------------
    def search(query, kind, year_from, year_to, unit, k, role="全部", show_all=False):
        try:
            response = assistant.search(query, k=int(k or 10), doc_type=TYPE_CHOICES.get(kind),
                                        year_from=int(year_from) if year_from else None,
                                        year_to=int(year_to) if year_to else None, unit=unit or None,
                                        role=ROLE_CHOICES.get(role), show_all=bool(show_all))
        except AssistantError as exc:
            fail(exc)
        sources = list(dict.fromkeys(r.source for r in response.results))
        passages = [f"{r.chunk_id} · {r.title[:24]} · {r.text[:30]}" for r in response.results]
        return (render.search_results(response), gr.Dropdown(choices=sources, value=sources[0] if sources else None),
                gr.Dropdown(choices=passages, value=passages[0] if passages else None))

    def search_gap(suggestion):
        """A suggestion the draft found no precedent for, run as a 先例检索 query."""
        if not suggestion:
            raise gr.Error("请先选择一条未找到先例的建议")
        return (suggestion, *search(suggestion, "全部", None, None, None, 10), gr.Tabs(selected="search"))

    def open_document(source):
        document = assistant.document(source) if source else None
        return document["text"] if document else ""

    def insert_passage(choice, draft_id, text, request: gr.Request):
        if not draft_id:
            raise gr.Error("请先在“起草答复”中生成或打开一份草稿")
        if not choice:
            raise gr.Error("请先选择一段检索结果")
        try:
            new_text = assistant.insert_passage(int(draft_id), text, int(choice.split(" · ")[0]), user=_user(request))
        except AssistantError as exc:
            fail(exc)
        return new_text, "已插入当前草稿末尾（引用标记已加上）"

    # -- 语料库 ---------------------------------------------------------------------------
    def documents_table():
        rows = [[d["source"], d["title"], "答复函" if d["doc_type"] == "reply" else "政策文件",
                 d["metadata"].get("doc_number", ""), d["metadata"].get("date", ""), d["chunks"]] for d in assistant.documents()]
        stats = assistant.stats()
        summary = (f"文档 {stats['documents']} 份（答复函 {stats['reply']}，政策文件 {stats['policy']}），段落 {stats['chunks']}，"
                   f"模型 {stats['embedding_model']}")
        return rows, gr.Dropdown(choices=[r[0] for r in rows], value=None), summary

    def job_outputs(job):
        """Upload panel for a job: its rows and state; the document list once it has finished."""
        label = job.summary()
        if job.active:
            return job.rows(), gr.skip(), gr.skip(), gr.skip(), job.id, label, gr.Timer(active=True), gr.Button(visible=True)
        rows, dropdown, summary = documents_table()
        return job.rows(), rows, dropdown, summary, job.id, label, gr.Timer(active=False), gr.Button(visible=False)

    def upload(files, request: gr.Request):
        """Store the files and queue their ingest; the page polls the job (upload_status)."""
        if not files:
            raise gr.Error("请选择要上传的文件")
        payload = []
        try:
            for item in files:
                path = Path(item if isinstance(item, str) else item.name)
                own_file(path, request)
                payload.append((path.name, path.read_bytes()))
            job = assistant.upload(payload, user=_user(request))
        except AssistantError as exc:
            fail(exc)
        return job_outputs(job)

    def upload_status(job_id, request: gr.Request):
        if not job_id:
            return [], gr.skip(), gr.skip(), gr.skip(), None, "", gr.Timer(active=False), gr.Button(visible=False)
        try:
            return job_outputs(assistant.upload_job(int(job_id), user=_user(request)))
        except AssistantError as exc:
            fail(exc)

    def cancel_upload(job_id, request: gr.Request):
        if not job_id:
            raise gr.Error("没有进行中的导入任务")
        try:
            return job_outputs(assistant.cancel_upload(int(job_id), user=_user(request)))
        except AssistantError as exc:
            fail(exc)

    def remove_document(source, request: gr.Request):
        if not source:
            raise gr.Error("请选择要删除的文档")
        try:  # one listed document only: the API can send any text, a folder included
            removed = assistant.remove_document(source, user=_user(request))
        except AssistantError as exc:
            fail(exc)
        rows, dropdown, summary = documents_table()
        return rows, dropdown, summary, f"已删除：{'、'.join(removed)}"

    # -- 草稿 -----------------------------------------------------------------------------
    def drafts_table(request: gr.Request):
        drafts = assistant.list_drafts(_user(request))  # only those this user may open
        rows = [[d["id"], d["title"], d["status"], d["updated_at"], d["created_by"], d["versions"]] for d in drafts]
        return rows, gr.Dropdown(choices=[str(r[0]) for r in rows], value=str(rows[0][0]) if rows else None)

    def open_draft(choice, request: gr.Request):
        if not choice:
            raise gr.Error("请选择草稿")
        try:
            saved = assistant.get_draft(int(choice), _user(request))
            panel_values = panels(saved.id, saved.working_text, _user(request))
        except AssistantError as exc:
            fail(exc)
        return (saved.id, f"**草稿 #{saved.id}** · {saved.status}", saved.working_text, *panel_values,
                saved.proposal_text, gr.Tabs(selected="draft"))

    def versions(choice, request: gr.Request):
        if not choice:
            return [], gr.Dropdown(choices=[]), gr.Dropdown(choices=[])
        try:
            found = assistant.draft_versions(int(choice), _user(request))
        except AssistantError as exc:
            fail(exc)
        rows = [[v["number"], v["note"], v["created_by"], v["created_at"], v["chars"]] for v in found]
        numbers = [str(r[0]) for r in rows]
        return (rows, gr.Dropdown(choices=numbers, value=numbers[0] if numbers else None),
                gr.Dropdown(choices=numbers, value=numbers[-1] if numbers else None))

    def diff(choice, old, new, request: gr.Request):
        if not (choice and old and new):
            raise gr.Error("请选择草稿和两个版本")
        try:
            return assistant.diff_versions(int(choice), int(old), int(new), _user(request))
        except AssistantError as exc:
            fail(exc)

    def import_word(choice, file, request: gr.Request):
        """A letter edited in Word becomes a new version of the selected draft, and opens in 起草答复."""
        if not choice:
            raise gr.Error("请先选择草稿")
        if not file:
            raise gr.Error("请先上传修改后的 Word 文件（.docx）")
        user = _user(request)
        try:
            own_file(file if isinstance(file, str) else file.name, request)
            result = assistant.import_docx(Path(file if isinstance(file, str) else file.name), draft_id=int(choice), user=user)
            saved = assistant.get_draft(int(choice), user)
            panel_values = panels(saved.id, result.markdown, user)
        except AssistantError as exc:
            fail(exc)
        return (render.import_summary(result, saved.id), *versions(choice, request),
                saved.id, f"**草稿 #{saved.id}** · 已从 Word 导入为第 {result.version} 版", result.markdown, *panel_values)

    def set_status(choice, status, request: gr.Request):
        if not choice:
            raise gr.Error("请选择草稿")
        try:
            assistant.set_draft_status(int(choice), status, _user(request))  # audited there
        except AssistantError as exc:
            fail(exc)
        return drafts_table(request)[0]

    def share_with(choice, grantee, user: str, revoke: bool):
        if not choice:
            raise gr.Error("请选择草稿")
        try:
            grantees = assistant.share_draft(int(choice), grantee, user, revoke=revoke)
        except AssistantError as exc:
            fail(exc)
        return f"草稿 #{choice} 已共享给：{'、'.join(grantees)}" if grantees else f"草稿 #{choice} 未共享给他人"

    def share(choice, grantee, request: gr.Request):
        return share_with(choice, grantee, _user(request), revoke=False)

    def unshare(choice, grantee, request: gr.Request):
        return share_with(choice, grantee, _user(request), revoke=True)

    appraisals = assistant.appraisals()
    with gr.Blocks(title="答复函助手") as demo:
        gr.Markdown("## 答复函助手 · 政协提案 / 人大建议答复起草")
        # A hidden field, not gr.State: API clients (and tests) must be able to read and pass it.
        draft_id = gr.Number(value=None, visible=False, precision=0, label="草稿编号")
        with gr.Tabs() as tabs:
            with gr.Tab("起草答复", id="draft"):
                with gr.Row():
                    with gr.Column(scale=2):
                        proposal_text = gr.Textbox(label="提案/建议原文（粘贴）", lines=10, elem_id="proposal-text")
                        proposal_file = gr.File(label="或上传 .txt / .docx", file_types=[".txt", ".md", ".docx"], type="filepath")
                        parse_button = gr.Button("解析提案", elem_id="parse-button")
                    with gr.Column(scale=3):
                        with gr.Row():
                            title = gr.Textbox(label="标题", elem_id="field-title")
                            number = gr.Textbox(label="编号", elem_id="field-number")
                            session = gr.Textbox(label="会议届次", elem_id="field-session")
                        with gr.Row():
                            proposers = gr.Textbox(label="提案人（顿号分隔）", elem_id="field-proposers")
                            role = gr.Dropdown(["委员", "代表"], label="身份", value=None)
                            kind = gr.Dropdown(["提案", "建议"], label="类别", value=None)
                        suggestions = gr.Textbox(label="建议条目（每行一条）", lines=5, elem_id="field-suggestions")
                        parse_note = gr.Markdown()
                        appraisal = gr.Dropdown([(APPRAISAL_LABELS.get(a, a), a) for a in appraisals], label="评价用语",
                                                value=settings.appraisal if settings.appraisal in appraisals else None)
                        generate_button = gr.Button("生成草稿", variant="primary", elem_id="generate-button")
                draft_label = gr.Markdown(elem_id="draft-label")
                with gr.Row():
                    with gr.Column(scale=3):
                        draft_text = gr.Textbox(label="答复函草稿（可直接修改，自动保存）", lines=28, max_lines=80, elem_id="draft-text")
                        with gr.Row():
                            check_button = gr.Button("检查格式 / 刷新核实项")
                            review_button = gr.Button("审核", elem_id="review-button")
                            save_button = gr.Button("保存", elem_id="save-button")
                            clean = gr.Checkbox(label="清洁稿（不带批注）", value=False)
                            public_copy = gr.Checkbox(label="公开版（去掉联系人、电话、邮箱、身份证号和批注）", value=False,
                                                      elem_id="export-public")
                            export_button = gr.Button("导出 Word", variant="primary", elem_id="export-button")
                        export_file = gr.File(label="下载 Word", elem_id="export-file")
                    with gr.Column(scale=2):
                        gr.Markdown("#### 引用来源（点击展开原文）")
                        citations = gr.HTML(elem_id="citations")
                        gr.Markdown("#### 需核实")
                        flags = gr.HTML(elem_id="flags")
                        with gr.Row():
                            gap_pick = gr.Dropdown(label="未找到先例的建议", choices=[], visible=False, elem_id="gap-pick")
                            gap_button = gr.Button("以此检索先例", visible=False, elem_id="gap-search-button")
                lint_table = gr.Dataframe(headers=["行", "规则", "问题", "建议"], label="格式检查", interactive=False)
                with gr.Row():
                    review_class = gr.Dropdown([(f"{code} {name}", code) for code, name in settings.handling_class_names.items()],
                                               value=None, label="办理结果类别（审核时检查，可不选）", elem_id="review-class", scale=1)
                    review_summary = gr.Markdown(elem_id="review-summary")
                review_table = gr.Dataframe(headers=["行", "检查", "级别", "段落", "问题", "建议"], label="审核（逐条答复、空泛、重复、数据时效、承诺跟进、办理结果类别）",
                                            interactive=False, elem_id="review-table")

            with gr.Tab("先例检索", id="search"):
                with gr.Row():
                    query = gr.Textbox(label="检索主题", placeholder="如：揭榜挂帅、双清零一提升", scale=3, elem_id="search-query")
                    doc_kind = gr.Radio(list(TYPE_CHOICES), value="全部", label="类型")
                    k = gr.Slider(1, 30, value=10, step=1, label="条数")
                with gr.Row():
                    year_from = gr.Number(label="年份自", precision=0)
                    year_to = gr.Number(label="年份至", precision=0)
                    unit = gr.Textbox(label="发文单位包含")
                    role_pick = gr.Dropdown(list(ROLE_CHOICES), value="全部", label="内容角色", elem_id="search-role")
                    show_all = gr.Checkbox(label="显示更多（相关度较低）", value=False, elem_id="search-all")
                    search_button = gr.Button("检索", variant="primary", elem_id="search-button")
                results = gr.HTML(elem_id="search-results")
                with gr.Row():
                    document_pick = gr.Dropdown(label="查看全文", choices=[], allow_custom_value=True)
                    passage_pick = gr.Dropdown(label="选择段落", choices=[], allow_custom_value=True)
                    insert_button = gr.Button("插入当前草稿")
                insert_note = gr.Markdown()
                full_text = gr.Textbox(label="全文", lines=16, interactive=False)

            with gr.Tab("语料库", id="corpus"):
                corpus_summary = gr.Markdown(elem_id="corpus-summary")
                uploads = gr.File(label="上传文档（可多选：.txt .md .docx .pdf .html .jsonl）", file_count="multiple", type="filepath", elem_id="corpus-upload")
                with gr.Row():
                    upload_button = gr.Button("导入", variant="primary", elem_id="upload-button")
                    cancel_upload_button = gr.Button("取消导入", visible=False, elem_id="cancel-upload-button")
                upload_job = gr.Number(value=None, visible=False, precision=0, label="导入任务")
                upload_label = gr.Markdown(elem_id="upload-label")
                upload_timer = gr.Timer(1.0, active=False)
                upload_results = gr.Dataframe(headers=["文件", "结果", "说明"], label="导入结果", interactive=False)
                documents = gr.Dataframe(headers=DOC_HEADERS, label="文档列表", interactive=False, elem_id="documents")
                with gr.Row():
                    remove_pick = gr.Dropdown(label="删除文档", choices=[], allow_custom_value=False)  # only listed documents
                    remove_button = gr.Button("删除", variant="stop")
                remove_note = gr.Markdown()

            with gr.Tab("草稿", id="drafts"):
                drafts = gr.Dataframe(headers=DRAFT_HEADERS, label="已保存的草稿", interactive=False, elem_id="drafts")
                with gr.Row():
                    draft_pick = gr.Dropdown(label="选择草稿", choices=[], allow_custom_value=True)
                    open_button = gr.Button("打开")
                    status = gr.Dropdown(list(STATUSES), label="状态", value="草稿")
                    status_button = gr.Button("设置状态")
                with gr.Row():  # owner or admin only (checked in the service)
                    share_to = gr.Textbox(label="共享给（用户名或 group:组名）", elem_id="share-to")
                    share_button = gr.Button("共享", elem_id="share-button")
                    unshare_button = gr.Button("取消共享")
                share_note = gr.Markdown(elem_id="share-note")
                with gr.Row():  # the letter finished in Word comes back as a new version (tracked changes accepted)
                    word_upload = gr.File(label="上传修改后的 Word（.docx，作为所选草稿的新版本）", file_types=[".docx"],
                                          type="filepath", elem_id="word-upload")
                    import_button = gr.Button("导入为新版本", elem_id="import-word-button")
                import_note = gr.HTML(elem_id="import-note")
                version_table = gr.Dataframe(headers=["版本", "说明", "修改人", "时间", "字数"], label="版本历史", interactive=False)
                with gr.Row():
                    old_version = gr.Dropdown(label="旧版本", choices=[], allow_custom_value=True)
                    new_version = gr.Dropdown(label="新版本", choices=[], allow_custom_value=True)
                    diff_button = gr.Button("比较")
                diff_view = gr.HTML()

        panel_outputs = [citations, flags, lint_table, gap_pick, gap_button]
        draft_outputs = [draft_id, draft_label, draft_text, *panel_outputs]
        parse_button.click(parse, [proposal_text, proposal_file],
                           [proposal_text, title, number, session, proposers, role, kind, suggestions, parse_note], api_name="parse_proposal")
        proposal_file.upload(parse, [proposal_text, proposal_file],
                             [proposal_text, title, number, session, proposers, role, kind, suggestions, parse_note], api_visibility="private")
        generate_button.click(generate, [proposal_text, title, number, session, proposers, role, kind, suggestions, appraisal],
                              draft_outputs, api_name="generate_draft")
        draft_text.change(autosave, [draft_id, draft_text], [draft_label], trigger_mode="always_last",
                          show_progress="hidden", api_name="autosave")
        check_button.click(refresh_panels, [draft_id, draft_text], panel_outputs, api_name="check_draft")
        review_button.click(review_draft, [draft_id, draft_text, review_class], [review_summary, review_table], api_name="review_draft")
        save_button.click(save, [draft_id, draft_text], [draft_label], api_name="save_draft")
        export_button.click(export, [draft_id, draft_text, clean, public_copy], [export_file, draft_label], api_name="export_draft")

        search_inputs = [query, doc_kind, year_from, year_to, unit, k, role_pick, show_all]
        search_button.click(search, search_inputs, [results, document_pick, passage_pick], api_name="search")
        query.submit(search, search_inputs, [results, document_pick, passage_pick], api_visibility="private")
        gap_button.click(search_gap, [gap_pick], [query, results, document_pick, passage_pick, tabs], api_name="search_gap")
        document_pick.change(open_document, [document_pick], [full_text], api_name="open_document")
        insert_button.click(insert_passage, [passage_pick, draft_id, draft_text], [draft_text, insert_note], api_name="insert_passage")

        upload_outputs = [upload_results, documents, remove_pick, corpus_summary, upload_job, upload_label, upload_timer,
                          cancel_upload_button]
        upload_button.click(upload, [uploads], upload_outputs, api_name="upload")
        upload_timer.tick(upload_status, [upload_job], upload_outputs, api_name="upload_status", show_progress="hidden")
        cancel_upload_button.click(cancel_upload, [upload_job], upload_outputs, api_name="cancel_upload")
        remove_button.click(remove_document, [remove_pick], [documents, remove_pick, corpus_summary, remove_note], api_name="remove_document")

        open_button.click(open_draft, [draft_pick], [*draft_outputs, proposal_text, tabs], api_name="open_draft")
        draft_pick.change(versions, [draft_pick], [version_table, old_version, new_version], api_name="draft_versions")
        diff_button.click(diff, [draft_pick, old_version, new_version], [diff_view], api_name="diff_versions")
        status_button.click(set_status, [draft_pick, status], [drafts], api_name="set_status")
        import_button.click(import_word, [draft_pick, word_upload],
                            [import_note, version_table, old_version, new_version, *draft_outputs], api_name="import_word")
        share_button.click(share, [draft_pick, share_to], [share_note], api_name="share_draft")
        unshare_button.click(unshare, [draft_pick, share_to], [share_note], api_name="unshare_draft")

        demo.load(documents_table, None, [documents, remove_pick, corpus_summary], api_visibility="private")
        demo.load(drafts_table, None, [drafts, draft_pick], api_visibility="private")
        gr.on([tabs.change], drafts_table, None, [drafts, draft_pick], api_name="list_drafts")
    demo.queue(default_concurrency_limit=4)
    return demo


def launch(assistant: Assistant, host: str | None = None, port: int | None = None, block: bool = True,
           on_ready=None):
    """Start the app (127.0.0.1 by default, no share link, login when a users file is set).

    ``on_ready()`` is called once the server listens. Returns the Blocks; its ``close()`` also
    empties the app's temp dir. A busy port raises AssistantError before anything is built."""
    import time

    from starlette.middleware import Middleware

    from .. import exports
    from ..auth import authenticator
    from .security import FileOwners, Gate, Janitor, check_port, port_in_use, private_temp_dir

    settings = assistant.settings
    host, port = host or settings.host, port or settings.port
    check_port(host, port)
    auth = authenticator(settings.users_file, settings.login_max_failures, settings.login_lockout_seconds,
                         audit=assistant.drafts.audit, address_max_failures=settings.login_address_max_failures or None)
    # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise, and every client of
    # the default bind is 127.0.0.1: only the configured proxies may say where a request came from
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxies
    temp_dir = private_temp_dir(settings.data_dir)  # before build_app: components pick their temp dir when made
    janitor = Janitor(settings.data_dir, temp_dir, settings.export_keep_hours).start()
    owners = FileOwners(temp_dir)
    demo = build_app(assistant, owners)
    minutes = max(1, round(settings.login_lockout_seconds / 60))
    try:
        demo.launch(
            server_name=host, server_port=port, share=False,
            auth=auth, auth_message=f"答复函助手：请登录（连续输错 {settings.login_max_failures} 次将锁定 {minutes} 分钟）",
            max_file_size=f"{int(settings.upload_max_mb)}mb", prevent_thread_lock=True, ssr_mode=False,
            css=render.CSS, quiet=True, show_error=True,  # our own start line says where; no share-link hint
            run_history=False,  # the browser's run history would keep proposals and drafts in localStorage
            allowed_paths=[str(exports.exports_root(settings.data_dir))],  # exports outside the cwd; Gate checks the owner
            app_kwargs={"openapi_url": None, "middleware": [Middleware(Gate, data_dir=settings.data_dir, owners=owners)]},
        )
    except OSError as exc:  # taken between check_port and the bind
        janitor.stop()
        raise port_in_use(port) from exc
    gradio_close = demo.close

    def close(verbose: bool = True) -> None:
        gradio_close(verbose)
        janitor.stop()
        exports.empty_dir(temp_dir)  # uploads and export copies do not outlive the server

    demo.close = close
    if on_ready is not None:
        on_ready()
    if block:
        try:
            while demo.is_running:
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            demo.close(verbose=False)
    return demo
