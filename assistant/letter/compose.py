"""Compose a cited 答复函 for a parsed proposal from precedent units, each used where its role
allows (shared/specs/reply-letter-anatomy.md, "units and their roles"; corpus/units.py).

- 一、工作举措及成效: 成效/举措 units of earlier replies that answer this proposal, ordered by the
  suggestion they serve and numbered 一是、二是… afresh.
- 二、下一步工作计划, one （N） per suggestion: 计划 units first; a 举措 unit only behind a forward
  lead-in from prompts/; never a 成效 unit.
- Policy text only as a short basis line — 根据《…条例》第十条，“…”。 — quoting one sentence, where
  it is strongly relevant: at most one per （N） and two in 一、.
- Units are assigned globally: each used once, going to the suggestion it fits best, above a
  relevance floor. A suggestion with nothing above the floor gets an honest placeholder.
- Whether a unit answers a suggestion, and which article is its basis line, is decided by the
  learned judge (judge.py: weights learned from labelled proposals) where the index's model has
  one and its evidence can be measured; by the rules of ``Relevance`` otherwise.
Wording comes from ``prompts/letter/*.j2``; every reused paragraph carries its citation.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date as Date
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, AbstractSet, Any, Callable, Sequence

import numpy as np

from ..corpus import text as segment
from ..corpus.formats import is_scanned
from ..corpus.units import unit_body
from ..db import today_in
from ..genre.coverage import ASKED_TERM_CREDIT, coverage, verb_discounted
from ..genre.headings import ARTICLE_START, enumeration_word
from ..genre.numerals import HAN, cn_numeral
from ..genre.patterns import ASKED_TERM, BASIS_QUOTE_MAX, DOC_NUMBER, NEXT_STEP_CUE, RESTATING, TARGET_YEAR, book_title, chinese_date, self_reference
from ..genre.sentences import SENTENCE_ENDS, split_sentences
from .judge import Judge, bundled_judge
from .model import Citation, Draft, Paragraph, flag_paragraph
from .precedents import Precedents, WordWeights
from .proposal import Proposal, heading_of

if TYPE_CHECKING:
    from ..corpus.store import UnitRow
    from ..settings import Settings

BASIS_CANDIDATES = 10  # policy passages searched per suggestion for a basis line
# The closest article of a suggestion's candidates may be its basis on meaning alone when its cosine
# is this far up the model's band (blind batch A: basis lines right 15 → 29 of 49, wrong 6 → 10).
NEAREST_BAND_SHARE = 0.4
# what the judge's ``sentence_clause`` and ``phrase`` evidence cut the texts at
CLAUSE_SPLIT = re.compile(r"[，,；;。：:]")
# not genre.sentences.split_sentences: a line break ends a sentence here too (an article's items, （一）……, stand on
# lines of their own), and the judge learned its weights on pieces cut so
SENTENCE_SPLIT = re.compile(r"[。；;！？!?\n]")
PHRASE_BREAK = re.compile(r"[，。、；：“”‘’（）《》〈〉【】「」『』！？…—·\s,.;:()\[\]!?\"'|#]")
PHRASE_FLOOR, PHRASE_SPAN = 3, 9  # a shared run of 4 characters counts a little, one of 12 or more fully
BASIS_SPECIFIC = 0.25  # share of the suggestion's specific words' weight a quoted sentence must carry
# 第一条 states a statute's purpose, not a rule anyone can rest a measure on
PURPOSE_ARTICLE = "第一条"
LEAD_SHARE = 0.65  # a suggestion's lead clause (what it asks) weighs this much of its coverage, its details the rest
# a unit covering this share of a suggestion's specific words' weight answers it on words alone,
# without the hubness test (chosen on blind A/B and examples/: without it the 科企通 paragraph lost
# the asks it answers word for word, and examples/ lost 3 of 14 right answers)
WORDED_OUTRIGHT = 0.5
# A suggestion left 【待补充】 names the articles the basis gate weighed at this share of its threshold or
# more (A–X: at 0.6, 186 named, half of them about the proposal's matter, pointing 71 of the 428 suggestions
# the drafts miss at an acceptable article; at 0.4 a third are about it, at 0.8 58 in 100 but half as many point).
NEAR_SHARE = 0.6
SECOND_UNIT_RATIO = 0.8  # a second unit in a section must be nearly as relevant as the first
MEASURES_PER_SUGGESTION = 2  # so that 一、 reports on several suggestions, not only the richest one
LEANING = re.compile(r"^(?:依照|按照|依据|根据)?(?:前款|前两款|前三款|本款|本条|上述|前述|该项|前项)")
# A unit that introduces the bureau's work as a whole rather than one point of it.
OPENER = re.compile(r"^(?:近年来|近年|多年来|一直以来|长期以来)")


@dataclass
class _Scored:
    unit: UnitRow
    suggestion: int  # index into proposal.suggestions
    score: float
    text: str | None = None  # the unit's clauses this suggestion takes, where two share one unit


class Templates:
    """The Jinja2 wording in prompts/letter; StrictUndefined so a typo fails loudly."""

    def __init__(self, directory: Path):
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        self.directory = Path(directory) / "letter"
        self.env = Environment(loader=FileSystemLoader(str(self.directory)), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(f"{name}.j2").render(**context).strip()

    def appraisals(self) -> list[str]:
        return sorted(p.stem for p in (self.directory / "appraisal").glob("*.j2"))


class Relevance:
    """How well a piece of text answers one suggestion.

    Lexical: the share of the suggestion's word weight the text covers (its lead clause counts
    more than its details). A word's weight is its IDF in the index, discounted by how many of
    the candidate units share it: in a science bureau's letters 科技、创新、企业 are everywhere and
    prove nothing, 信贷 or 实验动物 decide. Dense: the unit's cosine to the suggestion, rescaled over
    the band where this model separates related from unrelated passages (``draft_cosine_band``);
    a cosine alone, with no shared word, scores nothing here: such a unit is taken only where
    meaning is trusted on its own (``close``, ``nearest``)."""

    def __init__(
        self,
        index: WordWeights,
        lead: str,
        detail: str,
        vector: np.ndarray | None,
        settings: Settings,
        expansions: Sequence[str] = (),
        tokens: Callable[[str], AbstractSet[str]] | None = None,
        band: tuple[float, float] | None = None,
        hubness: Callable[[np.ndarray], float | None] | None = None,
        distinct_floor: float | None = None,
    ) -> None:
        # ``tokens``: text → its set of words, shared by the Relevance objects of one draft, which
        # score the same few dozen units against every suggestion
        self.tokens = tokens or (lambda text: set(segment.tokenize(text)))
        self._index = index
        tokens_lead = self.tokens(lead)
        tokens_detail = self.tokens(detail) - tokens_lead
        self.idf = index.idf_weights([*tokens_lead, *tokens_detail])
        self.tokens_lead, self.tokens_detail = tokens_lead, tokens_detail
        # the lead's clauses (their words of the lead), those of two words or more: what ``clause_coverage`` weighs
        clauses = (self.tokens(c) & tokens_lead for c in re.split(r"[，,；;。]", lead))
        self._clauses = [c for c in clauses if sum(1 for t in c if len(t) > 1) >= 2]
        # every clause of the lead and its details: what ``sentence_clause_coverage`` looks for in one sentence
        self._all_clauses = [self.tokens(c) for c in CLAUSE_SPLIT.split(f"{lead}。{detail}") if c.strip()]
        self._said = PHRASE_BREAK.sub("|", f"{lead}|{detail}")  # what ``phrase`` finds runs of, punctuation never part of one
        self._split()
        # Policy terms the suggestion names in quotes (“揭榜挂帅”、“科创指数贷”): a unit that uses
        # the very term is about it, however few of the other words it shares.
        self.quoted = [t for t in ASKED_TERM.findall(lead) if len(t) >= 3]
        self.called = [t for t in expansions if t not in self.quoted]  # what the thesaurus says its words call for
        self.terms = self.quoted + self.called
        self.band = band if band is not None else settings.draft_cosine_band
        self.vector = vector if self.band else None  # a model with no calibrated band: words alone
        self.dense_share = settings.draft_dense_share if self.vector is not None else 0.0
        self.specific_floor = settings.draft_specific_floor
        # ``hubness``: a vector → its mean cosine to the field's programmes (Drafter._hubness)
        self.hubness = hubness if self.vector is not None and distinct_floor is not None else None
        self.hub = self.hubness(self.vector) if self.hubness and self.vector is not None else None
        self.distinct_floor = distinct_floor

    def _split(self, discount: dict[str, float] | None = None) -> None:
        self._discount = discount or {}
        weight = self._weighed(self.idf)
        self.lead = {t: weight[t] for t in self.tokens_lead}
        self.detail = {t: weight[t] for t in self.tokens_detail}
        # the specific words (not 一站式/服务/平台…) of what the suggestion asks, or of its details
        # when its lead is all generic (加大支持力度): what a unit must share to answer it
        self.specific = {t: self.lead[t] for t in segment.specific_words(self.lead)} or {t: self.detail[t] for t in segment.specific_words(self.detail)}
        # each clause's specific words (lead or details), at this weighting, where it holds two or more
        weights = {**self.detail, **self.lead}
        specifics = ({t: weights[t] for t in segment.specific_words(clause) if t in weights} for clause in self._all_clauses)
        self._clause_specifics = [specific for specific in specifics if len(specific) >= 2]

    def _weighed(self, idf: dict[str, float]) -> dict[str, float]:
        """Words weighed as this suggestion weighs them: IDF, less for words most candidates share, action verbs less."""
        return verb_discounted({t: w * self._discount.get(t, 1.0) for t, w in idf.items()})

    def discount_common(self, unit_tokens: Sequence[AbstractSet[str]]) -> None:
        """Words most candidate units share weigh less (at least a tenth of their IDF)."""
        if len(unit_tokens) < 5:
            return
        share = {t: sum(1 for tokens in unit_tokens if t in tokens) / len(unit_tokens) for t in self.idf}
        self._split({t: max(0.1, 1 - s) for t, s in share.items()})

    def lexical(self, text: str, term_credit: bool = True) -> float:
        """The share of the suggestion's word weight the text covers; at least ``ASKED_TERM_CREDIT``
        where it uses a term the suggestion asks for, unless ``term_credit`` is off (the judge weighs
        the term apart)."""
        tokens = self.tokens(text)
        if not self.detail:
            covered = coverage(self.lead, tokens)
        else:
            covered = LEAD_SHARE * coverage(self.lead, tokens) + (1 - LEAD_SHARE) * coverage(self.detail, tokens)
        if term_credit and self.uses_term(text):
            covered = max(covered, ASKED_TERM_CREDIT)
        return covered

    def specific_coverage(self, text: str, term_credit: bool = True) -> float:
        """The share of the specific words' weight the text covers (a normative term used verbatim: all)."""
        if term_credit and self.uses_term(text):
            return 1.0
        return coverage(self.specific, self.tokens(text))

    def clause_coverage(self, text: str) -> float:
        """The best share of one clause's specific words the text covers, over the clauses of the
        suggestion's lead that hold two words or more: 建立低空飞行安全监管平台，落实无人机实名登记和禁飞区管理
        is answered by an article on 实名登记 though the platform clause, leading, carries most of the weight.
        The judge weighs it beside the whole's share (``specific``)."""
        tokens = self.tokens(text)
        best = 0.0
        for clause in self._clauses:
            weights = {t: self.lead[t] for t in clause}
            if specific := {t: weights[t] for t in segment.specific_words(weights)}:
                best = max(best, coverage(specific, tokens))
        return best

    def sentence_clause_coverage(self, text: str) -> float:
        """The best share of one clause's specific words that a single sentence of the text holds, over
        the clauses (of the lead and its details) with two specific words or more. An article or a reply
        paragraph holds several measures (数字赋能……成果池……校（院）地科技成果转化联合办公室……一站式服务); the one a
        suggestion asks for stands in one sentence, its words together, not scattered over the text."""
        sentences = [self.tokens(sentence) for sentence in SENTENCE_SPLIT.split(text) if sentence.strip()]
        return max((coverage(clause, sentence) for clause in self._clause_specifics for sentence in sentences), default=0.0)

    def measure_asked(self, text: str) -> float:
        """The best share of one of the text's own clauses — a measure, two specific words or more — that the
        suggestion says, the reverse of ``clause_coverage``: 二是强化金融支持。继续优化“科创指数”模型，……，做大做强科创基金
        lists four measures, and 做大科创基金规模 asks for the last one (做大、科创基金 of 做大、做强、科创基金) though
        most of the suggestion's words (产业基金、撬动、子基金、返投) are not in the paragraph. Words most candidates
        share weigh less, as in the suggestion's own weights."""
        clauses = [words for words in (segment.specific_words(self.tokens(clause)) for clause in CLAUSE_SPLIT.split(text)) if len(words) >= 2]
        if not clauses:
            return 0.0
        weight = self._weighed(self._index.idf_weights({word for words in clauses for word in words}))
        # a word is said where the suggestion holds it, as a substring: 科创基金 in 做大科创基金规模, and in 科创类基金
        said = _Loosely(self._said)
        return max(coverage({word: weight[word] for word in words}, said) for words in clauses)

    def phrase(self, text: str) -> float:
        """The longest run of characters the suggestion and the text share, 0 up to ``PHRASE_FLOOR`` characters
        and 1 from ``PHRASE_FLOOR + PHRASE_SPAN``: 校（院）地科技成果转化联合办公室 said again is the same measure,
        where 科技 or 转化 alone prove nothing."""
        said = PHRASE_BREAK.sub("#", text)
        run = SequenceMatcher(None, self._said, said, autojunk=False).find_longest_match(0, len(self._said), 0, len(said)).size
        return min(max(run - PHRASE_FLOOR, 0), PHRASE_SPAN) / PHRASE_SPAN

    def uses_term(self, text: str, terms: Sequence[str] | None = None) -> bool:
        """The text says one of ``terms`` verbatim (default: every term the suggestion asks for, quoted or called for)."""
        return any(term in text for term in (self.terms if terms is None else terms))

    def close(self, vector: np.ndarray | None) -> bool:
        """The unit means what the suggestion says: its cosine is at the top of the model's band."""
        return vector is not None and self.vector is not None and self.band is not None and float(vector @ self.vector) >= self.band[1]

    def nearest(self, vectors: list[np.ndarray | None]) -> int | None:
        """The position of the vector closest to the suggestion, if it lies ``NEAREST_BAND_SHARE``
        up the model's band or more; None otherwise."""
        if self.vector is None or self.band is None:
            return None
        cosines = [float(v @ self.vector) if v is not None else -1.0 for v in vectors]
        if not cosines:
            return None
        best = max(range(len(cosines)), key=cosines.__getitem__)
        low, high = self.band
        return best if cosines[best] >= low + NEAREST_BAND_SHARE * (high - low) else None

    def distinct(self, vector: np.ndarray | None) -> bool:
        """The unit means this suggestion more than it means the field at large: its cosine to the
        suggestion, corrected for how near both sit to the field's programmes in general (CSLS),
        reaches the model's ``distinct_floor``. 强化数字赋能……就地转化 is near every proposal of a
        science bureau and shares 成果、转化 with a suggestion on 新型研发机构分类评价: close by
        cosine, not distinctly. True where that cannot be measured (no vectors, no calibration)."""
        if self.hub is None or self.hubness is None or vector is None or self.distinct_floor is None:
            return True
        hub = self.hubness(vector)
        return hub is None or 2 * float(vector @ self.vector) - hub - self.hub >= self.distinct_floor

    def answers(self, text: str, vector: np.ndarray | None = None) -> bool:
        """A unit may answer the suggestion only if it covers enough of the suggestion's specific
        words (``draft_specific_floor``) or its meaning is close: a shared 一站式 or 技术 is not enough;
        and, unless its words cover half the suggestion's specific weight or its very term
        (``WORDED_OUTRIGHT``: 就地交易、就地转化 answers 促进成果就地交易 however broad the paragraph),
        only if it means this suggestion distinctly (``distinct``)."""
        coverage = self.specific_coverage(text)
        return (coverage >= self.specific_floor or self.close(vector)) and (coverage >= WORDED_OUTRIGHT or self.distinct(vector))

    def lead_words(self, text: str) -> int:
        """How many distinct words of the suggestion's lead clause the text contains."""
        tokens = self.tokens(text)
        return sum(1 for t in self.lead if t in tokens and len(t) > 1)

    def score(self, text: str, vector: np.ndarray | None = None) -> float:
        lexical = self.lexical(text)
        if vector is None or not self.dense_share or lexical == 0 or self.band is None:
            return lexical
        low, high = self.band
        dense = min(1.0, max(0.0, (float(vector @ self.vector) - low) / (high - low)))
        return (1 - self.dense_share) * lexical + self.dense_share * dense


class Drafter:
    """Turns a proposal into a Draft from the precedent units it finds: ``retriever`` is what the
    letter room may read of the index (``precedents.Precedents``; ``search.retrieval.Retriever``)."""

    def __init__(self, retriever: Precedents, settings: Settings, templates: Templates | None = None) -> None:
        # fixed fusion weights: the unit floors were chosen on candidates found without the lean
        # on dense for weak keywords (with it, unit precision fell 0.78 → 0.75 on the examples)
        retriever.lean_on_dense = False
        retriever.rerank = False  # the judge was learned on candidates in fusion order
        # ... and on the terms the thesaurus calls for: with the field vocabulary's too, blind A–I lost
        # 3 of 427 answered suggestions and K's precision fell 0.87 → 0.80 (it serves search)
        retriever.field_vocabulary = False
        self.retriever = retriever
        self.settings = settings
        self.templates = templates or Templates(settings.prompts_dir)
        self.band = settings.draft_cosine_band or retriever.model_tuning.cosine_band
        floor = settings.draft_distinct_floor
        self.distinct_floor = floor if floor is not None else retriever.model_tuning.distinct_floor
        self._hub: Callable[[np.ndarray], float | None] | None = None  # set per draft (_hubness)
        # the judge, and the one learned without the closest sentence for an index not yet holding them
        self._judges = self._load_judges()
        self.judge = self._judges[0]
        self._judged: dict[tuple[int, int], float] | None = None  # (unit id, suggestion) → probability, per draft
        self._proposal_text = ""  # set per draft (_prepare)
        self._proposal_title = ""
        self._title_fields: list[str] = []
        self._suggestion_fields: list[tuple[str, list[str]]] = []

    def draft(self, proposal: Proposal, appraisal: str | None = None, today: Date | None = None, lead_unit: str | None = None) -> Draft:
        """A 答复函 to the proposer; with ``lead_unit`` (we are 会办) a 会办意见 to that unit instead: the same
        measures and plans, in prompts/letter/co_handling's wording, with no appraisal, thanks or 抄送."""
        s, t = self.settings, self.templates
        co_handling = lead_unit is not None
        wording = "co_handling/" if co_handling else ""
        appraisal = appraisal or s.appraisal
        if not co_handling and appraisal not in t.appraisals():
            from ..errors import QueryError

            raise QueryError(
                f"没有评价模板 {appraisal}，可选：{'、'.join(t.appraisals())}", f"no appraisal template {appraisal}; choose from {', '.join(t.appraisals())}"
            )
        context = {
            **proposal.to_dict(),
            "work_area": s.work_area,
            "contact_name": s.contact_name,
            "contact_phone": s.contact_phone,
            "lead_unit": (lead_unit or "").strip(),
            "we": self_reference(s.issuing_unit),
            "you": proposal.you,
        }
        self._today = today = today or today_in(s.timezone)
        suggestions = proposal.suggestions
        relevance, units, whole = self._prepare(proposal)
        judging = self.judge is not None and self._measurable(relevance, units)
        self._judged = self._judge_units(units, relevance) if judging else None
        plan_units, measure_units = self._assign(units, relevance, whole)
        plan_basis, near_basis = self._basis_lines(proposal, relevance)
        taken = {item.unit.id for items in (*plan_units, measure_units) for item in items} | {line[1].id for lines in plan_basis for line in lines}
        leads: dict[str, list[Citation]] = {}

        warnings = []
        if co_handling:
            opening = t.render("co_handling/opening", **context)
        else:
            opening = "".join(t.render(name, **context, has_results=bool(measure_units)) for name in ("receipt", "summary", f"appraisal/{appraisal}"))
            said = t.render(f"appraisal/{appraisal}", **context, has_results=True)
            if not measure_units and said not in opening:  # the appraisal chosen claims results 一、 does not show
                warnings.append(
                    "评价用语：一、未找到已开展的工作，“已在实践中落实”已改为“认真研究吸收”；补上已落实的工作后请改回原评价 / "
                    "the appraisal claims no results, since 一、 lists none"
                )
        paragraphs = [
            *([] if co_handling else [Paragraph(role="doc_number", section="header", text=t.render("placeholder", what="文号"))]),
            Paragraph(role="title", section="header", text=t.render(f"{wording}title", **context)),
            Paragraph(role="salutation", section="header", text=t.render(f"{wording}salutation", **context)),
            Paragraph(role="opening", section="opening", text=opening),
            Paragraph(role="heading1", section="measures", text=t.render(f"{wording}measures_heading", **context)),
        ]
        measures = [self._unit_paragraph(item.unit, "measures") for item in measure_units]
        _enumerate(measures)
        paragraphs += measures or [
            Paragraph(role="body", section="measures", text=t.render(f"{wording}gap", what="已开展的工作举措及成效", leads=[], reported=False, **context))
        ]

        paragraphs.append(Paragraph(role="heading1", section="plan", text=t.render(f"{wording}plan_heading", **context)))
        for index, suggestion in enumerate(suggestions):
            section = f"plan:{index + 1}"
            heading = nested_quotes(heading_of(suggestion))
            opener = t.render("suggestion_opener", ordinal=cn_numeral(index + 1), suggestion=heading)
            paragraphs.append(Paragraph(role="heading2", section=section, text=opener))
            body = [self._plan_paragraph(item, section, position) for position, item in enumerate(plan_units[index])]
            basis = [self._basis_paragraph(line, section) for line in plan_basis[index]]
            if body:
                paragraphs += body + basis
            else:
                near = [] if basis else self._leads(near_basis[index], taken)
                if near:
                    leads[section] = [
                        Citation.of_passage(f"{section}.{n + 1}", unit.chunk_id or 0, unit, excerpt, role=unit.role, article=unit.article)
                        for n, (_, unit, excerpt) in enumerate(near)
                    ]
                named = [_lead_text(unit, quote, suggestion) for _, unit, quote in near]
                # a result this suggestion's matter brought into 一、 is said to be there: the 承办人 writes the next step
                reported = any(item.suggestion == index for item in measure_units)
                gap = t.render(f"{wording}gap", what=f"关于“{heading}”的工作举措", leads=named, reported=reported, **context)
                paragraphs += [Paragraph(role="body", section=section, text=gap)] + basis
        if not suggestions:
            paragraphs.append(Paragraph(role="body", section="plan", text=t.render("placeholder", what="下一步工作计划")))

        paragraphs += [
            Paragraph(role="closing", section="closing", text=t.render(f"{wording}closing", **context)),
            Paragraph(role="contact", section="closing", text=t.render("contact", **context)),
            Paragraph(role="signature", section="closing", text=s.issuing_unit or t.render("placeholder", what="发文单位")),
            Paragraph(role="date", section="closing", text=chinese_date(today)),
            *([] if co_handling else [Paragraph(role="cc", section="closing", text=t.render("cc", **context))]),
        ]
        for paragraph in paragraphs:
            paragraph.flags = flag_paragraph(paragraph, self._citations)
        kept = {k: v for k, v in proposal.to_dict().items() if k != "text"} | ({"lead_unit": context["lead_unit"]} if co_handling else {})
        return Draft(proposal=kept, paragraphs=paragraphs, citations=list(self._citations.values()), warnings=warnings, leads=leads)

    # -- finding and scoring units ----------------------------------------------------------
    def _tokens(self, text: str) -> frozenset[str]:
        """A text's words, segmented once per draft (not at every unit × suggestion pair)."""
        if text not in self._token_sets:
            self._token_sets[text] = frozenset(self.retriever.tokenize(text))
        return self._token_sets[text]

    def _hubness(self) -> Callable[[np.ndarray], float | None] | None:
        """vector → its mean cosine to its closest thesaurus entries (computed once per vector and
        draft), or None where the model has no ``distinct_floor``, drafting uses no cosine
        (``draft_dense_share`` 0, no band) or the index holds no vectors."""
        if self.distinct_floor is None or not self.settings.draft_dense_share or not self.band:
            return None
        terms = self.retriever.term_meaning()
        if terms is None:
            return None
        known: dict[bytes, float | None] = {}

        def hubness(vector: np.ndarray) -> float | None:
            key = vector.tobytes()
            if key not in known:
                known[key] = terms.hubness(vector)
            return known[key]

        return hubness

    def _relevance(self, proposal: Proposal, index: int) -> Relevance:
        lead = proposal.suggestions[index]
        detail = proposal.details[index] if index < len(proposal.details) else ""
        vector = None
        if self.settings.draft_dense_share and self.band:
            vector = self.retriever.query_vector(proposal.search_text(index))
        # the normative terms the suggestion's own ask calls for count like a term it quotes; those its
        # background calls for (技术需求 in “对接企业技术需求与金融服务”) would vouch for off-topic units
        expansions = self.retriever.thesaurus_terms(lead)
        return Relevance(
            self.retriever, lead, detail if detail != lead else "", vector, self.settings, expansions, self._tokens, self.band, self._hub, self.distinct_floor
        )

    def _whole_relevance(self, proposal: Proposal) -> Relevance:
        # the suggestions, not the title: 关于破解……难题的提案 adds words every proposal has
        lead = " ".join(proposal.suggestions)
        vector = None
        if self.settings.draft_dense_share and self.band:
            vector = self.retriever.query_vector(lead)
        return Relevance(self.retriever, lead, " ".join(proposal.details), vector, self.settings, tokens=self._tokens, band=self.band)

    def _candidate_units(self, proposal: Proposal) -> list[UnitRow]:
        """Reusable units (成效/举措/计划) of the reply letters the search finds for any suggestion."""
        queries = [proposal.search_text(i) for i in range(len(proposal.suggestions))]
        queries.append(" ".join([proposal.title, *proposal.suggestions]) or proposal.text[:500])
        chunk_ids: list[int] = []
        for query in queries:
            if query.strip():
                chunk_ids += [r.chunk_id for r in self.retriever.search(query, k=self.settings.draft_candidates, doc_type="reply").results]
        units = self.retriever.units_of_chunks(chunk_ids, roles=("成效", "举措", "计划"))
        return [u for u in units if _adapt(unit_body(u.text), u)]  # nothing left once its restatement is cut: skip

    def _whole_pairs(self, units: list[UnitRow], relevance: list[Relevance], whole: Relevance | None) -> list[_Scored]:
        """成效/举措 units scored against the whole proposal, each filed under the suggestion it fits best."""
        if whole is None or self._judged is not None:  # the judge weighs each unit against each suggestion: its pairs say it all
            return []
        out = []
        for unit in units:
            if unit.role in ("成效", "举措"):
                context = _unit_context(unit)
                # 一、 reports what was done about this proposal: a result answering none of its
                # suggestions (the bureau's 高企 counts under a talent proposal) stays out
                answered = [i for i, r in enumerate(relevance) if self._answers(unit, i, r)]
                if answered:
                    nearest = max(answered, key=lambda i: relevance[i].lexical(context))
                    out.append(_Scored(unit, nearest, whole.score(context, unit.vector)))
        return out

    def _assign(self, units: list[UnitRow], relevance: list[Relevance], whole: Relevance | None = None) -> tuple[list[list[_Scored]], list[_Scored]]:
        """Each unit used once, going to the suggestion it fits best: all (unit, suggestion) pairs
        above the floor are taken best first while the suggestion has room (not first come,
        first served)."""
        floor, per_plan = self.settings.draft_relevance_floor, self.settings.draft_per_suggestion
        judged = self._judged
        if judged is not None:  # the learned judge both admits a pair and ranks it
            pairs = sorted(
                (_Scored(u, i, judged[u.id, i]) for u in units for i in range(len(relevance)) if self._answers(u, i, relevance[i])),
                key=lambda p: (-p.score, p.unit.id, p.suggestion),
            )
        else:
            pairs = sorted(
                (_Scored(u, i, r.score(_unit_context(u), u.vector)) for u in units for i, r in enumerate(relevance)),
                key=lambda p: (-p.score, p.unit.id, p.suggestion),
            )
            pairs = [p for p in pairs if p.score >= floor and self._answers(p.unit, p.suggestion, relevance[p.suggestion])]
        used: set[int] = set()
        texts: list[str] = []
        plan: list[list[_Scored]] = [[] for _ in relevance]

        def take(pair: _Scored, into: list[_Scored]) -> None:
            into.append(pair)
            used.add(pair.unit.id)
            texts.append(pair.unit.text)

        def free(pair: _Scored) -> bool:
            return pair.unit.id not in used and not _near_duplicate(pair.unit.text, texts)

        # Next steps go to 二、 first: that is where a suggestion is answered. Every suggestion
        # gets its best free unit before any gets a second, so one rich topic can't take them all.
        # Where the judge decides, a suggestion's first unit needs its threshold; a second one, and a result
        # for 一、, need it sure: a reader must delete a wrong further paragraph; a missing one costs less.
        sure = self.judge.reply.sure if judged is not None and self.judge is not None else 0.0
        for room in (1, per_plan) if per_plan else ():
            for pair in pairs:
                held = plan[pair.suggestion]
                further = bool(held) and (pair.score >= SECOND_UNIT_RATIO * held[0].score and pair.score >= sure)
                if pair.unit.role == "计划" and len(held) < room and free(pair) and (not held or further):
                    take(pair, held)
        for pair in pairs:  # a suggestion with no next step of its own: the best ongoing measure, carried forward
            if pair.unit.role == "举措" and not plan[pair.suggestion] and per_plan and free(pair):
                take(pair, plan[pair.suggestion])
        # A suggestion still without a step, whose unit went to another: where the unit's clauses
        # part between the two (继续优化“科创指数”模型…，做大做强科创基金), each takes its own, as a
        # 承办人 would split one 下一步 paragraph that answers two asks.
        for pair in pairs:
            if plan[pair.suggestion] or not per_plan:
                continue
            holder = next((p for items in plan for p in items if p.unit.id == pair.unit.id), None)
            if holder is None or holder.text is not None:
                continue
            parted = _part_clauses(_adapt(unit_body(pair.unit.text), pair.unit), relevance[holder.suggestion], relevance[pair.suggestion])
            if parted:
                holder.text, own = parted
                plan[pair.suggestion].append(_Scored(pair.unit, pair.suggestion, pair.score, own))
        # 一、 reports on the proposal as a whole: a result counts when it fits one suggestion or
        # the suggestions together (融资 + 基金 + 金融 → 科创基金、科创指数贷款), over a lower floor:
        # what was done in the field is context, and a wrong one costs less here than under 二、.
        measures: list[_Scored] = []
        per_suggestion: dict[int, int] = {}
        for pair in sorted(self._whole_pairs(units, relevance, whole) + pairs, key=lambda p: -p.score):
            if (
                (pair.score >= sure if judged is not None else pair.score >= self.settings.draft_measures_floor)
                and pair.unit.role in ("成效", "举措")
                and len(measures) < self.settings.draft_measures
                and per_suggestion.get(pair.suggestion, 0) < MEASURES_PER_SUGGESTION
                and free(pair)
            ):
                take(pair, measures)
                per_suggestion[pair.suggestion] = per_suggestion.get(pair.suggestion, 0) + 1
        for items in plan:
            items.sort(key=lambda p: -p.score)
        # a general opener (近年来，我市高度重视……) leads 一、; the rest follow the suggestions
        measures.sort(key=lambda p: (not OPENER.match(unit_body(p.unit.text)), p.suggestion, -p.score))
        return plan, measures

    # -- basis lines from policy text ---------------------------------------------------------
    def _basis_lines(
        self, proposal: Proposal, relevance: list[Relevance]
    ) -> tuple[list[list[tuple[str, UnitRow, float]]], list[list[tuple[float, UnitRow, str]]]]:
        """Per suggestion at most one basis line (line, unit, score), under its （N） only: a statute
        is not something we achieved, so 一、 never gets one. A regulation qualifies when it is ours
        (jurisdiction), of our field or named by the proposal (or, for another field's, the quoted
        sentence speaks of science: ``_basis_candidates``), the newest version the index holds,
        and the quoted sentence sets no target whose year has passed. Then the article must be
        about what is asked: by its words (the regulation's title names the proposal's subject and
        the quote carries the suggestion's specific words) or by its meaning (close in the model's
        band, or the closest of the qualifying articles and well up the band) — and, either way, it
        must mean the suggestion distinctly (``Relevance.distinct``; no words-outright exception
        here: a statute's vocabulary is everyone's). Where the judge weighs (``_judge_articles``) it
        admits and ranks the qualifying articles instead of those rules.

        Each article goes where it counts most (``chosen_lines``). An article is quoted a second time only for a
        suggestion left without a line, and then for another of its sentences (第二十四条's 质押贷款 for one ask,
        its 保险费补贴 for the next).

        Also returns, per suggestion, the qualifying articles the judge weighed below its threshold
        (probability, unit, quote; likeliest first): a suggestion left 【待补充】 names the likeliest (``_leads``)."""
        topic_words = self._topic_words(proposal)
        newest = self.retriever.newest_versions()
        wanted: list[list[tuple[float, UnitRow, str]]] = []
        near: list[list[tuple[float, UnitRow, str]]] = []
        bars: list[float | None] = []  # the gate's threshold that admitted each suggestion's lines; None: the rules did
        for index, rel in enumerate(relevance):
            qualifying = self._basis_candidates(proposal, index, rel, newest)
            judged = self._judge_articles(qualifying, index, relevance, topic_words) if self._judged is not None else None
            if judged is not None and self.judge is not None:  # the judge weighs whether the regulation is of our field with the rest
                threshold = self.judge.basis.threshold
                wanted.append([x for x in judged if x[0] >= threshold])
                near.append([x for x in judged if x[0] < threshold])
                bars.append(threshold)
            else:  # the rules look at our field's articles first, at another field's only if none is about the ask
                ours = [self._of_our_field(unit.title) for unit, _, _ in qualifying]
                mine, others = [q for q, o in zip(qualifying, ours) if o], [q for q, o in zip(qualifying, ours) if not o]
                wanted.append(self._ruled_articles(mine, rel, topic_words) or self._ruled_articles(others, rel, topic_words))
                near.append([])
                bars.append(None)
        per_suggestion: list[list[tuple[str, UnitRow, float]]] = [[] for _ in relevance]
        for index, (score, unit, quote) in chosen_lines(wanted, bars).items():
            per_suggestion[index].append((_basis_text(unit, quote), unit, score))
        return per_suggestion, near

    def _leads(self, near_articles: list[tuple[float, UnitRow, str]], taken: set[int]) -> list[tuple[float, UnitRow, str]]:
        """For a suggestion left 【待补充】 with no basis line: up to ``draft_leads`` articles the basis gate
        weighed just short of admitting (at ``NEAR_SHARE`` of its threshold or more), none the letter quotes
        elsewhere — (probability, unit, quote), likeliest first. The placeholder names them for the 承办人 to
        look at; they are never quoted (the judge did not admit them). Reply units are not named: below the
        reply gate's threshold few are about the ask (A–X: at most 3 in 10, against half of these articles).
        Requiring a word of the ask in the sentence was measured and not kept (A–X: the same half about the
        matter, 62 missed suggestions pointed at an acceptable article instead of 71)."""
        if self.judge is None or not self.settings.draft_leads:
            return []
        floor = NEAR_SHARE * self.judge.basis.threshold
        return [line for line in near_articles if line[0] >= floor and line[1].id not in taken][: self.settings.draft_leads]

    def _topic_words(self, proposal: Proposal) -> set[str]:
        """The words of what the proposal is about: its title, suggestions and their details."""
        return set(self._tokens(" ".join([proposal.title, *proposal.suggestions, *proposal.details])))

    def _ruled_articles(
        self, qualifying: list[tuple[UnitRow, str, np.ndarray | None]], rel: Relevance, topic_words: set[str]
    ) -> list[tuple[float, UnitRow, str]]:
        """The qualifying articles the rules let be a basis line, best first: about what is asked by
        their words or their meaning, and meaning it distinctly."""
        floor = self.settings.draft_basis_floor
        nearest = rel.nearest([unit.vector for unit, _, _ in qualifying])  # own vectors only
        scored = []
        for position, (unit, quote, vector) in enumerate(qualifying):
            # 试验区 alone does not make 原油精炼 a basis for 低空经济; 科研诚信 and 弄虚作假 share no word
            worded = (
                _about_the_proposal(self._tokens(unit.title), topic_words)
                and rel.lexical(unit.text) >= floor
                and rel.lead_words(quote) >= 2
                and rel.specific_coverage(quote) >= BASIS_SPECIFIC
            )
            if (worded or rel.close(vector) or position == nearest) and rel.distinct(vector):
                scored.append((rel.score(unit.text, vector), unit, quote))
        return sorted(scored, key=lambda x: -x[0])

    # -- the learned judge (letter/judge.py) --------------------------------------------------
    def _load_judges(self) -> tuple[Judge | None, Judge | None]:
        """The judge for the index's model (or the file ``draft_judge_file`` names), and the one for
        an index whose files do not all hold their sentences' vectors yet (the same for a named file);
        none when ``draft_judge`` is off, for a model without one, or when drafting uses no cosine."""
        s = self.settings
        if not s.draft_judge or not s.draft_dense_share or not self.band:
            return None, None
        if s.draft_judge_file is None:
            tuned = self.retriever.model_tuning
            return self._usable(bundled_judge(tuned.judge)), self._usable(bundled_judge(tuned.judge_plain))
        judge = self._usable(Judge.load(s.draft_judge_file))
        return judge, judge

    def _usable(self, judge: Judge | None) -> Judge | None:
        """``judge`` if it was learned for the index's model; a file named that is not is logged."""
        s = self.settings
        # learned on one model's cosines: another model's band and hubs would be misread
        usable = judge if judge is not None and judge.model == self.retriever.model_name else None
        if usable is None and s.draft_judge_file is not None:
            logging.getLogger(__name__).warning(
                "评判文件 %s 无法使用（版本、证据或嵌入模型不符，请用 bench/train_judge.py 重新训练），按规则起草 / "
                "judge file %s refused (another version, evidence or embedding model; relearn it with bench/train_judge.py): drafting by the rules",
                s.draft_judge_file,
                s.draft_judge_file,
            )
        return usable

    def _prepare(self, proposal: Proposal) -> tuple[list[Relevance], list[UnitRow], Relevance | None]:
        """One draft's suggestions (each a Relevance), candidate reply units and the whole proposal's
        Relevance, words most candidates share discounted: what drafting and the judge's learning
        (``evidence_pairs``) both start from."""
        self._citations: dict[str, Citation] = {}
        self._token_sets: dict[str, frozenset[str]] = {}
        self._proposal_text = proposal.text  # a regulation it names by its title counts as of our field
        self._proposal_title = proposal.title  # …and one whose subject its title names (中医药, 节能 → 节约能源)
        self._title_fields = [term for term in self.retriever.field_names(proposal.title) if len(term) >= SUBJECT_MIN]
        # …or one whose subject a suggestion names, in its words or the field's (无人机 → 无人驾驶航空器)
        self._suggestion_fields = [self._named_fields(proposal, i) for i in range(len(proposal.suggestions))]
        # learned where every unit of several sentences has their vectors: an index from before
        # (until its next ingest) would read each unit's closest sentence as its whole, farther
        full, plain = self._judges
        self.judge = full if full is plain or self.retriever.holds_sentences() else plain
        self._hub = self._hubness()
        relevance = [self._relevance(proposal, i) for i in range(len(proposal.suggestions))]
        units = self._candidate_units(proposal)
        whole = self._whole_relevance(proposal) if proposal.suggestions else None
        unit_tokens = [self._tokens(_unit_context(u)) for u in units]
        for rel in [*relevance, *([whole] if whole else [])]:
            rel.discount_common(unit_tokens)
        return relevance, units, whole

    @staticmethod
    def _measurable(relevance: list[Relevance], units: list[UnitRow]) -> bool:
        """The judge's evidence can be measured as it was when it was learned: every suggestion and
        every candidate unit has a vector, and the hub correction is known for the suggestions."""
        return bool(relevance) and all(r.vector is not None and r.hub is not None for r in relevance) and all(u.vector is not None for u in units)

    def _unit_evidence(self, units: list[UnitRow], relevance: list[Relevance]) -> dict[tuple[int, int], dict[str, float]]:
        """What the judge weighs for every (reply unit id, suggestion) pair; units and suggestions all have vectors."""
        if not units:
            return {}
        cosines = np.stack([u.vector for u in units]) @ np.stack([r.vector for r in relevance]).T  # type: ignore[misc]
        best = cosines.max(axis=0)
        closest = self._closest_sentences(units, relevance)
        return {
            (unit.id, i): pair_evidence(
                rel, _unit_context(unit), unit.vector, cosines[row].tolist(), i, float(best[i]), role=unit.role, closest=closest[row, i]
            )
            for row, unit in enumerate(units)
            for i, rel in enumerate(relevance)
        }

    def _closest_sentences(self, units: list[UnitRow], relevance: list[Relevance]) -> np.ndarray:
        """(unit, suggestion) → the cosine of the unit's sentence closest to the suggestion (-1 for
        a unit without sentence vectors): one clause of a long reply paragraph or article may be
        exactly what an ask is about while the rest is about something else."""
        suggestions = np.stack([r.vector for r in relevance])  # type: ignore[misc]
        sentences = self.retriever.sentence_vectors([u.id for u in units])
        out = np.full((len(units), len(relevance)), -1.0)
        for row, unit in enumerate(units):
            if unit.id in sentences:
                out[row] = (sentences[unit.id] @ suggestions.T).max(axis=0)
        return out

    def _article_evidence(
        self, qualifying: list[tuple[UnitRow, str, np.ndarray | None]], index: int, relevance: list[Relevance], topic_words: set[str]
    ) -> list[tuple[UnitRow, str, dict[str, float]]]:
        """What the judge weighs for each qualifying article, for suggestion ``index``; [] unless every
        one has a vector of its own (a passage's, lent where articles have none, cannot tell its
        articles apart, and the judge never learned on such)."""
        if not qualifying or any(unit.vector is None for unit, _, _ in qualifying):
            return []
        cosines = np.stack([unit.vector for unit, _, _ in qualifying]) @ np.stack([r.vector for r in relevance]).T  # type: ignore[misc]
        best = float(cosines[:, index].max())
        closest = self._closest_sentences([unit for unit, _, _ in qualifying], relevance)
        return [
            (
                unit,
                quote,
                pair_evidence(
                    relevance[index],
                    unit.text,
                    unit.vector,
                    cosines[row].tolist(),
                    index,
                    best,
                    quote=quote,
                    titled=_about_the_proposal(self._tokens(unit.title), topic_words),
                    field=self._of_our_field(unit.title, index),
                    rank=row,
                    closest=closest[row, index],
                ),
            )
            for row, (unit, quote, _) in enumerate(qualifying)
        ]

    def _judge_units(self, units: list[UnitRow], relevance: list[Relevance]) -> dict[tuple[int, int], float]:
        """Every (reply unit, suggestion) pair's probability of answering (the judge weighs: ``_measurable``)."""
        assert self.judge is not None
        return {pair: self.judge.reply.probability(evidence) for pair, evidence in self._unit_evidence(units, relevance).items()}

    def _answers(self, unit: UnitRow, index: int, rel: Relevance) -> bool:
        """The unit may answer suggestion ``index``: by the judge where it weighs, else by the rules."""
        if self._judged is not None and self.judge is not None:
            return self._judged[unit.id, index] >= self.judge.reply.threshold
        return rel.answers(_unit_context(unit), unit.vector)

    def _judge_articles(
        self, qualifying: list[tuple[UnitRow, str, np.ndarray | None]], index: int, relevance: list[Relevance], topic_words: set[str]
    ) -> list[tuple[float, UnitRow, str]] | None:
        """The qualifying articles for suggestion ``index`` with the basis gate's probability, likeliest
        first (the caller admits those at its threshold); None where an article has no vector of its
        own (the rules decide that suggestion's line)."""
        assert self.judge is not None
        evidence = self._article_evidence(qualifying, index, relevance, topic_words)
        if qualifying and not evidence:
            return None
        gate = self.judge.basis
        scored = [(gate.probability(e), unit, quote) for unit, quote, e in evidence]
        return sorted(scored, key=lambda x: -x[0])

    def evidence_pairs(self, proposal: Proposal) -> tuple[list[tuple[int, UnitRow, dict[str, float]]], list[tuple[int, UnitRow, dict[str, float]]]]:
        """What the judge weighs for one proposal, for learning it (bench/train_judge.py): every
        (suggestion, reply unit, evidence) and (suggestion, qualifying article, evidence) the drafter
        considers. Empty where that evidence cannot be measured (``_measurable``)."""
        self._today = today_in(self.settings.timezone)
        relevance, units, _ = self._prepare(proposal)
        if not self._measurable(relevance, units):
            return [], []
        by_id = {u.id: u for u in units}
        replies = [(i, by_id[unit_id], evidence) for (unit_id, i), evidence in self._unit_evidence(units, relevance).items()]
        topic_words = self._topic_words(proposal)
        newest = self.retriever.newest_versions()
        articles = [
            (i, unit, evidence)
            for i, rel in enumerate(relevance)
            for unit, _, evidence in self._article_evidence(self._basis_candidates(proposal, i, rel, newest), i, relevance, topic_words)
        ]
        return replies, articles

    def _basis_candidates(self, proposal: Proposal, index: int, rel: Relevance, newest: dict[str, str]) -> list[tuple[UnitRow, str, np.ndarray | None]]:
        """The articles that may be quoted for suggestion ``index`` (unit, the sentence to quote, its
        vector), in search order: found for the suggestion, numbered, not a preamble, of a regulation
        of ours and of our field (or another's article quoted by a sentence that speaks of science),
        its newest version, with a sentence that sets no passed target."""
        hits = self.retriever.search(proposal.search_text(index), k=BASIS_CANDIDATES, doc_type="policy").results
        articles = self.retriever.units_of_chunks([h.chunk_id for h in hits], roles=("条文",))
        # an index built before articles had vectors of their own (or with EMBED_ARTICLES off)
        # lends the passage's: enough for "close", not to tell its articles apart
        unvectored = [u.chunk_id for u in articles if u.vector is None and u.chunk_id is not None]
        vectors = self.retriever.known_vectors(unvectored) if rel.vector is not None and unvectored else {}
        qualifying = []
        science = self.settings.basis_article_word_list
        for unit in articles:
            if not unit.article or unit.article == PURPOSE_ARTICLE or not self._in_jurisdiction(unit.title):
                continue
            ours = self._of_our_field(unit.title, index)
            if not ours and not any(word in unit.text for word in science):
                continue
            if str(unit.metadata.get("date") or "") < newest.get(unit.title, ""):
                continue  # the index also holds this regulation as revised later: quote that one
            # another field's article is quoted only by a sentence that itself speaks of science: not
            # 粮食安全保障条例's grain sentence because another of its sentences names 科技 among departments
            quote = _best_sentence(unit, rel, self._today.year, None if ours else science)
            if quote is not None:
                vector = unit.vector if unit.vector is not None or unit.chunk_id is None else vectors.get(unit.chunk_id)
                qualifying.append((unit, quote, vector))
        return qualifying

    def _of_our_field(self, title: str, index: int | None = None) -> bool:
        """A regulation of the bureau's field (``basis_fields``: words of its title) or one the
        proposal names. Any other is cited only by a sentence that speaks of science
        (``basis_article_words``; ``_basis_candidates``): 《浙江省医疗保障条例》's article on 医保 一站式
        settlement is no basis for a science bureau's answer on talent services; 《浙江省中医药条例》's
        on 中医药科学研究 is for one on 中医药 research. A proposal whose title names a regulation's subject
        (关于推动中医药传承创新的提案 and 《浙江省中医药条例》) makes that regulation ours for its answer:
        the 承办人 quotes its article on 道地药材 for the ask on 道地药材. So does suggestion ``index``
        naming it, in its own words or the field's: 落实无人机实名登记 and 《浙江省无人驾驶航空器公共安全管理规定》,
        完善海洋环境监测网络 and 《浙江省海洋环境保护条例》."""
        title = title.strip("《》 ")
        if any(word in title for word in self.settings.basis_field_words) or title in self._proposal_text:
            return True
        subject = regulation_subject(title)
        if not subject:
            return False
        if subject in self._proposal_title or any(term in subject for term in self._title_fields):
            return True
        if index is None or index >= len(self._suggestion_fields):
            return False
        words, terms = self._suggestion_fields[index]
        return bool(_subject_named(subject).search(words)) or any(term in subject for term in terms)

    def _named_fields(self, proposal: Proposal, index: int) -> tuple[str, list[str]]:
        """Suggestion ``index``'s own words (its lead and detail) and the field names its everyday words
        call for (data/fields.txt: 无人机 → 无人驾驶航空器): what names a regulation's subject for it."""
        words = proposal.suggestions[index] + (proposal.details[index] if index < len(proposal.details) else "")
        return words, [term for term in self.retriever.field_names(words) if len(term) >= SUBJECT_MIN]

    def _in_jurisdiction(self, title: str) -> bool:
        return in_jurisdiction(title, self.settings.basis_region_names)

    # -- paragraphs ---------------------------------------------------------------------------
    def _unit_paragraph(self, unit: UnitRow, section: str, text: str | None = None) -> Paragraph:
        text = text or _adapt(unit_body(unit.text), unit)
        return Paragraph(role="body", section=section, text=text, citations=[self._cite(unit).id])

    def _plan_paragraph(self, item: _Scored, section: str, position: int) -> Paragraph:
        """A next step as our own: a 计划 unit that does not itself speak of the future (it stood
        under an earlier letter's 下一步) and any 举措 unit get a forward lead-in from prompts/."""
        unit = item.unit
        paragraph = self._unit_paragraph(unit, section, item.text)
        if unit.role != "计划" or not NEXT_STEP_CUE.search(paragraph.text[:40]):
            paragraph.text = self.templates.render("forward_lead", measure=paragraph.text, position=position, ongoing=unit.role != "计划")
        return paragraph

    def _basis_paragraph(self, line: tuple[str, UnitRow, float], section: str) -> Paragraph:
        text, unit, _ = line
        return Paragraph(role="body", section=section, text=text, citations=[self._cite(unit, excerpt=_article_excerpt(unit, text)).id])

    def _cite(self, unit: UnitRow, excerpt: str | None = None) -> Citation:
        citation = Citation.of_passage(
            f"c{len(self._citations) + 1}", unit.chunk_id or 0, unit, excerpt, role=unit.role, article=unit.article, scanned=is_scanned(unit.metadata)
        )
        self._citations[citation.id] = citation
        return citation


# Words every regulation title has: they say nothing about its subject.
_TITLE_WORDS = frozenset("条例 规定 办法 决定 实施 实施办法 若干 暂行 促进 管理 保护 保障 发展 浙江 浙江省 温州 温州市 中华人民共和国 人民 共和国".split())


def chosen_lines(wanted: list[list[tuple[float, UnitRow, str]]], bars: list[float | None]) -> dict[int, tuple[float, UnitRow, str]]:
    """Suggestion → its basis line (score, article, quote), from each suggestion's admitted lines, best first.

    Where the gate admitted every suggestion's lines (``bars``: its threshold), they are matched so that the sum
    of their margins over it is greatest: an article the gate is sure of for one ask (0.97) and barely admits for
    another (0.35) goes to the first. Where the rules admitted any (None: a pass or fail, whose score is no margin),
    suggestions with the fewest articles choose first, so an article two want goes to the one that has no other.
    Then a suggestion left without a line may quote an article chosen already, for another of its sentences."""
    if all(bar is not None for bar in bars):
        chosen = _matched_lines(wanted, [bar or 0.0 for bar in bars])
    else:
        chosen = {}
    quoted: dict[int, set[str]] = {}  # article → the sentences quoted from it
    for line in chosen.values():
        quoted.setdefault(line[1].id, set()).add(line[2])
    for index in sorted(range(len(wanted)), key=lambda i: (len(wanted[i]), -max((x[0] for x in wanted[i]), default=0.0), i)):
        if index in chosen:
            continue
        fresh = (line for line in wanted[index] if line[1].id not in quoted)
        again = (line for line in wanted[index] if line[1].id in quoted and line[2] not in quoted[line[1].id])
        if choice := next(fresh, None) or next(again, None):
            chosen[index] = choice
            quoted.setdefault(choice[1].id, set()).add(choice[2])
    return chosen


def _matched_lines(wanted: list[list[tuple[float, UnitRow, str]]], bars: list[float]) -> dict[int, tuple[float, UnitRow, str]]:
    """Suggestion → its line: each article to at most one suggestion, the sum of the lines' margins over their
    suggestion's bar as great as can be (an assignment problem; a suggestion may go without). Of one article's
    lines for an ask the likeliest counts; on a tie the article the ask ranked first wins."""
    from scipy.optimize import linear_sum_assignment

    articles = list(dict.fromkeys(unit.id for lines in wanted for _, unit, _ in lines))
    if not articles:
        return {}
    column = {article: position for position, article in enumerate(articles)}
    margins = np.zeros((len(wanted), len(articles)))
    best: dict[tuple[int, int], tuple[float, UnitRow, str]] = {}
    for index, lines in enumerate(wanted):
        for rank, line in enumerate(lines):
            key = (index, column[line[1].id])
            if key not in best:
                best[key] = line
                # every admitted line weighs more than none; a later-ranked one a hair less on a tie
                margins[key] = max(line[0] - bars[index], 0.0) + 1e-3 - 1e-6 * rank
    rows, columns = linear_sum_assignment(margins, maximize=True)
    return {int(i): best[i, j] for i, j in zip(rows, columns) if (i, j) in best}


class _Loosely:
    """A text that says a word as a substring, or a word of four characters or more with one character
    between its halves: 科创基金 in 扩大科创类基金规模, 创新平台 in 创新型平台 (``|`` breaks a run)."""

    def __init__(self, text: str):
        self.text = text

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.text or (len(word) >= 4 and _halves(word).search(self.text) is not None))


@lru_cache(maxsize=4096)
def _halves(word: str) -> re.Pattern[str]:
    middle = len(word) // 2
    return re.compile(re.escape(word[:middle]) + "[^|]" + re.escape(word[middle:]))


def pair_evidence(
    rel: Relevance,
    text: str,
    vector: np.ndarray | None,
    cosines: list[float],
    index: int,
    best: float,
    quote: str | None = None,
    titled: bool = False,
    field: bool = False,
    rank: int = 0,
    role: str = "",
    closest: float = -1.0,
) -> dict[str, float]:
    """What the judge weighs for one (suggestion ``index``, passage) pair (judge.EVIDENCE):
    ``cosines`` are the passage's to every suggestion, ``best`` the closest candidate's to this
    one, ``closest`` its closest sentence's to this one (-1: none); an article is weighed on its
    whole text and the sentence it would quote."""
    assert rel.band is not None and vector is not None
    low, high = rel.band
    width = (high - low) or 1.0
    cosine = cosines[index]
    others = [c for j, c in enumerate(cosines) if j != index]
    hub = rel.hubness(vector) if rel.hubness is not None else None
    said = quote or text
    # words counted as words: a term the thesaurus calls for (研发 → 双清零一提升) is weighed apart, not
    # as if it covered every word of the suggestion
    return {
        "lexical": rel.lexical(text, term_credit=False),
        "specific": rel.specific_coverage(said, term_credit=False),
        "clause": rel.clause_coverage(text),
        "sentence_clause": rel.sentence_clause_coverage(text),
        "phrase": rel.phrase(text),
        "measure": rel.measure_asked(said),
        "lead_words": min(rel.lead_words(said), 4) / 4,
        "term": 1.0 if rel.uses_term(text, rel.quoted) else 0.0,
        "called_term": 1.0 if rel.uses_term(text, rel.called) else 0.0,
        "dense": (cosine - low) / width,
        "sentence": (max(cosine, closest) - low) / width,
        "distinct": (2 * cosine - hub - rel.hub) / width if hub is not None and rel.hub is not None else 0.0,
        "margin": max(-2.0, min(2.0, (cosine - max(others)) / width)) if others else 0.0,
        "gap": (cosine - best) / width,
        "titled": 1.0 if titled else 0.0,
        "field": 1.0 if field else 0.0,
        "rank": rank / 10,
        "planned": 1.0 if role == "计划" else 0.0,
        "achieved": 1.0 if role == "成效" else 0.0,
    }


def _about_the_proposal(title_words: AbstractSet[str], topic_words: set[str]) -> bool:
    """A regulation is a basis only if its title names something the proposal is about
    (《浙江省科学技术进步条例》 for 加计扣除; not 《浙江省绿色建筑条例》 because its article mentions R&D costs)."""
    return bool((set(title_words) - _TITLE_WORDS) & topic_words)


# 浙江省数字经济促进条例 → 数字经济: the place before, the kind of rule and what it does to its subject after
_RULE_KIND = re.compile(r"(?:暂行条例|暂行办法|暂行规定|实施细则|实施办法|若干规定|条例|办法|规定|法)$")
_RULE_DOES = re.compile(r"(?:促进|保护|管理|发展|防治|保障|服务|利用|和|与)$")
SUBJECT_MIN = 3  # 养老 or 医疗 alone is in too many proposals' titles to make a regulation ours


@lru_cache(maxsize=4096)
def regulation_subject(title: str) -> str:
    """What a regulation or law rules, as a proposal's title would name it: 《浙江省中医药条例》 and
    《中华人民共和国中医药法》 → 中医药, 《温州市养老服务促进条例》 → 养老服务, 《浙江省实施〈节约能源法〉办法》 → 节约能源
    (the law's); '' for a decision (关于……的决定) or a subject shorter than ``SUBJECT_MIN``. Cached: drafting asks it
    of the same few titles for every article and suggestion."""
    title = re.sub(r"[（(][^）)]*[）)]$", "", title.strip("《》 "))
    if implemented := re.search(r"实施[《〈](?:中华人民共和国)?([^《》〈〉]+?)法[》〉]办法$", title):
        title = implemented.group(1) + "法"  # a rule implementing a law rules the law's subject
    if re.search(r"[《〈]|关于", title) or not _RULE_KIND.search(title):
        return ""
    subject = re.sub(r"^中华人民共和国", "", _RULE_KIND.sub("", title))
    if _starts_with_place(subject):  # 浙江省, 温州市 — not 人力资源市场, 城市市容
        import jieba

        subject = subject[len(jieba.lcut(subject)[0]) :]
    subject = re.sub(r"^促进", "", subject)
    while (does := _RULE_DOES.search(subject)) and does.start() >= SUBJECT_MIN:  # 养老服务促进 → 养老服务, not 养老
        subject = subject[: does.start()]
    return subject if len(subject) >= SUBJECT_MIN else ""


@lru_cache(maxsize=1024)
def _subject_named(subject: str) -> re.Pattern[str]:
    """A regulation's subject as a text may name it, its words in order with a word or two between:
    海洋环境 in 海洋生态环境, 大气污染 in 大气和水污染."""
    import jieba

    # a four-character word is two (海洋环境 → 海洋 环境): jieba keeps a field's name whole
    words = [piece for word in jieba.lcut(subject) for piece in ([word[:2], word[2:]] if len(word) == 4 else [word])]
    return re.compile(".{0,3}?".join(re.escape(word) for word in words))


def in_jurisdiction(title: str, regions: list[str]) -> bool:
    """A basis line cites national law or the rules of our own province and city (``regions``,
    ``basis_regions``): another city's regulation binds nobody here."""
    title = title.strip("《》 ")
    return any(title.startswith(region) for region in regions) or not _starts_with_place(title)


def _starts_with_place(title: str) -> bool:
    """杭州大江东……条例, 绍兴黄酒……条例: the title opens with a place name (jieba tags it ns)."""
    import jieba.posseg

    words = jieba.posseg.lcut(title[:12])
    return bool(words) and words[0].flag == "ns"


def nested_quotes(text: str) -> str:
    """Quotes inside a quotation become single quotes: 关于“完善‘揭榜挂帅’项目组织方式”的建议."""
    return text.replace("“", "‘").replace("”", "’")


def _unit_context(unit: UnitRow) -> str:
    """What a unit is about: its text, and the heading it stood under (the topic, or the
    suggestion the earlier letter answered there)."""
    return f"{unit.heading}\n{unit.text}" if unit.heading else unit.text


def _enumerate(paragraphs: list[Paragraph]) -> None:
    """Two or more points in a section are numbered afresh: 一是…, 二是… (an opener stays unnumbered)."""
    points = [p for p in paragraphs if not OPENER.match(p.text)]
    if len(points) >= 2:
        for number, paragraph in enumerate(points, start=1):
            paragraph.text = enumeration_word(number) + paragraph.text


def _shingles(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(1, len(text) - 2))}


def _near_duplicate(text: str, chosen: list[str], threshold: float = 0.5) -> bool:
    grams = _shingles(text)
    return any(len(grams & _shingles(other)) / max(1, len(grams | _shingles(other))) > threshold for other in chosen)


def _adapt(text: str, unit: UnitRow) -> str:
    """Strip what names the precedent's own case: its proposers, its 文号, sentences that
    restate its proposal."""
    text = DOC_NUMBER.sub("", text)
    for name in unit.metadata.get("proposers", []):
        text = text.replace(f"{name}委员", "").replace(f"{name}代表", "").replace(name, "")
    text = "".join(s for s in split_sentences(text) if not RESTATING.search(s))
    text = text.strip(" ，,")
    if not text:
        return ""
    return text if text.endswith(("。", "！", "？")) else text.rstrip("；;，,") + "。"


_CLAUSE_END = "，；。！？"
_OPENING, _CLOSING = "（“《‘「(", "）”》’」)"
# a clause that points back at the others (两者协同发力) belongs with them: such a paragraph is not parted
_POINTS_BACK = re.compile(r"两者|二者|双方|上述|以上|前述")
_JOINING = re.compile(r"^(?:并且|并|同时|以及|还)[，,]?")


def _clauses(text: str) -> list[str]:
    """The text cut after each ，；。！？ outside brackets and quotes (（包括科创基金、天使基金） stays whole)."""
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += (char in _OPENING) - (char in _CLOSING)
        if char in _CLAUSE_END and depth <= 0:
            pieces.append(text[start : i + 1])
            start = i + 1
    return [p for p in [*pieces, text[start:]] if p.strip()]


def _part_clauses(text: str, kept: Relevance, taken: Relevance) -> tuple[str, str] | None:
    """Part a paragraph's clauses between the suggestion that holds it (``kept``) and one that
    needs it too (``taken``): each clause goes to the suggestion whose words it covers more; a
    clause neither covers stays with its neighbour before it (a heading sentence with the holder).
    None unless each side gets a clause of its own and ``taken``'s covers its specific words, or
    where a clause points back at the others (两者、上述)."""
    pieces = _clauses(text)
    if len(pieces) < 2 or _POINTS_BACK.search(text):
        return None
    sides: list[bool] = []  # True: the clause goes to ``taken``
    for piece in pieces:
        mine, theirs = taken.lexical(piece), kept.lexical(piece)
        sides.append(mine > theirs if mine != theirs else (sides[-1] if sides else False))
    given = [p for p, side in zip(pieces, sides) if side]
    left = [p for p, side in zip(pieces, sides) if not side]
    if not given or not left or not any(kept.lexical(p) > 0 for p in left) or taken.specific_coverage("".join(given)) == 0:
        return None

    def joined(clauses: list[str]) -> str:
        text = _JOINING.sub("", "".join(clauses)).rstrip("，,；; ")  # 并全面推广…… no longer follows anything
        return text if text.endswith(("。", "！", "？")) else text + "。"

    return joined(left), joined(given)


LEAD_EXCERPT = 24  # characters of a lead's passage the placeholder shows


def _ask_words(ask: str) -> list[str]:
    """The words that say what an ask is about (not 建立、机制、推动 …)."""
    return segment.specific_words(segment.content_words(ask))


def _lead_text(unit: UnitRow, quote: str, ask: str) -> str:
    """How a placeholder names a lead: 《浙江省促进科技成果转化条例》第三十二条“……选派科技特派员……” — the part of
    the sentence the basis line would have quoted that holds the ask's first specific word (its opening
    where none is there), so the 承办人 sees why it was named."""
    sentence = nested_quotes(re.sub(r"[【】\s]", "", quote)).rstrip("。；;")
    found = [i for i in (sentence.find(w) for w in _ask_words(ask)) if i >= 0]
    at = min(found, default=0)
    # from the clause that holds it (after the nearest mark before it, if near), else from the word before
    # it — at a word's start, never mid-word (a probe read “……向的科技计划立项机制”)
    mark = max(sentence.rfind(m, max(0, at - LEAD_EXCERPT // 2), at) for m in "，、；：,")
    starts = [0, *accumulate(len(word) for word in segment.segment(sentence))]
    held = max(i for i, s in enumerate(starts) if s <= at)
    start = 0 if len(sentence) <= LEAD_EXCERPT else mark + 1 if mark >= 0 else starts[max(0, held - 1)]
    end = start + LEAD_EXCERPT
    shown = ("……" if start else "") + sentence[start:end].rstrip("，、；：,") + ("……" if end < len(sentence) else "")
    return f"{book_title(unit.title)}{unit.article}“{shown}”"


def _article_body(unit: UnitRow) -> str:
    """The article's text on one line, without its number and without the stray spaces between
    Chinese characters that converted statutes carry (有条 件)."""
    body = ARTICLE_START.sub("", unit.text.replace("\n", ""))
    return re.sub(rf"(?<=[{HAN}，、；：])\s+(?=[{HAN}])", "", body)


def _article_excerpt(unit: UnitRow, basis_text: str, width: int = 300) -> str:
    """What the citation shows: the article number and the stretch of the article the quote comes from."""
    body = _article_body(unit)
    quote = re.search(r"“(.+?)(?:……)?”", basis_text)
    at = body.find(quote.group(1)) if quote else -1
    start = max(0, at - 40) if at > 0 else 0
    return f"{unit.article} {'…' if start else ''}{body[start : start + width]}".strip()


def _expired(sentence: str, year: int) -> bool:
    """The sentence sets a target for a year already past (到2015年，……应当达到百分之二点五)."""
    return any(int(a or b) < year for a, b in TARGET_YEAR.findall(sentence))


def _best_sentence(unit: UnitRow, relevance: Relevance, year: int, saying: Sequence[str] | None = None) -> str | None:
    """The article's sentence that says most about the suggestion, cut to a quotable length; with
    ``saying``, only a sentence that holds one of those words."""
    body = _article_body(unit)
    # a sentence that leans on its neighbours (前款规定的……, 本条所称……) means nothing quoted alone
    sentences = [s.strip() for s in split_sentences(body) if len(s.strip()) >= 10 and not LEANING.match(s.strip()) and not _expired(s, year)]
    if saying is not None:
        sentences = [s for s in sentences if any(word in s for word in saying)]
    if not sentences:
        return None
    best = max(sentences, key=lambda s: (relevance.lexical(s), -len(s)))
    if not relevance.lexical(best):  # found by meaning, no shared word: the article's own first provision
        best = sentences[0]
    return _quotable(best, saying)


def _quotable(sentence: str, saying: Sequence[str] | None = None) -> str:
    """At most BASIS_QUOTE_MAX characters: whole clauses, with …… where the sentence goes on. With
    ``saying``, from the clause that holds one of those words where the sentence's opening would
    leave it out: 《浙江省海洋环境保护条例》 quoted on its 科学技术 clause, not on the 法律宣传 it opens with."""
    sentence = sentence.rstrip(SENTENCE_ENDS)
    if len(sentence) <= BASIS_QUOTE_MAX:
        return sentence
    clauses = re.split(r"(?<=[，,；;：:])", sentence)
    start = 0
    if saying:
        holding = next((i for i, clause in enumerate(clauses) if any(word in clause for word in saying)), 0)
        if len("".join(clauses[: holding + 1])) > BASIS_QUOTE_MAX - 2:
            start = holding
    room = BASIS_QUOTE_MAX - (4 if start else 2)  # the …… on either side
    quote, taken = "", start
    for clause in clauses[start:]:
        if len(quote) + len(clause) > room:
            break
        quote, taken = quote + clause, taken + 1
    if not start and taken < len(clauses) and any(clause.endswith(("的，", "的,")) for clause in clauses[taken - 1 : -1]):
        # ……公示的，单位负责人……没有牟取非法利益的，不承担……决策责任: a provision says what it grants after
        # its conditions; quoting only the conditions quotes nothing — quote up to its end instead
        tail = ""
        for clause in reversed(clauses[1:]):
            if len(tail) + len(clause) > BASIS_QUOTE_MAX - 4:
                break
            tail = clause + tail
        if tail:
            return "……" + tail
    quote = quote.rstrip("，,；;：:") or sentence[:room]
    return ("……" if start else "") + quote + ("……" if taken < len(clauses) or not start else "")


def _basis_text(unit: UnitRow, quote: str) -> str:
    """根据《浙江省科学技术进步条例》（2011年5月25日）第十条，“……”。 — the version's date named, so
    the reader sees at once which text is quoted."""
    version = _version_date(unit)
    where = book_title(unit.title) + (f"（{chinese_date(version)}）" if version else "") + unit.article
    return f"根据{where}，“{quote}”。"


def _version_date(unit: UnitRow) -> Date | None:
    try:
        return Date.fromisoformat(str(unit.metadata.get("date") or "")[:10])
    except ValueError:
        return None
