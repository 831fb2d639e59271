"""先例检索: topic search with filters and the relevance floor; open a document; insert a
passage (with its citation) into the current draft."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from . import render
from .common import Context, as_id, as_revision, handler, require, user_of

TYPE_CHOICES = {"全部": None, "答复函": "reply", "政策文件": "policy"}
ROLE_CHOICES = {"全部": None, "答复函·成效": "成效", "答复函·举措": "举措", "答复函·计划": "计划", "政策条文": "条文"}


class SearchHandlers:
    def __init__(self, ctx: Context):
        self.assistant = ctx.assistant

    @handler
    def search(self, query, kind, year_from, year_to, unit, k, role="全部", show_all=False):
        response = self.assistant.search(
            query,
            k=int(k or 10),
            doc_type=TYPE_CHOICES.get(kind),
            year_from=int(year_from) if year_from else None,
            year_to=int(year_to) if year_to else None,
            unit=unit or None,
            role=ROLE_CHOICES.get(role),
            show_all=bool(show_all),
        )
        sources = list(dict.fromkeys(r.source for r in response.results))
        passages = [f"{r.chunk_id} · {r.title[:24]} · {r.text[:30]}" for r in response.results]
        return (
            render.search_results(response),
            gr.Dropdown(choices=sources, value=sources[0] if sources else None),
            gr.Dropdown(choices=passages, value=passages[0] if passages else None),
        )

    def search_gap(self, suggestion):
        """A suggestion the draft found no precedent for, run as a 先例检索 query (and that tab shown)."""
        require(suggestion, "请先选择一条未找到先例的建议")
        return (suggestion, *self.search(suggestion, "全部", None, None, None, 10), gr.Tabs(selected="search"))

    def open_document(self, source):
        document = self.assistant.document(source) if source else None
        return document["text"] if document else ""

    @handler
    def insert_passage(self, choice, draft_id, text, revision=None, request: gr.Request | None = None):
        """Outputs: the draft's text with the passage, a note, and the draft's new revision."""
        from ..drafts.book import EditConflict

        require(draft_id, "请先在“起草答复”中生成或打开一份草稿")
        require(choice, "请先选择一段检索结果")
        user = user_of(request)
        try:
            new_text = self.assistant.insert_passage(as_id(draft_id), text, as_id(choice.split(" · ")[0]), user=user, base_revision=as_revision(revision))
        except EditConflict as conflict:
            return gr.skip(), f"⚠ {conflict.zh}", gr.skip()
        return new_text, "已插入当前草稿末尾（引用标记已加上）", self.assistant.get_draft(as_id(draft_id), user).revision


def build(ctx: Context) -> SimpleNamespace:
    handlers = SearchHandlers(ctx)
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

    search_inputs = [query, doc_kind, year_from, year_to, unit, k, role_pick, show_all]
    result_outputs = [results, document_pick, passage_pick]
    search_button.click(handlers.search, search_inputs, result_outputs, api_name="search")
    query.submit(handlers.search, search_inputs, result_outputs, api_visibility="private")
    document_pick.change(handlers.open_document, [document_pick], [full_text], api_name="open_document")
    return SimpleNamespace(
        handlers=handlers, query=query, result_outputs=result_outputs, passage_pick=passage_pick, insert_button=insert_button, insert_note=insert_note
    )
