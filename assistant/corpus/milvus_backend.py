"""The index in Milvus (``REPLY_ASSISTANT_BACKEND=milvus``): one collection, one entity per chunk.

Fields: ``id`` (the chunk row's id, primary key), ``text`` (title, proposal title, heading path and
body; ``enable_analyzer`` with a jieba tokenizer that knows the policy terms and drops the same
stopwords as the FTS index), ``sparse`` (filled by Milvus's BM25 function from ``text``), ``vector``
(the chunk's embedding, inner product = cosine on normalised vectors, exact FLAT index), and what
the filters need: ``doc_type``, ``year`` (0 = undated), ``unit`` (issuing unit and printer),
``roles`` (array of the precedent-unit roles starting in the chunk) and ``source``.

Search runs Milvus's BM25 search and its dense search with the filters pushed down as Milvus
expressions; both lists go to the project's own fusion in ``search/retrieval.py`` (convex fusion,
thesaurus expansion, proximity, relevance floor), so ranking is computed the same way on both
backends. ``milvus_uri``: a path ending in ``.db`` runs Milvus Lite in this process (tests, one
machine); ``http://host:19530`` a Milvus standalone or cluster shared by several app servers.

Writes are upserts keyed by chunk id: an entity staged by an ingest that died before its SQLite
commit is never shown (no committed row) and is overwritten when that id is used again.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import IndexStateError
from . import text as text_module
from .backends import Filters, IndexBackend, IndexEntry, id_mismatch, make_entry

if TYPE_CHECKING:  # pragma: no cover
    from ..settings import Settings
    from .store import Store
    from .text import Segmenter

log = logging.getLogger(__name__)
COLLECTION = "chunks"
BATCH = 500  # entities per upsert
TEXT_MAX = 65535  # VARCHAR max_length (bytes): a chunk is ≤ chunk_max_chars (≈ 600) characters
# "segmented": ``text`` holds the chunk as the FTS index segments it (our jieba with the policy and
# learned terms, search mode, stopwords out), which Milvus's jieba analyzer cuts again in exact mode
# (a no-op on words it knows); "raw": the text as written, cut by Milvus's jieba in search mode.
TEXT_FORM = os.environ.get("REPLY_ASSISTANT_MILVUS_TEXT", "segmented")
_PUNCTUATION = list("，。、；：？！“”‘’（）《》【】〔〕—…·「」,.;:?!\"'()[]<>-/%")


def resolve_uri(settings) -> str:
    uri = (settings.milvus_uri or "").strip()
    if not uri:
        return str(Path(settings.index_dir) / "milvus.db")
    if "://" in uri:
        return uri
    if not uri.endswith(".db"):
        raise IndexStateError(f"Milvus Lite 的文件名须以 .db 结尾：{uri}", f"a Milvus Lite path must end in .db: {uri}")
    return str(Path(uri).expanduser())


def analyzer_params(terms: list[str]) -> dict:
    """jieba in search mode (long words and their sub-words, as the FTS index segments) with the
    project's policy terms and learned terms as its dictionary, stopwords and punctuation dropped."""
    return {
        "tokenizer": {"type": "jieba", "mode": "exact" if TEXT_FORM == "segmented" else "search", "dict": ["_default_", *terms]},
        "filter": [{"type": "stop", "stop_words": sorted(text_module.STOPWORDS) + _PUNCTUATION}],
    }


def _literal(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_expression(filters: Filters) -> str:
    """The filters as a Milvus boolean expression ('' = none)."""
    parts = []
    if filters.doc_type:
        parts.append(f"doc_type == {_literal(filters.doc_type)}")
    if filters.year_from or filters.year_to:
        parts.append(f"year >= {int(filters.year_from or 1)}")
        if filters.year_to:
            parts.append(f"year <= {int(filters.year_to)}")
    if filters.unit and filters.unit.strip():
        unit = filters.unit.strip().replace("%", "").replace("_", "")
        parts.append(f"unit like {_literal('%' + unit + '%')}")
    if filters.role:
        parts.append(f"array_contains(roles, {_literal(filters.role)})")
    return " and ".join(parts)


class MilvusBackend(IndexBackend):
    name = "milvus"
    pushes_filters = True

    def __init__(self, store: "Store", directory: Path, settings: "Settings", segmenter: "Segmenter | None" = None, *, uri: str | None = None):
        super().__init__(store, directory, settings, segmenter)
        self.uri = uri or resolve_uri(settings)
        self._client = None
        self._exists = False
        self._lock = threading.RLock()

    # -- connection and collection ---------------------------------------------------------
    @property
    def client(self):
        with self._lock:
            if self._client is None:
                try:
                    from pymilvus import MilvusClient
                except ImportError as exc:  # pragma: no cover - the extra is not installed
                    raise IndexStateError(
                        "未安装 Milvus 客户端：pip install 'reply-assistant[milvus]'",
                        "the Milvus client is not installed: pip install 'reply-assistant[milvus]'",
                    ) from exc
                # Milvus Lite keeps no server-side iterator timestamp; pymilvus (its logging set up on
                # import) would warn at every id scan (`check`)
                logging.getLogger("pymilvus.client.iterator.query_iterator").setLevel(logging.ERROR)
                if "://" not in self.uri:
                    Path(self.uri).parent.mkdir(parents=True, exist_ok=True)
                try:
                    self._client = MilvusClient(uri=self.uri)
                except Exception as exc:
                    raise IndexStateError(f"无法连接 Milvus（{self.uri}）：{exc}", f"cannot reach Milvus at {self.uri}: {exc}") from exc
            return self._client

    def exists(self) -> bool:
        if not self._exists:
            with self._lock:
                if not self._exists and self.client.has_collection(COLLECTION):
                    # a collection written by an earlier process (or another server) is "released":
                    # load it into memory before the first search (idempotent when already loaded)
                    self.client.load_collection(COLLECTION)
                    self._exists = True
        return self._exists

    def _create(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        terms = sorted({*self._dictionary(), *self.store.terms()})
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("text", DataType.VARCHAR, max_length=TEXT_MAX, enable_analyzer=True, analyzer_params=analyzer_params(terms))
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("doc_type", DataType.VARCHAR, max_length=16)
        schema.add_field("year", DataType.INT64)
        schema.add_field("unit", DataType.VARCHAR, max_length=1024)
        schema.add_field("roles", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=16, max_length=16)
        schema.add_field("source", DataType.VARCHAR, max_length=2048)
        schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25, input_field_names=["text"], output_field_names=["sparse"]))
        index = MilvusClient.prepare_index_params()
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        index.add_index("vector", index_type="FLAT", metric_type="IP")
        self.client.create_collection(COLLECTION, schema=schema, index_params=index, consistency_level="Strong")
        self._exists = True

    def _dictionary(self) -> list[str]:
        """The packaged policy terms and the user's terms file (word per line, jieba format)."""
        from importlib import resources

        words = []
        sources = [resources.files("assistant") / "data" / "policy_terms.txt"]
        if self.settings.terms_file and Path(self.settings.terms_file).is_file():
            sources.append(Path(self.settings.terms_file))
        for source in sources:
            for line in source.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    words.append(line.split()[0])
        return words

    # -- reading ------------------------------------------------------------------------------
    def has_vectors(self) -> bool:
        return bool(self.dim) and self.exists()

    def _search(self, data, field: str, n: int, filters: Filters, metric: str) -> list[tuple[int, float]]:
        if not self.exists():
            return []
        found = self.client.search(
            COLLECTION, data=data, anns_field=field, limit=n, filter=filter_expression(filters), output_fields=["id"], search_params={"metric_type": metric}
        )
        # Milvus Lite reports BM25 as a negated distance, a server as a positive score: higher is better
        score = abs if metric == "BM25" else float
        return [(int(hit["id"]), float(score(hit["distance"]))) for hit in (found[0] if found else [])]

    def keyword(self, tokens: list[str], n: int, filters: Filters) -> list[tuple[int, float]]:
        if not tokens:
            return []
        return self._search([" ".join(tokens)], "sparse", n, filters, "BM25")

    def dense(self, vector: np.ndarray, n: int, filters: Filters) -> list[tuple[int, float]]:
        return self._search([np.asarray(vector, dtype=np.float32).tolist()], "vector", n, filters, "IP")

    def known_vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        if not ids or not self.exists():
            return {}
        rows = self.client.get(COLLECTION, ids=[int(i) for i in ids], output_fields=["vector"])
        return {int(r["id"]): np.asarray(r["vector"], dtype=np.float32) for r in rows}

    def count(self) -> int:
        if not self.exists():
            return 0
        rows = self.client.query(COLLECTION, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def ids(self) -> set[int]:
        if not self.exists():
            return set()
        out: set[int] = set()
        iterator = self.client.query_iterator(COLLECTION, batch_size=5000, filter="id >= 0", output_fields=["id"])
        try:
            while True:
                page = iterator.next()
                if not page:
                    break
                out.update(int(r["id"]) for r in page)
        finally:
            iterator.close()
        return out

    # -- writing ------------------------------------------------------------------------------
    def stage(self, entries: list[IndexEntry], dim: int | None) -> None:
        if not entries:
            return
        with self._lock:
            if not self.exists():
                self._create(len(entries[0].vector))
        self._upsert(entries)

    def _upsert(self, entries: list[IndexEntry]) -> None:
        for start in range(0, len(entries), BATCH):
            part = entries[start : start + BATCH]
            self.client.upsert(
                COLLECTION,
                [
                    {
                        "id": int(e.id),
                        "text": self._text(e.text)[: TEXT_MAX // 4] or " ",
                        "vector": e.vector.astype(np.float32).tolist(),
                        "doc_type": e.doc_type,
                        "year": int(e.year),
                        "unit": e.unit[:300],
                        "roles": list(e.roles)[:16],
                        "source": e.source[:600],
                    }
                    for e in part
                ],
            )

    def _text(self, raw: str) -> str:
        return " ".join(self.segmenter.tokenize(raw)) if TEXT_FORM == "segmented" else raw

    def discard(self, ids: list[int]) -> None:
        self.drop(ids)

    def drop(self, ids: list[int]) -> None:
        if not ids or not self.exists():
            return
        for start in range(0, len(ids), 5000):
            self.client.delete(COLLECTION, ids=[int(i) for i in ids[start : start + 5000]])

    def refresh(self, ids: list[int]) -> None:
        """Chunks re-segmented for newly learned terms get their ``text`` written again (the
        analyzer's own dictionary takes the new terms at the next ``rebuild``)."""
        if not ids or not self.exists() or TEXT_FORM != "segmented":
            return
        for entries in self.entries_from_store(ids):
            self._upsert(entries)

    def save(self) -> None:
        if self._client is not None and self.exists():
            try:
                self.client.flush(COLLECTION)
            except Exception:  # a server flushes on its own schedule; Lite writes a WAL
                log.debug("flush failed", exc_info=True)

    def entries_from_store(self, ids=None):
        for rows in self.store.iter_index_rows(ids):
            yield [
                make_entry(chunk_id, vector, title, heading, body, doc_type, meta, source, roles)
                for chunk_id, vector, title, heading, body, doc_type, meta, source, roles in rows
            ]

    # -- health -------------------------------------------------------------------------------
    def check(self) -> list[str]:
        chunk_ids = self.store.chunk_ids()
        if not chunk_ids and not self.exists():
            return []
        if not self.exists():
            return [f"Milvus collection {COLLECTION!r} at {self.uri} is missing (run `reply-assistant reindex`)"]
        return id_mismatch(self.ids(), chunk_ids, "Milvus ids", "Milvus entity")

    def rebuild(self) -> int:
        """Drop the collection and write every chunk of the store into a new one (the dictionary,
        the dimension and the stored vectors as they are now)."""
        with self._lock:
            if self.exists() or self.client.has_collection(COLLECTION):
                self.client.drop_collection(COLLECTION)
            self._exists = False
            dim = self.dim
            if not dim:
                return 0
            self._create(dim)
            for entries in self.entries_from_store():
                self._upsert(entries)
            self.save()
        return self.count()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                try:
                    self._client.close()
                except Exception:  # pragma: no cover
                    log.debug("closing the Milvus client failed", exc_info=True)
                self._client = None
                self._exists = False
