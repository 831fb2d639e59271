"""起草答复: paste or upload a proposal, confirm its fields, draft, edit (autosaved), check,
review, save, export."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from ..errors import AssistantError, LoadError
from ..genre.patterns import PLACEHOLDER
from ..letter.markdown import letter_body
from ..letter.proposal import NOT_A_PROPOSAL
from . import render
from .common import Context, as_id, as_revision, handler, require, user_of

# Line ``n`` of the text pane selected (and scrolled to): what a finding or a preview paragraph points at.
_SELECT_LINE = """const selectLine = (n) => {
  const pane = document.querySelector('#draft-text textarea');
  if (!pane || !n) return;
  const lines = pane.value.split('\\n');
  let at = 0;
  for (let i = 0; i < n - 1 && i < lines.length; i++) at += lines[i].length + 1;
  pane.focus();
  pane.setSelectionRange(at, at + (lines[n - 1] || '').length);
};
const markParagraph = (preview, paragraph) => {
  preview.querySelectorAll('.marked').forEach((p) => p.classList.remove('marked'));
  if (paragraph) paragraph.classList.add('marked');
};"""
# A finding clicked: its paragraph marked and scrolled to in the preview, its line selected in the text pane.
GOTO_LINE_JS = (
    """(line) => {
  const n = parseInt(line);
  if (!n) return;
  """
    + _SELECT_LINE
    + """
  const preview = document.querySelector('#letter-preview');
  if (preview) {
    let target = null;
    preview.querySelectorAll('[data-line]').forEach((p) => { if (p.dataset.line && +p.dataset.line <= n) target = p; });
    markParagraph(preview, target);
    if (target) target.scrollIntoView({block: 'center'});
  }
  selectLine(n);
}"""
)
# Export with 【待填】/【待补充】 left asks first, naming them; a 公开版 goes to the server, which refuses it.
EXPORT_ASK_JS = """(draftId, text, clean, publicCopy, revision, confirmed, reason) => {
  const left = [...new Set((text || '').match(/PLACEHOLDER/g) || [])];
  let ok = true;
  if (left.length && !publicCopy) {
    const shown = left.slice(0, 8).join('\\n') + (left.length > 8 ? '\\n……' : '');
    ok = window.confirm('草稿中还有 ' + left.length + ' 处待填内容：\\n' + shown + '\\n\\n仍要导出吗？');
  }
  return [draftId, text, clean, publicCopy, revision, ok, reason];
}""".replace("PLACEHOLDER", PLACEHOLDER.pattern)  # lint's own pattern (plain enough for JavaScript)
# A paragraph clicked in the preview: its line selected in the text pane (the two stay side by side).
PREVIEW_CLICK_JS = (
    _SELECT_LINE
    + """
element.addEventListener('click', (event) => {
  if (event.target.closest('summary, details')) return;
  const paragraph = event.target.closest('[data-line]');
  if (!paragraph || !paragraph.dataset.line) return;
  markParagraph(element, paragraph);
  selectLine(+paragraph.dataset.line);
});"""
)

# Text pasted or fields typed since the last draft generated (or since the page opened): a reload or a closed tab would lose
# them — a draft, once generated, autosaves; the form does not. The browser asks first, in its own words. What 解析 or
# opening a draft fills in is no one's typing and does not count.
LEAVE_GUARD_JS = """() => {
  let typed = false;
  const intake = '#proposal-text, #field-title, #field-number, #field-session, #field-proposers, #field-suggestions';
  document.addEventListener('input', (event) => { if (event.target.closest(intake)) typed = true; }, true);
  window.replyAssistantDrafted = () => { typed = false; };  // called once 生成草稿 has saved a draft (DRAFTED_JS)
  window.replyAssistantUnsaved = () => typed;
  window.addEventListener('beforeunload', (event) => {
    if (typed) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
}"""

DRAFTED_JS = "() => { if (window.replyAssistantDrafted) window.replyAssistantDrafted(); }"  # a refused 生成草稿 keeps the guard

APPRAISAL_LABELS = {"adopt": "吸收采纳", "partial": "部分已落实，其余统筹实施（一、无已开展工作时改为“认真研究吸收”）", "reference": "留作参考"}
FIELD_NAMES = {"title": "标题", "number": "编号", "session": "会议届次", "proposers": "提案人", "role": "身份", "kind": "类别", "suggestions": "建议条目"}
FORM_LABELS = tuple(FIELD_NAMES[key] for key in ("title", "number", "session", "proposers", "role", "kind", "suggestions"))  # field_values' order
NO_DRAFT = "请先生成或打开一份草稿"


EMPTY_PROPOSAL = "请先粘贴或上传提案内容 / paste or upload the proposal first"


class DraftHandlers:
    def __init__(self, ctx: Context):
        self.ctx, self.assistant = ctx, ctx.assistant

    @handler
    def parse(self, text, file, request: gr.Request):
        """解析提案: the text in the box (pasted, or a file's text as edited there) wins; the file
        is read when the box is empty. Nothing to parse is said in the note under the fields, not as an error
        (Gradio marks every output of a refused call Error, covering the box to paste into)."""
        if not (text or "").strip() and not file:
            gr.Warning(EMPTY_PROPOSAL)
            return (*(gr.skip() for _ in range(8)), f"⚠ {EMPTY_PROPOSAL}")
        self.ctx.own_file(file, request)
        return self._fields(self.assistant.parse_proposal(text, path=file if file and not (text or "").strip() else None))

    @handler
    def parse_upload(self, file, request: gr.Request):
        """A file just uploaded: its text replaces whatever was in the box. One that cannot be read
        (a spreadsheet, a broken file) says why and is taken out of the upload box, leaving the box's
        text and the fields as they were: it must not stand in the way of the text pasted instead."""
        if not file:
            return (*(gr.skip() for _ in range(9)), gr.skip())
        self.ctx.own_file(file, request)
        try:
            proposal = self.assistant.parse_proposal("", path=file)
        except LoadError as exc:
            gr.Warning(str(exc), duration=20)
            return (*(gr.skip() for _ in range(9)), None)
        return (*self._fields(proposal), gr.skip())

    @handler
    def add_missed(self, text, title, number, session, proposers, role, kind, suggestions):
        """补入疑似遗漏的建议: the sentences the second reading takes for asks that the list lacks, put in where
        the text has them, as the parser would head them (the 承办人 still reads, keeps or deletes each line)."""
        proposal = self.assistant.proposal_from_fields(
            text, title=title, number=number, session=session, proposers=proposers, role=role, kind=kind, suggestions=suggestions
        )
        if not (suggestions or "").strip():  # before 解析提案 the box is empty: the list to add to is not there yet
            gr.Info("请先点“解析提案”，再补入遗漏的建议 / parse the proposal first")
            return gr.skip(), gr.skip()
        completed, added = self.assistant.complete_reading(proposal)
        if not added:
            gr.Info("未发现遗漏的建议 / no missed suggestion found")
            return gr.skip(), gr.skip()
        where = "、".join(f"（{i + 1}）" for i in added)
        return "\n".join(completed.suggestions), f"已按原文顺序补入 {len(added)} 条疑似遗漏的建议：{where}，请核对后调整或删除。\n\n" + self._note(completed)

    @handler
    def recheck(self, text, title, number, session, proposers, role, kind, suggestions, draft_id=None, request: gr.Request | None = None):
        """The parse note kept true to the fields as edited (a line deleted, a proposer typed in): the
        note 解析 wrote named a doubt, or a field missing, that the 承办人 may have answered since. A field
        changed after 生成草稿 does not change the draft (the probe fixed a name and looked for it in the
        letter): the note says which fields differ from those the open draft was made from."""
        if not (text or "").strip():  # nothing pasted yet: no note to keep true (and no error for a field left)
            return gr.skip()
        proposal = self.assistant.proposal_from_fields(
            text, title=title, number=number, session=session, proposers=proposers, role=role, kind=kind, suggestions=suggestions
        )
        note = self._note(proposal)
        if draft_id and (changed := self._changed_since_drafted(as_id(draft_id), proposal, user_of(request))):
            note = (
                f"⚠ 草稿 #{as_id(draft_id)} 是按修改前的字段生成的（已改：{'、'.join(changed)}），正文不会随之改变："
                "请在正文中相应修改，或再次点“生成草稿”按新字段另存为新草稿 / the open draft was made from the fields before "
                "these changes: edit the letter, or draft again\n\n" + note
            )
        return note

    def _changed_since_drafted(self, draft_id: int, proposal, user: str) -> list[str]:
        """The form's fields (by label) that differ from those draft ``draft_id`` was made from; none when the text
        pasted is not the one it was made from (another proposal being read) or the draft cannot be opened now."""
        try:
            saved = self.assistant.get_draft(draft_id, user)
        except AssistantError:  # deleted or unshared since: nothing to compare, and no error on leaving a field
            return []
        drafted = saved.base.get("proposal") or {}
        if not drafted or saved.proposal_text.strip() != proposal.text.strip():
            return []
        now, then = DraftHandlers.field_values(proposal.to_dict()), DraftHandlers.field_values(drafted)
        return [label for label, a, b in zip(FORM_LABELS, now, then) if (a or "") != (b or "")]

    def _fields(self, proposal):
        return (proposal.text, *DraftHandlers.field_values(proposal.to_dict()), self._note(proposal))

    def _note(self, proposal):
        """What 解析 says: the fields not found, the second reading's doubts, a text mostly not Chinese."""
        note = (
            "未能识别：" + "、".join(FIELD_NAMES[m] for m in proposal.missing) + "（请补充，否则草稿中以【待填】标出）"
            if proposal.missing
            else "已识别全部字段。"
        )
        if doubts := self.assistant.check_reading(proposal).messages(proposal.suggestions):
            note += "\n\n**解析复核**（请核对建议条目）：\n" + "\n".join(f"- {message}" for message in doubts)
        if not proposal.looks_like_one:
            note = f"⚠ {' / '.join(NOT_A_PROPOSAL)}\n\n{note}"
        if proposal.mostly_not_chinese:
            note = "⚠ 原文大部分不是中文，解析和草稿可能不准确，请核对建议条目 / the text is mostly not Chinese: check the fields. " + note
        return note

    @staticmethod
    def field_values(proposal: dict) -> tuple:
        """标题、编号、会议届次、提案人、身份、类别、建议条目 as the form shows them, from a proposal's fields
        (parsed now, or stored with a draft: a reopened draft shows what it was drafted from)."""
        return (
            proposal.get("title", ""),
            str(proposal.get("number") or ""),
            proposal.get("session", ""),
            "、".join(proposal.get("proposers", [])),
            proposal.get("role") or None,
            proposal.get("kind") or None,
            "\n".join(proposal.get("suggestions", [])),
        )

    def panels(self, draft_id: int, text: str, user: str):
        """Citations, things to check, lint findings, the gap search and the letter's preview, for the edited text."""
        draft, lines = self.assistant.letter_view(draft_id, text, user)
        findings = [[f.line, f.label, f.message, f.fix] for f in self.assistant.lint(text)]
        gaps = gr.Dropdown(choices=draft.gaps, value=draft.gaps[0] if draft.gaps else None, visible=bool(draft.gaps))
        return (
            render.citations_panel(draft),
            render.flags_panel(draft),
            findings,
            gaps,
            gr.Button(visible=bool(draft.gaps)),
            render.letter_preview(draft, lines),
        )

    @handler
    def preview(self, draft_id, text, request: gr.Request):
        """The preview kept in step with the text pane (after each autosave)."""
        if not draft_id:
            return gr.skip()
        if not (text or "").strip():  # the pane emptied (before pasting a letter in): an empty preview, no error
            return render.letter_preview(None, [])
        draft, lines = self.assistant.letter_view(as_id(draft_id), text or "", user_of(request))
        return render.letter_preview(draft, lines)

    @staticmethod
    def finding_line(event: gr.SelectData):
        """The line of the finding clicked in 格式检查 or 审核 (全文: none)."""
        row = getattr(event, "row_value", None) or []
        try:
            return int(str(row[0]))
        except (IndexError, TypeError, ValueError):
            return None

    @handler
    def generate(self, text, title, number, session, proposers, role, kind, suggestions, appraisal, request: gr.Request):
        proposal = self.assistant.proposal_from_fields(
            text, title=title, number=number, session=session, proposers=proposers, role=role, kind=kind, suggestions=suggestions
        )
        draft_id, markdown, draft = self.assistant.start_draft(proposal, appraisal=appraisal, user=user_of(request))
        warning = "；".join(draft.warnings)
        # regenerating opens another draft: say so, and where this one stays (the probe thought its edits were gone)
        label = f"**草稿 #{draft_id}** · 已保存第 1 版 · 修改会自动保存 · 再次生成将另存为新草稿，本稿保留在「草稿」页" + (
            f"\n\n⚠ {warning}" if warning else ""
        )
        revision = self.assistant.get_draft(draft_id, user_of(request)).revision
        return draft_id, label, markdown, *self.panels(draft_id, markdown, user_of(request)), revision

    @handler
    def autosave(self, draft_id, text, revision=None, request: gr.Request | None = None):
        """Outputs: label, revision, the cleaned text (when control characters were removed), and the
        two buttons a conflict offers. An edit based on an older text is never written over a newer one."""
        if not draft_id:
            return (gr.skip(),) * 5
        user = user_of(request)
        return self._stored(
            as_id(draft_id),
            text,
            user,
            lambda clean: self.assistant.autosave_draft(as_id(draft_id), clean, user, base_revision=as_revision(revision)) and "已自动保存",
        )

    def _stored(self, draft_id: int, text, user: str, store):
        """Run ``store(cleaned text)`` (it returns the label's words, or None when nothing changed)."""
        from ..drafts.book import EditConflict
        from ..letter.markdown import clean_editor_text

        clean, changed = clean_editor_text(text or "")
        stored = letter_body(clean)  # an appendix pasted along (引用来源, 需核实) goes to the panels, not the text
        hidden = gr.Button(visible=False)
        try:
            done = store(clean)
        except EditConflict as conflict:
            offer = gr.Button(visible=True)
            return f"**草稿 #{draft_id}** · ⚠ {conflict.zh}", gr.skip(), gr.skip(), offer, offer
        if done is None and not changed and stored == clean:  # an autosave with nothing new
            return gr.skip(), gr.skip(), gr.skip(), hidden, hidden
        note = f"（已把 {changed} 个不可见控制字符改为换行或删除，如 Word 的软回车）" if changed else ""
        note += "（引用来源和需核实已移到右侧面板）" if stored != clean else ""
        revision = self.assistant.get_draft(draft_id, user).revision
        return f"**草稿 #{draft_id}** · {done or '已自动保存'}{note}", revision, stored if changed or stored != clean else gr.skip(), hidden, hidden

    @handler
    def refresh_panels(self, draft_id, text, request: gr.Request):
        require(draft_id, NO_DRAFT)
        return self.panels(as_id(draft_id), text, user_of(request))

    @handler
    def review(self, draft_id, text, handling_class, request: gr.Request):
        """审核: coverage, 空泛, copying, stale figures, promises, class — of the edited text."""
        require(draft_id, NO_DRAFT)
        report = self.assistant.review_saved(as_id(draft_id), text or "", user_of(request), handling_class=handling_class or None)
        rows = [[str(f.line) if f.line else "全文", f.label, f.severity, f.paragraph, f.message, f.fix] for f in report.findings]
        head = f"**审核**：共 {report.summary()}" if report.findings else f"**审核**：未发现问题；{report.overview()}"
        return "\n\n".join([head, *(f"注：{note}" for note in report.notes)]), rows

    @handler
    def save(self, draft_id, text, revision=None, request: gr.Request | None = None):
        require(draft_id, NO_DRAFT)
        user = user_of(request)
        return self._stored(
            as_id(draft_id),
            text,
            user,
            lambda clean: "已保存第 {} 版".format(self.assistant.save_draft(as_id(draft_id), clean, user, base_revision=as_revision(revision))),
        )

    @handler
    def reload_latest(self, draft_id, request: gr.Request):
        """载入最新: the working text as saved elsewhere replaces this page's (which a conflict kept unsaved)."""
        require(draft_id, NO_DRAFT)
        saved = self.assistant.get_draft(as_id(draft_id), user_of(request))
        hidden = gr.Button(visible=False)
        who = f"，{saved.revised_by} 修改" if saved.revised_by else ""
        return (
            self.assistant.editor_text(saved.id, user_of(request)),
            f"**草稿 #{saved.id}** · 已载入最新文本（{self.ctx.local(saved.updated_at)}{who}）",
            saved.revision,
            hidden,
            hidden,
        )

    @handler
    def save_as_new_version(self, draft_id, text, request: gr.Request):
        """另存为新版本: both texts are kept — the one saved elsewhere as a version (if it is not one
        already), then this page's as the next version, which becomes the working text."""
        require(draft_id, NO_DRAFT)
        user = user_of(request)
        return self._stored(
            as_id(draft_id),
            text,
            user,
            lambda clean: "已另存为第 {} 版（他处的修改在前一版）".format(self.assistant.save_alongside(as_id(draft_id), clean, user)),
        )

    @handler
    def export(self, draft_id, text, clean, public, revision=None, confirmed=True, reason="", request: gr.Request | None = None):
        """Export the page's text (a version of its own); refused like a save when the text it is
        based on has changed elsewhere. ``confirmed`` False: the person, asked about the placeholders
        left (EXPORT_ASK_JS), chose not to. Outputs: the file, the label, the new revision."""
        from ..drafts.book import EditConflict

        require(draft_id, NO_DRAFT)
        if confirmed is False:  # said where the person is looking too, not only in the label above the text
            gr.Info("未导出：请先填写【待填】内容 / not exported: fill in the placeholders first")
            return gr.skip(), f"**草稿 #{draft_id}** · 未导出：请先填写待填内容", gr.skip(), gr.skip()
        user = user_of(request)
        try:
            path = self.assistant.export_saved(
                as_id(draft_id), text, clean=bool(clean), public=bool(public), user=user, base_revision=as_revision(revision), override_reason=reason or ""
            )
        except EditConflict as conflict:
            return gr.skip(), f"**草稿 #{draft_id}** · ⚠ {conflict.zh}", gr.skip(), gr.skip()
        self.ctx.record_export(path, request)
        mark = self.assistant.edited_draft(as_id(draft_id), text, user).handling_class if self.ctx.settings.class_mark else None
        extra = f"（首页右上角标注办理结果类别 {mark}）" if mark else ""
        return (str(path), f"**草稿 #{draft_id}** · 已导出 {path.name}{extra}", self.assistant.get_draft(as_id(draft_id), user).revision, "")


def build(ctx: Context, draft_id) -> SimpleNamespace:
    """The tab's components and its own events; returns the components other tabs wire to."""
    settings, handlers = ctx.settings, DraftHandlers(ctx)
    appraisals = ctx.assistant.appraisals()
    with gr.Row():
        with gr.Column(scale=2):
            proposal_text = gr.Textbox(label="提案/建议原文（粘贴）", lines=10, elem_id="proposal-text")
            # no file_types: an unsupported file gets our own message (the same as ingest gives), not Gradio's English one
            proposal_file = gr.File(label="或上传提案文件（Word、WPS、PDF、OFD、扫描件或照片）", type="filepath", elem_id="proposal-file")
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
            parse_note = gr.Markdown(elem_id="parse-note")
            add_missed_button = gr.Button("补入疑似遗漏的建议", size="sm", elem_id="add-missed-button")
            appraisal = gr.Dropdown(
                [(APPRAISAL_LABELS.get(a, a), a) for a in appraisals], label="评价用语", value=settings.appraisal if settings.appraisal in appraisals else None
            )
            generate_button = gr.Button("生成草稿", variant="primary", elem_id="generate-button")
    draft_label = gr.Markdown(elem_id="draft-label")
    # the revision of the working text this page's editor is based on (a save on an older one is refused)
    draft_revision = gr.Number(value=None, visible=False, precision=0, elem_id="draft-revision")
    with gr.Row():
        reload_button = gr.Button("载入最新", visible=False, elem_id="reload-draft-button")
        save_new_button = gr.Button("另存为新版本", visible=False, elem_id="save-new-version-button")
    with gr.Row():
        with gr.Column(scale=4):
            draft_text = gr.Textbox(label="正文（可直接修改，自动保存；引用来源和需核实见右侧）", lines=28, max_lines=80, elem_id="draft-text")
            with gr.Row():
                check_button = gr.Button("检查格式 / 刷新核实项")
                review_button = gr.Button("审核", elem_id="review-button")
                save_button = gr.Button("保存", elem_id="save-button")
                clean = gr.Checkbox(label="清洁稿（不带批注）", value=False)
                public_copy = gr.Checkbox(label="公开版（去掉联系人、电话、邮箱、身份证号和批注）", value=False, elem_id="export-public")
                export_confirmed = gr.Checkbox(value=True, visible=False, elem_id="export-confirmed")  # set by EXPORT_ASK_JS
            public_reason = gr.Textbox(value="", label="公开版例外理由（审核仍有问题时填写，记入审计）", elem_id="public-reason")
            with gr.Row():
                export_button = gr.Button("导出 Word", variant="primary", elem_id="export-button")
            export_file = gr.File(label="下载 Word", elem_id="export-file")
        with gr.Column(scale=5):
            preview = gr.HTML(label="公文预览", elem_id="letter-preview", js_on_load=PREVIEW_CLICK_JS)
        with gr.Column(scale=3):
            gr.Markdown("#### 引用来源（点击展开原文）")
            citations = gr.HTML(elem_id="citations")
            gr.Markdown("#### 需核实")
            flags = gr.HTML(elem_id="flags")
            with gr.Row():
                gap_pick = gr.Dropdown(label="未找到先例的建议", choices=[], visible=False, elem_id="gap-pick")
                gap_button = gr.Button("以此检索先例", visible=False, elem_id="gap-search-button")
    # click a finding: its paragraph is marked in the preview and its line selected in the text pane
    lint_table = gr.Dataframe(
        headers=["行", "规则", "问题", "建议"],
        label="格式检查（点击一行定位到段落）",
        interactive=False,
        wrap=True,
        column_widths=["6%", "14%", "45%", "35%"],
        elem_id="lint-table",
    )
    goto_line = gr.Number(value=None, visible=False, precision=0, elem_id="goto-line")
    with gr.Row():
        review_class = gr.Dropdown(
            [(f"{code} {name}", code) for code, name in settings.handling_class_names.items()],
            value=None,
            label="办理结果类别（审核时检查，可不选）",
            elem_id="review-class",
            scale=1,
        )
        review_summary = gr.Markdown(elem_id="review-summary")
    review_table = gr.Dataframe(
        headers=["行", "检查", "级别", "段落", "问题", "建议"],
        label="审核（逐条答复、空泛、重复、数据时效、承诺跟进、办理结果类别；点击一行定位到段落）",
        interactive=False,
        wrap=True,
        column_widths=["6%", "10%", "6%", "16%", "36%", "26%"],
        elem_id="review-table",
    )

    fields = [proposal_text, title, number, session, proposers, role, kind, suggestions]
    panel_outputs = [citations, flags, lint_table, gap_pick, gap_button, preview]
    draft_outputs = [draft_id, draft_label, draft_text, *panel_outputs, draft_revision]
    stored_outputs = [draft_label, draft_revision, draft_text, reload_button, save_new_button]
    parse_button.click(handlers.parse, [proposal_text, proposal_file], [*fields, parse_note], api_name="parse_proposal")
    proposal_file.upload(handlers.parse_upload, [proposal_file], [*fields, parse_note, proposal_file], api_visibility="private")
    add_missed_button.click(handlers.add_missed, fields, [suggestions, parse_note], api_name="add_missed_suggestions")
    # edited by hand, a field answers (or raises) what the note says: leaving it re-reads them
    for box in (title, number, session, proposers, suggestions):
        box.blur(handlers.recheck, [*fields, draft_id], [parse_note], show_progress="hidden", api_visibility="private")
    for choice in (role, kind):
        choice.input(handlers.recheck, [*fields, draft_id], [parse_note], show_progress="hidden", api_visibility="private")
    generate_button.click(handlers.generate, [*fields, appraisal], draft_outputs, api_name="generate_draft").success(None, None, None, js=DRAFTED_JS)
    draft_text.change(
        handlers.autosave, [draft_id, draft_text, draft_revision], stored_outputs, trigger_mode="always_last", show_progress="hidden", api_name="autosave"
    ).then(handlers.preview, [draft_id, draft_text], [preview], show_progress="hidden", api_visibility="private")
    for table in (lint_table, review_table):
        table.select(handlers.finding_line, None, [goto_line], api_visibility="private").then(None, [goto_line], None, js=GOTO_LINE_JS)
    reload_button.click(handlers.reload_latest, [draft_id], [draft_text, draft_label, draft_revision, reload_button, save_new_button], api_name="reload_draft")
    save_new_button.click(handlers.save_as_new_version, [draft_id, draft_text], stored_outputs, api_name="save_as_new_version")
    check_button.click(handlers.refresh_panels, [draft_id, draft_text], panel_outputs, api_name="check_draft")
    # 需核实 and the sources follow a saved or reviewed text (a probe filled the fields, saved, reviewed, and still read
    # 需核实 10 处 with a deleted [^c4] listed): as 检查格式 / 刷新核实项 would
    review_button.click(handlers.review, [draft_id, draft_text, review_class], [review_summary, review_table], api_name="review_draft").success(
        handlers.refresh_panels, [draft_id, draft_text], panel_outputs, show_progress="hidden", api_visibility="private"
    )
    save_button.click(handlers.save, [draft_id, draft_text, draft_revision], stored_outputs, api_name="save_draft").success(
        handlers.refresh_panels, [draft_id, draft_text], panel_outputs, show_progress="hidden", api_visibility="private"
    )
    export_button.click(
        handlers.export,
        [draft_id, draft_text, clean, public_copy, draft_revision, export_confirmed, public_reason],
        [export_file, draft_label, draft_revision, public_reason],  # a reason serves one export only
        api_name="export_draft",
        js=EXPORT_ASK_JS,
    )
    return SimpleNamespace(
        handlers=handlers,
        proposal_text=proposal_text,
        parsed_fields=fields[1:],
        draft_text=draft_text,
        draft_outputs=draft_outputs,
        draft_revision=draft_revision,
        gap_pick=gap_pick,
        gap_button=gap_button,
    )
