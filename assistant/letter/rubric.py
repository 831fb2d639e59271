"""The drafting rubric: would a 承办人 send this draft after light edits?

Measured on a ``Draft`` alone (plus, optionally, the proposers the proposal really names), so the
bench (bench/draft_quality.py) and the tests judge drafts by the same rules. Pure: stdlib, the
draft model and the writing conventions; no retrieval, no numpy, no torch.

The rules follow ../shared/specs/reply-letter-anatomy.md ("units and their roles"): a bureau
writes its measures in its own words (never a statute's text), reports results under 一、 and
plans under 二、, never reuses a precedent's restatement of *its* proposer, and addresses every
proposer of a joint proposal.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ..genre.headings import ARTICLE_HEADING_INSIDE, ARTICLE_START, LEADING_NUMBER
from ..genre.patterns import (
    ADDRESSED,
    BASIS_LINE,
    BASIS_QUOTE_MAX,
    BASIS_START,
    FIGURE,
    FORWARD,
    FUTURE,
    PAST_CUE,
    PLACEHOLDER,
    RESTATEMENT,
    ROLE_BY_KIND,
    SUMMARY,
    is_organisation,
)
from ..genre.sentences import SENTENCE
from .model import Citation, Draft, Paragraph

# -- targets ---------------------------------------------------------------------------------
MIN_FORWARD_SHARE = 0.8
MAX_SUMMARY_CHARS = 90
MAX_ARTICLE_OVERLAP = 119  # 120 characters of one article's text in a paragraph = pasted
MAX_BASIS_PER_SUGGESTION = 1
MAX_BASIS_IN_MEASURES = 2


@dataclass
class DraftScore:
    """The rubric of one draft. ``offenders`` maps a rule to the indexes of the paragraphs that broke it."""

    name: str = ""
    article_pastes: int = 0
    past_results_in_plan: int = 0
    forward_paragraphs: int = 0
    forward_counted: int = 0  # 二、 body paragraphs judged (placeholders and basis lines left out)
    restatements_reused: int = 0
    proposers_addressed: bool = False
    summary_chars: int | None = None  # None: no summary sentence in the opening
    suggestions: int = 0  # plan:N sections
    answered: int = 0
    placeholders: int = 0
    basis_lines: int = 0
    basis_over: list[str] = field(default_factory=list)  # sections over their basis-line limit
    checks: int = 0
    offenders: dict[str, list[int]] = field(default_factory=dict)

    @property
    def forward_share(self) -> float | None:
        """None when 二、 has nothing to judge (only placeholders and basis lines)."""
        return self.forward_paragraphs / self.forward_counted if self.forward_counted else None

    def failures(self) -> list[str]:
        """The targets this draft misses, by field name."""
        failed = []
        if self.article_pastes:
            failed.append("article_pastes")
        if self.past_results_in_plan:
            failed.append("past_results_in_plan")
        if self.forward_share is not None and self.forward_share < MIN_FORWARD_SHARE:
            failed.append("forward_share")
        if self.restatements_reused:
            failed.append("restatements_reused")
        if not self.proposers_addressed:
            failed.append("proposers_addressed")
        if self.suggestions and (self.summary_chars is None or self.summary_chars > MAX_SUMMARY_CHARS):
            failed.append("summary_chars")
        if self.basis_over:
            failed.append("basis_lines")
        return failed

    def passes(self) -> bool:
        return not self.failures()

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "forward_share": self.forward_share, "passes": self.passes(), "failures": self.failures()}


# -- the rules, one paragraph at a time -------------------------------------------------------
def _core(text: str) -> str:
    """A paragraph's text without leading placeholders and numbering (一是、（一）、1、)."""
    text = text.strip()
    while match := PLACEHOLDER.match(text):
        text = text[match.end() :].lstrip()
    return LEADING_NUMBER.sub("", text, count=1).strip()


def is_placeholder(paragraph: Paragraph) -> bool:
    """A paragraph that opens with 【待补充：…】 (or the older 【待填：…】): an honest gap."""
    return bool(PLACEHOLDER.match(paragraph.text.strip()))


def is_basis_line(text: str) -> bool:
    """根据《…》第X条… — a line that rests a measure on a regulation (of any length)."""
    return bool(BASIS_START.match(_core(text)))


def is_short_basis_line(text: str) -> bool:
    """根据《…》第X条，“…”。 quoting at most ``BASIS_QUOTE_MAX`` characters: policy text as it may appear."""
    match = BASIS_LINE.match(_core(text))
    return match is not None and len(match.group(1)) <= BASIS_QUOTE_MAX


def is_article_citation(citation: Citation) -> bool:
    """A regulation's article: role 条文, or (drafts from before roles) a whole policy passage."""
    return citation.role == "条文" or (not citation.role and citation.doc_type == "policy")


def _longest_common(a: str, b: str) -> int:
    if min(len(a), len(b)) <= MAX_ARTICLE_OVERLAP:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def is_article_paste(paragraph: Paragraph, draft: Draft) -> bool:
    """Starts with 第X条 (after any numbering), carries an article's layout "第X条　…" inside, cites
    a 条文 without being a short basis line, or holds ≥ 120 characters of any cited article's text."""
    core = _core(paragraph.text)
    if ARTICLE_START.match(core) or ARTICLE_HEADING_INSIDE.search(paragraph.text):
        return True
    cited = [draft.citation(c) for c in paragraph.citations]
    if any(c is not None and is_article_citation(c) for c in cited) and not is_short_basis_line(paragraph.text):
        return True
    return any(is_article_citation(c) and _longest_common(paragraph.text, c.excerpt) > MAX_ARTICLE_OVERLAP for c in draft.citations)


def reports_past_results(paragraph: Paragraph, draft: Draft) -> bool:
    """Cites a 成效 unit, or has a sentence with 截至/累计/已达/已建… and a figure but no tense or
    intent word (将, 下一步, 力争, 到2025年…). Judged per sentence, so a forward lead-in in front of
    "截至2024年5月底，累计……亿元" does not make the result a plan."""
    if any((c := draft.citation(i)) is not None and c.role == "成效" for i in paragraph.citations):
        return True
    return any(PAST_CUE.search(s) and FIGURE.search(s) and not FUTURE.search(s) for s in SENTENCE.findall(paragraph.text))


def looks_forward(text: str) -> bool:
    return bool(FORWARD.search(text))


def is_restatement(text: str) -> bool:
    return bool(RESTATEMENT.search(text))


def summary_sentence(draft: Draft) -> str | None:
    """The opening's 您在提案中就……等方面提出了建议。 (the sentence from 您在提案中/您在建议中 to its 。)."""
    for paragraph in draft.paragraphs:
        if paragraph.section in ("header", "opening") or paragraph.role == "opening":
            if match := SUMMARY.search(paragraph.text):
                return match.group(0)
    return None


def addresses(salutation: str, proposers: list[str], role: str = "") -> bool:
    """The salutation names exactly these proposers, lead first, then 委员/代表 (when ``role`` is given)
    after the persons; an organisation (九三学社温州市委会) by its name alone."""
    match = ADDRESSED.match(salutation.strip())
    people = [p for p in proposers if not is_organisation(p)]
    if not proposers or (people and not match):
        return False
    if people and role and match is not None and match.group(2) != role:
        return False
    names = match.group(1) if match else salutation.strip().rstrip("：:")
    named = [re.sub(r"(委员|代表)$", "", n) for n in re.split(r"[、，,；;\s\u3000]+", names) if n]
    return named == list(proposers)


def _section_limit(section: str) -> int | None:
    if section == "measures":
        return MAX_BASIS_IN_MEASURES
    if section.startswith("plan:"):
        return MAX_BASIS_PER_SUGGESTION
    return None


# -- the whole draft ---------------------------------------------------------------------------
def score_draft(draft: Draft, expected_proposers: list[str] | None = None, expected_role: str = "", name: str = "") -> DraftScore:
    """The rubric of ``draft``. Without ``expected_proposers`` the draft's own parsed proposers are
    the yardstick (so only a salutation that drops one of them fails); without ``expected_role``
    the role comes from the draft's proposal (委员 for 提案, 代表 for 建议)."""
    score = DraftScore(name=name, checks=len(draft.flags))
    offenders: dict[str, list[int]] = {}
    proposal = draft.proposal or {}
    proposers = list(expected_proposers) if expected_proposers is not None else list(proposal.get("proposers") or [])
    role = expected_role or proposal.get("role") or ROLE_BY_KIND.get(proposal.get("kind") or "", "")

    salutation = next((p.text for p in draft.paragraphs if p.role == "salutation"), "")
    score.proposers_addressed = addresses(salutation, proposers, role)
    if (summary := summary_sentence(draft)) is not None:
        score.summary_chars = len(summary)

    basis_per_section: dict[str, int] = {}
    answered: set[str] = set()
    placeholders: set[str] = set()
    for index, paragraph in enumerate(draft.paragraphs):
        if paragraph.role != "body":
            continue
        section = paragraph.section
        in_plan = section == "plan" or section.startswith("plan:")
        if is_article_paste(paragraph, draft):
            offenders.setdefault("article_pastes", []).append(index)
        if is_restatement(paragraph.text):
            offenders.setdefault("restatements_reused", []).append(index)
        basis = is_basis_line(paragraph.text)
        if basis:
            basis_per_section[section] = basis_per_section.get(section, 0) + 1
        placeholder = is_placeholder(paragraph)
        if section.startswith("plan:"):
            if placeholder:
                placeholders.add(section)
            if any((c := draft.citation(i)) is not None and c.doc_type == "reply" for i in paragraph.citations):
                answered.add(section)
        if in_plan:
            if reports_past_results(paragraph, draft):
                offenders.setdefault("past_results_in_plan", []).append(index)
            if not placeholder and not basis:
                score.forward_counted += 1
                if looks_forward(paragraph.text):
                    score.forward_paragraphs += 1
                else:
                    offenders.setdefault("not_forward", []).append(index)

    score.article_pastes = len(offenders.get("article_pastes", []))
    score.past_results_in_plan = len(offenders.get("past_results_in_plan", []))
    score.restatements_reused = len(offenders.get("restatements_reused", []))
    score.suggestions = sum(1 for s in draft.sections if s.startswith("plan:"))
    score.answered, score.placeholders = len(answered), len(placeholders)
    score.basis_lines = sum(basis_per_section.values())
    score.basis_over = [s for s, n in basis_per_section.items() if (limit := _section_limit(s)) is not None and n > limit]
    score.offenders = offenders
    return score


# -- the table ---------------------------------------------------------------------------------
TABLE_HEAD = (
    "| proposal | article pastes (0) | past results in 二、 (0) | forward share (≥0.8) | restatements (0) "
    "| proposers addressed | summary chars (≤90) | answered / placeholder / suggestions | basis lines | 需核实 | passes |\n"
    "|---|---:|---:|---:|---:|:-:|---:|:-:|---:|---:|---|"
)


def _share(share: float | None) -> str:
    return "–" if share is None else f"{share:.2f}"


def table_row(score: DraftScore) -> str:
    summary = "–" if score.summary_chars is None else str(score.summary_chars)
    basis = f"{score.basis_lines}" + (f" (over: {', '.join(score.basis_over)})" if score.basis_over else "")
    verdict = "✓" if score.passes() else "✗ " + ", ".join(score.failures())
    return (
        f"| {score.name} | {score.article_pastes} | {score.past_results_in_plan} | {_share(score.forward_share)} "
        f"| {score.restatements_reused} | {'✓' if score.proposers_addressed else '✗'} | {summary} "
        f"| {score.answered} / {score.placeholders} / {score.suggestions} | {basis} | {score.checks} | {verdict} |"
    )


def overall_row(scores: list[DraftScore]) -> str:
    """Counts summed, the forward share pooled over all judged paragraphs, the longest summary,
    需核实 as the mean per draft."""
    n = len(scores)
    counted = sum(s.forward_counted for s in scores)
    share = sum(s.forward_paragraphs for s in scores) / counted if counted else None
    summaries = [s.summary_chars for s in scores if s.summary_chars is not None]
    mean_checks = sum(s.checks for s in scores) / n if n else 0.0
    return (
        f"| **overall ({n} drafts)** | {sum(s.article_pastes for s in scores)} | {sum(s.past_results_in_plan for s in scores)} "
        f"| {_share(share)} | {sum(s.restatements_reused for s in scores)} "
        f"| {sum(s.proposers_addressed for s in scores)}/{n} | max {max(summaries) if summaries else '–'} "
        f"| {sum(s.answered for s in scores)} / {sum(s.placeholders for s in scores)} / {sum(s.suggestions for s in scores)} "
        f"| {sum(s.basis_lines for s in scores)} | mean {mean_checks:.1f} | {sum(s.passes() for s in scores)}/{n} pass |"
    )


def markdown_table(scores: list[DraftScore]) -> str:
    """One row per draft and an overall row."""
    return "\n".join([TABLE_HEAD, *(table_row(s) for s in scores), overall_row(scores)])


# -- relevance against hand labels ----------------------------------------------------------
@dataclass
class PrecedentJudgement:
    """How the 二、（N） sections of a draft compare with labels saying which precedent units a
    承办人 would accept for each suggestion (a distinctive phrase of each; [] = none exists)."""

    name: str = ""
    answered_right: int = 0  # a precedent exists and at least one acceptable unit was used
    answered_wrong: int = 0  # a precedent exists, the section holds other content (wrong units, statute text)
    missed: int = 0  # a precedent exists, the section got a placeholder
    gap_right: int = 0  # no precedent exists and the section says so
    gap_filled: int = 0  # no precedent exists, yet the section holds pasted content
    units_used: int = 0
    units_acceptable: int = 0

    @property
    def unit_precision(self) -> float | None:
        return self.units_acceptable / self.units_used if self.units_used else None


def judge_precedents(draft: Draft, acceptable: dict[str, list[str]], name: str = "") -> PrecedentJudgement:
    """``acceptable``: suggestion number ("1", "2", …) → phrases of acceptable units."""
    judgement = PrecedentJudgement(name=name)
    citations = {c.id: c for c in draft.citations}
    sections = draft.sections
    for number, phrases in acceptable.items():
        paragraphs = [draft.paragraphs[i] for i in sections.get(f"plan:{number}", []) if draft.paragraphs[i].role == "body"]
        used = [citations[c] for p in paragraphs for c in p.citations if c in citations and citations[c].doc_type == "reply"]
        good = [c for c in used if any(phrase in c.excerpt for phrase in phrases)]
        # content is anything but an honest placeholder or a short basis line: a pasted article counts
        filled = any(not is_placeholder(p) and not is_short_basis_line(p.text) for p in paragraphs)
        judgement.units_used += len(used)
        judgement.units_acceptable += len(good)
        if phrases:
            if good:
                judgement.answered_right += 1
            elif filled:
                judgement.answered_wrong += 1
            else:
                judgement.missed += 1
        elif filled:
            judgement.gap_filled += 1
        else:
            judgement.gap_right += 1
    return judgement


JUDGEMENT_HEAD = (
    "| proposal | answered right | answered wrong | missed (placeholder) | gap right | gap filled with unrelated | unit precision |\n"
    "|---|---:|---:|---:|---:|---:|---:|"
)


def judgement_table(judgements: list[PrecedentJudgement]) -> str:
    def row(j: PrecedentJudgement) -> str:
        return f"| {j.name} | {j.answered_right} | {j.answered_wrong} | {j.missed} | {j.gap_right} | {j.gap_filled} | {_share(j.unit_precision)} |"

    total = PrecedentJudgement(name=f"**overall ({len(judgements)} drafts)**")
    for j in judgements:
        for key in ("answered_right", "answered_wrong", "missed", "gap_right", "gap_filled", "units_used", "units_acceptable"):
            setattr(total, key, getattr(total, key) + getattr(j, key))
    return "\n".join([JUDGEMENT_HEAD, *(row(j) for j in judgements), row(total)])
