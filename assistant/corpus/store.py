"""The SQLite file that holds everything but the FAISS index: files, documents, chunks with
their vectors, an FTS5 keyword index over jieba tokens, learned terms and index metadata.

Vectors are kept here as well as in FAISS, so the FAISS file is a rebuildable cache: a crash
between the two writes, or a deleted/corrupted FAISS file, costs a rebuild, never a re-embed.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from ..db import DamagedFile, SQLiteFile, add_missing_column, create_tables, now

log = logging.getLogger(__name__)

# The tables as of format version 1 (PRAGMA user_version; see db.SQLiteFile.migrations). Before
# versioning, meta.schema_version counted 1 (files, documents, chunks), 2 (units with roles), 3
# (learned abbreviations): migration 1 creates whatever such a file lacks. Files indexed before
# units or aliases existed are re-derived on the next ingest (their chunking signature differs).
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, ingested_at TEXT NOT NULL,
    chunking TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_path TEXT NOT NULL,
    source TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL CHECK (doc_type IN ('reply', 'policy')),
    metadata TEXT NOT NULL DEFAULT '{}',
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file_path);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    embed_hash TEXT NOT NULL,
    vector BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_embed_hash ON chunks(embed_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(context, body, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    chunk_id INTEGER,
    ord INTEGER NOT NULL,
    role TEXT NOT NULL,
    heading TEXT NOT NULL,
    article TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    embed_hash TEXT NOT NULL DEFAULT '',
    vector BLOB);
CREATE INDEX IF NOT EXISTS units_doc ON units(doc_id);
CREATE INDEX IF NOT EXISTS units_chunk ON units(chunk_id, role);
CREATE INDEX IF NOT EXISTS units_embed_hash ON units(embed_hash);
CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY, origin TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT NOT NULL, full TEXT NOT NULL, origin TEXT NOT NULL,
    scoped INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (alias, full, origin));
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
"""

SENTENCES_SCHEMA = """
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL,
    chunk_id INTEGER,
    text TEXT NOT NULL,
    embed_hash TEXT NOT NULL,
    vector BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id);
CREATE INDEX IF NOT EXISTS sentences_unit ON sentences(unit_id);
CREATE INDEX IF NOT EXISTS sentences_chunk ON sentences(chunk_id);
CREATE INDEX IF NOT EXISTS sentences_embed_hash ON sentences(embed_hash);
"""

# SQLite limits a statement's parameters: ids are asked for this many at a time.
KEYS_PER_QUERY = 500


@dataclass
class ChunkRow:
    id: int
    doc_id: int
    ord: int
    heading: str
    text: str
    source: str
    title: str
    doc_type: str
    metadata: dict


@dataclass
class UnitRow:
    id: int
    doc_id: int
    chunk_id: int | None
    ord: int
    role: str
    heading: str
    article: str
    text: str
    vector: np.ndarray | None
    source: str
    title: str
    doc_type: str
    metadata: dict


@dataclass
class NewUnit:
    ord: int
    role: str
    heading: str
    article: str
    text: str
    chunk_id: int | None = None
    embed_hash: str = ""
    vector: np.ndarray | None = None


@dataclass
class NewChunk:
    ord: int
    heading: str
    text: str
    embed_hash: str
    vector: np.ndarray
    fts_context: str
    fts_body: str


def _baseline(db: sqlite3.Connection) -> None:
    """Version 1: today's tables, on a new file or one from before versioning (meta.schema_version
    1–3). An early version-3 aliases table lacks ``scoped``; an index from before chunking was
    recorded lacks ``files.chunking`` ('' matches no chunker: the next ingest re-chunks, reusing
    the vectors of unchanged text)."""
    create_tables(SCHEMA)(db)
    add_missing_column("aliases", "scoped", "INTEGER NOT NULL DEFAULT 0")(db)
    add_missing_column("files", "chunking", "TEXT NOT NULL DEFAULT ''")(db)
    db.execute("DELETE FROM meta WHERE key = 'schema_version'")  # superseded by PRAGMA user_version


def _duplicates(db: sqlite3.Connection) -> None:
    """Version 2: what finds one document indexed twice (corpus/duplicates.py) — each document's
    fingerprint and MinHash signature, computed here for documents indexed before — and a note on
    a file that was read but not indexed (a copy of another, an older version of a letter)."""
    from . import duplicates

    add_missing_column("documents", "fingerprint", "TEXT NOT NULL DEFAULT ''")(db)
    add_missing_column("documents", "signature", "BLOB")(db)
    add_missing_column("files", "note", "TEXT NOT NULL DEFAULT ''")(db)
    db.execute("CREATE INDEX IF NOT EXISTS documents_fingerprint ON documents(fingerprint)")
    db.execute("CREATE INDEX IF NOT EXISTS documents_doc_number ON documents(json_extract(metadata, '$.doc_number'))")
    rows = db.execute("SELECT id, text FROM documents WHERE fingerprint = ''").fetchall()
    db.executemany(
        "UPDATE documents SET fingerprint = ?, signature = ? WHERE id = ?",
        [(duplicates.fingerprint(text), duplicates.signature(text).tobytes(), doc_id) for doc_id, text in rows],
    )


def _sentences(db: sqlite3.Connection) -> None:
    """Version 3: a vector for each sentence of an embedded unit of several (units.meaning_sentences),
    with its unit and the chunk that holds it. An index from before has none: search reads a
    passage's closest unit and the judge a unit's own vector until the next ingest re-derives its
    files (their chunking signature gained ``:s2``) and embeds the sentences, reusing every other vector."""
    create_tables(SENTENCES_SCHEMA)(db)


class Store(SQLiteFile):
    migrations = (_baseline, _duplicates, _sentences)

    def __init__(self, path):
        # Caches every search reads (IDF, aliases) have their own lock: the writer lock is held
        # through a whole ingest transaction, and searches must not wait for it.
        self._cache_lock = threading.RLock()
        super().__init__(path)

    def initialise(self, db: sqlite3.Connection) -> None:
        db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")

    # -- metadata -------------------------------------------------------------------------
    def _query_in(self, sql: str, keys: Iterable, params_after: Iterable = ()) -> Iterator[tuple]:
        """Rows of ``sql`` whose ``{keys}`` is filled with placeholders for ``keys``, read
        ``KEYS_PER_QUERY`` keys at a time; ``params_after`` follow each batch's keys."""
        wanted, after = list(keys), list(params_after)
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            batch = wanted[start : start + KEYS_PER_QUERY]
            yield from self._query(sql.replace("{keys}", ",".join("?" * len(batch))), [*batch, *after])

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    @staticmethod
    def set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    @staticmethod
    def bump_generation(db: sqlite3.Connection) -> int:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        return int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    # -- files and documents --------------------------------------------------------------
    def file_state(self, path: str) -> tuple[str, str] | None:
        """(content sha256, chunking signature) the file was indexed with, or None."""
        rows = self._query("SELECT sha256, chunking FROM files WHERE path = ?", (path,))
        return (rows[0][0], rows[0][1]) if rows else None

    def documents_of_file(self, path: str) -> dict[str, tuple[int, str, str]]:
        """source → (document id, sha256, doc_type) for the documents a file produced."""
        rows = self._query("SELECT source, id, sha256, doc_type FROM documents WHERE file_path = ?", (path,))
        return {source: (doc_id, sha, doc_type) for source, doc_id, sha, doc_type in rows}

    def find_files(self, path: str) -> list[str]:
        """Indexed file paths equal to ``path`` or under it (a folder)."""
        prefix = path.rstrip("/") + "/"
        rows = self._query(
            "SELECT path FROM files WHERE path = ? OR substr(path, 1, ?) = ? "
            "UNION SELECT DISTINCT file_path FROM documents WHERE file_path = ? OR substr(file_path, 1, ?) = ?",
            (path, len(prefix), prefix, path, len(prefix), prefix),
        )
        return sorted(r[0] for r in rows)

    @staticmethod
    def set_file(db: sqlite3.Connection, path: str, sha256: str, size: int, chunking: str, note: str = "") -> None:
        """``note``: why a file read is not indexed (duplicates.py: "duplicate\t<file>\t<fingerprint>" or "superseded\t<file>\t<文号>")."""
        db.execute(
            "INSERT INTO files (path, sha256, size, ingested_at, chunking, note) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, "
            "ingested_at = excluded.ingested_at, chunking = excluded.chunking, note = excluded.note",
            (path, sha256, size, now(), chunking, note),
        )

    def files_signed_without(self, mark: str) -> int:
        """How many files were cut by rules whose signature lacks ``mark`` (``:s2``: before sentences)."""
        return int(self._query("SELECT COUNT(*) FROM files WHERE instr(chunking, ?) = 0", (mark,))[0][0])

    @staticmethod
    def set_file_note(db: sqlite3.Connection, path: str, note: str) -> None:
        db.execute("UPDATE files SET note = ? WHERE path = ?", (note, path))

    def file_note(self, path: str) -> str:
        rows = self._query("SELECT note FROM files WHERE path = ?", (path,))
        return rows[0][0] if rows else ""

    def file_notes(self) -> list[tuple[str, str]]:
        """(file, note) of every file read but not indexed, for stats and the corpus tab."""
        return self._query("SELECT path, note FROM files WHERE note != '' ORDER BY path")

    def file_indexed(self, path: str) -> bool:
        return bool(self._query("SELECT 1 FROM documents WHERE file_path = ? LIMIT 1", (path,)))

    @staticmethod
    def insert_document(db, *, file_path, source, sha256, title, doc_type, metadata, text, fingerprint: str = "", signature: bytes | None = None) -> int:
        cursor = db.execute(
            "INSERT INTO documents (file_path, source, sha256, title, doc_type, metadata, text, ingested_at, fingerprint, signature) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (file_path, source, sha256, title, doc_type, json.dumps(metadata, ensure_ascii=False), text, now(), fingerprint, signature),
        )
        return int(cursor.lastrowid)

    _ENTRY = "SELECT id, source, file_path, text, metadata, title, fingerprint, signature FROM documents"

    def documents_with_fingerprint(self, fingerprint: str) -> list[tuple]:
        """(id, source, file, text, metadata JSON, title, fingerprint, signature) of documents with this text."""
        return self._query(f"{self._ENTRY} WHERE fingerprint = ?", (fingerprint,))

    def signatures(self) -> tuple[list[int], np.ndarray]:
        """(document ids, signature matrix), cached per generation of the index."""
        with self._cache_lock:
            generation = self.generation
            if getattr(self, "_signatures_generation", None) != generation:
                rows = self._query("SELECT id, signature FROM documents WHERE signature IS NOT NULL ORDER BY id")
                ids = [r[0] for r in rows]
                matrix = np.vstack([np.frombuffer(r[1], dtype=np.uint32) for r in rows]) if rows else np.zeros((0, 0), np.uint32)
                self._signatures = (ids, matrix)
                self._signatures_generation = generation
            return self._signatures

    def documents_by_id(self, ids: Iterable[int]) -> list[tuple]:
        """The same columns as ``documents_with_fingerprint``, for the given documents."""
        return list(self._query_in(self._ENTRY + " WHERE id IN ({keys})", ids))

    def with_doc_number(self, doc_number: str) -> list[tuple]:
        """The same columns as ``documents_with_fingerprint``, for reply letters with this 文号."""
        return self._query(f"{self._ENTRY} WHERE json_extract(metadata, '$.doc_number') = ?", (doc_number,))

    @staticmethod
    def insert_chunks(db: sqlite3.Connection, doc_id: int, chunks: list[NewChunk]) -> list[int]:
        ids = []
        for chunk in chunks:
            cursor = db.execute(
                "INSERT INTO chunks (doc_id, ord, heading, text, embed_hash, vector) VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, chunk.ord, chunk.heading, chunk.text, chunk.embed_hash, chunk.vector.astype(np.float32).tobytes()),
            )
            chunk_id = int(cursor.lastrowid or 0)  # always set after an INSERT
            db.execute("INSERT INTO chunks_fts (rowid, context, body) VALUES (?, ?, ?)", (chunk_id, chunk.fts_context, chunk.fts_body))
            ids.append(chunk_id)
        return ids

    @staticmethod
    def insert_units(db: sqlite3.Connection, doc_id: int, units: list[NewUnit]) -> list[int]:
        """Returns the units' ids, in order (their sentences are filed under them)."""
        ids = []
        for u in units:
            vector = None if u.vector is None else u.vector.astype(np.float32).tobytes()
            cursor = db.execute(
                "INSERT INTO units (doc_id, chunk_id, ord, role, heading, article, text, embed_hash, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, u.chunk_id, u.ord, u.role, u.heading, u.article, u.text, u.embed_hash, vector),
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    @staticmethod
    def insert_sentences(db: sqlite3.Connection, doc_id: int, sentences: list[tuple[int, int | None, str, str, np.ndarray]]) -> None:
        """(unit id, id of the chunk that holds it, embed hash, text, vector) of each sentence with its own vector."""
        db.executemany(
            "INSERT INTO sentences (doc_id, unit_id, chunk_id, text, embed_hash, vector) VALUES (?, ?, ?, ?, ?, ?)",
            [(doc_id, unit_id, chunk_id, text, h, vector.astype(np.float32).tobytes()) for unit_id, chunk_id, h, text, vector in sentences],
        )

    @staticmethod
    def delete_documents(db: sqlite3.Connection, doc_ids: list[int]) -> list[int]:
        """Delete documents with their chunks and keyword rows; returns the removed chunk ids."""
        removed: list[int] = []
        for doc_id in doc_ids:
            chunk_ids = [r[0] for r in db.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
            db.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(i,) for i in chunk_ids])
            db.execute("DELETE FROM units WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            removed.extend(chunk_ids)
        return removed

    @staticmethod
    def delete_file(db: sqlite3.Connection, path: str) -> None:
        db.execute("DELETE FROM files WHERE path = ?", (path,))
        db.execute("DELETE FROM aliases WHERE origin = ?", (path,))

    def reclaim_space(self, min_free_fraction: float = 0.25) -> bool:
        """After large deletes, give the space back: merge the keyword index (FTS5 keeps deleted
        rows as markers until then), VACUUM when a quarter or more of the file is free pages,
        and truncate the WAL. Readers go on meanwhile (WAL); other writers wait. True if vacuumed."""
        with self._lock:
            ((pages,),) = self._conn.execute("PRAGMA page_count").fetchall()
            ((free,),) = self._conn.execute("PRAGMA freelist_count").fetchall()
            vacuum = pages > 0 and free / pages >= min_free_fraction
            if vacuum:
                with self.transaction() as db:
                    db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')")
                self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return vacuum

    # -- abbreviations ----------------------------------------------------------------------
    @staticmethod
    def set_aliases(db: sqlite3.Connection, aliases: Iterable[tuple[str, str, bool]], origin: str) -> None:
        """The (abbreviation, full name, scoped) triples a file defines, replacing what it defined before."""
        db.execute("DELETE FROM aliases WHERE origin = ?", (origin,))
        db.executemany(
            "INSERT OR IGNORE INTO aliases (alias, full, origin, scoped) VALUES (?, ?, ?, ?)", [(a, f, origin, int(scoped)) for a, f, scoped in aliases]
        )

    def aliases(self) -> tuple[tuple[str, str, bool], ...]:
        """Every (abbreviation, full name, scoped), cached per generation of the index (every search asks)."""
        with self._cache_lock:
            generation = self.generation
            if getattr(self, "_aliases_generation", None) != generation:
                rows = self._query("SELECT alias, full, MIN(scoped) FROM aliases GROUP BY alias, full")
                self._aliases = tuple((a, f, bool(scoped)) for a, f, scoped in rows)
                self._aliases_generation = generation
            return self._aliases

    # -- vectors --------------------------------------------------------------------------
    def vectors_by_hash(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors already computed for these embedding inputs (any document): reuse, don't re-embed."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        for table in ("chunks", "units", "sentences"):  # a chunk's vector first, as before
            sql = f"SELECT embed_hash, vector FROM {table} WHERE embed_hash IN ({{keys}}) AND vector IS NOT NULL"
            for embed_hash, blob in self._query_in(sql, wanted):
                found.setdefault(embed_hash, np.frombuffer(blob, dtype=np.float32))
        return found

    def chunk_vectors(self, ids: Iterable[int]) -> dict[int, np.ndarray]:
        return {chunk_id: np.frombuffer(blob, dtype=np.float32) for chunk_id, blob in self._query_in("SELECT id, vector FROM chunks WHERE id IN ({keys})", ids)}

    def iter_vectors(self, batch: int = 5000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, matrix) in batches, for rebuilding the FAISS index from the database."""
        last = 0
        while True:
            rows = self._query("SELECT id, vector FROM chunks WHERE id > ? ORDER BY id LIMIT ?", (last, batch))
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            yield ids, np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
            last = int(ids[-1])

    def chunk_ids(self) -> set[int]:
        return {r[0] for r in self._query("SELECT id FROM chunks")}

    def iter_index_rows(self, ids: Iterable[int] | None = None, batch: int = 2000) -> Iterator[list[tuple]]:
        """Batches of (chunk id, vector bytes, title, heading, text, doc_type, metadata json, source,
        roles) — what an index backend holds per chunk — for all chunks or these ``ids``."""
        select = "SELECT c.id, c.vector, d.title, c.heading, c.text, d.doc_type, d.metadata, d.source FROM chunks c JOIN documents d ON d.id = c.doc_id "
        if ids is not None:
            wanted = sorted(set(ids))
            pages = (
                self._query(select + f"WHERE c.id IN ({','.join('?' * len(part))}) ORDER BY c.id", part)
                for part in (wanted[s : s + KEYS_PER_QUERY] for s in range(0, len(wanted), KEYS_PER_QUERY))
            )
        else:

            def scan():
                last = 0
                while True:
                    rows = self._query(select + "WHERE c.id > ? ORDER BY c.id LIMIT ?", (last, batch))
                    if not rows:
                        return
                    last = rows[-1][0]
                    yield rows

            pages = scan()
        for rows in pages:
            roles = self.chunk_roles(r[0] for r in rows)
            yield [(*r, sorted(roles.get(r[0], ()))) for r in rows]

    # -- reading chunks -------------------------------------------------------------------
    def get_chunks(self, ids: Iterable[int]) -> dict[int, ChunkRow]:
        rows = self._query_in(
            "SELECT c.id, c.doc_id, c.ord, c.heading, c.text, d.source, d.title, d.doc_type, d.metadata "
            "FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({keys})",
            ids,
        )
        return {r[0]: ChunkRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], metadata=json.loads(r[8])) for r in rows}

    # -- precedent units ------------------------------------------------------------------
    def units_of_chunks(self, chunk_ids: Iterable[int], roles: Iterable[str] | None = None) -> list[UnitRow]:
        """The units that start in these chunks (of these roles), in document order."""
        wanted = list(roles) if roles is not None else []
        sql = (
            "SELECT u.id, u.doc_id, u.chunk_id, u.ord, u.role, u.heading, u.article, u.text, u.vector, "
            "d.source, d.title, d.doc_type, d.metadata FROM units u JOIN documents d ON d.id = u.doc_id "
            "WHERE u.chunk_id IN ({keys})"
        )
        if roles is not None:
            sql += f" AND u.role IN ({','.join('?' * len(wanted))})"
        out: list[UnitRow] = []
        for r in self._query_in(sql + " ORDER BY u.doc_id, u.ord", dict.fromkeys(chunk_ids), wanted):
            vector = np.frombuffer(r[8], dtype=np.float32) if r[8] is not None else None
            out.append(UnitRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], vector, r[9], r[10], r[11], metadata=json.loads(r[12])))
        return out

    def chunk_roles(self, chunk_ids: Iterable[int]) -> dict[int, set[str]]:
        """chunk id → the roles of the units that start in it."""
        out: dict[int, set[str]] = {}
        for chunk_id, role in self._query_in("SELECT DISTINCT chunk_id, role FROM units WHERE chunk_id IN ({keys})", chunk_ids):
            out.setdefault(chunk_id, set()).add(role)
        return out

    def unit_vectors_of_chunks(self, chunk_ids: Iterable[int], dim: int, sentences: bool = False) -> dict[int, np.ndarray]:
        """chunk id → the vectors (one row each) of the units that start in it and carry one, with
        ``sentences`` those of the sentences it holds too."""
        queries = ["SELECT chunk_id, vector FROM units WHERE chunk_id IN ({keys}) AND vector IS NOT NULL"]
        if sentences:
            queries.append("SELECT chunk_id, vector FROM sentences WHERE chunk_id IN ({keys})")
        return self._stacked(queries, list(dict.fromkeys(chunk_ids)), dim)

    def sentence_vectors_of_units(self, unit_ids: Iterable[int], dim: int) -> dict[int, np.ndarray]:
        """unit id → the vectors (one row each) of its sentences, for units of several that have them."""
        return self._stacked(["SELECT unit_id, vector FROM sentences WHERE unit_id IN ({keys})"], list(dict.fromkeys(unit_ids)), dim)

    def _stacked(self, queries: list[str], keys: list[int], dim: int) -> dict[int, np.ndarray]:
        """key → the vectors the queries read for it, one row each. A vector of another length is
        damaged: left out (and logged), never a failed search or draft."""
        rows: dict[int, list[np.ndarray]] = {}
        for sql in queries:
            for key, blob in self._query_in(sql, keys):
                if len(blob) != 4 * dim:
                    log.warning("a vector of %s has %d bytes, not %d: left out (reindex --embed mends it)", key, len(blob), 4 * dim)
                    continue
                rows.setdefault(key, []).append(np.frombuffer(blob, dtype=np.float32))
        return {key: np.vstack(vectors) for key, vectors in rows.items()}

    def embedded_unit_texts(self) -> list[tuple[int, str, str]]:
        """(unit id, heading, text) of every unit that carries a vector, for re-embedding."""
        return [tuple(r) for r in self._query("SELECT id, heading, text FROM units WHERE vector IS NOT NULL ORDER BY id")]

    @staticmethod
    def set_chunk_vectors(db: sqlite3.Connection, updates: list[tuple[bytes, int]]) -> None:
        """(vector bytes, chunk id) pairs: re-embedded with another model (reindex --embed)."""
        db.executemany("UPDATE chunks SET vector = ? WHERE id = ?", updates)

    @staticmethod
    def set_unit_vectors(db: sqlite3.Connection, updates: list[tuple[bytes, int]]) -> None:
        db.executemany("UPDATE units SET vector = ? WHERE id = ?", updates)

    def sentence_texts(self) -> list[tuple[int, str]]:
        """(sentence id, text) of every sentence with its own vector, for re-embedding."""
        return [tuple(r) for r in self._query("SELECT id, text FROM sentences ORDER BY id")]

    @staticmethod
    def set_sentence_vectors(db: sqlite3.Connection, updates: list[tuple[bytes, int]]) -> None:
        db.executemany("UPDATE sentences SET vector = ? WHERE id = ?", updates)

    def role_counts(self) -> dict[str, int]:
        return dict(self._query("SELECT role, COUNT(*) FROM units GROUP BY role"))

    def doc_types_of(self, chunk_ids: Iterable[int]) -> dict[int, str]:
        return dict(self._query_in("SELECT c.id, d.doc_type FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({keys})", chunk_ids))

    def keyword_search(
        self, match: str, limit: int, doc_type: str | None = None, context_weight: float = 0.5, body_weight: float = 1.0
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score — higher is better) for an FTS5 MATCH expression."""
        sql = (
            "SELECT f.rowid, -bm25(chunks_fts, ?, ?) AS score FROM chunks_fts f "
            + ("JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.doc_id " if doc_type else "")
            + "WHERE chunks_fts MATCH ? "
            + ("AND d.doc_type = ? " if doc_type else "")
            + "ORDER BY bm25(chunks_fts, ?, ?) LIMIT ?"
        )
        params: list = [context_weight, body_weight, match]
        if doc_type:
            params.append(doc_type)
        params += [context_weight, body_weight, limit]
        return [(int(i), float(s)) for i, s in self._query(sql, params)]

    def document_frequencies(self, tokens: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(number of chunks, chunks containing each token) from the FTS5 vocabulary: IDF weights.
        fts5vocab scans, so answers are cached per generation of the index. Under the cache lock:
        every search asks, and an ingest in another thread may start a new generation."""
        tokens = list(dict.fromkeys(tokens))
        with self._cache_lock:
            generation = self.generation
            if getattr(self, "_df_generation", None) != generation:
                self._df_cache: dict[str, int] = {}
                ((self._df_total,),) = self._query("SELECT COUNT(*) FROM chunks")
                self._df_generation = generation
            missing = [t for t in tokens if t not in self._df_cache]
            if missing:
                marks = ",".join("?" * len(missing))
                found = dict(self._query(f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", missing))
                self._df_cache.update({t: found.get(t, 0) for t in missing})
            return self._df_total, {t: self._df_cache[t] for t in tokens if self._df_cache[t]}

    def idf_weights(self, tokens: Iterable[str]) -> dict[str, float]:
        """log(1 + N / (1 + df)) for each token: how much finding it in a passage says."""
        tokens = list(dict.fromkeys(tokens))
        total, frequencies = self.document_frequencies(tokens)
        return {t: math.log(1 + total / (1 + frequencies.get(t, 0))) for t in tokens}

    def iter_chunk_texts(self) -> Iterator[tuple[int, str, str, str, str]]:
        """(chunk id, title, heading, text, doc metadata json) for every chunk, for re-tokenising."""
        with self._lock:
            rows = self._conn.execute("SELECT c.id, d.title, c.heading, c.text, d.metadata FROM chunks c JOIN documents d ON d.id = c.doc_id").fetchall()
        yield from rows

    def iter_passages(self) -> Iterator[tuple[int, str, str]]:
        """(chunk id, document source, text) for every chunk: which passages an eval set's labels name."""
        with self._lock:
            rows = self._conn.execute("SELECT c.id, d.source, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id").fetchall()
        yield from rows

    @staticmethod
    def update_fts(db: sqlite3.Connection, chunk_id: int, context: str, body: str) -> None:
        db.execute("DELETE FROM chunks_fts WHERE rowid = ?", (chunk_id,))
        db.execute("INSERT INTO chunks_fts (rowid, context, body) VALUES (?, ?, ?)", (chunk_id, context, body))

    # -- terms ----------------------------------------------------------------------------
    def terms(self) -> list[str]:
        return [r[0] for r in self._query("SELECT term FROM terms")]

    @staticmethod
    def add_terms(db: sqlite3.Connection, terms: Iterable[str], origin: str) -> None:
        db.executemany("INSERT OR IGNORE INTO terms VALUES (?, ?)", [(t, origin) for t in terms])

    # -- documents for display ------------------------------------------------------------
    def list_documents(self) -> list[dict]:
        rows = self._query(
            "SELECT d.id, d.source, d.title, d.doc_type, d.metadata, d.ingested_at, "
            "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id), length(d.text) FROM documents d ORDER BY d.source"
        )
        return [
            {"id": r[0], "source": r[1], "title": r[2], "doc_type": r[3], "metadata": json.loads(r[4]), "ingested_at": r[5], "chunks": r[6], "chars": r[7]}
            for r in rows
        ]

    def newest_versions(self) -> dict[str, str]:
        """Policy title → the latest date among the documents of that title: where the index holds a
        regulation as enacted and as revised, only the newest text may be quoted."""
        newest: dict[str, str] = {}
        for title, metadata in self._query("SELECT title, metadata FROM documents WHERE doc_type = 'policy'"):
            date = str(json.loads(metadata or "{}").get("date") or "")
            newest[title] = max(date, newest.get(title, ""))
        return newest

    def get_document(self, source: str) -> dict | None:
        rows = self._query("SELECT id, source, title, doc_type, metadata, text FROM documents WHERE source = ?", (source,))
        if not rows:
            return None
        r = rows[0]
        return {"id": r[0], "source": r[1], "title": r[2], "doc_type": r[3], "metadata": json.loads(r[4]), "text": r[5]}

    def counts(self) -> dict[str, int]:
        ((files,),) = self._query("SELECT COUNT(*) FROM files")
        ((docs,),) = self._query("SELECT COUNT(*) FROM documents")
        ((chunks,),) = self._query("SELECT COUNT(*) FROM chunks")
        ((fts,),) = self._query("SELECT COUNT(*) FROM chunks_fts")
        by_type = dict(self._query("SELECT doc_type, COUNT(*) FROM documents GROUP BY doc_type"))
        notes = dict(self._query("SELECT substr(note, 1, instr(note, char(9)) - 1), COUNT(*) FROM files WHERE note != '' GROUP BY 1"))
        ((scanned,),) = self._query("SELECT COUNT(*) FROM documents WHERE json_extract(metadata, '$.ocr_pages') > 0")
        ((sentences,),) = self._query("SELECT COUNT(*) FROM sentences")
        return {
            "files": files,
            "documents": docs,
            "chunks": chunks,
            "fts_rows": fts,
            "reply": by_type.get("reply", 0),
            "policy": by_type.get("policy", 0),
            "scanned": scanned,
            "duplicate_files": notes.get("duplicate", 0),
            "superseded_files": notes.get("superseded", 0),
            "sentences": sentences,  # with vectors of their own (units.meaning_sentences)
        }

    def integrity_problems(self, quick: bool = False) -> list[str]:
        """What is wrong with store.db, each problem one line in Chinese and English with its fix.
        ``quick``: SQLite's quick_check only (start-up); else the full check and the cross-counts."""
        try:
            rows = self._query("PRAGMA quick_check" if quick else "PRAGMA integrity_check")
            problems = [r[0] for r in rows if r[0] != "ok"]
            if not problems and not quick:
                ((orphan_fts,),) = self._query("SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)")
                ((missing_fts,),) = self._query("SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT rowid FROM chunks_fts)")
                ((orphan_chunks,),) = self._query("SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN (SELECT id FROM documents)")
                for count, zh, en in (
                    (orphan_fts, "个关键词行没有对应段落", "keyword rows without a chunk"),
                    (missing_fts, "个段落没有关键词行", "chunks without a keyword row"),
                    (orphan_chunks, "个段落没有对应文档", "chunks without a document"),
                ):
                    if count:
                        problems.append(f"{count} {zh}（运行 reply-assistant reindex）/ {count} {en} (run `reply-assistant reindex`)")
                return problems
        except (sqlite3.DatabaseError, DamagedFile) as exc:
            problems = [str(getattr(exc, "__cause__", None) or exc)]
        if not problems:
            return []
        said = [" ".join(p.split())[:120] for p in problems[:3]]
        return [
            f"索引数据库 {self.path.name} 已损坏（{'；'.join(said)}）：请从备份恢复该文件，或删除索引目录后重新导入"
            f"（reply-assistant ingest …） / {self.path.name} is damaged ({'; '.join(said)}): restore it from a backup, "
            "or delete the index folder and ingest again"
        ]

    # -- earlier replies, for review (letter/review.py) -----------------------------------
    def reply_letters(self) -> list[dict]:
        """Every reply letter with its metadata, text and reusable units (成效/举措/计划, in
        order): what a review compares a new draft with (copying, promises)."""
        letters = {
            r[0]: {"id": r[0], "source": r[1], "title": r[2], "metadata": json.loads(r[3]), "text": r[4], "units": []}
            for r in self._query("SELECT id, source, title, metadata, text FROM documents WHERE doc_type = 'reply' ORDER BY id")
        }
        for doc_id, role, heading, text in self._query(
            "SELECT u.doc_id, u.role, u.heading, u.text FROM units u JOIN documents d ON d.id = u.doc_id "
            "WHERE d.doc_type = 'reply' AND u.role IN ('成效', '举措', '计划') ORDER BY u.doc_id, u.ord"
        ):
            letters[doc_id]["units"].append({"role": role, "heading": heading, "text": text})
        return list(letters.values())
