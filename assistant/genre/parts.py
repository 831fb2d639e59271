"""The one state machine for a reply letter's parts.

A reply reads: header (文号, title) → salutation → front (receipt, restatement, appraisal) →
measures (一、 what was done) → plan (二、 下一步) → end (thanks, contact, 抄送, date). Cutting a
precedent into units (corpus) and reviewing a draft (letter) both walk a letter this way; each
says what a line *is* (a heading, an opening, a closing line) and this machine says where the
letter *stands*. One set of turns, so that a 下一步 heading or a 今后 paragraph turns the letter to
its plan part for both."""

from __future__ import annotations

from .headings import LEADING_NUMBER
from .patterns import PLAN_HEADING, PLAN_TURN

PARTS = ("header", "front", "measures", "plan", "end")


def is_plan_heading(title: str) -> bool:
    """二、下一步工作打算 / 今后工作计划 / 未来…: a heading that opens the plan part."""
    title = LEADING_NUMBER.sub("", title.strip(), count=1)
    return bool(PLAN_TURN.match(title) or PLAN_HEADING.search(title))


class LetterParts:
    """Where a reader of a reply letter stands; ``part`` is one of ``PARTS``."""

    def __init__(self, part: str = "header"):
        self.part = part

    def salutation(self) -> str:
        """The salutation (or a receipt line where there is none): the front begins."""
        self.part = "front"
        return self.part

    def heading(self, title: str, may_turn: bool = True) -> str:
        """A numbered heading: a plan heading (where its level may turn the letter: 一、 not （一）
        inside the measures) opens the plan; any other ends the front."""
        if may_turn and is_plan_heading(title):
            self.part = "plan"
        elif self.part == "front":
            self.part = "measures"
        return self.part

    def suggestion_heading(self) -> str:
        """（一）关于“…”的建议 after the measures: the letter now answers suggestion by suggestion,
        which is its plan."""
        if self.part == "measures":
            self.part = "plan"
        return self.part

    def paragraph(self, text: str, opening: bool = False) -> str:
        """A body paragraph. ``opening``: it receives, restates or appraises the proposal, so the
        front goes on; anything else ends it. A paragraph that opens with 下一步/今后 turns to the plan."""
        if self.part == "front" and not opening:
            self.part = "measures"
        if self.part == "measures" and PLAN_TURN.match(text):
            self.part = "plan"
        return self.part

    def end(self) -> str:
        """Thanks, contact, signature, date, 抄送: the body is over."""
        self.part = "end"
        return self.part
