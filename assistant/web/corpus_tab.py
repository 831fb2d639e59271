"""语料库: upload documents (ingested in the background, one job at a time, with progress and
cancel), the document list, remove one listed document."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from ..corpus.formats import SCANNED_LABEL, is_scanned
from .common import Context, handler, require, user_of

DOC_HEADERS = ["来源", "标题", "类型", "文号", "日期", "段落数"]


class CorpusHandlers:
    def __init__(self, ctx: Context):
        self.ctx, self.assistant = ctx, ctx.assistant

    def documents_table(self):
        rows = [
            [
                d["source"],
                d["title"],
                ("答复函" if d["doc_type"] == "reply" else "政策文件") + (f"·{SCANNED_LABEL}" if is_scanned(d["metadata"]) else ""),
                d["metadata"].get("doc_number", ""),
                d["metadata"].get("date", ""),
                d["chunks"],
            ]
            for d in self.assistant.documents()
        ]
        stats = self.assistant.stats()
        summary = (
            f"文档 {stats['documents']} 份（答复函 {stats['reply']}，政策文件 {stats['policy']}"
            + (f"，其中扫描件识别 {stats['scanned']}" if stats["scanned"] else "")
            + f"），段落 {stats['chunks']}，模型 {stats['embedding_model']}"
        )
        unindexed = self.assistant.unindexed_files()
        if unindexed:
            lines = "\n".join(f"- {Path(path).name}（{kind}，内容见 {Path(other).name}）" for path, kind, other in unindexed[:50])
            summary += f"\n\n<details><summary>发现重复或旧版本文件 {len(unindexed)} 个，未重复导入</summary>\n\n{lines}\n\n</details>"
        return rows, gr.Dropdown(choices=[r[0] for r in rows], value=None), summary

    def job_outputs(self, job):
        """Upload panel for a job: its rows and state; the document list once it has finished."""
        if job.active:
            return job.rows(), gr.skip(), gr.skip(), gr.skip(), job.id, job.summary(), gr.Timer(active=True), gr.Button(visible=True)
        rows, dropdown, summary = self.documents_table()
        return job.rows(), rows, dropdown, summary, job.id, job.summary(), gr.Timer(active=False), gr.Button(visible=False)

    @handler
    def upload(self, files, request: gr.Request):
        """Store the files and queue their ingest; the page polls the job (upload_status)."""
        require(files, "请选择要上传的文件")
        payload = []
        for item in files:
            path = Path(item if isinstance(item, str) else item.name)
            self.ctx.own_file(path, request)
            payload.append((path.name, path.read_bytes()))
        return self.job_outputs(self.assistant.upload(payload, user=user_of(request)))

    @handler
    def upload_status(self, job_id, request: gr.Request):
        if not job_id:
            return [], gr.skip(), gr.skip(), gr.skip(), None, "", gr.Timer(active=False), gr.Button(visible=False)
        return self.job_outputs(self.assistant.upload_job(int(job_id), user=user_of(request)))

    @handler
    def cancel_upload(self, job_id, request: gr.Request):
        require(job_id, "没有进行中的导入任务")
        return self.job_outputs(self.assistant.cancel_upload(int(job_id), user=user_of(request)))

    @handler
    def remove_document(self, source, confirmed=True, request: gr.Request | None = None):
        """``confirmed`` False: the person, asked by the browser (REMOVE_ASK_JS), chose not to — nothing is removed."""
        require(source, "请选择要删除的文档")
        if confirmed is False:
            return gr.skip(), gr.skip(), gr.skip(), f"未删除：{source}"
        removed = self.assistant.remove_document(source, user=user_of(request))  # one listed document, never a folder
        rows, dropdown, summary = self.documents_table()
        return rows, dropdown, summary, f"已删除：{'、'.join(removed)}"


# A click on 删除 removes at once what search and drafting cite: the browser asks first, naming the document (a probe
# removed a regulation from the index by a click meant to try the list).
REMOVE_ASK_JS = """(source, confirmed) => [source, source ? window.confirm('确定从语料库删除以下文档吗？\\n' + source +
  '\\n\\n删除后检索和起草不再引用它；经本页上传的文件一并删除，其他位置的原文件不受影响（可重新导入）。') : true]"""


def build(ctx: Context) -> SimpleNamespace:
    handlers = CorpusHandlers(ctx)
    corpus_summary = gr.Markdown(elem_id="corpus-summary")
    uploads = gr.File(
        label="上传文档（可多选：Word .docx/.doc、WPS、RTF、OFD、PDF 含扫描件、图片、文本、网页、.jsonl）",
        file_count="multiple",
        type="filepath",
        elem_id="corpus-upload",
    )
    with gr.Row():
        upload_button = gr.Button("导入", variant="primary", elem_id="upload-button")
        cancel_upload_button = gr.Button("取消导入", visible=False, elem_id="cancel-upload-button")
    upload_job = gr.Number(value=None, visible=False, precision=0, label="导入任务")
    upload_label = gr.Markdown(elem_id="upload-label")
    upload_timer = gr.Timer(1.0, active=False)
    upload_results = gr.Dataframe(headers=["文件", "结果", "说明"], label="导入结果", interactive=False)
    documents = gr.Dataframe(headers=DOC_HEADERS, label="文档列表", interactive=False, elem_id="documents")
    with gr.Row():
        remove_pick = gr.Dropdown(label="删除文档", choices=[], allow_custom_value=False, elem_id="remove-pick")  # only listed documents
        remove_button = gr.Button("删除", variant="stop", elem_id="remove-button")
        remove_confirmed = gr.Checkbox(value=True, visible=False, elem_id="remove-confirmed")  # set by REMOVE_ASK_JS
    remove_note = gr.Markdown(elem_id="remove-note")

    upload_outputs = [upload_results, documents, remove_pick, corpus_summary, upload_job, upload_label, upload_timer, cancel_upload_button]
    upload_button.click(handlers.upload, [uploads], upload_outputs, api_name="upload")
    upload_timer.tick(handlers.upload_status, [upload_job], upload_outputs, api_name="upload_status", show_progress="hidden")
    cancel_upload_button.click(handlers.cancel_upload, [upload_job], upload_outputs, api_name="cancel_upload")
    remove_button.click(
        handlers.remove_document,
        [remove_pick, remove_confirmed],
        [documents, remove_pick, corpus_summary, remove_note],
        api_name="remove_document",
        js=REMOVE_ASK_JS,
    )
    return SimpleNamespace(handlers=handlers, list_outputs=[documents, remove_pick, corpus_summary])
