"""Hybrid precedent search: BM25 + dense search, fused here. The index answering both is the
corpus's backend (corpus/backends.py): SQLite FTS5 + FAISS by default, or one Milvus collection
(its BM25 function and its vector search, filters pushed down); the fusion is the same for both.

Why score fusion and not plain RRF: on this corpus exact policy jargon (揭榜挂帅, 双清零一提升)
decides relevance and BM25 is far stronger than the small dense model. RRF rewards any passage
both lists contain, however low, so the weak ranking drags good keyword hits down (measured:
RRF is worse than BM25 alone at every weight tried). A convex combination of normalised scores
keeps BM25's margins and lets the dense side reorder near-ties and rescue paraphrases.
A small proximity bonus then prefers passages where the query's words stand together (the
ordered-window feature of the sequential dependence model): BM25 alone scores 风险…监测 scattered
over an article the same as the phrase 风险监测.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..corpus import text
from ..corpus.backends import Filters
from ..corpus.embeddings import model_key, tuning
from ..corpus.index import Corpus
from ..corpus.units import SENTENCES_VERSION
from ..errors import QueryError
from ..genre.coverage import Coverage
from . import thesaurus
from .places import Places, load_places, prefer_named_places
from .rerank import RERANK_DEPTH, RERANK_VERSION, Reranker, Standing, bundled_reranker, evidence, piece_standing
from .variants import load_variants

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ..corpus.store import UnitRow

RETRIEVERS = ("bm25", "dense")
TERM_MATCH = 0.7  # what a passage using the normative term the query paraphrases bears out of it
FLOOR_FULL_WORDS = 6  # queries up to this many words meet the whole floor
WEAK_KEYWORD_DEPTH = 3  # keyword hits looked at to judge whether BM25 found the query's subject
MERGE_DEPTH = 1000  # how deep the query-word and thesaurus-term lists are read before they are merged
# A whole suggestion sentence is also searched clause by clause: one clause carries its subject and
# the others (营造良好氛围、提升服务水平) dilute it. Clauses split at these marks; one shorter than
# MIN_CLAUSE_CHARS joins its neighbour.
CLAUSE_MARKS = re.compile(r"[，,；;。！？：:\n]+")
MIN_CLAUSE_CHARS = 6


@dataclass
class SearchResult:
    chunk_id: int
    source: str
    title: str
    doc_type: str
    heading: str
    text: str
    score: float
    retrievers: list[str]
    ranks: dict[str, int] = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)  # roles of the precedent units in the passage (成效, 计划, 条文…)
    match: float = 0.0  # 0–1: how much of the query the passage itself bears out (see Retriever.match)
    relevance: str = ""  # 高 / 中 / 低 against the query's floor (SearchResponse.relevance)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResponse:
    query: str
    results: list[SearchResult]
    warnings: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)  # normative terms / full names searched besides the query
    hidden: int = 0  # passages ranked in the top k but below the relevance floor (shown with show_all)
    words: list[str] = field(default_factory=list)  # the query's words as the index cuts them (what a page marks)
    floor: float = 0.0  # this query's relevance floor: a passage's ``match`` is judged against it (``relevance``)

    def relevance(self, result: SearchResult) -> str:
        """高 / 中 / 低, the same judgement for every hit of every query: 中 from this query's floor (a short
        query's floor is lower), 高 halfway from there to a full match, 低 below it (shown only with 显示更多).
        Judged when the result was made (``relevance_of``), on the figure that decided whether it is shown."""
        return result.relevance or relevance_of(result.match, self.floor)

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "results": [{**r.to_dict(), "relevance": self.relevance(r)} for r in self.results],  # also for results made elsewhere
            "warnings": self.warnings,
            "expansions": self.expansions,
            "hidden": self.hidden,
        }


def relevance_of(match: float, floor: float) -> str:
    if match < floor:
        return "低"
    return "高" if match >= floor + (1 - floor) / 2 else "中"


def query_tokens(query: str, segmenter: text.Segmenter | None = None) -> list[str]:
    """The query's tokens (search mode, stopwords dropped), each once, in order, cut as the corpus
    cuts its passages (``segmenter``; the packaged dictionary alone without one)."""
    return list(dict.fromkeys(segmenter.tokenize(query) if segmenter is not None else text.tokenize(query)))


def proximity_patterns(query: str, window: int, segmenter: text.Segmenter | None = None) -> list[re.Pattern]:
    """One pattern per adjacent pair of the query's words: the pair in order, ≤ ``window`` chars apart."""
    words = segmenter.content_words(query) if segmenter is not None else text.content_words(query)
    gap = ".{0,%d}" % window
    return [re.compile(re.escape(a) + gap + re.escape(b), re.IGNORECASE) for a, b in zip(words, words[1:])]


def proximity(patterns: list[re.Pattern], passage: str) -> float:
    """Share of the query's word pairs that stand together in ``passage`` (0 when it has no pairs)."""
    if not patterns:
        return 0.0
    return sum(1 for pattern in patterns if pattern.search(passage)) / len(patterns)


def clean_query(query: str, max_chars: int) -> tuple[str, list[str]]:
    query = (query or "").strip()
    if not query:
        raise QueryError("检索词不能为空", "the query is empty")
    warnings = []
    if len(query) > max_chars:
        warnings.append(f"检索词过长，已截取前 {max_chars} 字 / query truncated to {max_chars} characters")
        query = query[:max_chars]
    return query, warnings


def _check_choices(mode: str, doc_type: str | None, role: str | None) -> None:
    from ..corpus.units import ROLES

    if role is not None and role not in ROLES:
        raise QueryError(f"单元角色只能是 {'、'.join(ROLES)}，收到 {role}", f"role must be one of {', '.join(ROLES)}, got {role}")
    if mode not in ("hybrid", *RETRIEVERS):
        raise QueryError(f"未知检索方式 {mode}", f"unknown search mode {mode}")
    if doc_type not in (None, "reply", "policy"):
        raise QueryError(f"文档类型只能是 reply 或 policy，收到 {doc_type}", f"doc type must be reply or policy, got {doc_type}")


def _result(row: Any, score: float, ranks: dict[str, int], roles: Iterable[str], match: float) -> SearchResult:
    return SearchResult(
        chunk_id=row.id,
        source=row.source,
        title=row.title,
        doc_type=row.doc_type,
        heading=row.heading,
        text=row.text,
        score=round(score, 6),
        retrievers=sorted(ranks),
        ranks=ranks,
        metadata=row.metadata,
        roles=sorted(roles),
        match=round(match, 3),
    )


class Retriever:
    def __init__(self, corpus: Corpus, lean_on_dense: bool = True, rerank: bool = True):
        """``lean_on_dense=False`` keeps the fusion weights fixed even when the keywords are weak
        (``keywords_are_weak``). The ``Drafter`` sets it on the retriever it is given: drafting
        scores every candidate unit itself, and its floors were chosen on candidates found that way."""
        self.corpus = corpus
        self.settings = corpus.settings
        self.lean_on_dense = lean_on_dense
        # ``rerank=False``: fusion order only (the Drafter's judge was learned on candidates found so)
        self.rerank = rerank
        # the field vocabulary's terms (data/fields.txt) beside the thesaurus's: off for drafting
        self.field_vocabulary = self.settings.field_vocabulary
        self._reranker: Reranker | None = None
        self._reranker_read = False
        # one retriever serves a whole draft, which searches each suggestion's text twice (reply
        # letters, then policy) and scores units against it: embed each text once
        self._vectors: dict[str, object] = {}
        self._terms: dict[str, list[str]] = {}

    @property
    def model_tuning(self):
        """Fusion weight and drafting band calibrated for the model the index was built with."""
        return tuning(self.corpus.indexed_model or self.corpus.embedder.name)

    @property
    def model_name(self) -> str:
        """The embedding model the index was built with (m3e-small for its int8 build too)."""
        return model_key(self.corpus.indexed_model or self.corpus.embedder.name) or ""

    @property
    def dense_alpha(self) -> float:
        """The dense share of convex fusion: the setting, else the one calibrated for the model."""
        return self.settings.dense_alpha if self.settings.dense_alpha is not None else self.model_tuning.dense_alpha

    @property
    def places(self) -> Places:
        """The places a query may name (data/places.txt + ``places_file``)."""
        return load_places(self.settings.places_file)

    def thesaurus_terms(self, query: str) -> list[str]:
        """The normative terms the query's plain words call for (data/synonyms.txt + the user's, and data/fields.txt), their
        cue words matched with their variants (data/variants.txt + the user's, and Cilin's if on)."""
        if query not in self._terms:  # a clause is expanded for its search and again for its match
            variants = load_variants(self.settings.variants_file, "cilin" in self.settings.cue_variants) if self.settings.cue_variants else None
            entries = thesaurus.load_vocabulary(self.settings.synonyms_file, self.field_vocabulary)
            self._terms[query] = thesaurus.thesaurus_terms(query, entries, variants)
        return self._terms[query]

    def field_names(self, text: str) -> list[str]:
        """The names the regulations give the fields, objects and groups the text's everyday words
        speak of (data/fields.txt: 无人机 → 无人驾驶航空器), whether or not search calls them up; none with the
        field vocabulary off (``field_vocabulary``)."""
        return thesaurus.thesaurus_terms(text, thesaurus.load_fields()) if self.settings.field_vocabulary else []

    def meant_term(self, query: str) -> str | None:
        """The thesaurus term the query means though it words none of its cues (term_meaning.py),
        where the model has a calibrated ``term_cosine`` and the index holds vectors."""
        threshold = self.model_tuning.term_cosine
        if threshold is None or not self.settings.meaning_terms:
            return None
        terms = self.term_meaning()
        return terms.nearest(self.query_vector(query), threshold, query) if terms is not None else None

    def term_meaning(self):
        """The thesaurus entries' vectors (search/term_meaning.py), or None while the index holds no vectors."""
        if not self.corpus.backend.has_vectors():
            return None
        self.corpus.require_same_model()  # before embedding the entries: their cache is named for the index's model
        from .term_meaning import TermMeaning

        model = self.corpus.indexed_model or self.corpus.embedder.name
        entries = thesaurus.load_vocabulary(self.settings.synonyms_file, self.field_vocabulary, described_once=True)
        return TermMeaning.load(self.corpus.directory, model, entries, self.corpus.embed)

    def expansions(self, query: str, terms: list[str] | None = None) -> list[str]:
        """Thesaurus terms (``terms`` when already known), then the other names of abbreviations /
        full names the query uses."""
        terms = self.thesaurus_terms(query) if terms is None else terms
        return list(dict.fromkeys([*terms, *thesaurus.other_names(query, self.corpus.store.aliases())]))

    def keyword(
        self, query: str, n: int, doc_type: str | None = None, expansions: Sequence[str] = (), filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """BM25 of the query's words; expansion terms are searched apart and add their BM25 at
        ``expansion_weight``, so a literal match keeps its lead over a thesaurus match.

        Both lists are read ``MERGE_DEPTH`` deep before the best ``n`` are kept: a passage near the
        top of one list is often far down the other, and cut at ``n`` it would get nothing there.
        (Cut at 50, the one article saying 宽容失败 — 4th by its full score — fell out of the top
        10 for 免除责任: its few query words ranked it past the query list's 50th.) The extra depth
        costs ~2 ms a search on FTS5, which scores every match to sort them anyway (Milvus Lite
        sends the extra hits over gRPC: docs/scaling.md)."""
        filters = filters or Filters(doc_type=doc_type)
        tokens = self.query_tokens(query)
        extra = [t for t in self.query_tokens(" ".join(expansions)) if t not in tokens] if expansions else []
        weight = self.settings.expansion_weight
        if not extra or not weight:
            return self._bm25(tokens, n, filters)
        depth = max(n, MERGE_DEPTH)
        hits, expanded = dict(self._bm25(tokens, depth, filters)), dict(self._bm25(extra, depth, filters))
        merged = {i: hits.get(i, 0.0) + weight * expanded.get(i, 0.0) for i in {*hits, *expanded}}
        return sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:n]

    def _bm25(self, tokens: list[str], n: int, filters: Filters) -> list[tuple[int, float]]:
        weightless = self._weightless(tokens)
        return self.corpus.backend.keyword([t for t in tokens if t not in weightless], n, filters)

    def _weightless(self, tokens: list[str]) -> set[str]:
        """Tokens in half the chunks or more. FTS5's BM25 clamps their IDF to 1e-6, so they add no
        score, only the cost of reading their long posting lists (管理 is in 52 % of the 69k law
        chunks). Dropping them changes no ranking; a query made only of them keeps them all."""
        total, frequencies = self.corpus.store.document_frequencies(tokens)
        common = {t for t in tokens if frequencies.get(t, 0) * 2 >= total}
        return common if len(common) < len(tokens) else set()

    def meaning(self, vector) -> "Meaning":
        # with articles unembedded only reply passages could blend: leave every passage its own cosine
        weight = self.settings.unit_dense_weight if self.settings.embed_articles else 0.0
        return Meaning(self.corpus, vector, weight)

    def query_tokens(self, query: str) -> list[str]:
        return query_tokens(query, self.corpus.segmenter)

    # -- what the letter room reads besides the search (letter/precedents.py Precedents) -----------
    def tokenize(self, text: str) -> list[str]:
        """The text's words as this index cuts them (what its IDF weights are kept for)."""
        return self.corpus.segmenter.tokenize(text)

    def idf_weights(self, tokens: Iterable[str]) -> dict[str, float]:
        return self.corpus.store.idf_weights(tokens)

    def units_of_chunks(self, chunk_ids: Iterable[int], roles: Iterable[str] | None = None) -> list[UnitRow]:
        return self.corpus.store.units_of_chunks(chunk_ids, roles)

    def known_vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        return self.corpus.backend.known_vectors(ids)

    def holds_sentences(self) -> bool:
        """Every indexed file was cut with its sentences' vectors (``embed_sentences``): what the
        judge that weighs a unit's closest sentence was learned on."""
        return self.corpus.reads_sentences and self.corpus.store.files_signed_without(f":s{SENTENCES_VERSION}") == 0

    def sentence_vectors(self, unit_ids: list[int]) -> dict[int, np.ndarray]:
        """Unit id → the vectors (one row each) of its sentences (units.meaning_sentences); a unit of
        one sentence, of an index from before sentences, or with ``embed_sentences`` off has none."""
        dim = self.corpus.dim if self.corpus.reads_sentences and self.corpus.backend.has_vectors() else None
        return self.corpus.store.sentence_vectors_of_units(unit_ids, dim) if dim else {}

    def newest_versions(self) -> dict[str, str]:
        return self.corpus.store.newest_versions()

    def reply_letters(self) -> list[dict[str, Any]]:
        return self.corpus.store.reply_letters()

    def query_vector(self, query: str):
        """The query's embedding, or None while the index holds no vectors."""
        if not self.corpus.backend.has_vectors():
            return None
        if query not in self._vectors:
            self.corpus.require_same_model()
            self._vectors[query] = self.corpus.embed_query(query)
        return self._vectors[query]

    def search(
        self,
        query: str,
        k: int | None = None,
        doc_type: str | None = None,
        mode: str = "hybrid",
        year_from: int | None = None,
        year_to: int | None = None,
        unit: str | None = None,
        role: str | None = None,
        show_all: bool = True,
    ) -> SearchResponse:
        """``mode``: "hybrid" (default), or one retriever alone: "bm25" / "dense".
        ``year_from``/``year_to``/``unit`` keep documents dated in those years / issued by a unit
        whose name contains ``unit``; ``role`` keeps passages holding a precedent unit of that role
        (成效 / 举措 / 计划 / 条文 …: what was achieved, what will be done, statute text).
        ``show_all=False`` leaves out passages below the relevance floor (``search_floor``): a list
        that is mostly noise teaches staff to distrust it. Ranking is the same either way."""
        _check_choices(mode, doc_type, role)
        query, warnings = clean_query(query, self.settings.query_max_chars)
        k = k or self.settings.search_k
        filters = Filters(doc_type, year_from, year_to, unit, role)
        filtered = filters.narrows
        n = max(self.settings.search_candidates, k) * (4 if filtered else 1)
        fused, ranks, rows, terms, expansions, meaning = self._scores(query, mode, n, filters)
        sentence = self.clause_weights(query) if mode == "hybrid" else []  # a suggestion's sentence, clause by clause
        parts = sentence if self.settings.clause_share else []
        if parts:
            fused = self._with_clauses(fused, parts, n, filters, ranks)
        ordered = sorted(fused, key=lambda i: (-fused[i], i))
        if filtered:
            rows = {**rows, **self.corpus.store.get_chunks([i for i in ordered if i not in rows])}
            ordered = self._passing(ordered, rows, year_from, year_to, unit, role)
        reranker = self.reranker if self._rerankable(query, mode, parts, ordered, ranks) else None
        known: dict[int, float] = {}  # match already measured (by the reranker)
        if reranker is not None:
            ordered, rows, fused, known = self._reranked(reranker, query, terms, expansions, ordered, fused, ranks, rows, meaning)
        # a question naming its city (鹿城过年能放鞭炮吗), not a suggestion's sentence, where 温州 is only where it is said
        if mode == "hybrid" and self.settings.prefer_named_places and not sentence and (named := self.places.named(query)):
            rows = {**rows, **self.corpus.store.get_chunks([i for i in ordered if i not in rows])}
            ordered = prefer_named_places(ordered, {i: row.title for i, row in rows.items()}, named, self.places)
        # below-floor passages leave room for ones ranked after the first k, so look a little further
        depth = k if show_all else k * 3
        roles = self.corpus.store.chunk_roles(ordered[:depth])
        window = ordered[:depth]
        if any(i not in rows for i in window):
            rows = {**rows, **self.corpus.store.get_chunks([i for i in window if i not in rows])}
        shown_rows = {i: rows[i] for i in window if i in rows and i not in known}
        match = {**known, **self._bears_out(query, terms, parts, shown_rows)}
        top = ordered[:k]
        hidden = 0
        floor = self.floor_for(query)
        if not show_all:
            hidden = sum(1 for i in top if match.get(i, 0.0) < floor)
            top = [i for i in window if match.get(i, 0.0) >= floor][:k]
        results = [_result(rows[i], fused[i], ranks[i], roles.get(i, ()), match.get(i, 0.0)) for i in top if i in rows]
        for result in results:  # on the unrounded figure the floor was applied to
            result.relevance = relevance_of(match.get(result.chunk_id, 0.0), floor)
        return SearchResponse(query, results, warnings + self.corpus.take_notices(), expansions, hidden, self.query_tokens(query), floor)

    @property
    def reranker(self) -> Reranker | None:
        """The learned order of a short query's first results (search/rerank.py) for the index's model,
        or the file ``search_rerank_file`` names; None when ``search_rerank`` is off or none is known."""
        if not self.rerank or not self.settings.search_rerank:
            return None
        if not self._reranker_read:
            path = self.settings.search_rerank_file
            reranker = Reranker.load(path) if path is not None else bundled_reranker(self.model_tuning.rerank)
            # learned on one model's ranks and fusion: another's would be misread
            self._reranker = reranker if reranker is not None and reranker.model == self.model_name else None
            if path is not None and self._reranker is None:
                logging.getLogger(__name__).warning(
                    "排序文件 %s 无法使用（版本 %s 之外、证据或嵌入模型不符，请用 bench/train_rerank.py 重新训练），按融合顺序排列 / "
                    "rerank file %s refused (not version %s, other evidence or embedding model; relearn it with bench/train_rerank.py): fusion order",
                    path,
                    RERANK_VERSION,
                    path,
                    RERANK_VERSION,
                )
            self._reranker_read = True
        return self._reranker

    def _rerankable(self, query: str, mode: str, parts: list, ordered: list[int], ranks: dict[int, dict[str, int]]) -> bool:
        """Only where the reranker was learned: a short query (not searched clause by clause), convex
        fusion of keyword and meaning hits (an index without vectors yet has no meaning ranks)."""
        if mode != "hybrid" or self.settings.fusion != "convex" or parts or not ordered:
            return False
        if not self.settings.clause_share and self.clause_weights(query):
            return False  # a suggestion sentence, with its clauses switched off
        return any("dense" in ranks.get(i, {}) for i in ordered[:RERANK_DEPTH])

    def _reranked(
        self,
        reranker: Reranker,
        query: str,
        terms: list[str],
        expansions: Sequence[str],
        ordered: list[int],
        fused: dict[int, float],
        ranks: dict[int, dict[str, int]],
        rows: dict,
        meaning: "Meaning | None",
    ) -> tuple[list[int], dict, dict[int, float], dict[int, float]]:
        """``ordered`` with its first ``RERANK_DEPTH`` put in the reranker's order (the rest as they
        were), the rows read, the scores shown — the reranker's for those, the fusion score scaled
        below the last of them for the rest, so a list's scores fall as it goes — and their ``match``."""
        window = ordered[:RERANK_DEPTH]
        if any(i not in rows for i in window):
            rows = {**rows, **self.corpus.store.get_chunks([i for i in window if i not in rows])}
        window = [i for i in window if i in rows]
        match = self.match(query, terms, {i: rows[i] for i in window})
        standing, bare = self.piece_standings(query, expansions, window, meaning)
        top = fused[ordered[0]]
        odds = {
            i: reranker.order.probability(
                evidence(fused[i], top, ranks.get(i, {}), match.get(i, 0.0), rows[i].doc_type, len(rows[i].text), position, standing.get(i), bare.get(i))
            )
            for position, i in enumerate(window)
        }
        rest = ordered[RERANK_DEPTH:]
        lowest, last = min(odds.values(), default=0.0), fused[window[-1]] if window else 1.0
        shown = {**fused, **odds, **{i: lowest * fused[i] / last if last else 0.0 for i in rest}}
        return sorted(window, key=lambda i: -odds[i]) + rest, rows, shown, match

    def _bears_out(self, query: str, terms: list[str], parts: list[tuple[str, float]], rows: dict) -> dict[int, float]:
        """How much of the query each shown passage bears out (``match``); for a long query, at least
        as much as its clauses do together, each by its weight: a passage bearing out the weighty
        clauses bears out the suggestion."""
        match = self.match(query, terms, rows)
        if not parts:
            return match
        by_clause = {i: 0.0 for i in rows}
        for clause, weight in parts:
            for i, covered in self.match(clause, self.thesaurus_terms(clause), rows).items():
                by_clause[i] += weight * covered
        return {i: max(match.get(i, 0.0), by_clause[i]) for i in rows}

    def clause_weights(self, query: str) -> list[tuple[str, float]]:
        """(clause, weight) for a query long enough to search clause by clause, else []. A clause
        weighs the IDF of its specific words (text.specific_words): 建立容错免责机制 outweighs
        营造宽容失败的良好氛围's 良好氛围, and a clause of generic words alone weighs nothing."""
        if len(self.query_tokens(query)) <= FLOOR_FULL_WORDS:
            return []
        clauses: list[str] = []
        for part in (p.strip() for p in CLAUSE_MARKS.split(query)):
            if not part:
                continue
            if clauses and (len(part) < MIN_CLAUSE_CHARS or len(clauses[-1]) < MIN_CLAUSE_CHARS):
                clauses[-1] += "，" + part
            else:
                clauses.append(part)
        if len(clauses) < 2:
            return []
        words = {c: text.specific_words(self.query_tokens(c)) for c in clauses}
        idf = self.corpus.store.idf_weights([w for ws in words.values() for w in ws])
        weights = [(c, sum(idf.get(w, 0.0) for w in words[c])) for c in clauses]
        total = sum(w for _, w in weights)
        return [(c, w / total) for c, w in weights if w > 0] if total else []

    def _with_clauses(
        self, fused: dict[int, float], parts: list[tuple[str, float]], n: int, filters: Filters, ranks: dict[int, dict[str, int]]
    ) -> dict[int, float]:
        """The whole query's scores blended with its clauses' (each relative to its own best):
        (1-s)·whole + s·Σ weight·clause, s = ``clause_share``."""
        share = self.settings.clause_share
        top = max(fused.values(), default=0.0) or 1.0
        out = {i: (1 - share) * score / top for i, score in fused.items()}
        # Each clause by its words alone (the meaning of the whole sentence is already in the dense
        # list; a clause's own vector added nothing on the tuning sets while doubling the cost), all
        # clauses at once (SQLite releases the GIL).
        searches = [
            (weight, self.corpus.workers.submit(self.keyword, clause, n, filters.doc_type, self.expansions(clause), filters)) for clause, weight in parts
        ]
        for weight, search in searches:
            hits = search.result()
            best = max((score for _, score in hits), default=0.0) or 1.0
            for rank, (i, score) in enumerate(hits, start=1):
                out[i] = out.get(i, 0.0) + share * weight * score / best
                ranks.setdefault(i, {"bm25": rank})  # found by a clause alone: its rank there
        return out

    def _scores(self, query: str, mode: str, n: int, filters: Filters):
        """(fused scores, ranks per retriever, chunk rows read, thesaurus terms, expansions, the query's
        meaning — None for keywords alone or an index without vectors) of one query."""
        doc_type, filtered = filters.doc_type, filters.narrows
        rankings: dict[str, list[tuple[int, float]]] = {}
        terms = self.thesaurus_terms(query)
        meant = self.meant_term(query) if mode != "bm25" else None  # BM25 alone is words alone
        if meant and meant not in terms:
            terms = [*terms, meant]
        expansions = self.expansions(query, terms)
        keyword = self.corpus.workers.submit(self.keyword, query, n, doc_type, expansions, filters) if mode in ("hybrid", "bm25") else None
        # The query is embedded once, while SQLite runs the keyword search on the other core.
        vector = self.query_vector(self.dense_text(query, expansions)) if mode in ("hybrid", "dense") else None
        meaning = self.meaning(vector) if vector is not None else None
        if mode in ("hybrid", "dense"):  # an index without vectors yet: no dense hits
            rankings["dense"] = meaning.search(n, filters) if meaning is not None else []
        if keyword is not None:
            rankings = {"bm25": keyword.result(), **rankings}
        ranks: dict[int, dict[str, int]] = {}
        for name, hits in rankings.items():
            for rank, (chunk_id, _) in enumerate(hits, start=1):
                ranks.setdefault(chunk_id, {})[name] = rank
        rows: dict = {}  # chunk rows are read once, by whichever step needs them first
        if mode != "hybrid":  # a single retriever keeps its own score
            fused = dict(rankings[mode])
        elif self.settings.fusion == "rrf":
            fused = self._rrf(rankings)
        else:
            rows = self.corpus.store.get_chunks(list(dict.fromkeys(i for hits in rankings.values() for i, _ in hits)))
            alpha = self.dense_alpha
            if self.lean_on_dense and vector is not None:
                # judged on the keyword hits the filters keep (the embedded backend filters only
                # doc_type inside the engine), so both backends lean on the same evidence
                shown = [i for i, _ in rankings.get("bm25", [])]
                if filtered:
                    shown = self._passing(shown, rows, filters.year_from, filters.year_to, filters.unit, filters.role)
                if self.keywords_are_weak(query, expansions, shown, rows):
                    alpha = self.settings.dense_alpha_weak_keywords
            fused = self._convex(meaning, rankings, alpha)
            if self.settings.proximity_weight:
                fused = self._with_proximity(query, fused, rows)
        return fused, ranks, rows, terms, expansions, meaning

    def dense_text(self, query: str, expansions: Sequence[str]) -> str:
        """What the dense side embeds: the query, with its thesaurus terms (``expansion_in_dense``)."""
        return f"{query}（{'、'.join(expansions)}）" if expansions and self.settings.expansion_in_dense else query

    def closest_pieces(self, query: str, expansions: Sequence[str], chunk_ids: list[int]) -> dict[int, float]:
        """Each passage's closest piece to the query's meaning (``Meaning.closest_pieces``), as the
        dense side embeds it; {} for an index without vectors."""
        vector = self.query_vector(self.dense_text(query, expansions))
        return self.meaning(vector).closest_pieces(chunk_ids) if vector is not None else {}

    def piece_standings(
        self, query: str, expansions: Sequence[str], chunk_ids: list[int], meaning: "Meaning | None" = None
    ) -> tuple[dict[int, Standing], dict[int, Standing]]:
        """What the reranker reads of meaning (rerank.piece_standing): the candidates' closest pieces
        to the query as the dense side embeds it (``meaning``, when already at hand) and to its own
        words alone — the same where nothing was appended to it. {} for an index without vectors."""
        if meaning is None:
            vector = self.query_vector(self.dense_text(query, expansions))
            if vector is None:
                return {}, {}
            meaning = self.meaning(vector)
        if self.dense_text(query, expansions) == query:
            standing = piece_standing(meaning.closest_pieces(chunk_ids))
            return standing, standing
        embedded, bare = meaning.closest_pieces_to(chunk_ids, [meaning.vector, self.query_vector(query)])
        return piece_standing(embedded), piece_standing(bare)

    def _passing(self, ids: list[int], rows: dict, year_from: int | None, year_to: int | None, unit: str | None, role: str | None) -> list[int]:
        """``ids``, in order, whose document is dated and issued as asked and that hold a unit of ``role``."""
        ids = [i for i in ids if i in rows and _matches(rows[i].metadata, year_from, year_to, unit)]
        if role:
            roles = self.corpus.store.chunk_roles(ids)
            ids = [i for i in ids if role in roles.get(i, ())]
        return ids

    def keywords_are_weak(self, query: str, terms: list[str], keyword_ids: list[int], rows: dict) -> bool:
        """True when none of the best ``WEAK_KEYWORD_DEPTH`` keyword hits bears out
        ``weak_keyword_coverage`` of the query: BM25 matched only its common words, so its margins
        mean little. ``terms``: the query's thesaurus terms and the other names of its
        abbreviations — a hit using one of them verbatim bears the query out (自由贸易试验区 for 自贸试验区)."""
        best = [i for i in keyword_ids[:WEAK_KEYWORD_DEPTH] if i in rows]
        if not best:
            return False
        coverage = max(self.match(query, terms, {i: rows[i] for i in best}).values())
        return coverage < self.settings.weak_keyword_coverage

    def floor_for(self, query: str) -> float:
        """The relevance floor for this query. A whole suggestion sentence (what drafting and the
        gap search send) has many words and no passage bears out all of them: past
        ``FLOOR_FULL_WORDS`` words the floor falls with the square root of their number."""
        words = len(self.query_tokens(query))
        return self.settings.search_floor * min(1.0, (FLOOR_FULL_WORDS / max(words, 1)) ** 0.5)

    def match(self, query: str, terms: list[str], rows: dict) -> dict[int, float]:
        """How much of the query each passage bears out, 0–1: the share of the query words' IDF
        weight found in its title, heading and text; a passage that uses one of the query's
        normative terms (知识产权质押 for 用专利作抵押) verbatim counts ``TERM_MATCH`` at least.
        Fusion scores are relative to the best candidate, so they cannot say "nothing here fits";
        this can, and it is what the relevance floor is measured on."""
        bears_out = Coverage(self.query_tokens(query), self.corpus.store.idf_weights, terms=[t.lower() for t in terms], term_credit=TERM_MATCH)
        return {chunk_id: bears_out(f"{row.title}\n{row.heading}\n{row.text}".lower()) for chunk_id, row in rows.items()}

    def _rrf(self, rankings: dict[str, list[tuple[int, float]]]) -> dict[int, float]:
        weights = {"bm25": self.settings.bm25_weight, "dense": self.settings.dense_weight}
        fused: dict[int, float] = {}
        for name, hits in rankings.items():
            for rank, (chunk_id, _) in enumerate(hits, start=1):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + weights[name] / (self.settings.rrf_k + rank)
        return fused

    def _convex(self, meaning: "Meaning | None", rankings: dict[str, list[tuple[int, float]]], alpha: float) -> dict[int, float]:
        """(1-α)·BM25/max(BM25) + α·min-max(cosine) over every candidate either side found.

        Scores, not ranks: a passage BM25 puts far ahead keeps its lead unless the dense side
        is clearly more confident; keyword-only candidates get their exact cosine from the index,
        dense-only ones a BM25 of 0."""
        bm25 = dict(rankings.get("bm25", []))
        dense = dict(rankings.get("dense", []))
        candidates = list(dict.fromkeys([*bm25, *dense]))
        if not candidates:
            return {}
        alpha = alpha if dense else 0.0
        if not bm25:
            alpha = 1.0
        top_bm25 = max(bm25.values(), default=0.0) or 1.0
        cosine = {}
        if alpha:
            missing = [i for i in candidates if i not in dense]
            if missing and meaning is not None:
                cosine.update(meaning.of(missing))
            cosine.update(dense)
        low, high = min(cosine.values(), default=0.0), max(cosine.values(), default=0.0)
        spread = (high - low) or 1.0
        return {i: (1 - alpha) * bm25.get(i, 0.0) / top_bm25 + alpha * (cosine.get(i, low) - low) / spread for i in candidates}

    def _with_proximity(self, query: str, fused: dict[int, float], rows: dict) -> dict[int, float]:
        patterns = proximity_patterns(query, self.settings.proximity_window, self.corpus.segmenter)
        if not patterns:
            return fused
        weight = self.settings.proximity_weight
        return {i: (score + weight * proximity(patterns, rows[i].heading + "\n" + rows[i].text)) if i in rows else score for i, score in fused.items()}


class Meaning:
    """One query vector's closeness to passages. A passage of a regulation holds two or three
    articles and a reply paragraph several topics; its one vector blurs them, so a question about
    one article is far from it. Each unit (one article, one reply paragraph) has its own vector: a
    passage's cosine is (1-w)·its own + w·its closest unit's, w = ``unit_dense_weight``; a passage
    without embedded units keeps its own.

    Only the candidates are rescored (the index's nearest passages and those BM25 found): searching
    every unit as well found the same passages on the tuning sets (dev, paraphrase, long, blind A:
    hybrid identical, dense alone success@5 0.78 vs 0.76 on blind A short) and would hold 164k unit
    vectors (240 MB) in memory at 69k chunks for ~27 ms a search; reading the candidates' unit
    vectors from the store costs ~2 ms."""

    def __init__(self, corpus: Corpus, vector, unit_weight: float):
        self.corpus, self.vector, self.weight = corpus, vector, unit_weight

    def blend(self, own: dict[int, float]) -> dict[int, float]:
        if not self.weight or not own:
            return own
        units = self.corpus.store.unit_vectors_of_chunks(own, len(self.vector))
        w = self.weight
        return {i: (1 - w) * c + w * float((units[i] @ self.vector).max()) if i in units else c for i, c in own.items()}

    def of(self, ids: list[int]) -> dict[int, float]:
        """The cosine of each passage of ``ids`` the index holds a vector for."""
        return self.blend({i: float(v @ self.vector) for i, v in self.corpus.backend.known_vectors(ids).items()})

    def closest_pieces(self, ids: list[int]) -> dict[int, float]:
        """Each passage's best cosine among the vectors of the units that start in it and of the
        sentences it holds (``embed_sentences``); its own where it has neither. A short question asks about one
        provision, which its sentence says more plainly than its article or passage."""
        return self.closest_pieces_to(ids, [self.vector])[0]

    def closest_pieces_to(self, ids: list[int], vectors: list) -> list[dict[int, float]]:
        """``closest_pieces`` for each of ``vectors``, the pieces read once."""
        pieces = self.corpus.store.unit_vectors_of_chunks(ids, len(self.vector), sentences=self.corpus.reads_sentences)
        own = self.corpus.backend.known_vectors([i for i in ids if i not in pieces])
        return [{i: float((pieces[i] @ vector).max()) if i in pieces else float(own[i] @ vector) for i in ids if i in pieces or i in own} for vector in vectors]

    def search(self, n: int, filters: Filters) -> list[tuple[int, float]]:
        """The index's ``n`` nearest passages, scored by the blend, closest first."""
        own = dict(self.corpus.backend.dense(self.vector, n, filters))
        return sorted(self.blend(own).items(), key=lambda item: (-item[1], item[0]))


def _matches(metadata: dict, year_from: int | None, year_to: int | None, unit: str | None) -> bool:
    year = metadata.get("year") or (int(str(metadata["date"])[:4]) if str(metadata.get("date", ""))[:4].isdigit() else None)
    if year_from or year_to:
        if year is None or (year_from and year < year_from) or (year_to and year > year_to):
            return False
    if unit and unit.strip():
        names = " ".join(str(metadata.get(key, "")) for key in ("issuing_unit", "printed_by"))
        return unit.strip() in names
    return True


def langchain_retriever(service, k: int = 5, doc_type: str | None = None):
    """The hybrid search as a LangChain ``BaseRetriever`` (built lazily: langchain loads on use)."""
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    class PrecedentRetriever(BaseRetriever):
        """Precedents (past replies, policy text) for a query, as LangChain Documents."""

        k: int = 5
        doc_type: str | None = None

        def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
            # a program asked for k documents: it gets k, its own ranking decides (no display floor)
            response = service.search(query, k=self.k, doc_type=self.doc_type, show_all=True)
            return [
                Document(
                    page_content=r.text,
                    id=str(r.chunk_id),
                    metadata={
                        "source": r.source,
                        "title": r.title,
                        "doc_type": r.doc_type,
                        "heading": r.heading,
                        "score": r.score,
                        "retrievers": r.retrievers,
                        "chunk_id": r.chunk_id,
                        **r.metadata,
                    },
                )
                for r in response.results
            ]

    return PrecedentRetriever(k=k, doc_type=doc_type)
