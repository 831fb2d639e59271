"""Review a reply letter before it is sent: what proposers complain about, checked.

Six checks, each finding naming the paragraph (its line in the Markdown form and how it starts)
and a fix:

- coverage     every suggestion of the proposal has its own （N） with more than a placeholder;
- specificity  a paragraph without a concrete anchor (a figure, a date or deadline, a “named”
               programme or 《policy》, a responsible unit) and mostly stock phrasing is 空泛;
- copying      how much of each paragraph repeats an earlier reply (runs of ≥ 16 characters), and a
               letter that carries most of an earlier letter's text;
- staleness    figures whose source is more than 12 months older than the letter;
- promises     targets an earlier reply promised (到2025年、力争、每年…) that the draft does not mention;
- class        the handling class (办理结果类别) agrees with the text: 已解决 needs results, 暂不能
               解决 a stated reason.

This module is part of the letter model: it imports no retrieval code. What the index knows —
earlier letters, their promises — is gathered by ``Assistant.review`` and passed in.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date as Date
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import QueryError
from ..files import packaged_and_user_list
from ..genre.coverage import ACTION_VERB_WEIGHT, ASKED_TERM_CREDIT, Coverage, sentence_idf
from ..genre.headings import heading_level
from ..genre.numerals import HAN
from ..genre.parts import LetterParts, is_plan_heading
from ..genre.patterns import (
    ANSWER_HEADING,
    ANSWER_TURN,
    ASKED_TERM,
    BASIS_OPENING,
    CO_HANDLING,
    DATE,
    DOC_NUMBER,
    DONE,
    FORMULA,
    OUTCOME,
    PLACEHOLDER,
    RESTATING,
    TARGET,
    TARGET_CUE,
    TO_PROPOSER,
    month_of,
)
from .model import EXCERPT_MAX, EXCERPT_SHOWN, Citation, Draft, Paragraph, figures_in
from .proposal import heading_of

CHECKS = {
    "genre": "文种",
    "coverage": "逐条答复",
    "specificity": "空泛",
    "copying": "重复",
    "staleness": "数据过时",
    "promises": "承诺跟进",
    "class": "办理结果类别",
}
PROBLEM, NOTE = "问题", "提示"

# -- copying ---------------------------------------------------------------------------------
COPY_RUN = 16  # a run of this many characters in common counts as copied (a phrase is shorter)
PARAGRAPH_REPORT = 0.3  # a paragraph repeating at least this share of itself is reported
PARAGRAPH_PROBLEM = 0.5  # … and is a problem when it does not cite the letter it repeats
LETTER_REPEAT = 0.5  # a draft carrying this share of an earlier letter's text repeats that letter
LETTER_REPEAT_SAME_PROPOSER = 0.3  # … to the same proposer, a smaller share is enough
# -- staleness, promises ---------------------------------------------------------------------
STALE_DAYS = 365
PROMISE_MIN_AGE_DAYS = 90  # a promise made last month has no progress to report yet
PROMISE_MENTIONED = 0.35  # share of a promise's 4-grams the draft must contain to mention it
# A promise on the same topic (not to the same proposer) counts only when its own target sentence
# answers one of the suggestions this well (the drafting relevance floor, draft_relevance_floor):
# with few replies in the index every letter is among the retrieved ones, so the letter being
# found proves nothing.
PROMISE_TOPIC_FLOOR = 0.3
# -- specificity -----------------------------------------------------------------------------
STOCK_SHARE = 0.4  # no anchor and at least this share of the paragraph's characters in stock phrases

# Concrete anchors of a paragraph.
ANCHORS = [
    ("数据", re.compile(r"\d|[０-９]|(?:[两三四五六七八九十百千]|[一二三四五六七八九十]{2,})(?:个|家|项|所|条|亿|万|年|倍|名|人|次|批次)")),
    # a deadline, not 今年/年度/近年来 alone (今年以来，我局高度重视… is the commonest boilerplate)
    ("时限", re.compile(r"年底|年内|月底|季度|上半年|下半年|明年|[一二三四五六七八九十\d]+\s*月(?:份|前|中旬|上旬|下旬)")),
    ("具名项目", re.compile(r"[“\"「《][^”\"」》]{2,}[”\"」》]")),
    ("责任单位", re.compile(rf"[市省区县](?!场)[{HAN}]{{1,5}}?(?:局|厅|委员会|委|办公室|办)|县[（(]市、?区[）)]|[{HAN}]{{2,8}}(?:集团|公司|大学|研究院|银行)")),
]

# A stated reason for class C: because of / limited by something.
REASON = re.compile(
    r"(?:因|由于|鉴于)[^。；]{2,60}?(?:暂不|尚不|暂无|无法|难以|不具备|未能|不能)"
    r"|受[^。；]{2,40}?(?:限制|制约|影响)"
    r"|(?:暂不|尚不)具备[^。；]{0,20}?条件"
)
ADOPTING = re.compile(r"吸收采纳|予以采纳|已(?:全部|基本)?解决")
HOLDING_BACK = re.compile(r"参考价值|留作参考|暂难|暂不|限于目前条件|条件许可|条件成熟时")
# A deadline or a year: what makes a 计划 a plan (class B) rather than an intention.
DEADLINE = re.compile(r"20\d\d\s*年|年底|年内|月底|季度|上半年|下半年|明年|[一二三四五六七八九十\d]+\s*年内|\d{1,2}\s*月(?:底|前|份)?")
# A date a paragraph states for its own figures: 截至2026年9月底, 2026年9月, 2025年底
_STATED_DATE = re.compile(r"(20\d\d)\s*年\s*(?:(\d{1,2})\s*月|([底末]))")
_MARKER = re.compile(r"\s*\[\^c\d+\]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})


@dataclass
class ReviewFinding:
    check: str  # genre | coverage | specificity | copying | staleness | promises | class
    message: str
    fix: str
    line: int | None = None  # in the Markdown form of the draft
    paragraph: str = ""  # how the paragraph starts
    severity: str = PROBLEM  # 问题 (counts for the exit code) or 提示 (for the 承办人 to judge)
    scope: str = "段落"  # 段落, or 全文 for a finding about the letter as a whole

    @property
    def label(self) -> str:
        return CHECKS.get(self.check, self.check)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


@dataclass
class EarlierLetter:
    """An earlier reply from the index, as review compares with it."""

    doc_number: str
    title: str
    source: str
    date: str | None  # ISO
    proposers: list[str]
    body: str  # its own text: the reusable units (成效/举措/计划), not receipt and thanks
    relation: str = ""  # 同一提案人 / 同一主题 / ''

    @property
    def name(self) -> str:
        return self.doc_number or self.title


@dataclass
class Promise:
    """A 计划 unit of an earlier reply to the same proposer or on the same topic."""

    text: str
    doc_number: str
    date: str | None
    relation: str  # 同一提案人 / 同一主题


@dataclass
class ReviewReport:
    findings: list[ReviewFinding]
    paragraphs: int  # body paragraphs checked for specificity
    specific: int  # … of them with a concrete anchor
    handling_class: str | None = None
    class_name: str = ""
    letter_date: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[ReviewFinding]:
        return [f for f in self.findings if f.severity == PROBLEM]

    @property
    def specific_share(self) -> float | None:
        return self.specific / self.paragraphs if self.paragraphs else None

    def overview(self) -> str:
        """The letter's share of specific paragraphs, and its class."""
        share = f"具体段落 {self.specific}/{self.paragraphs}（{self.specific_share:.0%}）" if self.paragraphs else "没有可检查的正文段落"
        klass = f"；办理结果类别 {self.handling_class}（{self.class_name}）" if self.handling_class else ""
        return share + klass

    def summary(self) -> str:
        notes = len(self.findings) - len(self.problems)
        found = f"{len(self.problems)} 处问题" + (f"，{notes} 条提示" if notes else "")
        return f"{found}；{self.overview()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "problems": len(self.problems),
            "paragraphs": self.paragraphs,
            "specific": self.specific,
            "specific_share": self.specific_share,
            "handling_class": self.handling_class,
            "class_name": self.class_name,
            "letter_date": self.letter_date,
            "summary": self.summary(),
            "notes": self.notes,
        }


# -- stock phrases ---------------------------------------------------------------------------
def parse_stock_phrases(text: str, name: str = "") -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def load_stock_phrases(user_file: Path | None = None) -> tuple[str, ...]:
    """The packaged stock phrases, then the user's (re-read when the file changes), longest first
    so 进一步加强 is found before 加强."""
    phrases = packaged_and_user_list("stock_phrases.txt", user_file, parse_stock_phrases, ("套话表", "stock phrases file"))
    return tuple(sorted(dict.fromkeys(phrases), key=len, reverse=True))


def stock_share(text: str, phrases: tuple[str, ...] | list[str]) -> float:
    """The share of a paragraph's characters (letters and digits, not punctuation) inside stock phrases."""
    covered = [False] * len(text)
    for phrase in phrases:
        start = text.find(phrase)
        while start >= 0:
            for i in range(start, start + len(phrase)):
                covered[i] = True
            start = text.find(phrase, start + 1)
    content = [i for i, c in enumerate(text) if c.isalnum()]
    return sum(1 for i in content if covered[i]) / len(content) if content else 0.0


def anchors_in(text: str) -> list[str]:
    """The kinds of concrete anchor a paragraph has (数据, 时限, 具名项目, 责任单位)."""
    return [name for name, pattern in ANCHORS if pattern.search(text)]


# -- handling classes ------------------------------------------------------------------------
def check_class_code(code: str | None, names: dict[str, str]) -> str | None:
    """The class code as configured (A, B …), or a bilingual error for an unknown one."""
    if code is None or not str(code).strip():
        return None
    wanted = str(code).strip().upper().rstrip("类")
    if wanted not in names:
        choices = "、".join(f"{c}（{n}）" for c, n in names.items())
        raise QueryError(f"未知的办理结果类别“{code}”，可选：{choices}", f"unknown handling class {code!r}; choose one of {', '.join(names)}")
    return wanted


def class_demands(name: str) -> set[str]:
    """What a class's name asks of the letter: results (已解决/采纳), a reason (因条件限制/暂不能),
    a dated plan (正在解决/列入计划), holding back (留作参考). Read from the name, so a scheme set in
    settings is checked the same way."""
    demands = set()
    if re.search(r"条件限制|暂不|不能解决|难以解决|无法解决", name):
        demands.add("reason")
    elif re.search(r"已解决|基本解决|采纳", name):
        demands.add("results")
    elif re.search(r"列入计划|正在解决|部分解决|列入规划", name):
        demands.add("plan")
    if "参考" in name:
        demands.add("reference")
    return demands


# -- the letter's parts ----------------------------------------------------------------------
def _flat(text: str) -> str:
    return re.sub(r"\s+", "", _MARKER.sub("", text))


def paragraph_lines(paragraphs: list[Paragraph], markdown: str) -> list[int | None]:
    """Each paragraph's line number in the Markdown form (found by its start, in order)."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    if "---" in lines:
        lines = lines[: lines.index("---")]
    keys = [_flat(line.lstrip("#")) for line in lines]
    out: list[int | None] = []
    position = 0
    for paragraph in paragraphs:
        key = _flat(paragraph.text.split("\n")[0])[:12]
        found = next((i for i in range(position, len(keys)) if key and keys[i].startswith(key)), None)
        out.append(None if found is None else found + 1)
        if found is not None:
            position = found + 1
    return out


def _start(text: str, width: int = 24) -> str:
    flat = _MARKER.sub("", text).replace("\n", " ").strip()
    return flat if len(flat) <= width else flat[:width] + "…"


_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_CN_DATE_LINE = re.compile(rf"^{_CN_DATE.pattern}$")


def parse_date(text: str) -> Date | None:
    """2026年11月25日 or 二〇二六年十一月二十五日 (the year digit by digit, month and day as numerals)."""
    from ..genre.numerals import CN_DIGITS, parse_cn_numeral

    try:
        if m := DATE.search(text):
            return Date(*(int(g) for g in m.groups()))
        if m := _CN_DATE.search(text):
            year = int("".join(str(CN_DIGITS.index("零" if c == "〇" else c)) for c in m.group(1)))
            month, day = parse_cn_numeral(m.group(2)), parse_cn_numeral(m.group(3))
            return Date(year, month, day) if month and day else None
    except ValueError:
        return None
    return None


def letter_date(draft: Draft) -> Date | None:
    """The date of the letter (its 成文日期 paragraph, in Arabic or Chinese numerals), if it has one."""
    for paragraph in reversed(draft.paragraphs):
        text = paragraph.text.strip()
        if paragraph.role == "date" or (paragraph.role in ("body", "opening", "signature") and _CN_DATE_LINE.match(text)):
            if (day := parse_date(text)) is not None:
                return day
            if paragraph.role == "date":
                return None
    return None


def doc_number_of(draft: Draft) -> str | None:
    for paragraph in draft.paragraphs[:3]:
        if m := DOC_NUMBER.search(paragraph.text):
            return re.sub(r"\s+", "", m.group(1)).replace("第", "")
    return None


def _iso_date(value: str | None) -> Date | None:
    try:
        return Date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass
class _Parts:
    """Indexes of the letter's parts: body paragraphs, 一、 (what was done), 二、 (next steps)."""

    body: list[int]
    measures: list[int]
    plan: list[int]
    measures_heading: int | None
    plan_heading: int | None


def letter_parts(draft: Draft) -> _Parts:
    """Where the body is. Works on drafts and on plain letters read back, whose roles are known
    only from the wording: what follows the salutation is the opening while it receives,
    restates or appraises the proposal (收悉、提案……提出、具有……意义), then the body begins.
    The turns are genre.parts's, the same that cut precedents into units."""
    body: list[int] = []
    measures: list[int] = []
    plan: list[int] = []
    measures_heading: int | None = None
    plan_heading: int | None = None
    letter = LetterParts("header" if any(p.role == "salutation" for p in draft.paragraphs) else "front")
    for index, paragraph in enumerate(draft.paragraphs):
        role, text = paragraph.role, paragraph.text.strip()
        if role == "salutation":
            letter.salutation()
            continue
        if role in ("closing", "contact", "signature", "date", "cc"):
            letter.end()
            continue
        if letter.part in ("header", "end") or role in ("doc_number", "title"):
            continue
        if role == "opening" and letter.part == "front" and (FORMULA.search(text) or RESTATING.search(text)):
            continue
        if role in ("body", "opening") and len(text) <= 40 and heading_level(text):
            role = "heading1"  # 1、 我市推进……的工作举措及成效 (a top heading numbered the wrong way)
        before = letter.part
        if role == "heading1" or (role == "heading2" and before == "front"):
            letter.heading(text)
            if is_plan_heading(text):
                plan_heading = index
            elif before == "front":
                measures_heading = index
            continue
        if role == "heading2":
            if ANSWER_TURN.search(text[:80]) and plan_heading is None:
                letter.suggestion_heading()  # （一）关于“…”的建议 answers a suggestion: next steps
                if letter.part == "plan" and before != "plan":
                    plan_heading = index
            if _heading_body(text):
                body.append(index)
                (plan if letter.part == "plan" else measures).append(index)
            continue
        letter.paragraph(text)
        body.append(index)
        (plan if letter.part == "plan" else measures).append(index)
    return _Parts(body, measures, plan, measures_heading, plan_heading)


def _heading_body(text: str) -> str:
    """What a （N） line carries after its heading sentence (（一）关于“…”的建议。一是…)."""
    m = re.match(rf"^[（(][^）)]+[）)][^。]*?(?:{ANSWER_HEADING.pattern})[。.]?", text)
    return text[m.end() :].strip() if m else ""


def _body_text(paragraph: Paragraph) -> str:
    return _heading_body(paragraph.text) if paragraph.role == "heading2" else paragraph.text


# -- the checks ------------------------------------------------------------------------------
def check_coverage(draft: Draft, suggestions: list[str], lines: list[int | None]) -> list[ReviewFinding]:
    """Every suggestion has its own （N） with content that is not only a placeholder."""
    parts = letter_parts(draft)
    headings = [i for i, p in enumerate(draft.paragraphs) if p.role == "heading2" and ANSWER_HEADING.search(p.text[:90])]
    if not headings:
        headings = [i for i, p in enumerate(draft.paragraphs) if p.role == "heading2"]
    texts = {i: _flat(draft.paragraphs[i].text).translate(_QUOTES) for i in headings}
    claimed: dict[int, int] = {}  # heading index → suggestion index
    for s_index, suggestion in enumerate(suggestions):
        # the heading quotes the suggestion whole, or as drafting heads it (its first clauses: proposal.heading_of)
        wanted = [w for w in {_flat(x).translate(_QUOTES).replace('"', "'") for x in (suggestion, heading_of(suggestion))} if w]
        for i in headings:
            if i not in claimed.values() and any(w in texts[i].replace('"', "'") for w in wanted):
                claimed[s_index] = i
                break
    for s_index, suggestion in enumerate(suggestions):  # edited headings: the closest wording, then the number
        if s_index in claimed:
            continue
        free = [i for i in headings if i not in claimed.values()]
        scored = [(difflib.SequenceMatcher(None, _flat(suggestion), _flat(_heading_title(draft.paragraphs[i].text))).ratio(), i) for i in free]
        best = max(scored, default=(0.0, None))
        if best[0] >= 0.6 and best[1] is not None:
            claimed[s_index] = best[1]
            continue
        ordinal = next(
            (
                i
                for i in free
                if _ordinal(draft.paragraphs[i].text) == s_index + 1 and not any(_flat(s) in _flat(draft.paragraphs[i].text) for s in suggestions)
            ),
            None,
        )
        if ordinal is not None:
            claimed[s_index] = ordinal
    findings = []
    anchor = parts.plan_heading if parts.plan_heading is not None else parts.measures_heading
    for s_index, suggestion in enumerate(suggestions):
        label = f"（{_cn(s_index + 1)}）"
        suggestion = suggestion.replace("“", "‘").replace("”", "’")  # quoted inside the message's quotes
        if s_index not in claimed:
            findings.append(
                ReviewFinding(
                    "coverage",
                    f"建议“{suggestion}”没有单独答复：草稿中找不到对应的{label}段",
                    f"在“二、”下补写“{label}关于“{suggestion}”的建议。”，说明办理情况和下一步安排",
                    line=lines[anchor] if anchor is not None else None,
                    paragraph=_start(draft.paragraphs[anchor].text) if anchor is not None else "",
                )
            )
            continue
        heading = claimed[s_index]
        content = section_content(draft, heading)
        real = [c for c in (PLACEHOLDER.sub("", _MARKER.sub("", t)).strip(" 。，,；;\n") for t in content) if len(c) >= 6]
        if not _answers(content):
            what = "只有占位符" if any(PLACEHOLDER.search(t) for t in content) else ("只有政策依据" if real else "没有内容")
            findings.append(
                ReviewFinding(
                    "coverage",
                    f"建议“{suggestion}”的答复{what}，未说明办理情况",
                    "写明已做的工作（数据、时间、责任单位）和下一步安排，删去【待补充】占位符",
                    line=lines[heading],
                    paragraph=_start(draft.paragraphs[heading].text),
                )
            )
    return findings


def check_genre(draft: Draft, lines: list[int | None]) -> list[ReviewFinding]:
    """A 会办意见 speaks to the lead unit: a paragraph that addresses, thanks or appraises the proposer
    belongs in the lead unit's reply, not here."""
    findings = []
    for index, paragraph in enumerate(draft.paragraphs):
        if paragraph.role == "contact" or not (m := TO_PROPOSER.search(_MARKER.sub("", paragraph.text))):
            continue
        findings.append(
            ReviewFinding(
                "genre",
                f"会办意见写给主办单位，此段向提案人称“您”、致谢或评价提案（“{m.group(0)}”）",
                "删去，或改为对主办单位的表述；答复提案人由主办单位负责",
                line=lines[index],
                paragraph=_start(paragraph.text),
            )
        )
    return findings


def _only_our_part(finding: ReviewFinding) -> ReviewFinding:
    """In a 会办意见 a suggestion outside our remit may go unanswered: a coverage finding is a 提示."""
    if finding.check != "coverage":
        return finding
    return replace(finding, severity=NOTE, message=finding.message + "（会办意见只需就涉及本单位职责的部分提出意见）")


def section_content(draft: Draft, heading: int) -> list[str]:
    """What a heading's section says: the heading line's own body, then its paragraphs up to the next heading."""
    content = [_body_text(draft.paragraphs[heading])]
    for paragraph in draft.paragraphs[heading + 1 :]:
        if paragraph.role in ("heading1", "heading2", "closing", "contact", "signature", "date", "cc"):
            break
        content.append(paragraph.text)
    return content


def _answers(content: list[str]) -> list[str]:
    """The parts of a section that answer: not a placeholder, not a basis line, not a scrap."""
    real = [c for c in (PLACEHOLDER.sub("", _MARKER.sub("", t)).strip(" 。，,；;\n") for t in content) if len(c) >= 6]
    return [c for c in real if not BASIS_OPENING.match(c)]


def check_measures(draft: Draft, lines: list[int | None]) -> list[ReviewFinding]:
    """“一、工作举措及成效” that holds only placeholders (or basis lines) says nothing of what was done."""
    parts = letter_parts(draft)
    at = parts.measures_heading
    if at is None:
        return []
    content = [draft.paragraphs[i].text for i in parts.measures if i > at and (parts.plan_heading is None or i < parts.plan_heading)]
    if _answers(content):
        return []
    what = "只有占位符" if any(PLACEHOLDER.search(t) for t in content) else "没有内容"
    return [
        ReviewFinding(
            "coverage",
            f"“{_start(draft.paragraphs[at].text, 16)}”{what}，没有写已做的工作和成效",
            "写明已开展的工作和成效：出台的政策（全称）、建成的平台、数据（截至时间），删去【待补充】占位符",
            line=lines[at],
            paragraph=_start(draft.paragraphs[at].text),
        )
    ]


def _heading_title(text: str) -> str:
    m = re.search(r"关于[“\"](.+)[”\"]的(?:建议|提案|意见)", text)
    return m.group(1) if m else re.sub(r"^[（(][^）)]+[）)]", "", text.split("。")[0])


def _ordinal(text: str) -> int | None:
    from ..genre.numerals import parse_cn_numeral

    m = re.match(r"^[（(]([一二三四五六七八九十百零〇两]+)[）)]", text.strip())
    return parse_cn_numeral(m.group(1)) if m else None


def _cn(value: int) -> str:
    from ..genre.numerals import cn_numeral

    return cn_numeral(value)


def check_specificity(draft: Draft, lines: list[int | None], phrases: tuple[str, ...] | list[str]) -> tuple[list[ReviewFinding], int, int]:
    """(findings, body paragraphs, specific ones): 空泛 = no anchor and mostly stock phrasing."""
    findings, total, specific = [], 0, 0
    for index in letter_parts(draft).body:
        text = _MARKER.sub("", _body_text(draft.paragraphs[index])).strip()
        if len(PLACEHOLDER.sub("", text).strip(" 。，")) < 6:
            continue  # an empty section is coverage's finding
        if BASIS_OPENING.match(text):
            continue  # 根据《…条例》第X条，“…”: the basis, not an answer (specific by its nature, it would flatter the share)
        total += 1
        if anchors_in(text):
            specific += 1
            continue
        share = stock_share(text, phrases)
        if share >= STOCK_SHARE:
            found = [p for p in phrases if p in text]
            shown = "、".join(dict.fromkeys(found))
            findings.append(
                ReviewFinding(
                    "specificity",
                    f"本段空泛：没有数据、时限、具名的项目/政策或责任单位，{share:.0%} 是套话（{shown}）",
                    "写明做了什么、做到什么程度：数据（截至时间）、完成时限、具体的政策/平台名称、责任单位",
                    line=lines[index],
                    paragraph=_start(text),
                )
            )
    return findings, total, specific


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", _MARKER.sub("", text)).translate(_QUOTES)


def _grams(text: str, k: int = COPY_RUN) -> set[str]:
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def _covered(text: str, grams: set[str], k: int = COPY_RUN) -> int:
    """How many characters of ``text`` lie in a run of ≥ k characters that ``grams`` also has."""
    marks = bytearray(len(text))
    for i in range(len(text) - k + 1):
        if text[i : i + k] in grams:
            marks[i : i + k] = b"\x01" * k
    return sum(marks)


REPEATED_MIN = 20  # characters: a shorter line (同上。/ 我局将认真研究。) may well stand under two asks


def check_repeated_answers(draft: Draft, lines: list[int | None]) -> list[ReviewFinding]:
    """The same paragraph under two （N）: one answer pasted for another suggestion leaves it unanswered."""
    findings: list[ReviewFinding] = []
    first: dict[str, str] = {}  # a paragraph's text → the heading it first stood under
    heading = ""
    for index, paragraph in enumerate(draft.paragraphs):
        if paragraph.role == "heading2":  # （一）关于“……”的建议。 — and what it carries after that sentence
            heading = m.group(1) if (m := re.search(r"“([^”]{2,})”", paragraph.text)) else _start(paragraph.text, 16)
        elif paragraph.role in ("heading1", "closing", "contact", "signature", "date", "cc"):
            heading = ""
            continue
        text = _normalise(PLACEHOLDER.sub("", _body_text(paragraph)))
        if not heading or len(text) < REPEATED_MIN:
            continue
        if text in first and first[text] != heading:
            findings.append(
                ReviewFinding(
                    "copying",
                    f"此段与“{first[text]}”下的答复相同：同一段话答不了两条不同的建议",
                    "按本条建议的具体内容改写；确需一并答复的，写明“与第X条一并答复”",
                    line=lines[index],
                    paragraph=_start(paragraph.text),
                )
            )
        first.setdefault(text, heading)
    return findings


def check_copying(draft: Draft, letters: list[EarlierLetter], lines: list[int | None]) -> list[ReviewFinding]:
    """Per paragraph: the share repeated from an earlier reply (a note where it cites that reply —
    drafts reuse cited passages on purpose — a problem where it does not). Per letter: a draft
    that carries most of an earlier letter's text."""
    if not letters:
        return []
    bodies = [_normalise(letter.body) for letter in letters]
    index: dict[str, set[int]] = {}
    for number, body in enumerate(bodies):
        for gram in _grams(body):
            index.setdefault(gram, set()).add(number)
    letter_grams = [_grams(body) for body in bodies]
    findings: list[ReviewFinding] = []
    body_paragraphs = letter_parts(draft).body
    draft_grams: set[str] = set()
    draft_chars = 0
    from_letter = [0] * len(letters)
    first_line: dict[int, int] = {}
    for p_index in body_paragraphs:
        paragraph = draft.paragraphs[p_index]
        text = _normalise(PLACEHOLDER.sub("", _body_text(paragraph)))
        if len(text) < 20:
            continue
        grams = _grams(text)
        draft_grams |= grams
        draft_chars += len(text)
        candidates = {n for g in grams for n in index.get(g, ())}
        shares = {n: _covered(text, letter_grams[n]) for n in candidates}
        for n, covered in shares.items():
            from_letter[n] += covered
            if covered and n not in first_line:
                first_line[n] = p_index
        if not shares:
            continue
        best = max(shares, key=lambda n: shares[n])
        share = shares[best] / len(text)
        if share < PARAGRAPH_REPORT:
            continue
        letter = letters[best]
        cited = any(
            (c := draft.citation(cid)) is not None and ((c.doc_number and c.doc_number == letter.doc_number) or c.source == letter.source)
            for cid in paragraph.citations
        )
        if cited:
            findings.append(
                ReviewFinding(
                    "copying",
                    f"本段 {share:.0%} 与{letter.name}答复相同（已注明出处）",
                    "引用他函内容请确认仍然适用，必要时改写并更新数据",
                    line=lines[p_index],
                    paragraph=_start(paragraph.text),
                    severity=NOTE,
                )
            )
        else:
            findings.append(
                ReviewFinding(
                    "copying",
                    f"本段 {share:.0%} 与{letter.name}答复相同，未注明出处",
                    "按本次提案改写；确需沿用的，核实仍然适用并注明出处",
                    line=lines[p_index],
                    paragraph=_start(paragraph.text),
                    severity=PROBLEM if share >= PARAGRAPH_PROBLEM else NOTE,
                )
            )
    for n, letter in enumerate(letters):
        if not bodies[n] or not from_letter[n]:
            continue
        carried = _covered(bodies[n], draft_grams) / len(bodies[n])
        threshold = LETTER_REPEAT_SAME_PROPOSER if letter.relation == "同一提案人" else LETTER_REPEAT
        if carried < threshold:
            continue
        relation = f"，{letter.relation}" if letter.relation else ""
        own = from_letter[n] / draft_chars if draft_chars else 0.0
        where = first_line.get(n)
        findings.append(
            ReviewFinding(
                "copying",
                f"与{letter.name}答复重复 {carried:.0%}：该答复正文的 {carried:.0%} 原样出现在本稿中（本稿正文的 {min(own, 1.0):.0%} 来自该答复{relation}）",
                "按本次提案逐条重写：说明新的进展和数据，沿用的内容只保留必要部分并注明出处",
                line=lines[where] if where is not None else None,
                paragraph=_start(draft.paragraphs[where].text) if where is not None else "",
                scope="全文",
            )
        )
    return findings


def _clauses(text: str) -> list[str]:
    """A paragraph's clauses: its sentences, split again at ；."""
    from ..genre.sentences import split_sentences

    return [c for sentence in split_sentences(text) for c in re.split(r"(?<=[；;])", sentence) if c.strip()]


def is_goal(clause: str) -> bool:
    """A clause that sets a target (到2025年…超100家、力争…全省前3、每年…) rather than reporting a result:
    its figures are what is to be reached, not data to update."""
    return bool(TARGET.search(clause)) and not OUTCOME.search(TARGET.sub("", clause))


# 2023年，全市建成中试平台12家: a clause that opens with the year its figures are of (not 2023年以来, still running)
_YEAR_LED = re.compile(r"^\s*(?:在)?(20\d\d)\s*年(?:度)?(?!\s*(?:\d|[一二三四五六七八九十]+月|以来|起|至今|[底末]))")


def year_led_dates(text: str) -> list[Date]:
    """The years a text's clauses open with (2023年，全市建成……), each as its end: the latest its figures can be,
    for a paragraph that says no more (a cited reply's date, or 截至……, is more exact: 2024年新增…… in a reply of June 2024)."""
    return [Date(int(m.group(1)), 12, 1) for clause in _clauses(text) if (m := _YEAR_LED.match(clause))]


def stated_dates(text: str) -> list[Date]:
    """The dates a text gives for its figures: 截至2026年9月底 → 2026-09, 2025年底 → 2025-12."""
    out = []
    for year, month, _end in _STATED_DATE.findall(text):
        try:
            out.append(Date(int(year), int(month) if month else 12, 1))
        except ValueError:
            continue
    return out


def _source_text(citation: Citation, letters: list[EarlierLetter]) -> tuple[str, bool]:
    """(the cited text, whether it is whole): the earlier reply's own units when the index has the
    letter, else the citation's excerpt — cut at ``EXCERPT_MAX`` characters in a draft and
    ``EXCERPT_SHOWN`` in the Markdown form, so one that long may not show all the source's figures."""
    for letter in letters:
        if (citation.doc_number and citation.doc_number == letter.doc_number) or citation.source == letter.source:
            if letter.body:
                return letter.body, True
    excerpt = citation.excerpt or ""
    return excerpt, len(excerpt.rstrip("…")) < min(EXCERPT_MAX, EXCERPT_SHOWN) - 2  # (2: the cut's margin)


def check_staleness(draft: Draft, today: Date, lines: list[int | None], letters: Sequence[EarlierLetter] = ()) -> list[ReviewFinding]:
    """One finding per paragraph whose figures come from a source more than 12 months older than
    the letter. Figures in target clauses (到2025年…、力争…; every clause of a 计划 paragraph that
    reports no result) are goals and are left out; of a cited paragraph, only the figures the cited
    excerpt has are the source's. The figures' date is the newest of the citation's date and the
    dates the paragraph states (截至2026年9月底…): a paragraph brought up to date is not stale."""
    findings = []
    parts = letter_parts(draft)
    plan = set(parts.plan)
    for index in parts.body:
        paragraph = draft.paragraphs[index]
        text = _MARKER.sub("", _body_text(paragraph))
        facts = [c for c in _clauses(text) if not is_goal(c) and (index not in plan or OUTCOME.search(c))]
        figures = [f for c in facts for f in figures_in(c)]
        if not figures:
            continue
        cited = [c for cid in paragraph.citations if (c := draft.citation(cid)) is not None]
        dated = [(c, day) for c in cited if (day := _iso_date(c.date))]
        own = max(stated_dates("".join(facts)), default=None)
        source: Citation | None
        when: Date | None
        if dated:
            sources = [_source_text(c, list(letters)) for c, _ in dated]
            if all(whole for _, whole in sources):  # the 承办人's own figures are not the source's
                cited_text = "".join(re.sub(r"\s+", "", t) for t, _ in sources)
                figures = [f for f in figures if re.sub(r"\s+", "", f) in cited_text]
            if not figures:
                continue
            latest = max(dated, key=lambda pair: pair[1])
            source, when = (None, own) if own is not None and own > latest[1] else (latest[0], latest[1])
        else:
            source, when = None, own or max(year_led_dates("".join(facts)), default=None)
        if when is None:
            continue
        months = (today.year - when.year) * 12 + today.month - when.month
        if (today - when).days <= STALE_DAYS:
            continue
        origin = (
            f"{month_of(when.isoformat())}的{'答复' if source.doc_type == 'reply' else '文件'}（{source.doc_number or source.title}）"
            if source is not None
            else f"{month_of(when.isoformat())}（截至时间）"
        )
        shown = "、".join(figures[:6]) + ("等" if len(figures) > 6 else "")
        findings.append(
            ReviewFinding(
                "staleness",
                f"本段 {len(figures)} 个数据来自{origin}，距本函日期已 {months} 个月：{shown}",
                "更新为最新数据并写明截至时间，或删去过时数据",
                line=lines[index],
                paragraph=_start(paragraph.text),
            )
        )
    return findings


def target_sentences(text: str) -> list[str]:
    """The sentences of a 计划 unit that set a target (到2025年…、力争…、每年…)."""
    from ..genre.sentences import split_sentences

    out = []
    for sentence in split_sentences(text):
        for clause in re.split(r"(?<=[；;])", sentence):
            clause = re.sub(r"^[一二三四五六七八九十]+是", "", clause.strip()).strip()
            if TARGET.search(clause):
                out.append(clause.rstrip("。；;，,"))
    return out


def _letters_only(text: str) -> str:
    return re.sub(rf"[^\w{HAN}]", "", text)


def _promise_grams(promise: str) -> set[str]:
    core = _letters_only(TARGET_CUE.sub("", promise))
    return {core[i : i + 4] for i in range(len(core) - 3)}


def mentions(draft_text: str, promise: str) -> bool:
    """The draft speaks of the promise: it has a good share of the promise's wording (its cue
    words — 到2025年、力争 — and punctuation set aside)."""
    grams = _promise_grams(promise)
    if not grams:
        return True
    flat = _letters_only(draft_text)
    return sum(1 for g in grams if g in flat) / len(grams) >= PROMISE_MENTIONED


def target_year(target: str) -> int | None:
    """The year a target is due: 到2025年 / 2025年底前 → 2025."""
    m = re.search(r"到\s*(20\d\d)\s*年|(20\d\d)\s*年(?:底|前|内)", target)
    return int(m.group(1) or m.group(2)) if m else None


def _beyond(sentence: str, promise: str) -> str:
    """What a sentence says beyond the promise's own words (runs of 4 characters it shares with the
    promise set aside; the gaps between what is left kept apart)."""
    flat, words = re.sub(r"\s+", "", sentence), re.sub(r"\s+", "", promise)
    grams = {words[i : i + 4] for i in range(len(words) - 3)}
    marks = bytearray(len(flat))
    for i in range(len(flat) - 3):
        if flat[i : i + 4] in grams:
            marks[i : i + 4] = b"\x01" * 4
    return "".join(c if not marks[i] else "|" for i, c in enumerate(flat))


def followed_up(sentences: list[str], promise: str) -> bool:
    """The draft states what became of a promise: one of its sentences speaks of it and, beyond the
    promise's own words, reports an outcome (截至/已/完成/累计…) with a figure or a date. A sentence
    that repeats the promise (到2025年，…超100家) does not."""
    grams = _promise_grams(promise)
    for sentence in sentences:
        flat = _letters_only(sentence)
        if not grams or sum(1 for g in grams if g in flat) / len(grams) < PROMISE_MENTIONED:
            continue
        rest = _beyond(sentence, promise)
        if OUTCOME.search(rest) and (re.search(r"\d|[０-９]", rest) or figures_in(rest)):
            return True
    return False


def topic_scorer(topics: list[str], letters: list[EarlierLetter], tokenize: Callable[[str], list[str]] | None = None) -> Callable[[str], float]:
    """text → how well it answers the best of ``topics`` (the proposal's suggestions): the share of a
    suggestion's word weight the text covers (genre.coverage), a word weighing its IDF over the
    sentences of the earlier replies (科技、企业 are everywhere, 信贷 decides), action verbs a fifth; a
    policy term the suggestion quotes, used by the text, is enough — as drafting scores units.
    ``tokenize``: how the index cuts words (its learned terms), else the packaged dictionary's."""
    from ..corpus import text as segment

    split = tokenize or segment.tokenize  # the index's segmentation where the review has one
    idf = sentence_idf([set(split(c)) for letter in letters for c in _clauses(letter.body)])
    wanted = [
        Coverage(
            set(split(topic)), idf, terms=[t for t in ASKED_TERM.findall(topic) if len(t) >= 3], term_credit=ASKED_TERM_CREDIT, verb_weight=ACTION_VERB_WEIGHT
        )
        for topic in topics
    ]

    def score(text: str) -> float:
        tokens = set(split(text))
        return max((coverage(tokens, text) for coverage in wanted), default=0.0)

    return score


def check_promises(
    draft: Draft,
    promises: list[Promise],
    today: Date,
    lines: list[int | None],
    topic_score: Callable[[str], float] | None = None,
    floor: float = PROMISE_TOPIC_FLOOR,
) -> list[ReviewFinding]:
    """Targets of earlier replies the draft does not mention; a target whose year has passed (到2025年
    in a 2026 letter) is due, and only a sentence stating its outcome follows it up. A promise on
    the same topic counts only when its own target sentence answers a suggestion (``topic_score``
    reaching ``floor``); to the same proposer, every target counts."""
    parts = letter_parts(draft)
    body = [_MARKER.sub("", _body_text(draft.paragraphs[i])) for i in parts.body]
    text = "\n".join(body)
    sentences = [c for paragraph in body for c in _clauses(paragraph)]
    anchor = parts.plan_heading if parts.plan_heading is not None else parts.measures_heading
    findings, seen = [], set()
    for promise in promises:
        made = _iso_date(promise.date)
        if made is not None and (today - made).days < PROMISE_MIN_AGE_DAYS:
            continue
        for target in target_sentences(promise.text):
            if target in seen:
                continue
            if promise.relation != "同一提案人" and topic_score is not None and topic_score(target) < floor:
                continue
            year = target_year(target)
            due = year is not None and year < today.year
            if followed_up(sentences, target) if due else mentions(text, target):
                continue
            seen.add(target)
            shown = (target if len(target) <= 70 else target[:70] + "…").replace("“", "‘").replace("”", "’")
            when = f"，{month_of(promise.date)}" if promise.date else ""
            origin = f"（{promise.doc_number}{when}，{promise.relation}）"
            if due:
                message = f"上次答复承诺“{shown}”（到{year}年），已到期，请说明完成情况{origin}"
                fix = f"写明截至目前的完成情况（已完成多少、截至时间）；未完成的说明原因和新的时限。只重复“到{year}年……”的原话不算说明"
            else:
                message = f"上次答复承诺“{shown}”，请说明进展{origin}"
                fix = "在“二、”或相应（N）中写明这项承诺的完成情况（数据、时间）；未完成的说明原因和新的时限"
            findings.append(
                ReviewFinding(
                    "promises",
                    message,
                    fix,
                    line=lines[anchor] if anchor is not None else None,
                    paragraph=_start(draft.paragraphs[anchor].text) if anchor is not None else "",
                    severity=PROBLEM,
                )
            )
    return findings


def check_class(draft: Draft, code: str, name: str, lines: list[int | None]) -> list[ReviewFinding]:
    demands = class_demands(name)
    parts = letter_parts(draft)
    findings = []
    opening = next((i for i, p in enumerate(draft.paragraphs) if p.role == "opening"), None)
    label = f"{code}类（{name}）"
    if "results" in demands:
        results = [
            i
            for i in parts.measures
            if not PLACEHOLDER.fullmatch(draft.paragraphs[i].text.strip()) and (figures_in(draft.paragraphs[i].text) or DONE.search(draft.paragraphs[i].text))
        ]
        if not results:
            at = parts.measures_heading
            findings.append(
                ReviewFinding(
                    "class",
                    f"办理结果为{label}，但“一、”中没有办理成效（已完成的事项、数据）",
                    "在“一、”中写明已办成的事和数据（截至时间）；尚未办成的，应改为 B 类",
                    line=lines[at] if at is not None else None,
                    paragraph=_start(draft.paragraphs[at].text) if at is not None else "",
                )
            )
        empty = [i for i, p in enumerate(draft.paragraphs) if p.role == "heading2" and not _answers(section_content(draft, i))]
        for i in empty:
            findings.append(
                ReviewFinding(
                    "class",
                    f"办理结果为{label}，但“{_start(draft.paragraphs[i].text, 30).replace('“', '‘').replace('”', '’')}”尚无办理内容",
                    "写明这条建议已办成的事和数据；尚未办成的，应改为 B 类",
                    line=lines[i],
                    paragraph=_start(draft.paragraphs[i].text),
                )
            )
        if opening is not None and (held := HOLDING_BACK.search(draft.paragraphs[opening].text)):
            findings.append(
                ReviewFinding(
                    "class",
                    f"办理结果为{label}，但开头的评价用语是“{held.group(0)}”（留作参考/暂难实施/条件许可时实施）",
                    "改用“吸收采纳”的评价用语（--appraisal adopt），或改选类别",
                    line=lines[opening],
                    paragraph=_start(draft.paragraphs[opening].text),
                )
            )
    if "plan" in demands:
        # a year inside a title (《…三年行动方案（2023-2025年）》) is no deadline of ours
        planned = [i for i in parts.plan if any(DEADLINE.search(re.sub(r"《[^》]*》", "", c)) for c in _answers([_body_text(draft.paragraphs[i])]))]
        if not planned:
            at = parts.plan_heading if parts.plan_heading is not None else parts.measures_heading
            findings.append(
                ReviewFinding(
                    "class",
                    f"办理结果为{label}，但“二、”中没有一项带时限或年份的工作计划",
                    "至少写明一项下一步工作的完成时限，如“2026年底前出台……”“力争到2027年……”",
                    line=lines[at] if at is not None else None,
                    paragraph=_start(draft.paragraphs[at].text) if at is not None else "",
                )
            )
    if "reason" in demands:
        body = "\n".join(draft.paragraphs[i].text for i in [*([opening] if opening is not None else []), *parts.body])
        if not REASON.search(body):
            at = parts.plan_heading if parts.plan_heading is not None else opening
            findings.append(
                ReviewFinding(
                    "class",
                    f"办理结果为{label}，但答复中没有说明不能解决的原因",
                    "写明原因，如“因……，目前暂不具备实施条件”或“受……限制”，并说明今后的打算",
                    line=lines[at] if at is not None else None,
                    paragraph=_start(draft.paragraphs[at].text) if at is not None else "",
                )
            )
    if demands & {"reason", "reference"} and opening is not None and ADOPTING.search(draft.paragraphs[opening].text):
        findings.append(
            ReviewFinding(
                "class",
                f"办理结果为{label}，但开头的评价用语是“吸收采纳/已解决”",
                "改用与类别相符的评价用语（--appraisal reference），或改选类别",
                line=lines[opening],
                paragraph=_start(draft.paragraphs[opening].text),
            )
        )
    return findings


def review_draft(
    draft: Draft,
    *,
    markdown: str | None = None,
    suggestions: list[str] | None = None,
    handling_class: str | None = None,
    class_names: dict[str, str] | None = None,
    letters: Sequence[EarlierLetter] = (),
    promises: Sequence[Promise] = (),
    stock_phrases: tuple[str, ...] | list[str] | None = None,
    today: Date | None = None,
    tokenize: Callable[[str], list[str]] | None = None,
) -> ReviewReport:
    """All checks on one draft. ``markdown`` is the text the line numbers refer to (default: the
    draft rendered as Markdown); ``suggestions`` None means no proposal is known (coverage is
    skipped and a note says so); ``letters``/``promises`` come from the index."""
    from .markdown import draft_to_markdown

    names = class_names or {}
    code = check_class_code(handling_class, names) if handling_class else None
    lines = paragraph_lines(draft.paragraphs, markdown if markdown is not None else draft_to_markdown(draft))
    dated = letter_date(draft)
    day = dated or today or Date.today()
    notes = []
    if dated is None:
        notes.append(f"草稿没有成文日期，按今天（{day.year}年{day.month}月{day.day}日）检查数据时效和承诺")
    findings: list[ReviewFinding] = []
    if suggestions is None:
        notes.append("未检查逐条答复：没有提案（Markdown 草稿不含提案，请用 --proposal 指定提案文件）")
    elif not suggestions:
        notes.append("未检查逐条答复：提案中没有识别出建议条目")
    else:
        findings += check_coverage(draft, suggestions, lines)
    co_handling = draft.letter_kind == CO_HANDLING
    if co_handling:
        findings = [_only_our_part(f) for f in findings] + check_genre(draft, lines)
        if code:
            notes.append("会办意见不定办理结果类别（由主办单位答复提案人时确定），未检查类别")
            code = None
    findings += check_measures(draft, lines)
    specificity, total, specific = check_specificity(draft, lines, stock_phrases if stock_phrases is not None else load_stock_phrases())
    findings += specificity
    findings += check_repeated_answers(draft, lines)
    findings += check_copying(draft, list(letters), lines)
    findings += check_staleness(draft, day, lines, list(letters))
    promises = list(promises)
    if promises:
        topics = list(suggestions or [])
        if not topics:  # no proposal: what the letter's opening says it answers
            topics = [p.text for p in draft.paragraphs if p.role == "opening"][:1]
        scorer = topic_scorer(topics, list(letters), tokenize) if topics else None
        findings += check_promises(draft, promises, day, lines, scorer)
    if code:
        findings += check_class(draft, code, names.get(code, ""), lines)
    order = list(CHECKS)
    findings.sort(key=lambda f: (f.severity != PROBLEM, order.index(f.check), f.scope != "全文", f.line or 0))
    return ReviewReport(
        findings, total, specific, handling_class=code, class_name=names.get(code, "") if code else "", letter_date=day.isoformat(), notes=notes
    )


def letter_blocks(text: str) -> str:
    """A letter typed one paragraph a line (the seed letters, text copied out of Word) as the
    Markdown form's blank-line-separated paragraphs; a Markdown draft comes back unchanged."""
    body, rule, appendix = text.replace("\r\n", "\n").partition("\n---\n")
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    blocks = [b for b in re.split(r"\n\s*\n", body) if b.strip()]
    if len(lines) < 5 or len(blocks) * 2 > len(lines):
        return text
    return "\n\n".join(lines) + (f"\n{rule}\n{appendix}" if rule else "\n")
