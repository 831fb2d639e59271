"""Turn files into indexed chunks: load → detect type and metadata → chunk → embed → store.

The core yields ``IngestEvent``s and never prints; the CLI and UI decide how to show progress.
Each group of files is written in one SQLite transaction and the FAISS file is replaced
atomically at the end, so an interrupted run leaves the previous index intact and consistent.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generator, Iterable, Iterator

import numpy as np

from ..errors import AssistantError, LoadError
from ..files import file_digest
from ..genre.aliases import Alias, learn_aliases
from . import duplicates, letters, text
from .backends import IndexEntry, make_entry
from .chunking import Chunk, chunk_text, chunking_signature
from .embeddings import tuning
from .index import Corpus
from .inputs import embedding_input, input_hash, keyword_fields, unit_embedding_input
from .loaders import Document, check_size, iter_files, load_file
from .read_options import ReadOptions
from .store import NewChunk, NewUnit
from .units import EMBEDDED, EMBEDDED_VERSION, REUSABLE, ROLES_VERSION, SENTENCES_VERSION, Unit, meaning_sentences, split_units

log = logging.getLogger(__name__)
DOC_TYPES = ("reply", "policy")
ALIASES_VERSION = 3  # bump when learn_aliases would find other pairs: files are re-derived (3: real abbreviations, scoped)


@dataclass
class IngestEvent:
    """kind: "start" (total files), "ocr" (done/total pages of ``path`` recognised), "embed"
    (done/total chunks), "file" (one file's outcome), "warning" (the run went on, but the user
    should know), "finish"."""

    kind: str
    path: str = ""
    # added | replaced | unchanged | duplicate (the same text is indexed from another file, or a
    # newer version of the letter is) | skipped (a type we do not read) | error | cancelled
    status: str = ""
    message: str = ""
    done: int = 0
    total: int = 0
    chunks: int = 0


@dataclass
class IngestReport:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicate: int = 0
    skipped: int = 0
    cancelled: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    chunks_added: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0

    def count(self, event: IngestEvent) -> None:
        if event.kind != "file":
            return
        if event.status == "error":
            self.errors.append((event.path, event.message))
        elif event.status in ("added", "replaced", "unchanged", "duplicate", "skipped", "cancelled"):
            setattr(self, event.status, getattr(self, event.status) + 1)
            self.chunks_added += event.chunks

    def summary(self) -> str:
        """Every file counted once, by outcome."""
        return f"新增 {self.added}，更新 {self.replaced}，未变 {self.unchanged}，重复 {self.duplicate}，跳过 {self.skipped}，失败 {len(self.errors)}" + (
            f"，取消 {self.cancelled}" if self.cancelled else ""
        )


@dataclass
class _DocPlan:
    doc: Document
    doc_type: str
    metadata: dict
    chunks: list[Chunk]
    inputs: list[str]
    hashes: list[str]
    units: list[Unit] = field(default_factory=list)
    unit_inputs: dict[int, str] = field(default_factory=dict)  # unit ord → embedding input (units that carry a vector: units.EMBEDDED)
    unit_hashes: dict[int, str] = field(default_factory=dict)
    # unit ord → (hash, sentence) of each sentence that gets its own vector (units.meaning_sentences)
    sentences: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    judged: duplicates.Entry | None = None  # its fingerprint and signature, as the register saw it


@dataclass
class _FilePlan:
    key: str
    sha: str
    size: int
    status: str
    delete_doc_ids: list[int]
    docs: list[_DocPlan]
    terms: set[str]
    aliases: set[Alias] = field(default_factory=set)
    note: str = ""  # files.note: why nothing of it is indexed ("duplicate\t<file>")
    message: str = ""  # said on the file's line (a copy skipped, an older version replaced)
    retire: list[tuple[str, list[int], str]] = field(default_factory=list)  # older versions' (file, document ids, note)


def _file_key(path: Path) -> str:
    return os.path.normpath(str(path))


def _sentences_filed(
    placed: list[tuple[Unit, int | None]], unit_ids: list[int], d: "_DocPlan", chunk_ids: list[int], vectors: dict[str, np.ndarray]
) -> list[tuple[int, int | None, str, str, np.ndarray]]:
    """Each sentence with its own vector as the store files it: (unit id, the chunk that holds it,
    hash, text, vector). An article longer than a passage goes on in the next: its later sentences
    belong to the passage that shows them, found by their opening words from the unit's first on."""
    at_chunk = {chunk_id: i for i, chunk_id in enumerate(chunk_ids)}
    out = []
    for (unit, start), unit_id in zip(placed, unit_ids):
        position = at_chunk.get(start) if start is not None else None
        for embed_hash, sentence in d.sentences.get(unit.ord, ()):
            if position is not None:
                probe = sentence[:16]
                position = next((i for i in range(position, len(d.chunks)) if probe in d.chunks[i].text), position)
            out.append((unit_id, chunk_ids[position] if position is not None else None, embed_hash, sentence, vectors[embed_hash]))
    return out


def _units_with_chunks(units: list[Unit], chunks: list[Chunk], chunk_ids: list[int]) -> list[tuple[Unit, int | None]]:
    """Each unit with the chunk it starts in (found by its opening words, in reading order)."""
    out: list[tuple[Unit, int | None]] = []
    position = 0
    for unit in units:
        probe = unit.text.split("\n", 1)[0][:16]
        found = next((i for i in range(position, len(chunks)) if probe in chunks[i].text), None)
        if found is None:
            found = next((i for i in range(len(chunks)) if probe in chunks[i].text), None)
        if found is not None:
            position = found
        out.append((unit, chunk_ids[found] if found is not None else None))
    return out


CANCELLED = "已取消，未导入 / cancelled, not ingested"


class _Cancelled(Exception):
    """Raised between OCR pages when the user cancels."""


class Ingestor:
    def __init__(self, corpus: Corpus, group_chunks: int = 512, cancel: threading.Event | None = None, max_file_chars: int | None = None):
        self.corpus = corpus
        self.max_file_chars = max_file_chars  # all documents of one file together (uploads); None: no cap
        self.settings = corpus.settings
        self.group_chunks = group_chunks  # embed many files' chunks together: fewer, fuller batches
        # Set from another thread (the upload queue's 取消 button): the run stops before its next
        # embedding batch; files committed so far stay, the rest are reported "cancelled".
        self.cancel = cancel

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def run(self, paths: Iterable[Path], doc_type: str | None = None) -> Iterator[IngestEvent]:
        if doc_type is not None and doc_type not in DOC_TYPES:
            raise AssistantError(f"文档类型只能是 reply 或 policy，收到 {doc_type}", f"doc type must be reply or policy, got {doc_type}")
        self.corpus.require_same_model()
        damaged = self.corpus.store.integrity_problems(quick=True)  # never write into a damaged file
        if damaged:
            zh, _, en = damaged[0].partition(" / ")
            raise AssistantError(zh, en)
        self.corpus.backend.prepare()  # load (or heal) before writing: see EmbeddedBackend.prepare
        for notice in self.corpus.take_notices():  # said to whoever ingests, not to the next search
            yield IngestEvent("warning", message=notice)
        unsupported: list[Path] = []
        files = list(iter_files([Path(p) for p in paths], unsupported))
        yield IngestEvent("start", total=len(files) + len(unsupported))
        for path in unsupported:  # never vanish: the user sees which files were not read
            suffix = path.suffix.lower() or "(无扩展名)"
            yield IngestEvent("file", _file_key(path), "skipped", f"不支持的文件类型 {suffix}，未读取 / unsupported type {suffix}, not read")
        self.register = duplicates.Register(self.corpus.store)
        learned: set[str] = set()
        group: list[_FilePlan] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-read") as reader:
            for number, path in enumerate(files):
                if self.cancelled:
                    for rest in files[number:]:
                        yield IngestEvent("file", _file_key(rest), "cancelled", CANCELLED)
                    break
                try:
                    plan = yield from self._plan_in_background(reader, path, doc_type)
                except _Cancelled:
                    for rest in files[number:]:
                        yield IngestEvent("file", _file_key(rest), "cancelled", CANCELLED)
                    break
                except AssistantError as exc:
                    yield IngestEvent("file", _file_key(path), "error", str(exc))
                    continue
                except Exception as exc:  # one bad file never stops the batch
                    log.exception("unexpected error while reading %s", path)
                    yield IngestEvent("file", _file_key(path), "error", f"读取失败 / failed to read: {exc!r}")
                    continue
                if plan is None:
                    yield IngestEvent("file", _file_key(path), "unchanged", _note_message(self.corpus.store.file_note(_file_key(path))))
                    continue
                self._withdraw(group)
                group.append(plan)
                if sum(len(d.chunks) for p in group for d in p.docs) >= self.group_chunks:
                    learned |= yield from self._commit(group)
                    group = []
        if group:
            learned |= yield from self._commit(group)
        if learned:
            self._retokenize(learned)
        try:
            self.corpus.backend.save()
        except OSError as exc:
            # The database is committed and holds every vector: the FAISS file is rebuilt on the
            # next start. Say so instead of failing the whole run.
            yield IngestEvent(
                "warning",
                message=f"向量索引文件未能写入（{exc.strerror or exc}），下次启动时将从数据库重建 / "
                f"could not write the FAISS file ({exc}); it will be rebuilt from the database",
            )
        yield IngestEvent("finish")

    # -- planning: read, detect, chunk (no writes) ----------------------------------------
    def _plan_in_background(self, reader: ThreadPoolExecutor, path: Path, doc_type: str | None) -> Generator[IngestEvent, None, _FilePlan | None]:
        """Plan a file on the reader thread while this generator passes on its OCR progress
        (a 12-page scan takes half a minute: the page must say 识别扫描件 3/12 页 meanwhile)."""
        events: queue.Queue[IngestEvent | None] = queue.Queue()
        key = _file_key(path)
        abandoned = threading.Event()  # the caller stopped listening (Ctrl-C, a closed page): stop at the next page

        def progress(what: str, done: int, total: int) -> None:
            if self.cancelled or abandoned.is_set():
                raise _Cancelled()
            events.put(IngestEvent(what, key, done=done, total=total))

        future = reader.submit(self._plan, path, doc_type, progress)
        future.add_done_callback(lambda _: events.put(None))  # wakes the loop the moment the plan is ready
        try:
            while (event := events.get()) is not None:
                yield event
        finally:
            if not future.done():
                abandoned.set()
        return future.result()

    def _plan(self, path: Path, doc_type: str | None, progress=None) -> _FilePlan | None:
        key = _file_key(path)
        options = ReadOptions.from_settings(self.settings, progress=progress)
        if not path.exists():
            raise LoadError(f"{path}：文件不存在", f"{path}: no such file")
        check_size(path, options.max_bytes)
        sha = file_digest(path)
        store = self.corpus.store
        indexed = store.file_state(key)
        same_chunking = indexed is not None and indexed[1] == self._chunking
        if indexed == (sha, self._chunking) and not doc_type and duplicates.note_holds(store, store.file_note(key)):
            return None
        existing = store.documents_of_file(key)
        documents = load_file(path, options=options)
        cap = self.settings.max_document_chars
        total = sum(len(doc.text) for doc in documents)
        if self.max_file_chars is not None and total > self.max_file_chars:
            raise LoadError(
                f"{path.name}：文字过多（{total:,} 字，单个上传文件上限 {self.max_file_chars:,} 字；大批量请用命令行导入）",
                f"{path.name}: too much text ({total:,} characters > {self.max_file_chars:,} per uploaded file; ingest large sets with the CLI)",
            )
        for doc in documents:
            if len(doc.text) > cap:
                where = doc.source if doc.source != str(path) else path.name
                raise LoadError(
                    f"{where}：文档过长（{len(doc.text):,} 字，上限 {cap:,} 字；可调 REPLY_ASSISTANT_MAX_DOCUMENT_CHARS）",
                    f"{where}: document too long ({len(doc.text):,} characters > {cap:,}; see REPLY_ASSISTANT_MAX_DOCUMENT_CHARS)",
                )
        terms: set[str] = set()
        aliases: set[Alias] = set()
        for doc in documents:
            terms |= text.learn_terms(doc.text)
            aliases |= learn_aliases(doc.text)
        self.corpus.segmenter.add_terms(terms)
        plans, keep, skipped, retire, replaced_older = [], set(), [], [], []
        mtime = path.stat().st_mtime
        for doc in documents:
            kind = doc_type or doc.metadata.get("doc_type") or ("reply" if letters.is_reply_letter(doc.text) else "policy")
            if kind not in DOC_TYPES:
                kind = "policy"
            old = existing.get(doc.source)
            if old and old[1] == doc.sha256 and old[2] == kind and same_chunking:
                keep.add(doc.source)
                continue
            planned = self._plan_document(doc, kind)
            verdict, planned.judged = self.register.judge(key, doc.source, doc.text, planned.metadata, mtime, doc.title)
            if verdict.action == "skip":
                skipped.append(verdict)
                continue
            if verdict.retire:
                retire += verdict.retire
                replaced_older.append(verdict)
            plans.append(planned)
        if existing and not plans and set(existing) == keep and indexed == (sha, self._chunking):
            return None
        delete = [doc_id for source, (doc_id, _, _) in existing.items() if source not in keep]
        status = "replaced" if existing else "added"
        if not plans and not keep and skipped:
            status = "duplicate"
        message = "；".join(v.zh for v in skipped + replaced_older)
        if skipped and plans:  # some documents of a collection (.jsonl) were copies
            message = f"{len(skipped)} 篇与已有文档重复，已跳过：" + message
        note = skipped[0].note if status == "duplicate" else ""
        return _FilePlan(key, sha, path.stat().st_size, status, delete, plans, terms, aliases, note, message, retire)

    def _withdraw(self, group: list[_FilePlan]) -> None:
        """Documents planned earlier in this run that a newer version has since displaced."""
        withdrawn = [p for p in self.register.planned if p.withdrawn]
        if not withdrawn:
            return
        gone = {(p.file, p.source): p for p in withdrawn}
        self.register.planned = [p for p in self.register.planned if not p.withdrawn]
        for plan in group:
            older = [gone[(plan.key, d.doc.source)] for d in plan.docs if (plan.key, d.doc.source) in gone]
            plan.docs = [d for d in plan.docs if (plan.key, d.doc.source) not in gone]
            if older and not plan.docs:
                plan.status, plan.note = "duplicate", duplicates.superseded_note(older[0].withdrawn, older[0].doc_number)
                plan.message = (
                    f"文号 {older[0].doc_number} 有较新版本 {duplicates.file_name(older[0].withdrawn)}，本文件未导入 / "
                    f"{duplicates.file_name(older[0].withdrawn)} is a newer version of {older[0].doc_number}"
                )

    @property
    def _sentences(self) -> bool:
        """Sentence vectors (units.meaning_sentences): as ``embed_sentences`` says, else where the
        model's learned reranker or judge reads them; another model would embed them for nothing."""
        if self.settings.embed_sentences is not None:
            return self.settings.embed_sentences
        model = tuning(self.corpus.embedder.name)
        return model.rerank is not None or model.judge is not None

    @property
    def _chunking(self) -> str:
        """How a file was cut: chunker and unit-role rules; a change re-derives the file."""
        return (
            f"{chunking_signature(self.settings.chunk_target_chars, self.settings.chunk_max_chars)}:r{ROLES_VERSION}:a{ALIASES_VERSION}"
            + (f":e{EMBEDDED_VERSION}" if self.settings.embed_articles else "")
            + (f":s{SENTENCES_VERSION}" if self._sentences else "")
        )

    def _plan_document(self, doc: Document, doc_type: str) -> _DocPlan:
        metadata = dict(doc.metadata)
        title = doc.title
        if doc_type == "reply":
            metadata.update(letters.extract_letter_metadata(doc.text))
            title = " ".join(filter(None, [metadata.get("doc_number"), letters.letter_title(doc.text)])) or title
        # a reply letter's closing (套话, 联系人 and phone, 抄送) is never a passage to find or to borrow
        searched = doc.text[: letters.body_end(doc.text)] if doc_type == "reply" else doc.text
        chunks = chunk_text(searched, self.settings.chunk_target_chars, self.settings.chunk_max_chars)
        inputs = [embedding_input(title, c.heading, c.text, metadata) for c in chunks]
        hashes = [input_hash(i) for i in inputs]
        doc.title = title
        units = split_units(doc.text, doc_type)
        # Units are embedded: drafting matches reply units and articles to suggestions, and search
        # finds a passage by its closest unit (one article says more clearly what it is about).
        embedded = EMBEDDED if self.settings.embed_articles else REUSABLE
        unit_inputs = {u.ord: unit_embedding_input(u.heading, u.text) for u in units if u.role in embedded}
        sentences: dict[int, list[tuple[str, str]]] = {}
        if self._sentences:
            sentences = {u.ord: [(input_hash(s), s) for s in meaning_sentences(u.text, clauses=u.role in REUSABLE)] for u in units if u.ord in unit_inputs}
        unit_hashes = {o: input_hash(i) for o, i in unit_inputs.items()}
        return _DocPlan(doc, doc_type, metadata, chunks, inputs, hashes, units, unit_inputs, unit_hashes, {o: s for o, s in sentences.items() if s})

    # -- embedding and writing ------------------------------------------------------------
    def _commit(self, group: list[_FilePlan]) -> Generator[IngestEvent, None, set[str]]:
        """Write a group of files. A document becomes searchable at one instant, with its keyword
        rows and its vectors together: the new chunks enter the index (FAISS, or the Milvus
        collection) before the transaction commits (until then no search can read their rows), old
        ones leave it after (their rows are already gone). Searches read the last committed state
        meanwhile and never wait."""
        corpus, store = self.corpus, self.corpus.store
        sentences = [pair for p in group for d in p.docs for pairs in d.sentences.values() for pair in pairs]
        all_hashes = [h for p in group for d in p.docs for h in (*d.hashes, *d.unit_hashes.values())] + [h for h, _ in sentences]
        vectors = store.vectors_by_hash(all_hashes)
        missing = {h: i for p in group for d in p.docs for h, i in zip(d.hashes, d.inputs) if h not in vectors}
        missing |= {d.unit_hashes[o]: i for p in group for d in p.docs for o, i in d.unit_inputs.items() if d.unit_hashes[o] not in vectors}
        missing |= {h: s for h, s in sentences if h not in vectors}
        if missing:
            yield from self._embed(missing, vectors)
        if self.cancelled:
            for plan in group:
                yield IngestEvent("file", plan.key, "cancelled", CANCELLED)
            return set()
        # Segmenting is the slow part of writing: done before the transaction, not inside it.
        rows_of = {
            id(d): [
                NewChunk(
                    order,
                    chunk.heading,
                    chunk.text,
                    embed_hash,
                    vectors[embed_hash],
                    *keyword_fields(self.corpus.segmenter, d.doc.title, chunk.heading, chunk.text, d.metadata),
                )
                for order, (chunk, embed_hash) in enumerate(zip(d.chunks, d.hashes))
            ]
            for p in group
            for d in p.docs
        }
        new_ids: list[int] = []
        removed: list[int] = []
        staged = False
        backend = corpus.backend
        try:
            with store.transaction() as db:
                new_ids, removed, entries = self._write_group(db, group, rows_of, vectors)
                if entries and corpus.indexed_model is None:
                    store.set_meta(db, "embedding_model", corpus.embedder.name)
                    store.set_meta(db, "embedding_dim", str(len(entries[0].vector)))
                store.bump_generation(db)
                if entries or removed:
                    staged = True
                    backend.stage(entries, corpus.dim)
        except Exception as exc:
            log.exception("writing a group of %d files failed", len(group))
            if staged:
                try:
                    backend.discard(new_ids)  # chunks whose rows were never committed
                except Exception:  # unreachable index: no row points at them, and reuse overwrites them
                    log.warning("could not take staged chunks back out of the index", exc_info=True)
            for plan in group:
                yield IngestEvent("file", plan.key, "error", f"写入索引失败，原索引保持不变 / writing the index failed, previous index kept: {exc}")
            return set()
        if staged and removed:
            try:
                backend.drop(removed)
            except Exception:  # their rows are gone: no search shows them; `check` counts, `reindex` clears them
                log.warning("could not remove %d replaced chunks from the index", len(removed), exc_info=True)
        self.register.committed()
        for plan in group:
            yield IngestEvent("file", plan.key, plan.status, plan.message, chunks=sum(len(d.chunks) for d in plan.docs))
        # terms of committed files only: the earlier chunks are re-segmented for them (a cancelled
        # or failed file's terms would re-index rows with words the index does not keep)
        return set().union(*(plan.terms for plan in group))

    def _write_group(
        self, db: Any, group: list[_FilePlan], rows_of: dict[int, list[NewChunk]], vectors: dict[str, np.ndarray]
    ) -> tuple[list[int], list[int], list[IndexEntry]]:
        """Inside the transaction: each file's replaced documents out, its documents in, its file
        row, terms and aliases. Returns (new chunk ids, removed chunk ids, the index's new entries)."""
        store = self.corpus.store
        new_ids: list[int] = []
        removed: list[int] = []
        entries: list[IndexEntry] = []
        for plan in group:
            removed += store.delete_documents(db, plan.delete_doc_ids)
            for older_file, doc_ids, note in plan.retire:  # older versions of a letter this file replaces
                removed += store.delete_documents(db, doc_ids)
                store.set_file_note(db, older_file, note)
            for d in plan.docs:
                chunk_ids, doc_entries = self._write_document(db, plan.key, d, rows_of[id(d)], vectors)
                new_ids += chunk_ids
                entries += doc_entries
            store.set_file(db, plan.key, plan.sha, plan.size, self._chunking, plan.note)
            store.add_terms(db, plan.terms, plan.key)
            store.set_aliases(db, plan.aliases, plan.key)
        return new_ids, removed, entries

    def _write_document(self, db: Any, file_key: str, d: _DocPlan, rows: list[NewChunk], vectors: dict[str, np.ndarray]) -> tuple[list[int], list[IndexEntry]]:
        """One document with its chunks and precedent units; returns its chunk ids and index entries
        (each chunk with the roles of the units that start in it)."""
        store = self.corpus.store
        doc_id = store.insert_document(
            db,
            file_path=file_key,
            source=d.doc.source,
            sha256=d.doc.sha256,
            title=d.doc.title,
            doc_type=d.doc_type,
            metadata=d.metadata,
            text=d.doc.text,
            fingerprint=d.judged.fingerprint if d.judged else duplicates.fingerprint(d.doc.text),
            signature=(d.judged.signature if d.judged else duplicates.signature(d.doc.text)).tobytes(),
        )
        chunk_ids = store.insert_chunks(db, doc_id, rows)
        placed = _units_with_chunks(d.units, d.chunks, chunk_ids)
        unit_rows = [
            NewUnit(u.ord, u.role, u.heading, u.article, u.text, chunk_id, d.unit_hashes.get(u.ord, ""), vectors.get(d.unit_hashes.get(u.ord, "")))
            for u, chunk_id in placed
        ]
        unit_ids = store.insert_units(db, doc_id, unit_rows)
        store.insert_sentences(db, doc_id, _sentences_filed(placed, unit_ids, d, chunk_ids, vectors))
        roles: dict[int, set[str]] = {}
        for u, chunk_id in placed:
            if chunk_id is not None:  # a unit not found in any chunk starts none
                roles.setdefault(chunk_id, set()).add(u.role)
        entries = [
            make_entry(chunk_id, r.vector, d.doc.title, r.heading, r.text, d.doc_type, d.metadata, d.doc.source, roles.get(chunk_id, ()))
            for chunk_id, r in zip(chunk_ids, rows)
        ]
        return chunk_ids, entries

    def _embed(self, missing: dict[str, str], vectors: dict[str, np.ndarray], batch: int = 128) -> Iterator[IngestEvent]:
        # Sorted by length so each model batch pads little; progress is reported per slice.
        items = sorted(missing.items(), key=lambda kv: len(kv[1]))
        total = len(items)
        yield IngestEvent("embed", done=0, total=total)
        for start in range(0, total, batch):
            if self.cancelled:
                return
            part = items[start : start + batch]
            for (embed_hash, _), vector in zip(part, self.corpus.embed([i for _, i in part])):
                vectors[embed_hash] = vector
            yield IngestEvent("embed", done=min(start + batch, total), total=total)

    def _retokenize(self, terms: set[str]) -> None:
        """Chunks indexed before a term was learned get segmented again, so the term matches them."""
        pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
        updates = [
            (chunk_id, *keyword_fields(self.corpus.segmenter, title, heading, body, meta))
            for chunk_id, title, heading, body, meta in self.corpus.store.iter_chunk_texts()
            if pattern.search(body) or pattern.search(heading) or pattern.search(title)
        ]
        if updates:
            with self.corpus.store.transaction() as db:
                for chunk_id, context, body in updates:
                    self.corpus.store.update_fts(db, chunk_id, context, body)
            self.corpus.backend.refresh([chunk_id for chunk_id, _, _ in updates])


def _note_message(note: str) -> str:
    """What an unchanged file that is not indexed (a copy, an older version) is, in its line."""
    kind, other = duplicates.read_note(note)
    name = duplicates.file_name(other)
    if kind == "duplicate":
        return f"与 {name} 重复，未导入 / a copy of {name}, not indexed"
    if kind == "superseded":
        return f"较新版本为 {name}，未导入 / {name} is its newer version, not indexed"
    return ""


def remove(corpus: Corpus, path: str) -> list[str]:
    """Delete every document ingested from ``path`` (a file, or a folder's files). Returns their files."""
    store = corpus.store
    files = store.find_files(_file_key(Path(path)))
    if not files:
        return []
    corpus.backend.prepare()  # loaded for the current generation before it changes
    with store.transaction() as db:
        removed: list[int] = []
        for key in files:
            removed += store.delete_documents(db, [doc_id for doc_id, _, _ in store.documents_of_file(key).values()])
            store.delete_file(db, key)
        store.bump_generation(db)
    corpus.backend.drop(removed)
    corpus.backend.save()
    try:
        store.reclaim_space()  # a large upload deleted must not leave its gigabytes behind
    except Exception:  # best effort: the removal stands, and VACUUM can run at the next removal
        log.warning("could not give the space of removed documents back", exc_info=True)
    return files


def run_all(events: Iterator[IngestEvent]) -> IngestReport:
    """Drain an ingest generator into a report (for callers that need no progress)."""
    report = IngestReport()
    started = time.perf_counter()
    for event in events:
        report.count(event)
        if event.kind == "embed" and event.done == event.total:
            report.chunks_embedded += event.total
    report.seconds = time.perf_counter() - started
    return report
