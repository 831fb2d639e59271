"""草稿: the drafts this user may open, reopen one, status, share, delete, versions and their diff, and a
letter finished in Word brought back as a new version."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from ..drafts.book import STATUSES
from . import render
from .common import Context, as_id, handler, require, user_of

DRAFT_HEADERS = ["编号", "标题", "状态", "更新时间", "创建人", "版本数"]


class DraftsHandlers:
    def __init__(self, ctx: Context, draft_handlers):
        self.ctx, self.assistant, self.draft_handlers = ctx, ctx.assistant, draft_handlers

    def drafts_table(self, request: gr.Request | None):
        drafts = self.assistant.list_drafts(user_of(request))  # only those this user may open
        rows = [[d["id"], d["title"], d["status"], self.ctx.local(d["updated_at"]), render.user_label(d["created_by"]), d["versions"]] for d in drafts]
        # the pick names each draft (a bare number says nothing); its value stays the number the handlers and the API take
        choices = [(draft_label(r[0], r[1], r[2]), str(r[0])) for r in rows]
        return rows, gr.Dropdown(choices=choices, value=str(rows[0][0]) if rows else None)

    @handler
    def open_draft(self, choice, request: gr.Request):
        require(choice, "请选择草稿")
        saved = self.assistant.get_draft(as_id(choice), user_of(request))
        text = self.assistant.editor_text(saved.id, user_of(request))  # the letter only; its sources in the panels
        panel_values = self.draft_handlers.panels(saved.id, text, user_of(request))
        return (
            saved.id,
            f"**草稿 #{saved.id}** · {saved.status}",
            text,
            *panel_values,
            saved.revision,
            saved.proposal_text,
            gr.Tabs(selected="draft"),
            # the fields it was drafted from, after the tab (the API's first outputs keep their places)
            *self.draft_handlers.field_values(saved.base.get("proposal") or {}),
        )

    @handler
    def versions(self, choice, request: gr.Request):
        if not choice:
            return [], gr.Dropdown(choices=[]), gr.Dropdown(choices=[])
        found = self.assistant.draft_versions(as_id(choice), user_of(request))
        rows = [[v["number"], v["note"], render.user_label(v["created_by"]), self.ctx.local(v["created_at"]), v["chars"]] for v in found]
        numbers = [str(r[0]) for r in rows]
        return (rows, gr.Dropdown(choices=numbers, value=numbers[0] if numbers else None), gr.Dropdown(choices=numbers, value=numbers[-1] if numbers else None))

    @handler
    def status_of(self, choice, request: gr.Request):
        """The 状态 control shows the picked draft's status as it is (not 草稿 for a draft already 已导出)."""
        if not choice:
            return gr.skip()
        return gr.Dropdown(choices=list(STATUSES), value=self.assistant.get_draft(as_id(choice), user_of(request)).status)

    @handler
    def diff(self, choice, old, new, request: gr.Request):
        require(choice and old and new, "请选择草稿和两个版本")
        return render.version_diff(self.assistant.diff_versions(as_id(choice), as_id(old), as_id(new), user_of(request)), self.ctx.local)

    @handler
    def import_word(self, choice, file, request: gr.Request):
        """A letter edited in Word becomes a new version of the selected draft, and opens in 起草答复."""
        require(choice, "请先选择草稿")
        require(file, "请先上传修改后的 Word 文件（.docx）")
        user = user_of(request)
        self.ctx.own_file(file, request)
        result = self.assistant.import_docx(Path(file if isinstance(file, str) else file.name), draft_id=as_id(choice), user=user)
        saved = self.assistant.get_draft(as_id(choice), user)
        panel_values = self.draft_handlers.panels(saved.id, saved.working_text, user)
        return (
            render.import_summary(result, saved.id),
            *self.versions(choice, request),
            saved.id,
            f"**草稿 #{saved.id}** · 已从 Word 导入为第 {result.version} 版",
            saved.working_text,
            *panel_values,
            saved.revision,
        )

    @handler
    def set_status(self, choice, status, request: gr.Request):
        require(choice, "请选择草稿")
        self.assistant.set_draft_status(as_id(choice), status, user_of(request))  # audited there
        return self.drafts_table(request)[0]

    @handler
    def delete_draft(self, choice, confirmed=True, request: gr.Request | None = None):
        """A draft nobody will send (a trial, a second generation) taken out of the list, with its versions: its
        owner or an admin, after the browser asked (DELETE_ASK_JS; ``confirmed`` False: the answer was no)."""
        require(choice, "请选择草稿")
        if confirmed is False:
            return gr.skip(), gr.skip(), f"未删除草稿 #{choice}"
        self.assistant.delete_draft(as_id(choice), user_of(request))  # owner or admin; audited there
        rows, pick = self.drafts_table(request)
        return rows, pick, f"已删除草稿 #{choice}"

    @handler
    def share(self, choice, grantee, request: gr.Request):
        return self._share(choice, grantee, user_of(request), revoke=False)

    @handler
    def unshare(self, choice, grantee, request: gr.Request):
        return self._share(choice, grantee, user_of(request), revoke=True)

    def _share(self, choice, grantee, user: str, revoke: bool):
        require(choice, "请选择草稿")
        grantees = self.assistant.share_draft(as_id(choice), grantee, user, revoke=revoke)
        return f"草稿 #{choice} 已共享给：{'、'.join(grantees)}" if grantees else f"草稿 #{choice} 未共享给他人"


PICK_TITLE_CHARS = 30
# 删除 takes a draft and every version of it at one click: the browser asks first (as 语料库's 删除 does)
# the pick's value is the draft's number; the list shows its label (#12 关于……的答复函（草稿）), which the question names
DELETE_ASK_JS = """(choice, confirmed) => [choice, choice ? window.confirm('确定删除草稿 ' +
  ((document.querySelector('#draft-pick input') || {}).value || ('#' + choice)) + ' 吗？\\n' +
  '其全部版本一并删除，不可恢复；已导出的 Word 文件不受影响，登记表中的案件保留（不再关联此稿）。') : true]"""


def draft_label(draft_id: int, title: str, status: str) -> str:
    """#12 关于……的答复函（草稿）: how the 选择草稿 list names a draft."""
    title = (title or "（无标题）").strip()
    shown = title if len(title) <= PICK_TITLE_CHARS else title[:PICK_TITLE_CHARS] + "…"
    return f"#{draft_id} {shown}（{status}）"


def build(ctx: Context, draft_handlers) -> SimpleNamespace:
    handlers = DraftsHandlers(ctx, draft_handlers)
    drafts = gr.Dataframe(headers=DRAFT_HEADERS, label="已保存的草稿", interactive=False, elem_id="drafts")
    with gr.Row():
        draft_pick = gr.Dropdown(label="选择草稿", choices=[], allow_custom_value=True, elem_id="draft-pick")
        open_button = gr.Button("打开", elem_id="open-draft-button")
        status = gr.Dropdown(list(STATUSES), label="状态", value="草稿")
        status_button = gr.Button("设置状态")
        delete_button = gr.Button("删除草稿", variant="stop", elem_id="delete-draft-button")
        delete_confirmed = gr.Checkbox(value=True, visible=False, elem_id="delete-confirmed")  # set by DELETE_ASK_JS
    delete_note = gr.Markdown(elem_id="delete-note")
    with gr.Row():  # owner or admin only (checked in the service)
        share_to = gr.Textbox(label="共享给（用户名或 group:组名）", elem_id="share-to")
        share_button = gr.Button("共享", elem_id="share-button")
        unshare_button = gr.Button("取消共享")
    share_note = gr.Markdown(elem_id="share-note")
    with gr.Row():  # the letter finished in Word comes back as a new version (tracked changes accepted)
        word_upload = gr.File(label="上传修改后的 Word（.docx，作为所选草稿的新版本）", type="filepath", elem_id="word-upload")  # no file_types: our message
        import_button = gr.Button("导入为新版本", elem_id="import-word-button")
    import_note = gr.HTML(elem_id="import-note")
    version_table = gr.Dataframe(headers=["版本", "说明", "修改人", "时间", "字数"], label="版本历史", interactive=False)
    with gr.Row():
        old_version = gr.Dropdown(label="旧版本", choices=[], allow_custom_value=True)
        new_version = gr.Dropdown(label="新版本", choices=[], allow_custom_value=True)
        diff_button = gr.Button("比较", elem_id="diff-button")
    diff_view = gr.HTML(elem_id="diff-view")

    version_outputs = [version_table, old_version, new_version]
    draft_pick.change(handlers.versions, [draft_pick], version_outputs, api_name="draft_versions")
    draft_pick.change(handlers.status_of, [draft_pick], [status], api_name="draft_status")
    # a comparison shown belongs to the draft it was made for (a probe read #1's diff under #2)
    draft_pick.change(lambda _: "", [draft_pick], [diff_view], show_progress="hidden", api_visibility="private")
    diff_button.click(handlers.diff, [draft_pick, old_version, new_version], [diff_view], api_name="diff_versions")
    status_button.click(handlers.set_status, [draft_pick, status], [drafts], api_name="set_status")
    delete_button.click(handlers.delete_draft, [draft_pick, delete_confirmed], [drafts, draft_pick, delete_note], api_name="delete_draft", js=DELETE_ASK_JS)
    share_button.click(handlers.share, [draft_pick, share_to], [share_note], api_name="share_draft")
    unshare_button.click(handlers.unshare, [draft_pick, share_to], [share_note], api_name="unshare_draft")
    return SimpleNamespace(
        handlers=handlers,
        drafts=drafts,
        draft_pick=draft_pick,
        open_button=open_button,
        word_upload=word_upload,
        import_button=import_button,
        import_note=import_note,
        version_outputs=version_outputs,
    )
