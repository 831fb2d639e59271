"""Whether a precedent answers a suggestion, judged by weights learned from labelled drafts.

Hand-set gates (a share of specific words, a cosine band, a hub-corrected floor) each see one kind
of evidence; the 承办人's judgement weighs them together: a reply paragraph that shares one word
but means the field at large is out, an article that shares no word but means exactly the ask is
in. A ``Gate`` is a logistic model over a pair's evidence (``compose.pair_evidence``), learned by
``bench/train_judge.py`` from suggestion → acceptable-passage labels written by people who never saw
the code (the blind batches' labels.json), one gate for reply units and one for regulation
articles. Its file is versioned; a file of another version or with unknown evidence names is
refused (the drafter falls back to its rules) rather than misread.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..learned import Gate, bundled, load_learned, write_learned

# 2: lexical/specific without the term credit; called_term apart; 3: sentence; 4: field; 5: clause; 6: sentence_clause,
# phrase; 7: measure; 8: a reply unit's sentence read among its clauses too
JUDGE_VERSION = 8
# What a gate may weigh, each a number of the order of one (compose.pair_evidence says how each is measured).
EVIDENCE = (
    "lexical",  # share of the suggestion's word weight the text covers (lead clause counted more), words only
    "specific",  # share of its specific words' weight (not 服务/平台/一站式 …), words only
    "clause",  # the best share of one clause's specific words (the clause that carries the ask, not the lead's platform)
    "sentence_clause",  # the best share of one clause's specific words (lead or details) that one sentence of the text holds (articles)
    "phrase",  # the longest run of characters the suggestion and the text share (3 → 0, 4 → 1/9 … 12 or more → 1) (articles)
    "measure",  # the best share of one clause of the text (a measure, two specific words or more) that the suggestion says (an article: of its quote)
    "lead_words",  # distinct words of its lead clause the text holds, up to 4, over 4
    "term",  # the text uses a policy term the suggestion quotes (“揭榜挂帅”)
    "called_term",  # the text uses a term the thesaurus says the suggestion's words call for (研发机构 → 双清零一提升)
    "dense",  # cosine, rescaled over the model's band (0 = unrelated, 1 = close; not clipped)
    "sentence",  # cosine of its closest sentence (a reply unit: or clause; or the whole, if closer), rescaled as dense
    "distinct",  # hub-corrected cosine (CSLS) over the band's width: meaning this ask, not the field
    "margin",  # cosine to this suggestion less the best to another, over the band's width
    "gap",  # cosine less the best candidate's for this suggestion, over the band's width (≤ 0)
    "titled",  # the regulation's title names the proposal's subject (articles only)
    "field",  # the regulation is of the bureau's field by its title (``basis_fields``) or named by the proposal (articles only)
    "rank",  # the article's place among the suggestion's qualifying articles, in search order, over 10 (articles only)
    "planned",  # a reply unit that says what will be done (计划)
    "achieved",  # a reply unit that reports a result (成效)
)


@dataclass(frozen=True)
class Judge:
    """The two gates learned for one embedding model, and what they were learned from."""

    model: str
    reply: Gate
    basis: Gate
    trained_on: list[str] = field(default_factory=list)
    version: int = JUDGE_VERSION

    def save(self, path: Path) -> None:
        write_learned(path, asdict(self))

    @classmethod
    def load(cls, path: Path) -> Judge | None:
        """The judge in ``path``; None when it is missing, of another version or weighs evidence this
        code does not measure."""
        return load_learned(cls, path, JUDGE_VERSION, ("reply", "basis"), EVIDENCE)


def bundled_judge(name: str | None) -> Judge | None:
    """The judge shipped for a model (assistant/data/<name>), if any."""
    path = bundled(name)
    return Judge.load(path) if path else None
