"""先例检索: topic search with filters and the relevance floor; open a document; insert a
passage (with its citation) into the current draft."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from ..errors import QueryError
from ..letter.model import gap_placeholder
from . import render
from .common import Context, as_id, as_revision, handler, require, user_of

TYPE_CHOICES = {"全部": None, "答复函": "reply", "政策文件": "policy"}
ROLE_CHOICES = {"全部": None, "答复函·成效": "成效", "答复函·举措": "举措", "答复函·计划": "计划", "政策条文": "条文"}


# The line of the editor's caret (where the person was editing), for 插入当前草稿 to put the passage there.
CARET_LINE_JS = """(choice, draftId, text, revision, atLine, query) => {
  const pane = document.querySelector('#draft-text textarea');
  const line = pane ? pane.value.slice(0, pane.selectionStart).split('\\n').length : null;
  return [choice, draftId, text, revision, line, query];
}"""


def document_label(result) -> str:
    """How 查看全文 names a found document: its title, with its 文号 or date where it has one."""
    meta = result.metadata or {}
    mark = meta.get("doc_number") or meta.get("date") or ""
    return f"{result.title}（{mark}）" if mark and mark not in result.title else result.title


def _year(value, what: str) -> int | None:
    """A year typed in a filter ('' or None: no filter); anything else a bilingual refusal."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        year = int(float(text))
    except (ValueError, OverflowError):  # “abc”, “inf”
        year = 0
    if not 1949 <= year <= 2100:
        raise QueryError(f"{what}“{text}”不是年份（如 2024）", f"{what} {text!r} is not a year (e.g. 2024)")
    return year


class SearchHandlers:
    def __init__(self, ctx: Context):
        self.assistant = ctx.assistant

    @handler
    def search(self, query, kind, year_from, year_to, unit, k, role="全部", show_all=False):
        response = self.assistant.search(
            query,
            k=int(k or 10),
            doc_type=TYPE_CHOICES.get(kind),
            year_from=_year(year_from, "年份自"),
            year_to=_year(year_to, "年份至"),
            unit=unit or None,
            role=ROLE_CHOICES.get(role),
            show_all=bool(show_all),
        )
        # 查看全文 names each document by its title (its value stays the source the API takes), not by a file path
        documents = list(dict.fromkeys((document_label(r), r.source) for r in response.results))
        # each passage shown by its title and opening; its value the chunk id and its document (follow_document)
        passages = [(f"{r.chunk_id} · {r.title[:24]} · {r.text[:30]}", f"{r.chunk_id} · {r.source}") for r in response.results]
        return (
            render.search_results(response),
            gr.Dropdown(choices=documents, value=documents[0][1] if documents else None),
            gr.Dropdown(choices=passages, value=passages[0][1] if passages else None),
        )

    def follow_document(self, source, passage):
        """选择段落 follows 查看全文: a passage of another document left picked is how a probe inserted the wrong one
        — it is cleared, to be chosen again among those of the document shown."""
        if not source or not passage or str(passage).split(" · ", 1)[-1] == source:
            return gr.skip()
        return gr.Dropdown(value=None)

    def search_gap(self, suggestion):
        """A suggestion the draft found no precedent for, run as a 先例检索 query (and that tab shown)."""
        require(suggestion, "请先选择一条未找到先例的建议")
        return (suggestion, *self.search(suggestion, "全部", None, None, None, 10), gr.Tabs(selected="search"))

    def open_document(self, source):
        document = self.assistant.document(source) if source else None
        return document["text"] if document else ""

    @handler
    def insert_passage(self, choice, draft_id, text, revision=None, at_line=None, query=None, request: gr.Request | None = None):
        """Outputs: the draft's text with the passage, a note, and the draft's new revision. ``at_line``: the
        line the person was editing (CARET_LINE_JS), whose section the passage closes; ``query``: what was
        searched — a suggestion the draft left a 【待补充】 for (以此检索先例) gets the passage in its place."""
        from ..drafts.book import EditConflict

        require(draft_id, "请先在“起草答复”中生成或打开一份草稿")
        require(choice, "请先选择一段检索结果")
        user = user_of(request)
        line = as_revision(at_line) or None
        try:
            new_text = self.assistant.insert_passage(
                as_id(draft_id), text, as_id(choice.split(" · ")[0]), user=user, base_revision=as_revision(revision), at_line=line, gap=query
            )
        except EditConflict as conflict:
            return gr.skip(), f"⚠ {conflict.zh}", gr.skip()
        gap = gap_placeholder(str(query or ""))
        filled = bool(str(query or "").strip()) and bool(gap.search(text or "")) and not gap.search(new_text)
        where = f"“{str(query).strip()}”的待补充处" if filled else f"第 {line} 行所在一节的末尾" if line else "最后一节的末尾"
        return new_text, f"已插入当前草稿{where}（只取该段正文，引用标记已加上）", self.assistant.get_draft(as_id(draft_id), user).revision


def build(ctx: Context) -> SimpleNamespace:
    handlers = SearchHandlers(ctx)
    with gr.Row():
        query = gr.Textbox(label="检索主题", placeholder="如：揭榜挂帅、双清零一提升", scale=3, elem_id="search-query")
        doc_kind = gr.Radio(list(TYPE_CHOICES), value="全部", label="类型")
        k = gr.Slider(1, 30, value=10, step=1, label="条数")
    with gr.Row():
        year_from = gr.Textbox(label="年份自", placeholder="如 2023（空为不限）", elem_id="search-year-from")
        year_to = gr.Textbox(label="年份至", placeholder="如 2024（空为不限）", elem_id="search-year-to")
        unit = gr.Textbox(label="发文单位包含")
        role_pick = gr.Dropdown(list(ROLE_CHOICES), value="全部", label="内容角色", elem_id="search-role")
        show_all = gr.Checkbox(label="显示更多（相关度较低）", value=False, elem_id="search-all")
        search_button = gr.Button("检索", variant="primary", elem_id="search-button")
    results = gr.HTML(elem_id="search-results")
    with gr.Row():
        document_pick = gr.Dropdown(label="查看全文", choices=[], allow_custom_value=True)
        passage_pick = gr.Dropdown(label="选择段落", choices=[], allow_custom_value=True)
        insert_button = gr.Button("插入当前草稿", elem_id="insert-button")
        insert_at = gr.Number(value=None, visible=False, precision=0, elem_id="insert-at")  # set by CARET_LINE_JS
    insert_note = gr.Markdown()
    full_text = gr.Textbox(label="全文", lines=16, interactive=False)

    search_inputs = [query, doc_kind, year_from, year_to, unit, k, role_pick, show_all]
    result_outputs = [results, document_pick, passage_pick]
    search_button.click(handlers.search, search_inputs, result_outputs, api_name="search")
    query.submit(handlers.search, search_inputs, result_outputs, api_visibility="private")
    document_pick.change(handlers.open_document, [document_pick], [full_text], api_name="open_document")
    document_pick.change(handlers.follow_document, [document_pick, passage_pick], [passage_pick], api_visibility="private")
    return SimpleNamespace(
        handlers=handlers,
        query=query,
        result_outputs=result_outputs,
        passage_pick=passage_pick,
        insert_button=insert_button,
        insert_at=insert_at,
        insert_note=insert_note,
    )
