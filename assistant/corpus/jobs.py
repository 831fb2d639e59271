"""Uploads are ingested in the background, one job at a time, in the order they came.

A web request only stores the files and queues a job; it returns at once, so a 20-minute
embedding never holds a request (or a browser tab) and never blocks searches and drafts. The
page polls the job for progress; 取消 stops it before its next embedding batch. Files that did
not make it into the index (failed, cancelled) are deleted from the uploads folder, so nothing
lies there unlisted.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

log = logging.getLogger(__name__)

STATES = {"queued": "排队中", "running": "导入中", "done": "已完成", "cancelled": "已取消", "failed": "失败"}
RESULT_LABELS = {
    "added": "新增",
    "replaced": "更新",
    "unchanged": "未变",
    "duplicate": "重复",
    "skipped": "跳过",
    "error": "失败",
    "cancelled": "已取消",
    "stored": "已接收",
    "queued": "排队中",
}
KEEP_FINISHED = 50  # finished jobs remembered for the page to show


@dataclass
class UploadedFile:
    name: str  # as the user called it
    path: Path | None  # where it was stored (None: refused before storing)
    new: bool = False  # stored by this job (not the same content already there): ours to delete on failure
    backup: Path | None = None  # the file this upload replaced (same name): put back on failure, deleted on success
    status: str = "queued"
    message: str = ""


@dataclass
class IngestJob:
    id: int
    user: str
    files: list[UploadedFile]
    state: str = "queued"
    done: int = 0  # passages embedded so far
    total: int = 0
    reading: tuple[str, int, int] | None = None  # (file, pages recognised, pages) while a scan is OCR'd
    error: str = ""
    warnings: list[str] = field(default_factory=list)  # said by the ingest (e.g. the vector file was rebuilt)
    cancel: threading.Event = field(default_factory=threading.Event)
    created: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    def rows(self) -> list[list[str]]:
        """[文件, 结果, 说明] for the page."""
        return [[f.name, RESULT_LABELS.get(f.status, f.status), f.message] for f in self.files]

    def summary(self) -> str:
        state = STATES[self.state]
        if self.state == "running" and self.reading:
            name, done, total = self.reading
            return f"导入任务 #{self.id}：{state}，识别扫描件 {name} {done}/{total} 页"
        if self.state == "running" and self.total:
            return f"导入任务 #{self.id}：{state}，计算向量 {self.done}/{self.total}"
        notes = "".join(f"\n\n⚠ {w}" for w in self.warnings)
        if self.state == "failed":
            return f"导入任务 #{self.id}：{state}（{self.error}）{notes}"
        return f"导入任务 #{self.id}：{state}{notes}"


class IngestQueue:
    """One worker thread; ``run(job)`` yields ingest events for the job's stored files."""

    def __init__(self, run: Callable[[IngestJob], Iterator], on_finish: Callable[[IngestJob], None] | None = None):
        self._run = run
        self._on_finish = on_finish
        self._queue: queue.Queue[IngestJob | None] = queue.Queue()
        self._jobs: dict[int, IngestJob] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, user: str, files: list[UploadedFile]) -> IngestJob:
        with self._lock:
            job = IngestJob(next(self._ids), user, files)
            self._jobs[job.id] = job
            finished = sorted((j for j in self._jobs.values() if not j.active), key=lambda j: j.id)
            for old in finished[:-KEEP_FINISHED]:
                del self._jobs[old.id]
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="ingest-queue", daemon=True)
                self._worker.start()
        if any(f.status == "queued" for f in files):
            self._queue.put(job)
        else:  # nothing stored (every file refused): finished as it stands
            self._finish(job, "done")
        return job

    def get(self, job_id: int) -> IngestJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[IngestJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.id)

    def cancel(self, job_id: int) -> IngestJob | None:
        job = self.get(job_id)
        if job is not None and job.active:
            job.cancel.set()
        return job

    def wait(self, job_id: int, timeout: float = 600) -> IngestJob | None:
        """Block until the job finishes (CLI and tests; the page polls instead)."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job is not None and (job.active or job.finished is None) and time.monotonic() < deadline:
            time.sleep(0.05)
        return job

    def close(self, timeout: float = 0) -> None:
        """Stop the worker after the job it is on (``timeout``: wait that long for it)."""
        self._queue.put(None)
        worker = self._worker
        if timeout and worker is not None and worker.is_alive():
            worker.join(timeout)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.cancel.is_set():
                for f in job.files:
                    if f.status == "queued":
                        f.status, f.message = "cancelled", "已取消，未导入 / cancelled, not ingested"
                self._finish(job, "cancelled")
                continue
            job.state = "running"
            try:
                self._drain(job)
            except Exception as exc:  # the queue must outlive any one job
                log.exception("ingest job %s failed", job.id)
                job.error = str(exc)
                for f in job.files:
                    if f.status == "queued":
                        f.status, f.message = "error", str(exc)
                self._finish(job, "failed")
                continue
            # cancelled only if something was left out: a cancel pressed during the last write changed nothing
            self._finish(job, "cancelled" if any(f.status == "cancelled" for f in job.files) else "done")

    def _drain(self, job: IngestJob) -> None:
        by_path = {os.path.normpath(str(f.path)): f for f in job.files if f.path is not None}
        for event in self._run(job):
            if event.kind == "ocr":
                job.reading = (
                    (by_path[event.path].name if event.path in by_path else os.path.basename(event.path), event.done, event.total)
                    if event.done < event.total
                    else None
                )
            elif event.kind == "embed":
                job.done, job.total = event.done, event.total
            elif event.kind == "warning":
                job.warnings.append(event.message)
            elif event.kind == "file":
                job.reading = None  # a file's outcome ends its reading, however the reading ended
                if event.path not in by_path:
                    continue
                entry = by_path[event.path]
                entry.status = event.status
                entry.message = event.message or (f"{event.chunks} 段" if event.chunks else "")
                if entry.backup is not None and event.status in ("added", "replaced"):  # the shared corpus's file of that name
                    entry.message = f"替换了同名文件的上一版本；{entry.message}"

    def _finish(self, job: IngestJob, state: str) -> None:
        # the outcome first (a cancel pressed now changes nothing and is not audited), then the
        # cleanup, then ``finished``: ``wait`` returns only when the uploads folder is as the job leaves it
        job.state = state
        if self._on_finish is not None:
            try:
                self._on_finish(job)
            except Exception:  # cleanup problems are logged, the job's outcome stands
                log.exception("finishing ingest job %s", job.id)
        job.finished = time.time()
