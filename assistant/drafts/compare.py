"""Two versions of a letter compared as people read them: paragraph by paragraph, aligned side by side, and
within a changed paragraph the characters that changed (Chinese has no spaces: a word-level diff would mark
whole sentences). Data only; web/render.py draws it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

# a paragraph pair this alike is one paragraph edited, not one removed and another added
SAME_PARAGRAPH = 0.4


@dataclass
class Row:
    """One aligned row: ``kind`` 相同 / 修改 / 新增 / 删除; each side a list of (text, changed) pieces."""

    kind: str
    old: list[tuple[str, bool]] = field(default_factory=list)
    new: list[tuple[str, bool]] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    """A letter's paragraphs (blank-line separated, as the editor writes them; a line each for plain text)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text or "") if b.strip()]
    return blocks if len(blocks) > 1 else [line.strip() for line in (text or "").split("\n") if line.strip()]


def compare(old_text: str, new_text: str) -> list[Row]:
    """The rows of the side-by-side comparison."""
    old, new = paragraphs(old_text), paragraphs(new_text)
    rows: list[Row] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [Row("相同", [(p, False)], [(p, False)]) for p in old[a1:a2]]
        elif op == "delete":
            rows += [Row("删除", [(p, True)], []) for p in old[a1:a2]]
        elif op == "insert":
            rows += [Row("新增", [], [(p, True)]) for p in new[b1:b2]]
        else:
            rows += _pair(old[a1:a2], new[b1:b2])
    return rows


def _pair(old: list[str], new: list[str]) -> list[Row]:
    """A replaced run: each old paragraph matched to the most alike new one (in order) and marked within; the
    rest removed or added."""
    rows: list[Row] = []
    j = 0
    for paragraph in old:
        scores = [(difflib.SequenceMatcher(None, paragraph, candidate, autojunk=False).ratio(), k) for k, candidate in enumerate(new[j:], j)]
        ratio, k = max(scores, default=(0.0, -1))
        if ratio < SAME_PARAGRAPH:
            rows.append(Row("删除", [(paragraph, True)], []))
            continue
        rows += [Row("新增", [], [(p, True)]) for p in new[j:k]]
        rows.append(Row("修改", *_within(paragraph, new[k])))
        j = k + 1
    rows += [Row("新增", [], [(p, True)]) for p in new[j:]]
    return rows


def _within(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The characters that changed between two versions of one paragraph, as pieces of each side."""
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if a2 > a1:
            left.append((old[a1:a2], op != "equal"))
        if b2 > b1:
            right.append((new[b1:b2], op != "equal"))
    return left, right
