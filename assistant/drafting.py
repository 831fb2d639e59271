"""Build a cited 答复函 skeleton for a parsed proposal.

Structure follows the seed letters (see shared/specs/reply-letter-anatomy.md): 文号, title,
salutation, receipt, summary, appraisal, 一、工作举措及成效 (precedents for the whole proposal),
二、下一步工作计划 with one （一）（二）… per suggestion, closing, contact, unit, date, 抄送.
Wording comes from ``prompts/letter/*.j2``; every paragraph taken from a precedent carries its
citation; copied figures and unfilled placeholders are flagged for checking.
"""

from __future__ import annotations

import math
import re
from datetime import date as Date
from pathlib import Path


from . import text as segment
from .chunking import ENUMERATION, split_sentences
from .proposal import Proposal
from .retrieval import SearchResult

from .conventions import DOC_NUMBER, chinese_date, cn_numeral
from .draft_model import Citation, Draft, Flag, Paragraph, flag_paragraph  # noqa: F401  (re-exported)

CN_ORDINALS = "一二三四五六七八九十"
_APPARATUS = re.compile(
    r"收悉|答复如下|联系人|联系电话|抄\s*送|印发|感谢您|关心和支持|关心与支持|宝贵意见|答\s*复\s*函|(?:委员|代表)\s*[:：]|提案\s*\d+\s*号|会议\s*\d+\s*号"
)
_HEADING_SENTENCE = re.compile(rf"^(?:[（(][{CN_ORDINALS}]+[）)]|[{CN_ORDINALS}]+、|\d+[、.．])")
_SUGGESTION_ECHO = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)])?\s*关于“[^”]+”的建议[。.]?")
_ABOUT_THE_PROPOSAL = re.compile(r"提案|建议中|您的建议|您提出|你们提出")
_BARE_DATE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_PLAN_START = re.compile(rf"(?m)^\s*(?:[{CN_ORDINALS}]+、\s*)?(?:下一步|下阶段|今后)")


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


def split_items(chunk_text: str, reply: bool = True) -> list[str]:
    """A precedent passage cut into its natural units: 一是/二是 items, else sentences, with the
    letter's own apparatus (receipts, thanks, contacts, headings, echoed suggestions) removed."""
    items: list[str] = []
    for line in chunk_text.split("\n"):
        for sentence in split_sentences(line.strip()):
            sentence = _SUGGESTION_ECHO.sub("", sentence.strip()).strip()
            if not sentence or _APPARATUS.search(sentence) or DOC_NUMBER.search(sentence) or _BARE_DATE.match(sentence):
                continue
            if reply and _ABOUT_THE_PROPOSAL.search(sentence):
                continue
            if _HEADING_SENTENCE.match(sentence) and len(sentence) <= 40:
                continue
            if ENUMERATION.match(sentence) or not items:
                items.append(sentence)
            else:
                items[-1] += sentence
    return [ENUMERATION.sub("", item, count=1).lstrip("，,、") for item in items if len(item) >= 12]


def _weighted_overlap(weights: dict[str, float], passage: str) -> float:
    """Share of the query's IDF weight that the passage covers (0–1)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(weights[t] for t in set(segment.tokenize(passage)) if t in weights) / total


def _shingles(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(1, len(text) - 2))}


def _near_duplicate(text: str, chosen: list[str], threshold: float = 0.5) -> bool:
    grams = _shingles(text)
    return any(len(grams & _shingles(other)) / max(1, len(grams | _shingles(other))) > threshold for other in chosen)


class Drafter:
    """Turns a proposal into a Draft from the precedents a ``Retriever`` finds."""

    def __init__(self, retriever, settings, templates: Templates | None = None):
        self.retriever = retriever
        self.store = retriever.corpus.store
        self.settings = settings
        self.templates = templates or Templates(settings.prompts_dir)
        self._plan_starts: dict[str, tuple[str, int | None]] = {}  # source → (text, where 下一步 begins)

    def draft(self, proposal: Proposal, appraisal: str | None = None, today: Date | None = None) -> Draft:
        s, t = self.settings, self.templates
        appraisal = appraisal or s.appraisal
        if appraisal not in t.appraisals():
            from .errors import QueryError

            raise QueryError(f"没有评价模板 {appraisal}，可选：{'、'.join(t.appraisals())}",
                             f"no appraisal template {appraisal}; choose from {', '.join(t.appraisals())}")
        context = {**proposal.to_dict(), "work_area": s.work_area, "contact_name": s.contact_name, "contact_phone": s.contact_phone}
        self._citations: dict[str, Citation] = {}
        self._used_chunks: set[int] = set()
        self._used_texts: list[str] = []

        paragraphs = [
            Paragraph(role="doc_number", section="header", text=t.render("placeholder", what="文号")),
            Paragraph(role="title", section="header", text=t.render("title", **context)),
            Paragraph(role="salutation", section="header", text=t.render("salutation", **context)),
            Paragraph(role="opening", section="opening", text="".join(
                t.render(name, **context) for name in ("receipt", "summary", f"appraisal/{appraisal}"))),
        ]
        # Suggestions pick their precedents first: they are specific, and a passage is cited
        # only once; the general 一、 section then takes the best of what remains.
        plan = [Paragraph(role="heading1", section="plan", text=t.render("plan_heading", **context))]
        for number, suggestion in enumerate(proposal.suggestions, start=1):
            section = f"plan:{number}"
            ordinal = CN_ORDINALS[number - 1] if number <= 10 else str(number)
            plan.append(Paragraph(role="heading2", section=section,
                                  text=t.render("suggestion_opener", ordinal=ordinal, suggestion=suggestion)))
            found = self._precedent_paragraphs(proposal.search_text(number - 1), s.draft_per_suggestion, section, prefer="plan")
            plan += found or [Paragraph(role="body", section=section, text=t.render("placeholder", what="针对该建议的下一步工作"))]
        if not proposal.suggestions:
            plan.append(Paragraph(role="body", section="plan", text=t.render("placeholder", what="下一步工作计划")))

        whole = " ".join([proposal.title, *proposal.suggestions]) or proposal.text[:500]
        measures = self._precedent_paragraphs(whole, s.draft_measures, "measures", prefer="measures")
        paragraphs.append(Paragraph(role="heading1", section="measures", text=t.render("measures_heading", **context)))
        paragraphs += measures or [Paragraph(role="body", section="measures", text=t.render("placeholder", what="已开展的工作举措及成效"))]
        paragraphs += plan

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

    def _precedent_paragraphs(self, query: str, count: int, section: str, prefer: str) -> list[Paragraph]:
        """The best ``count`` precedent items for ``query``: relevant, diverse, never reused.

        Items are ranked by the search rank of their passage, by how much of the query's IDF
        weight they cover, and by whether they come from the matching part of a precedent reply
        (achievements for 一、, plans for 二、)."""
        if count <= 0 or not query.strip():
            return []
        total, frequencies = self.store.document_frequencies(segment.tokenize(query))
        weights = {t: math.log(1 + total / (1 + df)) for t, df in frequencies.items()}
        candidates: list[tuple[float, str, SearchResult]] = []
        for rank, result in enumerate(self.retriever.search(query, k=max(10, count * 5)).results):
            if result.chunk_id in self._used_chunks:
                continue
            same_part = result.doc_type != "reply" or self._part(result) == prefer
            for item in split_items(result.text, reply=result.doc_type == "reply"):
                coverage = _weighted_overlap(weights, item)
                if coverage == 0 and len(result.retrievers) < 2:
                    continue
                score = coverage + 0.1 / (1 + rank) + (0.1 if same_part else 0.0)
                candidates.append((score, item, result))
        chosen: list[Paragraph] = []
        per_document: dict[str, int] = {}
        for score, item, result in sorted(candidates, key=lambda c: -c[0]):
            if len(chosen) >= count:
                break
            if per_document.get(result.source, 0) >= 2 or _near_duplicate(item, self._used_texts):
                continue
            citation = self._cite(result)
            chosen.append(Paragraph(role="body", section=section, text=_adapt(item, result), citations=[citation.id]))
            per_document[result.source] = per_document.get(result.source, 0) + 1
            self._used_texts.append(item)
        for paragraph in chosen:
            self._used_chunks.add(self._citations[paragraph.citations[0]].chunk_id)
        return chosen

    def _part(self, result: SearchResult) -> str:
        """"plan" if the passage lies after the precedent's 下一步 turn, else "measures"."""
        if result.source not in self._plan_starts:
            document = self.store.get_document(result.source)
            text = document["text"] if document else ""
            match = _PLAN_START.search(text)
            self._plan_starts[result.source] = (text, match.start() if match else None)
        text, start = self._plan_starts[result.source]
        if start is None:
            return "measures"
        return "plan" if text.find(result.text[:40]) >= start else "measures"

    def _cite(self, result: SearchResult) -> Citation:
        for citation in self._citations.values():
            if citation.chunk_id == result.chunk_id:
                return citation
        citation = Citation(
            id=f"c{len(self._citations) + 1}", chunk_id=result.chunk_id, source=result.source, title=result.title,
            doc_type=result.doc_type, doc_number=result.metadata.get("doc_number"),
            date=result.metadata.get("date"), heading=result.heading, excerpt=result.text[:300],
        )
        self._citations[citation.id] = citation
        return citation


def _adapt(item: str, result: SearchResult) -> str:
    """Strip what names the precedent's own case: its proposers and its 文号."""
    text = DOC_NUMBER.sub("", item)
    for name in result.metadata.get("proposers", []):
        text = text.replace(f"{name}委员", "").replace(f"{name}代表", "").replace(name, "")
    text = text.strip(" ，,")
    return text if text.endswith(("。", "！", "？", "；")) else text.rstrip("；;") + "。"
