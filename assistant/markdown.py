"""The Draft as Markdown a person reads and edits, and back.

Format: the letter in order; ``# `` marks the title, ``## `` a 一、 heading, ``### `` a （一）
heading; a paragraph taken from a precedent ends with its citation marker ``[^c1]``; after a
``---`` rule come the citation definitions and the list of things to check. Parsing accepts
the same text with the ``#`` marks removed (roles are then recognised from the wording).
"""

from __future__ import annotations

import re

from .drafting import Citation, Draft, Paragraph, flag_paragraph

SOURCES_RULE = "---"
SOURCES_HEADING = "## 引用来源（导出时不含本节）"
MARKER = re.compile(r"\s*\[\^(c\d+)\]")
DEFINITION = re.compile(r"^\[\^(c\d+)\]:\s*(.*)$")
_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### "}


def draft_to_markdown(draft: Draft) -> str:
    lines: list[str] = []
    for paragraph in draft.paragraphs:
        markers = "".join(f"[^{c}]" for c in paragraph.citations)
        lines += [f"{_PREFIX.get(paragraph.role, '')}{paragraph.text}{' ' + markers if markers else ''}", ""]
    if draft.citations:
        lines += [SOURCES_RULE, "", SOURCES_HEADING, ""]
        for citation in draft.citations:
            lines.append(f"[^{citation.id}]: {citation.label} · {citation.source} · 段落#{citation.chunk_id} — “{_excerpt(citation)}”")
        lines.append("")
    checks = [(p, f) for p in draft.paragraphs for f in p.flags]
    if checks:
        lines += ["## 需核实", ""]
        lines += [f"- ⚠ “{f.text}”：{f.message}" for _, f in checks]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _excerpt(citation: Citation, limit: int = 80) -> str:
    text = citation.excerpt.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"
