"""The first results of a short query, put in order by weights learned from labelled queries.

Fusion adds the keyword and meaning scores with one fixed weight; whether a passage bears out the
query's words (``Retriever.match``) only decides what is shown as 高/中/低. A reader weighs both: a
passage fifth by fusion that holds every word of 研究院考核不达标就取消资格 beats a second one that
holds two. And meaning by the passage's closest sentence: a plain question asks about one
provision, which its own sentence's vector says more plainly than the article's or the passage's
(cross-fitted over the labelled sets, s@5 0.92 → 0.94, MRR 0.79 → 0.82). The reranker is a logistic model over each of the first ``RERANK_DEPTH`` candidates'
evidence, learned by ``bench/train_rerank.py`` from query → relevant-passage sets one may tune on
(never the blind batches only measured); it orders, it never removes. Short queries only: a
suggestion sentence is searched clause by clause, whose fusion it was not learned on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..learned import Gate, bundled, load_learned, write_learned

RERANK_VERSION = 3  # 2: the closest piece (a unit or one of its sentences) by meaning; 3: by the bare query's too
RERANK_DEPTH = 20  # candidates reordered; the rest follow in fusion order
EVIDENCE = (
    "fused",  # fusion score over the best candidate's
    "keyword_rank",  # 1 / (1 + rank) in the keyword list, 0 when absent
    "dense_rank",  # 1 / (1 + rank) in the meaning list, 0 when absent
    "match",  # share of the query words' weight the passage bears out (Retriever.match)
    "reply",  # a reply letter's passage (1), a policy text's (0)
    "position",  # 1 / (1 + place in fusion order, from 0)
    "length",  # characters / 1000
    "piece",  # cosine of the passage's closest unit or sentence (retrieval.Meaning.closest_pieces)
    "piece_gap",  # that cosine minus the best of the candidates'
    "piece_rank",  # 1 / (1 + place among the candidates by it, from 0)
    "bare_piece",  # the same three for the query's own words, without its thesaurus terms: a term off
    "bare_gap",  # the matter (农民想学实用技术 → 农民专业合作社) pulls the expanded query's meaning
    "bare_rank",  # away from what was asked (Retriever.piece_standings)
)


Standing = tuple[float, float, float]
FARTHEST: Standing = (0.0, -1.0, 0.0)  # where the index holds no vector for a candidate


def piece_standing(pieces: dict[int, float]) -> dict[int, Standing]:
    """Each candidate's (piece, piece_gap, piece_rank) from its closest piece's cosine: a question
    about one provision finds its sentence closer than the passages around it. Ties keep their order."""
    best = max(pieces.values(), default=0.0)
    ranked = sorted(pieces, key=lambda i: -pieces[i])
    return {i: (pieces[i], pieces[i] - best, 1 / (1 + place)) for place, i in enumerate(ranked)}


def evidence(
    fused: float,
    top: float,
    ranks: dict[str, int],
    match: float,
    doc_type: str,
    chars: int,
    position: int,
    standing: Standing | None,
    bare: Standing | None,
) -> dict[str, float]:
    """What the reranker weighs for one candidate (``EVIDENCE``); ``standing`` and ``bare``:
    ``piece_standing``'s by the query as embedded and by its own words alone, None where the index
    holds no vector for it (it then stands as far as the farthest can)."""
    piece, gap, rank = standing or FARTHEST
    bare_piece, bare_gap, bare_rank = bare or FARTHEST
    return {
        "fused": fused / top if top else 0.0,
        "keyword_rank": 1 / (1 + ranks["bm25"]) if "bm25" in ranks else 0.0,
        "dense_rank": 1 / (1 + ranks["dense"]) if "dense" in ranks else 0.0,
        "match": match,
        "reply": 1.0 if doc_type == "reply" else 0.0,
        "position": 1 / (1 + position),
        "length": chars / 1000,
        "piece": piece,
        "piece_gap": gap,
        "piece_rank": rank,
        "bare_piece": bare_piece,
        "bare_gap": bare_gap,
        "bare_rank": bare_rank,
    }


@dataclass(frozen=True)
class Reranker:
    model: str
    order: Gate
    trained_on: list[str] = field(default_factory=list)
    version: int = RERANK_VERSION

    def save(self, path: Path) -> None:
        write_learned(path, asdict(self))

    @classmethod
    def load(cls, path: Path) -> Reranker | None:
        """The reranker in ``path``; None when it is missing, of another version or weighs evidence this code does not measure."""
        return load_learned(cls, path, RERANK_VERSION, ("order",), EVIDENCE)


def bundled_reranker(name: str | None) -> Reranker | None:
    """The reranker shipped for a model (assistant/data/<name>), if any."""
    path = bundled(name)
    return Reranker.load(path) if path else None
