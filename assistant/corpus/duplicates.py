"""The same document twice: as .docx and as its scan, a copy under another name, a draft and the
letter that went out under the same 文号.

Identity is judged on the text, not the file: punctuation width, spaces and line breaks differ
between a Word file and its OCR, so they are set aside (``fingerprint``). Near-identity (≥ 95 %
the same characters, e.g. a scan with a few misread characters) is found through a MinHash
signature of character trigrams and confirmed on the texts themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

SIGNATURE_SIZE = 64
NEAR_SAME = 0.95  # share of characters in common for "the same document"
TITLE_SAME = 0.9  # and their titles this alike (one misread character in a scanned title still passes)
_CANDIDATE = 0.6  # MinHash estimate of trigram Jaccard worth confirming (95 % same chars ≈ 0.8 Jaccard)
_PRIME = (1 << 31) - 1  # a·x + b stays below 2^63 for 32-bit x: no overflow in uint64
_rng = np.random.default_rng(20241205)  # fixed: signatures on disk must stay comparable
_A = _rng.integers(1, _PRIME, SIGNATURE_SIZE, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, SIGNATURE_SIZE, dtype=np.uint64)
_NOISE = re.compile(r"[\s\W_]+")


def normalised(text: str) -> str:
    """Letters, digits and CJK only, full-width folded: what two copies of one text share."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()


def signature(text: str) -> np.ndarray:
    """MinHash of the character trigrams of the normalised text (uint32 × 64)."""
    codes = np.frombuffer(normalised(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < 3:
        codes = np.pad(codes, (0, 3 - len(codes)))
    grams = (codes[:-2] << np.uint64(42)) | (codes[1:-1] << np.uint64(21)) | codes[2:]
    # Fibonacci hashing to 32 bits (uint64 products wrap, as intended)
    with np.errstate(over="ignore"):
        keys = np.unique((grams * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32))
    return np.array([int(((a * keys + b) % np.uint64(_PRIME)).min()) for a, b in zip(_A, _B)], dtype=np.uint32)


def estimate(signature_a: np.ndarray, signatures: np.ndarray) -> np.ndarray:
    """Estimated trigram Jaccard of one signature against each row of a matrix."""
    return (signatures == signature_a).mean(axis=1) if len(signatures) else np.zeros(0)


def same_share(a: str, b: str) -> float:
    """Share of characters two texts have in common, in order (difflib's ratio on normalised text);
    exact at or above NEAR_SAME, below it possibly an upper bound (the cheap bounds decide)."""
    na, nb = normalised(a), normalised(b)
    if not na or not nb:
        return 0.0
    matcher = SequenceMatcher(None, na, nb, autojunk=False)
    if matcher.real_quick_ratio() < NEAR_SAME or matcher.quick_ratio() < NEAR_SAME:
        return matcher.quick_ratio()
    return matcher.ratio()


@dataclass
class Verdict:
    """What to do with a document: "index" it, "skip" it (``other`` holds it already), or index
    it and retire ``retire`` (older versions of the same letter: (file, document ids) pairs)."""

    action: str
    other: str = ""  # the file that holds the same document
    zh: str = ""
    en: str = ""
    retire: list[tuple[str, list[int]]] | None = None
    older: bool = False  # skipped as an older version of ``other`` (not as a copy)


@dataclass
class Planned:
    """A document as the register judged it (kept for the rest of the run until committed)."""

    key: str  # the file
    source: str
    text: str
    fingerprint: str
    signature: np.ndarray
    doc_number: str
    stamp: tuple[str, float]  # (letter date, file mtime): the later one is the newer version
    title: str = ""
    withdrawn: str = ""  # the file of the newer version that displaced it (before either was committed)


class Register:
    """Judges each new document against the index and against documents planned earlier in the
    same run (they are not committed yet). One per ingest run."""

    def __init__(self, store):
        self.store = store
        self.planned: list[Planned] = []

    def judge(self, key: str, source: str, text: str, metadata: dict, mtime: float, title: str = "") -> tuple[Verdict, Planned]:
        planned = Planned(key, source, text, fingerprint(text), signature(text), metadata.get("doc_number", ""),
                           (metadata.get("date", ""), mtime), title)
        # a copy first (a scan of the letter is the letter, whatever its OCR'd date says), then versions
        verdict = self._same(planned) or self._near(planned) or self._versions(planned) or Verdict("index")
        if verdict.action != "skip":
            self.planned.append(planned)
        return verdict, planned

    def committed(self) -> None:
        """Everything planned so far is in the index now, where the store's queries find it."""
        self.planned = []

    def _versions(self, new: Planned) -> Verdict | None:
        """A reply letter whose 文号 is already indexed from another file: the newer one stays."""
        if not new.doc_number:
            return None
        rivals = [(doc_id, source, file, text, json.loads(meta)) for doc_id, source, file, text, meta
                  in self.store.with_doc_number(new.doc_number, new.key)]
        rivals_planned = [p for p in self.planned if p.doc_number == new.doc_number and p.key != new.key and not p.withdrawn]
        if not rivals and not rivals_planned:
            return None
        stamps = [((meta.get("date", ""), _mtime(file)), file, text) for _, _, file, text, meta in rivals]
        stamps += [(p.stamp, p.key, p.text) for p in rivals_planned]
        newest, newest_file, _ = max(stamps, key=lambda s: _Newer(s[0]))
        if not _Newer(new.stamp) > _Newer(newest):
            why, why_en = _why(newest, new.stamp)
            return Verdict("skip", newest_file, f"与 {file_name(newest_file)} 文号相同（{new.doc_number}），保留其版本（{why}），本文件未导入",
                           f"same 文号 {new.doc_number} as {file_name(newest_file)}, which is kept ({why_en})", older=True)
        for p in rivals_planned:
            p.withdrawn = new.key
        retire: dict[str, list[int]] = {}
        for doc_id, _, file, _, _ in rivals:
            retire.setdefault(file, []).append(doc_id)
        older = rivals[0][2] if rivals else rivals_planned[0].key
        why, _ = _why(new.stamp, newest)
        return Verdict("index", older, f"文号 {new.doc_number} 的较新版本（{why}），替换 {file_name(older)}",
                       f"a newer version of {new.doc_number}, replaces {file_name(older)}",
                       retire=list(retire.items()))

    def _same(self, new: Planned) -> Verdict | None:
        for _, file, _, _ in self.store.same_text(new.fingerprint, new.key):
            return _copy_of(file)
        for p in self.planned:
            if p.fingerprint == new.fingerprint and p.key != new.key and not p.withdrawn:
                return _copy_of(p.key)
        return None

    def _near(self, new: Planned) -> Verdict | None:
        ids, matrix = self.store.signatures()
        close = [ids[i] for i in np.flatnonzero(estimate(new.signature, matrix) >= _CANDIDATE)]
        candidates = [(file, text, json.loads(meta), title) for _, file, text, meta, title
                      in self.store.documents_by_id(close) if file != new.key]
        candidates += [(p.key, p.text, {"doc_number": p.doc_number, "date": p.stamp[0]}, p.title) for p in self.planned
                       if p.key != new.key and not p.withdrawn and estimate(new.signature, p.signature[None, :])[0] >= _CANDIDATE]
        for file, text, meta, title in candidates:
            if _distinct(new, meta, title):
                continue
            share = same_share(new.text, text)
            if share >= NEAR_SAME:
                return Verdict("skip", file, f"与 {file_name(file)} 内容基本相同（{share:.0%}），已跳过",
                               f"{share:.0%} the same as {file_name(file)}, skipped")
        return None


def _distinct(new: Planned, meta: dict, title: str) -> bool:
    """Alike but not one document: two letters under two 文号, two versions of a regulation (two
    dates), two cities' regulations on one model (嘉兴市/丽水市制定地方性法规条例 are 96 % the same)."""
    doc_number, date = meta.get("doc_number", ""), meta.get("date", "")
    if new.doc_number and doc_number and doc_number != new.doc_number:
        return True
    if new.stamp[0] and date and date != new.stamp[0]:
        return True
    a, b = normalised(new.title), normalised(title)
    return bool(a and b) and SequenceMatcher(None, a, b, autojunk=False).ratio() < TITLE_SAME


class _Newer:
    """Orders (letter date, file mtime): by the dates when both letters carry one and they differ,
    else by the files' modification times."""

    def __init__(self, stamp: tuple[str, float]):
        self.date, self.mtime = stamp

    def __gt__(self, other: "_Newer") -> bool:
        if self.date and other.date and self.date != other.date:
            return self.date > other.date
        return self.mtime > other.mtime

    def __lt__(self, other: "_Newer") -> bool:
        return other > self


def _why(kept: tuple[str, float], other: tuple[str, float]) -> tuple[str, str]:
    if kept[0] and other[0] and kept[0] != other[0]:
        return "日期较晚", "a later date"
    return "文件较新", "a newer file"


def _copy_of(file: str) -> Verdict:
    return Verdict("skip", file, f"与 {file_name(file)} 内容相同，已跳过", f"the same text as {file_name(file)}, skipped")


def file_name(file: str) -> str:
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def _mtime(file: str) -> float:
    try:
        return os.stat(file).st_mtime
    except OSError:
        return 0.0
