"""Compose a cited 答复函 for a parsed proposal from precedent units, each used where its role
allows (shared/specs/reply-letter-anatomy.md, "units and their roles"; assistant/units.py).

- 一、工作举措及成效: 成效/举措 units of earlier replies that answer this proposal, ordered by the
  suggestion they serve and numbered 一是、二是… afresh.
- 二、下一步工作计划, one （N） per suggestion: 计划 units first; a 举措 unit only behind a forward
  lead-in from prompts/; never a 成效 unit.
- Policy text only as a short basis line — 根据《…条例》第十条，“…”。 — quoting one sentence, where
  it is strongly relevant: at most one per （N） and two in 一、.
- Units are assigned globally: each used once, going to the suggestion it fits best, above a
  relevance floor. A suggestion with nothing above the floor gets an honest placeholder.
Wording comes from ``prompts/letter/*.j2``; every reused paragraph carries its citation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

import numpy as np

from . import text as segment
from .chunking import split_sentences
from .conventions import DOC_NUMBER, chinese_date, cn_numeral, enumeration_word
from .draft_model import Citation, Draft, Flag, Paragraph, flag_paragraph  # noqa: F401  (re-exported)
from .proposal import Proposal
from .store import UnitRow
from .units import RESTATING, unit_body

BASIS_QUOTE_MAX = 80
_SENTENCE_END = "。！？；"


@dataclass
class _Scored:
    unit: UnitRow
    suggestion: int  # index into proposal.suggestions
    score: float


class Templates:
    """The Jinja2 wording in prompts/letter; StrictUndefined so a typo fails loudly."""

    def __init__(self, directory: Path):
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        self.directory = Path(directory) / "letter"
        self.env = Environment(loader=FileSystemLoader(str(self.directory)), undefined=StrictUndefined,
                               autoescape=False, keep_trailing_newline=False)

    def render(self, name: str, **context) -> str:
        return self.env.get_template(f"{name}.j2").render(**context).strip()

    def appraisals(self) -> list[str]:
        return sorted(p.stem for p in (self.directory / "appraisal").glob("*.j2"))



class Relevance:
    """How well a piece of text answers one suggestion: the share of the suggestion's IDF
    weight it covers (its lead clause counts more than its details), blended with the cosine
    of the unit's vector to the suggestion's when both exist."""

    def __init__(self, store, lead: str, detail: str, vector: np.ndarray | None, dense_share: float):
        tokens_lead = set(segment.tokenize(lead))
        tokens_detail = set(segment.tokenize(detail)) - tokens_lead
        total, frequencies = store.document_frequencies([*tokens_lead, *tokens_detail])
        idf = {t: math.log(1 + total / (1 + frequencies.get(t, 0))) for t in tokens_lead | tokens_detail}
        self.lead = {t: idf[t] for t in tokens_lead}
        self.detail = {t: idf[t] for t in tokens_detail}
        self.vector = vector
        self.dense_share = dense_share if vector is not None else 0.0

    @staticmethod
    def _coverage(weights: dict[str, float], tokens: set[str]) -> float:
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in tokens) / total if total else 0.0

    def lexical(self, text: str) -> float:
        tokens = set(segment.tokenize(text))
        if not self.detail:
            return self._coverage(self.lead, tokens)
        return 0.65 * self._coverage(self.lead, tokens) + 0.35 * self._coverage(self.detail, tokens)

    def lead_words(self, text: str) -> int:
        """How many distinct words of the suggestion's lead clause the text contains."""
        tokens = set(segment.tokenize(text))
        return sum(1 for t in self.lead if t in tokens and len(t) > 1)

    def score(self, text: str, vector: np.ndarray | None = None) -> float:
        lexical = self.lexical(text)
        if vector is None or not self.dense_share or lexical == 0:
            return lexical  # no shared word at all: a cosine alone is not evidence enough
        # m3e cosines of two unrelated passages on the same field sit near 0.5: rescale 0.5–0.9 to 0–1
        dense = min(1.0, max(0.0, (float(vector @ self.vector) - 0.5) / 0.4))
        return (1 - self.dense_share) * lexical + self.dense_share * dense


class Drafter:
    """Turns a proposal into a Draft from the precedent units a ``Retriever`` finds."""

    def __init__(self, retriever, settings, templates: Templates | None = None):
        self.retriever = retriever
        self.corpus = retriever.corpus
        self.store = retriever.corpus.store
        self.settings = settings
        self.templates = templates or Templates(settings.prompts_dir)

    def draft(self, proposal: Proposal, appraisal: str | None = None, today: Date | None = None) -> Draft:
        s, t = self.settings, self.templates
        appraisal = appraisal or s.appraisal
        if appraisal not in t.appraisals():
            from .errors import QueryError

            raise QueryError(f"没有评价模板 {appraisal}，可选：{'、'.join(t.appraisals())}",
                             f"no appraisal template {appraisal}; choose from {', '.join(t.appraisals())}")
        context = {**proposal.to_dict(), "work_area": s.work_area, "contact_name": s.contact_name, "contact_phone": s.contact_phone}
        self._citations: dict[str, Citation] = {}

        suggestions = proposal.suggestions
        relevance = [self._relevance(proposal, i) for i in range(len(suggestions))]
        units = self._candidate_units(proposal)
        plan_units, measure_units = self._assign(units, relevance)
        plan_basis, measure_basis = self._basis_lines(proposal, relevance)

        paragraphs = [
            Paragraph(role="doc_number", section="header", text=t.render("placeholder", what="文号")),
            Paragraph(role="title", section="header", text=t.render("title", **context)),
            Paragraph(role="salutation", section="header", text=t.render("salutation", **context)),
            Paragraph(role="opening", section="opening", text="".join(
                t.render(name, **context) for name in ("receipt", "summary", f"appraisal/{appraisal}"))),
            Paragraph(role="heading1", section="measures", text=t.render("measures_heading", **context)),
        ]
        measures = [self._unit_paragraph(item.unit, "measures") for item in measure_units]
        _enumerate(measures)
        paragraphs += measures or [Paragraph(role="body", section="measures", text=t.render("gap", what="已开展的工作举措及成效"))]
        paragraphs += [self._basis_paragraph(line, "measures") for line in measure_basis]

        paragraphs.append(Paragraph(role="heading1", section="plan", text=t.render("plan_heading", **context)))
        for index, suggestion in enumerate(suggestions):
            section = f"plan:{index + 1}"
            paragraphs.append(Paragraph(role="heading2", section=section,
                                        text=t.render("suggestion_opener", ordinal=cn_numeral(index + 1), suggestion=suggestion)))
            body = [self._unit_paragraph(item.unit, section, forward=item.unit.role != "计划") for item in plan_units[index]]
            _enumerate(body)
            basis = [self._basis_paragraph(line, section) for line in plan_basis[index]]
            if body:
                paragraphs += body + basis
            else:
                gap = t.render("gap", what=f"关于“{suggestion}”的工作举措")
                paragraphs += [Paragraph(role="body", section=section, text=gap)] + basis
        if not suggestions:
            paragraphs.append(Paragraph(role="body", section="plan", text=t.render("placeholder", what="下一步工作计划")))

        paragraphs += [
            Paragraph(role="closing", section="closing", text=t.render("closing", **context)),
            Paragraph(role="contact", section="closing", text=t.render("contact", **context)),
            Paragraph(role="signature", section="closing", text=s.issuing_unit or t.render("placeholder", what="发文单位")),
            Paragraph(role="date", section="closing", text=chinese_date(today or Date.today())),
            Paragraph(role="cc", section="closing", text=t.render("cc", **context)),
        ]
        for paragraph in paragraphs:
            paragraph.flags = flag_paragraph(paragraph, self._citations)
        return Draft(proposal={k: v for k, v in proposal.to_dict().items() if k != "text"},
                     paragraphs=paragraphs, citations=list(self._citations.values()))

    # -- finding and scoring units ----------------------------------------------------------
    def _relevance(self, proposal: Proposal, index: int) -> Relevance:
        lead = proposal.suggestions[index]
        detail = proposal.details[index] if index < len(proposal.details) else ""
        vector = None
        if self.settings.draft_dense_share and self.corpus.vectors is not None and len(self.corpus.vectors):
            vector = self.corpus.embed_query(proposal.search_text(index))
        return Relevance(self.store, lead, detail if detail != lead else "", vector, self.settings.draft_dense_share)

    def _candidate_units(self, proposal: Proposal) -> list[UnitRow]:
        """Reusable units (成效/举措/计划) of the reply letters the search finds for any suggestion."""
        queries = [proposal.search_text(i) for i in range(len(proposal.suggestions))]
        queries.append(" ".join([proposal.title, *proposal.suggestions]) or proposal.text[:500])
        chunk_ids: list[int] = []
        for query in queries:
            if query.strip():
                chunk_ids += [r.chunk_id for r in self.retriever.search(query, k=self.settings.draft_candidates, doc_type="reply").results]
        return self.store.units_of_chunks(chunk_ids, roles=("成效", "举措", "计划"))

    def _assign(self, units: list[UnitRow], relevance: list[Relevance]) -> tuple[list[list[_Scored]], list[_Scored]]:
        """Each unit used once, going to the suggestion it fits best: all (unit, suggestion) pairs
        above the floor are taken best first while the suggestion has room (not first come,
        first served)."""
        floor, per_plan = self.settings.draft_relevance_floor, self.settings.draft_per_suggestion
        pairs = sorted(
            (_Scored(u, i, r.score(_unit_context(u), u.vector)) for u in units for i, r in enumerate(relevance)),
            key=lambda p: (-p.score, p.unit.id, p.suggestion),
        )
        pairs = [p for p in pairs if p.score >= floor]
        used: set[int] = set()
        texts: list[str] = []
        plan: list[list[_Scored]] = [[] for _ in relevance]

        def take(pair: _Scored, into: list[_Scored]) -> None:
            into.append(pair)
            used.add(pair.unit.id)
            texts.append(pair.unit.text)

        def free(pair: _Scored) -> bool:
            return pair.unit.id not in used and not _near_duplicate(pair.unit.text, texts)

        for pair in pairs:  # next steps go to 二、 first: that is where a suggestion is answered
            if pair.unit.role == "计划" and len(plan[pair.suggestion]) < per_plan and free(pair):
                take(pair, plan[pair.suggestion])
        for pair in pairs:  # a suggestion with no next step of its own: the best ongoing measure, carried forward
            if pair.unit.role == "举措" and not plan[pair.suggestion] and per_plan and free(pair):
                take(pair, plan[pair.suggestion])
        measures: list[_Scored] = []
        per_suggestion: dict[int, int] = {}
        for pair in pairs:
            if (pair.unit.role in ("成效", "举措") and len(measures) < self.settings.draft_measures
                    and per_suggestion.get(pair.suggestion, 0) < 2 and free(pair)):
                take(pair, measures)
                per_suggestion[pair.suggestion] = per_suggestion.get(pair.suggestion, 0) + 1
        for items in plan:
            items.sort(key=lambda p: -p.score)
        measures.sort(key=lambda p: (p.suggestion, -p.score))
        return plan, measures

    # -- basis lines from policy text ---------------------------------------------------------
    def _basis_lines(self, proposal: Proposal, relevance: list[Relevance]) -> tuple[list[list[tuple]], list[tuple]]:
        """(per suggestion: at most one; for 一、: at most two) basis lines as (line, unit, score)."""
        floor = self.settings.draft_basis_floor
        per_suggestion: list[list[tuple]] = [[] for _ in relevance]
        spare: list[tuple] = []
        used: set[int] = set()
        for index, rel in enumerate(relevance):
            hits = self.retriever.search(proposal.search_text(index), k=5, doc_type="policy").results
            articles = self.store.units_of_chunks([h.chunk_id for h in hits], roles=("条文",))
            scored = []
            for unit in articles:
                quote = _best_sentence(unit, rel)
                if quote is None:
                    continue
                score = rel.lexical(unit.text)
                if score >= floor and rel.lead_words(quote) >= 2:
                    scored.append((score, unit, quote))
            scored.sort(key=lambda x: -x[0])
            for rank, (score, unit, quote) in enumerate(scored):
                if unit.id in used:
                    continue
                used.add(unit.id)
                (per_suggestion[index] if not per_suggestion[index] else spare).append((_basis_text(unit, quote), unit, score))
                if rank >= 1:
                    break
        spare.sort(key=lambda x: -x[2])
        return per_suggestion, spare[:2]

    # -- paragraphs ---------------------------------------------------------------------------
    def _unit_paragraph(self, unit: UnitRow, section: str, forward: bool = False) -> Paragraph:
        text = _adapt(unit_body(unit.text), unit)
        if forward:
            text = self.templates.render("forward_lead", measure=text)
        return Paragraph(role="body", section=section, text=text, citations=[self._cite(unit).id])

    def _basis_paragraph(self, line: tuple, section: str) -> Paragraph:
        text, unit, _ = line
        return Paragraph(role="body", section=section, text=text, citations=[self._cite(unit, excerpt=text).id])

    def _cite(self, unit: UnitRow, excerpt: str | None = None) -> Citation:
        citation = Citation(
            id=f"c{len(self._citations) + 1}", chunk_id=unit.chunk_id or 0, source=unit.source, title=unit.title,
            doc_type=unit.doc_type, doc_number=unit.metadata.get("doc_number"), date=unit.metadata.get("date"),
            heading=unit.heading, excerpt=unit.text[:300], role=unit.role, article=unit.article,
        )
        self._citations[citation.id] = citation
        return citation


def _unit_context(unit: UnitRow) -> str:
    """What a unit is about: its text, and the heading it stood under (the topic, or the
    suggestion the earlier letter answered there)."""
    return f"{unit.heading}\n{unit.text}" if unit.heading else unit.text


def _enumerate(paragraphs: list[Paragraph]) -> None:
    """Two or more points in a section are numbered afresh: 一是…, 二是…"""
    if len(paragraphs) >= 2:
        for number, paragraph in enumerate(paragraphs, start=1):
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
    text = "".join(s for s in split_sentences(text) if not RESTATING.search(s)) or text
    text = text.strip(" ，,")
    return text if text.endswith(("。", "！", "？")) else text.rstrip("；;，,") + "。"


def _best_sentence(unit: UnitRow, relevance: Relevance) -> str | None:
    """The article's sentence that says most about the suggestion, cut to a quotable length."""
    body = re.sub(r"^第\S+?条\s*", "", unit.text.replace("\n", ""))
    sentences = [s.strip() for s in split_sentences(body) if len(s.strip()) >= 10]
    if not sentences:
        return None
    best = max(sentences, key=lambda s: (relevance.lexical(s), -len(s)))
    return _quotable(best)


def _quotable(sentence: str) -> str:
    """At most BASIS_QUOTE_MAX characters: whole clauses, with …… where the sentence goes on."""
    sentence = sentence.rstrip(_SENTENCE_END)
    if len(sentence) <= BASIS_QUOTE_MAX:
        return sentence
    clauses = re.split(r"(?<=[，,；;：:])", sentence)
    quote = ""
    for clause in clauses:
        if len(quote) + len(clause) > BASIS_QUOTE_MAX - 2:
            break
        quote += clause
    quote = quote.rstrip("，,；;：:") or sentence[: BASIS_QUOTE_MAX - 2]
    return quote + "……"


def _basis_text(unit: UnitRow, quote: str) -> str:
    title = unit.title.strip("《》 ")
    where = f"《{title}》{unit.article}" if unit.article else f"《{title}》"
    return f"根据{where}，“{quote}”。"
