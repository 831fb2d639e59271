"""The FAISS index on disk, keyed by chunk id.

The file name carries the database generation it matches (``vectors-<gen>.faiss``) and is
written to a temporary file, then renamed, so a reader never sees half a file and always knows
whether the file is current. The database holds every vector too, so a stale, missing or
corrupted file is rebuilt from it.
"""

from __future__ import annotations

import errno
import os
import re
import threading
from pathlib import Path

import numpy as np

from ..files import atomic_write, file_digest, replace_atomically

_NAME = re.compile(r"^vectors-(\d+)\.faiss$")
_SUM = re.compile(r"^vectors-(\d+)\.faiss\.sha256$")
_TMP = re.compile(r"^\.vectors-\d+\.faiss\.(\d+)\.tmp$")


def _alive(pid: int) -> bool:
    """Whether the process that is writing a temporary file still runs (else the file is litter)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class VectorIndex:
    """Exact inner-product search over L2-normalised vectors (cosine similarity)."""

    def __init__(self, dim: int, index=None):
        import faiss

        # One query at a time: a single thread is faster than waking OpenMP threads (10 vs 15 ms
        # at 66k vectors, bench/scale.py) and leaves the other core to BM25 running beside it.
        faiss.omp_set_num_threads(1)

        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        # Searches and changes exclude each other (an add may move the vectors a search reads);
        # changes and saves exclude each other through a second lock, so writing the file — a
        # second or more for a large index — never holds up a search.
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        self.update([], ids, vectors)

    def remove(self, ids: list[int]) -> None:
        self.update(ids, [], np.zeros((0, self.dim), np.float32))

    def update(self, remove: list[int], ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        """Remove some ids and add others as one change: a search sees both or neither."""
        import faiss

        with self._write_lock, self._lock:
            if len(remove):
                self.index.remove_ids(faiss.IDSelectorBatch(np.asarray(remove, dtype=np.int64)))
            if len(ids):
                self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def ids(self) -> set[int]:
        import faiss

        with self._lock:
            return set(faiss.vector_to_array(self.index.id_map).tolist()) if len(self) else set()

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not len(self):
            return []
        with self._lock:
            scores, ids = self.index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), min(k, len(self)))
        # unit vectors: a cosine outside [-1, 1] (or NaN) is a damaged vector, never a result
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1 and abs(s) <= MAX_COSINE]

    def vectors_of(self, ids: list[int]) -> np.ndarray:
        """Stored vectors by chunk id (exact scores for candidates the other retriever found)."""
        with self._lock:
            return np.vstack([self.index.reconstruct(int(i)) for i in ids]) if ids else np.zeros((0, self.dim), np.float32)

    def known_vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        """Stored vectors of those ``ids`` the index holds. A chunk an ingest has just written to
        SQLite may not be in FAISS yet (issue 13): a search running meanwhile scores it without
        a cosine instead of failing."""
        out = {}
        with self._lock:
            for i in ids:
                try:
                    out[int(i)] = np.asarray(self.index.reconstruct(int(i)))
                except RuntimeError:  # faiss: "key … not found"
                    continue
        return out

    def save(self, directory: Path, generation: int) -> Path:
        import faiss

        directory.mkdir(parents=True, exist_ok=True)
        final = directory / f"vectors-{generation}.faiss"
        tmp = directory / f".vectors-{generation}.faiss.{os.getpid()}.tmp"
        # the vectors encode the corpus: owner only, like store.db — from the first byte written
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(tmp, 0o600)
        try:
            with self._write_lock:  # reading the index to write it: searches may go on
                faiss.write_index(self.index, str(tmp))
        except RuntimeError as exc:  # faiss's own text ("faiss::write_index … No space left on device")
            tmp.unlink(missing_ok=True)
            full = "no space left" in str(exc).lower()
            raise OSError(
                errno.ENOSPC if full else errno.EIO,
                "磁盘已满 / no space left on device" if full else f"写入失败 / write failed: {str(exc).splitlines()[-1][:200]}",
            ) from exc
        # its checksum beside it: a damaged page inside the file (same size) is found on load
        atomic_write(_checksum_path(final), file_digest(tmp))
        replace_atomically(tmp, final)
        for other in directory.iterdir():
            match = _NAME.match(other.name) or _SUM.match(other.name)
            temporary = _TMP.match(other.name)
            stale_tmp = temporary is not None and not _alive(int(temporary.group(1)))
            if (match and int(match.group(1)) != generation) or stale_tmp:  # old generations, files of killed runs
                other.unlink(missing_ok=True)
        return final

    @classmethod
    def load(cls, directory: Path, generation: int, dim: int) -> "VectorIndex | None":
        """The saved index for this generation, or None if missing, stale or unreadable."""
        import faiss

        path = directory / f"vectors-{generation}.faiss"
        if not path.is_file():
            return None
        checksum = _checksum_path(path)
        if checksum.is_file() and checksum.read_text().strip() != file_digest(path):
            return None  # damaged: rebuilt from the vectors in the database, like a missing file
        try:
            index = faiss.read_index(str(path))
        except RuntimeError:
            return None
        if index.d != dim:
            return None
        return cls(dim, index)


MAX_COSINE = 1.01  # rounding of normalised float32 vectors stays well inside this


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def saved_generations(directory: Path) -> list[int]:
    if not directory.is_dir():
        return []
    return sorted(int(m.group(1)) for p in directory.iterdir() if (m := _NAME.match(p.name)))
