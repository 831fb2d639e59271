"""The draft letter as data: paragraphs with roles and sections, citations, things to check.

Everything that reads or writes a draft (Markdown round trip, lint, Word export, the LLM pass,
the web app) works on these classes; this module imports no retrieval code, no numpy, no torch.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..corpus.formats import SCANNED_LABEL
from ..genre.patterns import FIGURE, PLACEHOLDER, TARGET_YEAR, book_title, letter_kind, month_of
from .lint import money_unit_problems, turned_quote_problems

# the suggestion inside a gap placeholder: up to ”的工作举措 (a suggestion may quote a term, “揭榜挂帅”的…, and the
# placeholder may go on to name passages worth a look, each quoted)
GAP_SUGGESTION = re.compile(r"【待补充[:：]关于“([^】]+?)”的工作举措")


def gap_placeholder(suggestion: str) -> re.Pattern[str]:
    """The whole 【待补充：关于“…”的……】 left for one suggestion (the one ``GAP_SUGGESTION`` names)."""
    return re.compile(r"【待补充[:：]关于“" + re.escape(suggestion.strip()) + r"”[^】]*】")


Role = Literal[
    "doc_number",
    "title",
    "salutation",
    "opening",
    "heading1",
    "heading2",
    "body",
    "closing",
    "contact",
    "signature",
    "date",
    "cc",
]
# Where a cited passage came from and what it is: how the 承办人 judges whether it fits.
SOURCE_ROLE_LABELS = {"成效": "答复函·成效", "举措": "答复函·举措", "计划": "答复函·计划", "条文": "政策依据"}


# A citation keeps this much of its passage; the Markdown form shows this much of that (then …).
EXCERPT_MAX = 300
EXCERPT_SHOWN = 80


class Citation(BaseModel):
    id: str
    chunk_id: int
    source: str
    title: str
    doc_type: str
    doc_number: str | None = None
    date: str | None = None
    heading: str = ""
    excerpt: str
    role: str = ""  # the precedent unit's role: 成效 / 举措 / 计划 / 条文 ('' for a whole passage)
    article: str = ""  # 第十条, for a basis line quoting a regulation
    scanned: bool = False  # the precedent's text was read by OCR from a scan or photo: figures may be misread

    @property
    def label(self) -> str:
        when = f"，{self.date}" if self.date else ""
        return f"{self.title}{when}"

    @property
    def kind_label(self) -> str:
        """答复函·成效 / 答复函·计划 / 政策依据 …, or the plain document type."""
        kind = SOURCE_ROLE_LABELS.get(self.role) or ("答复函" if self.doc_type == "reply" else "政策文件")
        return f"{kind}·{SCANNED_LABEL}" if self.scanned else kind

    @classmethod
    def of_passage(cls, citation_id: str, chunk_id: int, row: Any, excerpt: str | None = None, **extra: Any) -> "Citation":
        """A citation of an indexed passage or precedent unit (``row``: its source, title, doc_type,
        heading, text and metadata), its excerpt the first ``EXCERPT_MAX`` characters unless given."""
        return cls(
            id=citation_id,
            chunk_id=chunk_id,
            source=row.source,
            title=row.title,
            doc_type=row.doc_type,
            doc_number=row.metadata.get("doc_number"),
            date=row.metadata.get("date"),
            heading=row.heading,
            excerpt=excerpt or row.text[:EXCERPT_MAX],
            **extra,
        )


class Flag(BaseModel):
    """Something the 承办人 must look at. ``text`` is where it anchors in the paragraph (the
    first figure, the placeholder, the suspect wording); ``figures`` lists every figure a
    data check covers, for highlighting in place."""

    kind: Literal["figure", "placeholder", "defect", "version"]
    text: str
    message: str
    citation_id: str | None = None
    figures: list[str] = Field(default_factory=list)


class Paragraph(BaseModel):
    role: Role
    text: str
    section: str = ""
    citations: list[str] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)


class Draft(BaseModel):
    proposal: dict[str, Any]
    paragraphs: list[Paragraph]
    citations: list[Citation] = Field(default_factory=list)
    created_at: str = Field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))
    warnings: list[str] = Field(default_factory=list)
    # 办理结果类别 (A 已解决或采纳 / B 正在解决或列入计划 / C 暂不能解决 / D 留作参考; scheme in settings.handling_classes):
    # chosen by the 承办人, checked by review, printed top-right of page 1 when settings.class_mark is on
    handling_class: str | None = None
    # per （N） left 【待补充】 (section plan:N): the articles its placeholder names as worth a look (the basis
    # gate weighed them just below its threshold); never cited in the text. Only a fresh draft has them.
    leads: dict[str, list[Citation]] = Field(default_factory=dict)

    @property
    def letter_kind(self) -> str:
        """答复函, or 会办意见 (to the lead unit, when we are 会办): read from the title, so an edited or
        imported letter keeps its genre without a field of its own."""
        return letter_kind(next((p.text for p in self.paragraphs if p.role == "title"), ""))

    def citation(self, citation_id: str) -> Citation | None:
        return next((c for c in self.citations if c.id == citation_id), None)

    @property
    def flags(self) -> list[Flag]:
        """Every check, most urgent first: sections with nothing in them (【待补充】), fields to
        fill (【待填】), errors the source already had, then figures to bring up to date. A check two
        paragraphs raise alike (one regulation quoted under two suggestions, its version to confirm) is listed once."""
        once: dict[tuple[str, str, str, tuple[str, ...]], Flag] = {}
        for paragraph in self.paragraphs:
            for flag in paragraph.flags:
                once.setdefault((flag.kind, flag.text, flag.message, tuple(flag.figures)), flag)
        flags = list(once.values())
        return sorted(
            flags, key=lambda f: (0 if f.text.startswith("【待补充") else 1) if f.kind == "placeholder" else {"defect": 2, "version": 3, "figure": 4}[f.kind]
        )

    @property
    def sections(self) -> dict[str, list[int]]:
        """Section name → indexes of its paragraphs, in order."""
        out: dict[str, list[int]] = {}
        for index, paragraph in enumerate(self.paragraphs):
            out.setdefault(paragraph.section, []).append(index)
        return out

    @property
    def gaps(self) -> list[str]:
        """Suggestions the corpus had no precedent for (their section holds a 【待补充】 placeholder)."""
        found = (GAP_SUGGESTION.search(p.text) for p in self.paragraphs)  # sections are not known after an edit
        return list(dict.fromkeys(m.group(1) for m in found if m))

    def to_json_dict(self) -> dict[str, Any]:
        return {**self.model_dump(), "letter_kind": self.letter_kind, "sections": self.sections, "flags": [f.model_dump() for f in self.flags]}

    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


def figures_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in FIGURE.finditer(text)]


def flag_paragraph(paragraph: Paragraph, citations: dict[str, Citation]) -> list[Flag]:
    """The checks of one paragraph: each placeholder to fill; for a paragraph taken from a
    precedent, one entry for all its figures (with the source's date) and one per defect the
    source already had (a lost money unit), so a known error is not passed off as a figure."""
    flags = [
        Flag(
            kind="placeholder",
            text=m.group(0),
            message="未检索到答复先例，请承办处室补充" if m.group(0).startswith("【待补充") else f"请填写：{m.group(0).strip('【】').split('：', 1)[-1]}",
        )
        for m in PLACEHOLDER.finditer(paragraph.text)
    ]
    cited = [citations[c] for c in paragraph.citations if c in citations]
    if not cited:
        return flags
    source = cited[0]
    figures = figures_in(paragraph.text)
    if figures:
        kind = "答复" if source.doc_type == "reply" else "文件"
        flags.append(
            Flag(
                kind="figure",
                text=figures[0],
                figures=figures,
                citation_id=source.id,
                message=f"本段 {len(figures)} 个数据来自{month_of(source.date)}的{kind}（{source.doc_number or source.title}），请核实最新数据"
                + ("；该先例为扫描件识别所得，请对照原件核对数字" if source.scanned else ""),
            )
        )
    if source.role == "条文":
        flags += _version_flags(source)
    if source.role == "计划":  # a promise borrowed or inserted (its role survives the Markdown round trip; sections do not)
        flags += _passed_targets(paragraph, source)
    for context, message, fix in [*money_unit_problems(paragraph.text), *turned_quote_problems(paragraph.text)]:
        flags.append(Flag(kind="defect", text=context, citation_id=source.id, message=f"原文疑有误：{message}；建议改为“{fix}”"))
    return flags


def _passed_targets(paragraph: Paragraph, source: Citation, today: date | None = None) -> list[Flag]:
    """A plan borrowed from an earlier letter (or inserted from a search) that promises 到2025年……: in a letter
    written after that year the promise is stale and must be rewritten, not sent."""
    year = (today or date.today()).year
    flags = []
    for match in TARGET_YEAR.finditer(paragraph.text):
        target = int(match.group(1) or match.group(2))
        if target < year:
            flags.append(
                Flag(
                    kind="defect", text=match.group(0), citation_id=source.id, message=f"计划中的“{match.group(0).strip()}”目标年份已过，请改写为新的目标或删去"
                )
            )
    return flags


BASIS_MAX_AGE_YEARS = 5  # a regulation older than this may have been revised since: the reader confirms it


def _version_flags(source: Citation, today: date | None = None) -> list[Flag]:
    """A basis line quoting a regulation older than five years (or of unknown date) asks whether that
    text is still the one in force: the index may hold only the version before a revision."""
    title = book_title(source.title)  # as the basis line names it
    if not source.date:
        return [Flag(kind="version", text=title, citation_id=source.id, message=f"{title}版本日期不明，请核实所引条文为现行有效版本")]
    try:
        issued = date.fromisoformat(str(source.date)[:10])
    except ValueError:
        return []
    today = today or date.today()
    if (today - issued).days < BASIS_MAX_AGE_YEARS * 365:
        return []
    return [
        Flag(
            kind="version",
            text=title,
            citation_id=source.id,
            message=f"所引{title}为{issued.year}年版本，已逾{BASIS_MAX_AGE_YEARS}年，请核实是否已修订、所引条文是否现行有效",
        )
    ]
