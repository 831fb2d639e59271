"""The indexed corpus: the SQLite store, the search index (``backend``: FAISS + FTS5 on disk, or
a Milvus collection, see backends.py) and the embedder, together.

Opening a corpus is cheap; the FAISS index loads (or is rebuilt from the database) on first
use and the model loads on the first embedding.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..errors import IndexStateError
from ..settings import Settings
from . import text
from .backends import EmbeddedBackend, IndexBackend
from .embeddings import Embedder, make_embedder
from .inputs import embedding_input, unit_embedding_input
from .store import Store


class Corpus:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.directory = Path(settings.index_dir)
        self.store = Store(settings.db_path)
        self.embedder = embedder or make_embedder(settings, self.store.get_meta("embedding_model"))
        self._model_checked = False  # the index's model matches the setting (checked once)
        # this corpus's own segmentation: the user's dictionary and the terms its documents taught
        self.segmenter = text.Segmenter(settings.terms_file, self.store.terms())
        self.backend = open_backend(self.store, self.directory, settings, self.segmenter)  # cheap: files and clients open on first use
        self._workers: ThreadPoolExecutor | None = None
        self._workers_lock = threading.Lock()

    @property
    def workers(self) -> ThreadPoolExecutor:
        """Threads for keyword searches run side by side (SQLite releases the GIL), this corpus's own:
        closed with it, never shared between corpora or left behind by a test."""
        with self._workers_lock:
            if self._workers is None:
                self._workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bm25")
            return self._workers

    def close(self) -> None:
        with self._workers_lock:
            workers, self._workers = self._workers, None
        if workers is not None:
            workers.shutdown(wait=True, cancel_futures=True)
        self.backend.close()
        self.store.close()

    # -- model identity -------------------------------------------------------------------
    @property
    def indexed_model(self) -> str | None:
        return self.store.get_meta("embedding_model")

    @property
    def reads_sentences(self) -> bool:
        """Sentence vectors are read (``embed_sentences`` not switched off): switched off, the ones an
        index still holds until its next ingest are left alone."""
        return self.settings.embed_sentences is not False

    @property
    def dim(self) -> int | None:
        return self.backend.dim

    def require_same_model(self) -> None:
        if self._model_checked:  # the setting cannot change inside a process; reindex resets this
            return
        indexed = self.indexed_model
        if not indexed:
            return
        if indexed != self.embedder.name:
            raise IndexStateError(
                f"索引由模型 {indexed} 构建，当前设置为 {self.embedder.name}；请运行 reply-assistant reindex --embed 重新计算向量",
                f"the index was built with {indexed} but the setting is {self.embedder.name}; run `reply-assistant reindex --embed`",
            )
        self._model_checked = True

    # -- the search index ---------------------------------------------------------------
    def take_notices(self) -> list[str]:
        """What happened to the index that the user should hear once (then it is forgotten: a
        rebuild at start must not warn every search for the life of the server)."""
        return self.backend.take_notices()

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embedder.embed(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_query(text)

    # -- integrity ------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Problems found (empty list = consistent): SQLite, FTS, index ids (FAISS or Milvus) ↔ chunk rows."""
        # a damaged store.db is said once, with its fix; comparing it with the index would only fail on it
        return self.store.integrity_problems() or self.backend.check()

    def reindex(self, re_embed: bool = False, batch: int = 256):
        """Rebuild the index (FAISS file or Milvus collection) from the database; with ``re_embed`` recompute every vector with the
        current model first (after changing models). Yields (done, total) progress."""

        self._model_checked = False
        if re_embed:
            # units and sentences carry vectors too (drafting scores them, search blends them): same model, or cosines mean nothing
            inputs = {
                "chunks": [(chunk_id, embedding_input(title, heading, body, meta)) for chunk_id, title, heading, body, meta in self.store.iter_chunk_texts()],
                "units": [(unit_id, unit_embedding_input(heading, text)) for unit_id, heading, text in self.store.embedded_unit_texts()],
                "sentences": self.store.sentence_texts(),
            }
            total = sum(len(items) for items in inputs.values())
            done = 0
            yield done, total
            updates: dict[str, list[tuple[bytes, int]]] = {kind: [] for kind in inputs}
            for kind, items in inputs.items():
                for start in range(0, len(items), batch):
                    part = items[start : start + batch]
                    updates[kind] += [(vec.tobytes(), key) for (key, _), vec in zip(part, self.embed([text for _, text in part]))]
                    done += len(part)
                    yield done, total
            with self.store.transaction() as db:
                self.store.set_chunk_vectors(db, updates["chunks"])
                self.store.set_unit_vectors(db, updates["units"])
                self.store.set_sentence_vectors(db, updates["sentences"])
                self.store.set_meta(db, "embedding_model", self.embedder.name)
                self.store.set_meta(db, "embedding_dim", str(self.embedder.dim))
                self.store.bump_generation(db)
        self.backend.rebuild()


def open_backend(store: "Store", directory: Path, settings: "Settings", segmenter: text.Segmenter | None = None) -> IndexBackend:
    """The backend the settings name, over this store and index folder (cheap: files and clients open on first use)."""
    if settings.backend == "milvus":
        from .milvus_backend import MilvusBackend

        return MilvusBackend(store, directory, settings, segmenter)
    return EmbeddedBackend(store, directory, settings, segmenter)
