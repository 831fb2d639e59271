"""Where the search index lives: what retrieval and ingest need from it, two implementations.

* ``EmbeddedBackend`` (the default, ``backend: embedded``): BM25 is SQLite FTS5 in ``store.db`` and
  the dense side a flat FAISS file beside it, exactly as before this interface existed.
* ``MilvusBackend`` (``backend: milvus``, ``milvus_backend.py``): one Milvus collection holds each
  chunk's text (BM25 over a jieba analyzer, computed by Milvus), its vector and the metadata the
  filters need; a file path as ``milvus_uri`` runs Milvus Lite, ``http://host:19530`` a server.

A backend is built from the store, the index folder and the settings (``index.open_backend``); it owns
its query syntax (FTS5's ``match_expression`` here, Milvus's filter expressions there), its files
and its lock. Either way the SQLite store stays the registry — files, documents, chunk rows (the text shown in
results, the vectors, the FTS rows that give IDF weights for the relevance floor) and precedent
units — and is committed *after* the index has the new chunks and *before* old ones leave it: a
search drops hits without a committed row, so a failed or killed ingest leaves the previous state
searchable (``Ingestor._commit``).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np

from .text import Segmenter
from .vectors import VectorIndex, saved_generations

if TYPE_CHECKING:  # pragma: no cover
    from ..settings import Settings
    from .store import Store

log = logging.getLogger(__name__)


@dataclass
class Filters:
    """What a search keeps; a backend that ``pushes_filters`` applies all of it inside the engine,
    the embedded one only ``doc_type`` (the retriever filters the rest on the chunk rows after)."""

    doc_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    unit: str | None = None
    role: str | None = None

    @property
    def narrows(self) -> bool:
        """Anything besides the document type: such filters thin the candidates after the engine."""
        return bool(self.year_from or self.year_to or (self.unit and self.unit.strip()) or self.role)


@dataclass
class IndexEntry:
    """One chunk as the index holds it."""

    id: int
    vector: np.ndarray
    text: str  # what BM25 reads: title, proposal title, heading path, body
    doc_type: str
    year: int  # 0 = undated
    unit: str  # issuing unit and printer, for the unit filter
    roles: list[str] = field(default_factory=list)  # roles of the precedent units starting in the chunk
    source: str = ""


def id_mismatch(held: set[int], chunk_ids: set[int], held_name: str, entry_name: str) -> list[str]:
    """What ``check`` says when an index and the chunk rows disagree, either way."""
    problems = []
    if held - chunk_ids:
        problems.append(
            f"索引中 {len(held - chunk_ids)} 个条目没有对应段落（运行 reply-assistant reindex）/ {len(held - chunk_ids)} {held_name} without a chunk row"
        )
    if chunk_ids - held:
        problems.append(f"{len(chunk_ids - held)} 个段落不在向量索引中（运行 reply-assistant reindex）/ {len(chunk_ids - held)} chunks without a {entry_name}")
    return problems


def year_of(metadata: dict) -> int:
    """The document's year as the year filter reads it (``retrieval._matches``); 0 when undated."""
    if metadata.get("year"):
        try:
            return int(metadata["year"])
        except (TypeError, ValueError):
            pass
    date = str(metadata.get("date", ""))[:4]
    return int(date) if date.isdigit() else 0


def make_entry(
    chunk_id: int, vector, title: str, heading: str, body: str, doc_type: str, metadata: dict | str, source: str = "", roles: Iterable[str] = ()
) -> IndexEntry:
    meta = json.loads(metadata) if isinstance(metadata, str) else metadata
    text = "\n".join(part for part in (title, meta.get("proposal_title", ""), heading, body) if part)
    unit = " ".join(str(meta.get(key) or "") for key in ("issuing_unit", "printed_by")).strip()
    vec = np.frombuffer(vector, dtype=np.float32) if isinstance(vector, (bytes, bytearray, memoryview)) else vector
    return IndexEntry(chunk_id, np.asarray(vec, dtype=np.float32), text, doc_type, year_of(meta), unit, sorted(set(roles)), source)


def match_expression(tokens: list[str]) -> str | None:
    """An FTS5 OR-query of ``tokens``, each quoted (FTS syntax can't leak in)."""
    if not tokens:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)


class IndexBackend:
    """The operations retrieval and ingest use. Scores: higher is better."""

    name = ""
    pushes_filters = False

    def __init__(self, store: "Store", directory: Path, settings: "Settings", segmenter: "Segmenter | None" = None):
        self.store = store
        self.directory = Path(directory)
        self.settings = settings
        self.segmenter = segmenter or Segmenter(settings.terms_file, store.terms())  # how the index's words were cut
        self._notices: list[str] = []  # what the next caller should hear once (a rebuilt file)
        self._notices_lock = threading.Lock()

    @property
    def dim(self) -> int | None:
        """The vector size of the index (None before anything was embedded)."""
        value = self.store.get_meta("embedding_dim")
        return int(value) if value else None

    def take_notices(self) -> list[str]:
        with self._notices_lock:
            notices, self._notices = self._notices, []
        return notices

    # -- reading ------------------------------------------------------------------------
    def prepare(self) -> None:
        """Load (or heal) before a writer changes the index."""

    def has_vectors(self) -> bool:
        raise NotImplementedError

    def keyword(self, tokens: list[str], n: int, filters: Filters) -> list[tuple[int, float]]:
        """BM25 of these (already segmented, de-duplicated) query words, best first."""
        raise NotImplementedError

    def dense(self, vector: np.ndarray, n: int, filters: Filters) -> list[tuple[int, float]]:
        raise NotImplementedError

    def known_vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        """Stored vectors of those ids the index holds (missing ones are left out, never an error)."""
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    # -- writing ------------------------------------------------------------------------
    def stage(self, entries: list[IndexEntry], dim: int | None) -> None:
        """Add chunks before their rows commit (no search shows them until then)."""
        raise NotImplementedError

    def discard(self, ids: list[int]) -> None:
        """Take staged chunks back out: their rows were never committed."""
        raise NotImplementedError

    def drop(self, ids: list[int]) -> None:
        """Remove chunks whose rows are already gone."""
        raise NotImplementedError

    def refresh(self, ids: list[int]) -> None:
        """Chunks re-segmented after new terms were learned (``Ingestor._retokenize``)."""

    def save(self) -> None:
        """Make what was written durable (end of an ingest or removal)."""

    # -- health -------------------------------------------------------------------------
    def check(self) -> list[str]:
        raise NotImplementedError

    def rebuild(self) -> int:
        """Rebuild the index from the store (reindex, migrate); returns how many chunks it holds."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class EmbeddedBackend(IndexBackend):
    """SQLite FTS5 in the store + a flat FAISS file beside it (vectors-<generation>.faiss).

    The FAISS index loads on first use, or is rebuilt from the vectors the database holds when the
    file is missing, stale or corrupt (the user hears so once: ``take_notices``)."""

    name = "embedded"

    def __init__(self, store: "Store", directory: Path, settings: "Settings", segmenter: "Segmenter | None" = None):
        super().__init__(store, directory, settings, segmenter)
        self._vectors: VectorIndex | None = None
        self._lock = threading.RLock()

    @property
    def vectors(self) -> VectorIndex | None:
        """The FAISS index matching the database; rebuilt from stored vectors when it is not."""
        if self._vectors is not None:  # every search asks: no lock once loaded (an ingest may hold it)
            return self._vectors
        with self._lock:
            dim = self.dim
            if self._vectors is None and dim:
                generation = self.store.generation
                loaded = VectorIndex.load(self.directory, generation, dim)
                if loaded is not None and len(loaded) == self.store.counts()["chunks"]:
                    self._vectors = loaded
                else:
                    reason = "缺失或已过期" if generation not in saved_generations(self.directory) else "已损坏或与数据库不一致"
                    with self._notices_lock:
                        self._notices.append(f"向量索引文件{reason}，已从数据库重建 / FAISS file missing, stale or corrupt: rebuilt from the database")
                    log.warning("FAISS file for generation %s unusable; rebuilding from the database", generation)
                    self._vectors = self._from_store(dim)
                    self.save()
            return self._vectors

    def _from_store(self, dim: int) -> VectorIndex:
        index = VectorIndex(dim)
        for ids, matrix in self.store.iter_vectors():
            index.add(ids, matrix)
        return index

    def prepare(self) -> None:
        # load (or rebuild) for the generation the file matches, before a writer adds rows: else
        # the rebuild would read rows the writer is about to add
        _ = self.vectors

    def has_vectors(self) -> bool:
        index = self.vectors
        return index is not None and len(index) > 0

    def keyword(self, tokens: list[str], n: int, filters: Filters) -> list[tuple[int, float]]:
        expression = match_expression(tokens)
        if not expression:
            return []
        return self.store.keyword_search(expression, n, filters.doc_type, context_weight=self.settings.keyword_context_weight)

    def dense(self, vector: np.ndarray, n: int, filters: Filters) -> list[tuple[int, float]]:
        index = self.vectors
        if index is None:
            return []
        hits = index.search(vector, n if not filters.doc_type else n * 10)
        if filters.doc_type:
            types = self.store.doc_types_of(i for i, _ in hits)
            hits = [(i, s) for i, s in hits if types.get(i) == filters.doc_type]
        return hits[:n]

    def known_vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        index = self.vectors
        return index.known_vectors(ids) if index is not None else {}

    def count(self) -> int:
        index = self.vectors
        return len(index) if index is not None else 0

    def stage(self, entries: list[IndexEntry], dim: int | None) -> None:
        with self._lock:
            if self._vectors is None:
                self._vectors = VectorIndex(len(entries[0].vector) if entries else dim or 0)
            index = self._vectors
        vectors = np.vstack([e.vector for e in entries]) if entries else np.zeros((0, index.dim), np.float32)
        index.add([e.id for e in entries], vectors)

    def discard(self, ids: list[int]) -> None:
        self.drop(ids)

    def drop(self, ids: list[int]) -> None:
        index = self._vectors
        if index is not None and ids:
            index.remove(ids)

    def save(self) -> None:
        # Not under the lock: writing a large index takes seconds and searches read ``vectors``
        # meanwhile (VectorIndex.save excludes only other writers).
        index = self._vectors
        if index is not None:
            index.save(self.directory, self.store.generation)

    def check(self) -> list[str]:
        if not self.dim:
            return []
        generation = self.store.generation
        saved = VectorIndex.load(self.directory, generation, self.dim)
        if saved is None:
            damaged = generation in saved_generations(self.directory)
            state, zh = ("corrupt or unreadable", "已损坏或无法读取") if damaged else ("missing", "缺失")
            return [
                f"向量文件（第 {generation} 代）{zh}：运行 reply-assistant reindex 从数据库重建（启动时也会自动重建）/ "
                f"FAISS file for generation {generation} is {state} (run `reply-assistant reindex`)"
            ]
        held = saved.ids()
        problems = id_mismatch(held, self.store.chunk_ids(), "FAISS ids", "FAISS vector")
        # the vectors themselves, against those in the database: a file without a checksum (older
        # indexes) may hold garbage at the right ids
        sample = sorted(held)[:: max(1, len(held) // 200)][:200]
        stored = self.store.chunk_vectors(sample)
        wrong = sum(1 for i, vector in zip(sample, saved.vectors_of(sample)) if i in stored and not np.allclose(vector, stored[i], atol=1e-4))
        if wrong:
            problems.append(
                f"向量文件中 {wrong}/{len(sample)} 个抽查向量与数据库不符：运行 reply-assistant reindex 重建 / "
                f"{wrong} of {len(sample)} sampled FAISS vectors differ from the database (run `reply-assistant reindex`)"
            )
        return problems

    def rebuild(self) -> int:
        with self._lock:
            dim = self.dim
            self._vectors = self._from_store(dim) if dim else None
            self.save()
        return self.count()
