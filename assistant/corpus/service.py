"""The corpus side of the one door (``Assistant`` is composed of this, ``SearchService``,
``LetterService`` and ``DraftsService``): ingest and remove, uploads as background jobs, documents,
index health. Every change is audited here, whoever calls (CLI or web)."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..settings import Settings

if TYPE_CHECKING:  # pragma: no cover: the index (numpy, FAISS) is imported by the methods that open it
    from .index import Corpus
    from .ingest import IngestEvent
    from .jobs import IngestQueue


class CorpusService:
    """``corpus``: opens the index on first use; ``audit``: records who changed what (the drafts
    database's audit trail)."""

    def __init__(self, settings: Settings, corpus: "Callable[[], Corpus]", audit: Callable[..., None]):
        self.settings = settings
        self._corpus = corpus
        self.audit = audit
        self._lock = threading.Lock()
        self._uploads: "IngestQueue | None" = None

    @property
    def corpus(self) -> "Corpus":
        return self._corpus()

    def ingest(self, paths: Iterable[Path | str], doc_type: str | None = None, user: str = "") -> "Iterator[IngestEvent]":
        """Ingest files and folders (progress as events); the run is audited when it ends."""
        from .ingest import Ingestor, IngestReport

        files = [Path(p) for p in paths]

        def run() -> "Iterator[IngestEvent]":
            report = IngestReport()
            for event in Ingestor(self.corpus).run(files, doc_type):
                report.count(event)
                yield event
            self.audit(
                "ingest",
                ", ".join(map(str, files)),
                f"新增 {report.added}，更新 {report.replaced}，未变 {report.unchanged}，失败 {len(report.errors)}",
                user=user,
            )

        return run()

    def remove(self, path: str, user: str = "") -> list[str]:
        """Remove every document ingested from ``path``, a file or a whole folder (the CLI, after
        listing ``files_under(path)``); the web app removes one document with ``remove_document``."""
        from .ingest import remove

        removed = remove(self.corpus, path)
        if removed:
            self.audit("remove", path, "、".join(removed), user=user)
        return removed

    def files_under(self, path: str) -> list[str]:
        """The indexed files ``remove(path)`` would delete."""
        import os

        return self.corpus.store.find_files(os.path.normpath(path))

    def documents(self) -> list[dict]:
        return self.corpus.store.list_documents()

    def document(self, source: str) -> dict | None:
        return self.corpus.store.get_document(source)

    def stats(self) -> dict:
        corpus = self.corpus
        return {
            **corpus.store.counts(),
            "units": corpus.store.role_counts(),
            "embedding_model": corpus.indexed_model or corpus.embedder.name,
            "index_dir": str(self.settings.index_dir),
            "generation": corpus.store.generation,
        }

    def check(self, quick: bool = False) -> list[str]:
        """The index's problems, each one line with its fix; ``quick``: store.db page by page only
        (what the web app checks before it starts)."""
        return self.corpus.store.integrity_problems(quick=True) if quick else self.corpus.check()

    def unindexed_files(self) -> list[tuple[str, str, str]]:
        """(file, 重复 / 旧版本, the file that holds its text) for files read but not indexed."""
        from .duplicates import read_note

        kinds = {"duplicate": "重复", "superseded": "旧版本"}
        return [(path, kinds.get(kind, kind), other) for path, note in self.corpus.store.file_notes() for kind, other in [read_note(note)]]

    def reindex(self, re_embed: bool = False) -> Iterator[tuple[int, int]]:
        return self.corpus.reindex(re_embed)

    def migrate_index(self, backend: str, user: str = "") -> dict[str, int]:
        """Copy the index into another backend (``milvus``: the collection at ``milvus_uri``, or
        index_dir/milvus.db) from the store's chunk rows and vectors — nothing is re-embedded —
        and verify it by counts. The store stays the registry; set ``REPLY_ASSISTANT_BACKEND=milvus``
        afterwards to search there. Returns the counts."""
        from ..errors import AssistantError, IndexStateError

        if backend != "milvus":
            raise AssistantError(f"未知索引后端 {backend}（可选：milvus）", f"unknown index backend {backend} (choose: milvus)")
        from .milvus_backend import MilvusBackend

        corpus = self.corpus
        corpus.require_same_model()
        target = (
            corpus.backend if isinstance(corpus.backend, MilvusBackend) else MilvusBackend(corpus.store, corpus.directory, corpus.settings, corpus.segmenter)
        )
        try:
            copied = target.rebuild()
            chunks = corpus.store.counts()["chunks"]
            missing = len(corpus.store.chunk_ids() - target.ids())
        finally:
            if target is not corpus.backend:
                target.close()
        if copied != chunks or missing:
            raise IndexStateError(
                f"迁移后数量不符：索引 {chunks} 段，Milvus {copied} 条，缺 {missing} 条",
                f"counts differ after migrating: {chunks} chunks, {copied} in Milvus, {missing} missing",
            )
        counts = {"documents": corpus.store.counts()["documents"], "chunks": chunks, "milvus": copied}
        self.audit("migrate_index", target.uri, "，".join(f"{k} {v}" for k, v in counts.items()), user=user)
        return counts

    @property
    def uploads(self):
        """The background ingest queue for uploads (one job at a time)."""
        from .jobs import IngestQueue

        with self._lock:
            if self._uploads is None:
                self._uploads = IngestQueue(self._run_upload, self._finish_upload)
            return self._uploads

    def upload(self, files: Iterable[tuple[str, bytes]], user: str = ""):
        """Store uploads (checked by content, safe names) under corpus_dir/uploads and queue their
        ingest; returns the ``IngestJob`` at once (``upload_job`` polls it, ``cancel_upload`` stops it)."""
        from ..errors import LoadError
        from .jobs import UploadedFile
        from .uploads import store_upload

        folder = Path(self.settings.corpus_dir) / "uploads"
        entries: list[UploadedFile] = []
        for name, data in files:
            try:
                path, existed, backup = store_upload(data, name, folder, int(self.settings.upload_max_mb * 2**20))
            except LoadError as exc:
                entries.append(UploadedFile(name, None, status="error", message=str(exc)))
                continue
            except OSError as exc:  # a full or read-only disk: one line, nothing half-written left behind
                entries.append(
                    UploadedFile(name, None, status="error", message=f"{name}：无法保存上传文件（{exc.strerror or exc}） / cannot store the upload ({exc})")
                )
                continue
            entries.append(UploadedFile(name, path, new=not existed, backup=backup))
        stored = [e.path.name for e in entries if e.path is not None]
        if stored:
            replaced = [e.path.name for e in entries if e.path is not None and e.backup is not None]
            self.audit("upload", ", ".join(stored), f"替换 replaces: {', '.join(replaced)}" if replaced else "", user=user)
        return self.uploads.submit(user, entries)

    def tidy_uploads(self) -> list[str]:
        """At start, before any upload: what an interrupted run left in corpus_dir/uploads goes —
        half-written files, and uploads whose ingest never finished (nothing lists them, and the next
        ingest of the corpus would pick them up unseen); a replaced upload whose new version never
        went in gets its previous version back. Returns what was done, for the log."""
        import os

        from ..files import file_digest
        from .ingest import _file_key
        from .uploads import leftovers

        pending, partial = leftovers(Path(self.settings.corpus_dir) / "uploads")
        done: list[str] = []
        for mark in pending:
            upload = mark.with_name(mark.name[1:].removesuffix(".pending"))
            previous = mark.with_name(f".{upload.name}.previous")
            state = self.corpus.store.file_state(_file_key(upload))
            indexed = upload.exists() and state is not None and state[0] == file_digest(upload)
            if not indexed and previous.exists():
                os.replace(previous, upload)
                done.append(f"restored {upload.name} (its replacement was never indexed)")
            elif not indexed:
                upload.unlink(missing_ok=True)
                done.append(f"removed {upload.name} (its ingest never finished)")
            previous.unlink(missing_ok=True)
            mark.unlink(missing_ok=True)
        for path in partial:
            path.unlink(missing_ok=True)
            done.append(f"removed {path.name} (half-written)")
        return done

    def upload_job(self, job_id: int, user: str = ""):
        """An upload job of this user (the page polls it for progress)."""
        from ..errors import QueryError

        job = self.uploads.get(int(job_id))
        if job is None or job.user != user:
            raise QueryError(f"导入任务 #{job_id} 不存在", f"upload job #{job_id} does not exist")
        return job

    def cancel_upload(self, job_id: int, user: str = ""):
        job = self.upload_job(job_id, user)
        self.uploads.cancel(job.id)
        if job.active:
            self.audit("cancel_upload", f"job#{job.id}", user=user)
        return job

    def _run_upload(self, job):
        paths = [f.path for f in job.files if f.status == "queued"]
        # an upload is bounded as a whole too: a .jsonl of many documents each under the cap
        from .ingest import Ingestor

        return Ingestor(self.corpus, cancel=job.cancel, max_file_chars=self.settings.upload_max_chars).run(paths)

    def _finish_upload(self, job) -> None:
        """Files that are not in the index (refused, failed, cancelled) leave the uploads folder:
        nothing would list or remove them there, and the next ingest of the corpus would retry them.
        A replaced upload gets its previous version back when its new one did not go in."""
        import os

        from .uploads import pending_mark

        for entry in job.files:
            if entry.path is None:
                continue
            pending_mark(entry.path).unlink(missing_ok=True)
            failed = entry.status in ("error", "cancelled", "queued")
            if entry.backup is not None:  # a replaced upload: the old version back on failure, gone on success
                if failed:
                    os.replace(entry.backup, entry.path)
                else:
                    entry.backup.unlink(missing_ok=True)
            elif entry.new and failed:
                entry.path.unlink(missing_ok=True)

    def remove_document(self, source: str | int, user: str = "") -> list[str]:
        """Remove one document listed by ``documents()``, named by its source or its id (a .jsonl
        line removes its whole file); never a folder or a path prefix, whatever a web call sends.
        An uploaded file is deleted from corpus_dir/uploads too, so the next ingest of the corpus
        does not bring it back."""
        import os

        from ..errors import QueryError

        wanted = str(source).strip()
        listed = self.documents()
        document = next((d for d in listed if d["source"] == wanted), None) or next((d for d in listed if wanted.isdigit() and d["id"] == int(wanted)), None)
        path = os.path.normpath(re.sub(r"#L\d+$", "", document["source"])) if document else ""
        # the document's own file, and nothing that find_files would take under it as a folder
        if not document or self.files_under(path) != [path]:
            raise QueryError("文档不在索引中（只能删除列表中的一份文档）", "not in the index (only one listed document can be removed)")
        from .ingest import remove

        removed = remove(self.corpus, path)  # audited below, once, as the document the user chose
        uploads = (Path(self.settings.corpus_dir) / "uploads").resolve()
        for key in removed:
            if Path(key).resolve().parent == uploads:
                Path(key).unlink(missing_ok=True)
        if removed:
            self.audit("delete_document", source, user=user)
        return removed

    def close(self) -> None:
        """Stop the upload queue (the running job stops at its next batch: it is let finish
        before the store closes)."""
        if self._uploads is not None:
            for job in self._uploads.jobs():
                job.cancel.set()
            self._uploads.close(timeout=60)
