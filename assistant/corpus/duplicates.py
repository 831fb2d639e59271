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
_NOISE = re.compile(r"[^\w.%\-]+|_")
_FIGURE_MARK = re.compile(r"(?<!\d)[.%\-]")  # a point, percent or dash not after a digit is punctuation


def normalised(text: str) -> str:
    """Letters, digits and CJK, full-width folded, and the marks a figure carries (3.5亿 is not
    35亿, 15% not 15): what two copies of one text share, whatever their spacing and punctuation."""
    return _FIGURE_MARK.sub("", _NOISE.sub("", unicodedata.normalize("NFKC", text))).lower()


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
    it and retire ``retire`` (older versions of the same letter: (file, document ids, the note
    their file gets) triples).
    ``note``: what files.note records for a skipped file, so a later run knows whether it still holds."""

    action: str
    other: str = ""  # the file that holds the same document
    zh: str = ""
    en: str = ""
    retire: list[tuple[str, list[int], str]] | None = None
    note: str = ""


# What tells two alike letters apart: 并案 replies share a body but answer two proposals.
IDENTITY = ("doc_number", "date", "proposal_number", "proposal_kind", "session", "proposers")


@dataclass
class Entry:
    """A document to compare against: one in the index, or one planned earlier in this run."""

    file: str
    text: str
    fingerprint: str
    signature: np.ndarray
    meta: dict
    title: str = ""
    doc_id: int | None = None  # in the index
    source: str = ""
    mtime: float = 0.0
    withdrawn: str = ""  # planned, then displaced by a newer version (the file of that version)

    @property
    def doc_number(self) -> str:
        return self.meta.get("doc_number", "")

    @property
    def stamp(self) -> tuple[str, float]:
        """(letter date, file mtime): the later one is the newer version."""
        return self.meta.get("date", ""), self.mtime or _mtime(self.file)


class Register:
    """Judges each new document against the index and against documents planned earlier in the
    same run (not committed yet). The index rows of files this run has planned again are stale —
    they are about to be replaced or dropped — and are not compared with. One per ingest run."""

    def __init__(self, store):
        self.store = store
        self.planned: list[Entry] = []
        self._pending: set[str] = set()  # files judged since the last commit

    def judge(self, key: str, source: str, text: str, metadata: dict, mtime: float, title: str = "") -> tuple[Verdict, Entry]:
        new = Entry(key, text, fingerprint(text), signature(text), {k: metadata.get(k) for k in IDENTITY if metadata.get(k)}, title, source=source, mtime=mtime)
        self._pending.add(key)
        # a copy first (a scan of the letter is the letter, whatever its OCR'd date says), then versions
        verdict = self._same(new) or self._near(new) or self._versions(new) or Verdict("index")
        if verdict.action != "skip":
            self.planned.append(new)
        return verdict, new

    def committed(self) -> None:
        """Everything planned so far is in the index now, where the store's queries find it."""
        self.planned, self._pending = [], set()

    def _indexed(self, rows) -> list[Entry]:
        return [
            Entry(file, text, fp, np.frombuffer(sig, dtype=np.uint32) if sig else signature(text), json.loads(meta), title, doc_id, source)
            for doc_id, source, file, text, meta, title, fp, sig in rows
            if file not in self._pending
        ]

    def _others(self, new: Entry, indexed: list[Entry]) -> list[Entry]:
        return [e for e in indexed if e.file != new.file] + [p for p in self.planned if p.file != new.file and not p.withdrawn]

    def _same(self, new: Entry) -> Verdict | None:
        for other in self._others(new, self._indexed(self.store.documents_with_fingerprint(new.fingerprint))):
            if other.fingerprint == new.fingerprint:
                return _copy_of(other, "内容相同", "the same text")
        return None

    def _near(self, new: Entry) -> Verdict | None:
        ids, matrix = self.store.signatures()
        close = [ids[i] for i in np.flatnonzero(estimate(new.signature, matrix) >= _CANDIDATE)]
        for other in self._others(new, self._indexed(self.store.documents_by_id(close))):
            if estimate(new.signature, other.signature[None, :])[0] < _CANDIDATE or _distinct(new, other):
                continue
            share = same_share(new.text, other.text)
            if share >= NEAR_SAME:
                return _copy_of(other, f"内容基本相同（{share:.0%}）", f"{share:.0%} the same")
        return None

    def _versions(self, new: Entry) -> Verdict | None:
        """A reply letter whose 文号 another file holds, with a text alike enough to be a revision of
        it (a letter that only cites a 文号 in its first lines is not): the newer one stays."""
        if not new.doc_number:
            return None
        rivals = [
            o
            for o in self._others(new, self._indexed(self.store.with_doc_number(new.doc_number)))
            if o.doc_number == new.doc_number
            and estimate(new.signature, o.signature[None, :])[0] >= _REVISION
            and not any(new.meta.get(k) and o.meta.get(k) and new.meta[k] != o.meta[k] for k in _PROPOSAL)
        ]
        if not rivals:
            return None
        newest = max(rivals, key=lambda o: _Newer(o.stamp))
        if not _Newer(new.stamp) > _Newer(newest.stamp):
            why, why_en = _why(newest.stamp, new.stamp)
            return Verdict(
                "skip",
                newest.file,
                f"与 {file_name(newest.file)} 文号相同（{new.doc_number}），保留其版本（{why}），本文件未导入",
                f"same 文号 {new.doc_number} as {file_name(newest.file)}, which is kept ({why_en})",
                note=superseded_note(newest.file, new.doc_number),
            )
        retire: dict[str, list[int]] = {}
        for rival in rivals:
            if rival.doc_id is None:
                rival.withdrawn = new.file
            else:
                retire.setdefault(rival.file, []).append(rival.doc_id)
        older = rivals[0].file
        why, why_en = _why(new.stamp, newest.stamp)
        return Verdict(
            "index",
            older,
            f"文号 {new.doc_number} 的较新版本（{why}），替换 {file_name(older)}",
            f"a newer version of {new.doc_number} ({why_en}), replaces {file_name(older)}",
            retire=[(file, ids, superseded_note(new.file, new.doc_number)) for file, ids in retire.items()],
        )


_REVISION = 0.3  # trigram overlap of two versions of one letter (a reworded paragraph or two), far above two letters'
_PROPOSAL = ("proposal_number", "proposal_kind", "session", "proposers")


def _distinct(new: Entry, other: Entry) -> bool:
    """Alike but not one document: two letters under two 文号, 并案 replies to two proposals, two
    versions of a regulation (two dates), two cities' regulations on one model (嘉兴市/丽水市
    制定地方性法规条例 are 96 % the same)."""
    if any(new.meta.get(k) and other.meta.get(k) and new.meta[k] != other.meta[k] for k in IDENTITY):
        return True
    a, b = normalised(new.title), normalised(other.title)
    return bool(a and b) and SequenceMatcher(None, a, b, autojunk=False).ratio() < TITLE_SAME


def _copy_of(other: Entry, how: str, how_en: str) -> Verdict:
    return Verdict(
        "skip",
        other.file,
        f"与 {file_name(other.file)} {how}，已跳过",
        f"{how_en} as {file_name(other.file)}, skipped",
        note=f"duplicate\t{other.file}\t{other.fingerprint}",
    )


def superseded_note(newer_file: str, doc_number: str) -> str:
    """files.note of a letter's older version: the file of the newer one, and the 文号 it must keep
    holding (``note_holds``) for the older file to stay out of the index."""
    return f"superseded\t{newer_file}\t{doc_number}"


def read_note(note: str) -> tuple[str, str]:
    """(kind: duplicate | superseded, the file that holds the text) of a files.note."""
    kind, _, rest = note.partition("\t")
    return kind, rest.partition("\t")[0]


def note_holds(store, note: str) -> bool:
    """Whether what a skipped file's note points at is still indexed: the copy's text in that file
    (or anywhere), the newer version's 文号 in its file. When not, the file is read again."""
    if not note:
        return True
    kind, _, rest = note.partition("\t")
    other, _, mark = rest.partition("\t")
    if not mark:  # a note from before the mark was kept
        return store.file_indexed(other)
    if kind == "duplicate":
        return bool(store.documents_with_fingerprint(mark))
    return any(file == other for _, _, file, *_ in store.with_doc_number(mark))


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


def file_name(file: str) -> str:
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def _mtime(file: str) -> float:
    try:
        return os.stat(file).st_mtime
    except OSError:
        return 0.0
