"""Meaning at the level of one precedent unit: a single article of a regulation, one paragraph of a reply.

A chunk (~300 characters) of a regulation holds two or three articles and a reply letter's chunk
mixes topics; its single vector averages them, so a plain question about one article sits far from
the chunk that holds it. Units are short and about one thing. Every unit that can be quoted (条文,
成效, 举措, 计划) carries its own vector in the store, and the dense side scores a chunk by the
better of its own vector and its best unit's (``Retriever``).

The unit vectors are held in memory as one matrix per generation of the store and searched by brute
force: 18k units × 384 dimensions is 27 MB and a few milliseconds a query (bench/scale.py has the
numbers at 69k chunks). Both backends use it: the units live in SQLite whichever engine holds the chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class UnitMatrix:
    """Unit vectors grouped by chunk: rows ``starts[k]:starts[k+1]`` belong to ``chunk_ids[k]``."""

    chunk_ids: np.ndarray  # int64, ascending, one per chunk holding an embedded unit
    starts: np.ndarray  # int64, the first row of each chunk's units
    doc_types: np.ndarray  # str, the document type of each chunk
    matrix: np.ndarray  # float32 (units × dim), L2-normalised

    @classmethod
    def from_rows(cls, rows: list[tuple[int, str, bytes]]) -> "UnitMatrix | None":
        """``rows``: (chunk id, doc type, vector bytes), ordered by chunk id. None when there are none."""
        if not rows:
            return None
        chunk_of_row = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        firsts = np.flatnonzero(np.r_[True, chunk_of_row[1:] != chunk_of_row[:-1]])
        matrix = np.vstack([np.frombuffer(r[2], dtype=np.float32) for r in rows])
        return cls(chunk_of_row[firsts], firsts.astype(np.int64), np.array([rows[i][1] for i in firsts]),
                   np.ascontiguousarray(matrix))

    def __len__(self) -> int:
        return len(self.matrix)

    def best(self, vector: np.ndarray) -> np.ndarray:
        """Per chunk (aligned with ``chunk_ids``), the cosine of its unit closest to ``vector``."""
        return np.maximum.reduceat(self.matrix @ np.asarray(vector, dtype=np.float32), self.starts)

    def lookup(self, best: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        """``best``'s value for each of ``chunk_ids`` that holds an embedded unit."""
        where = np.searchsorted(self.chunk_ids, chunk_ids)
        return {int(c): float(best[w]) for c, w in zip(chunk_ids, where)
                if w < len(self.chunk_ids) and self.chunk_ids[w] == c}

    def top(self, best: np.ndarray, n: int, doc_type: str | None = None) -> list[tuple[int, float]]:
        """The ``n`` chunks with the highest ``best`` (of ``doc_type`` if given), best first."""
        if doc_type is not None:
            best = np.where(self.doc_types == doc_type, best, -np.inf)
        n = min(n, len(best))
        if n <= 0:
            return []
        picked = np.argpartition(-best, n - 1)[:n]
        picked = picked[np.argsort(-best[picked], kind="stable")]
        return [(int(self.chunk_ids[i]), float(best[i])) for i in picked if np.isfinite(best[i])]
