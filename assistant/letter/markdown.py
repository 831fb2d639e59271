"""The Draft as Markdown a person reads and edits, and back.

Format: the letter in order; ``# `` marks the title, ``## `` a 一、 heading, ``### `` a （一）
heading; a paragraph taken from a precedent ends with its citation marker ``[^c1]``; after a
``---`` rule come the citation definitions and the list of things to check. Parsing accepts
the same text with the ``#`` marks removed (roles are then recognised from the wording).
A chosen handling class (办理结果类别) is a line of its own before the letter, ``办理结果类别：A``:
it is not part of the letter's text; deleting the line drops the class.
"""

from __future__ import annotations

import re

from ..corpus.formats import SCANNED_LABEL
from ..genre.headings import HEADING_PATTERNS
from ..genre.patterns import (
    CO_HANDLING,
    CO_HANDLING_CLOSING,
    DOC_NUMBER,
    SALUTATION_DRAFTED,
    THANKS,
    UNIT_SALUTATION,
    is_organisation,
    letter_kind,
    title_ending,
)
from .model import EXCERPT_SHOWN, SOURCE_ROLE_LABELS, Citation, Draft, Flag, Paragraph, flag_paragraph

SOURCES_RULE = "---"
SOURCES_HEADING = "## 引用来源（导出时不含本节）"
MARKER = re.compile(r"\s*\[\^(c\d+)\]")
DEFINITION = re.compile(r"^\[\^(c\d+)\]:\s*(.*)$")
_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### "}
CLASS_LABEL = "办理结果类别："
CLASS_LINE = re.compile(r"^办理结果(?:类别)?\s*[:：]\s*([A-Za-z]|[甲乙丙丁])\s*类?\s*(?:[（(][^）)\n]*[）)])?\s*$")


def draft_to_markdown(draft: Draft) -> str:
    lines: list[str] = [f"{CLASS_LABEL}{draft.handling_class}", ""] if draft.handling_class else []
    for paragraph in draft.paragraphs:
        markers = "".join(f"[^{c}]" for c in paragraph.citations)
        lines += [f"{_PREFIX.get(paragraph.role, '')}{paragraph.text}{' ' + markers if markers else ''}", ""]
    return "\n".join(lines).rstrip() + "\n" + appendix(draft)


CHECKS_TAIL = re.compile(r"\n## 需核实\n(?:[ \t]*\n|- ⚠[^\n]*(?:\n|$))*$")


def _without_checks(body: str) -> str:
    """A 需核实 list saved at the end without its rule (before a draft citing nothing had one) is no part of the letter."""
    checks = CHECKS_TAIL.search(body)
    return body[: checks.start()].rstrip() + "\n" if checks else body


def letter_body(text: str) -> str:
    """The letter without its appendix (引用来源, 需核实): what the web editor shows and a saved draft keeps —
    the sources and checks live in their panels, rebuilt from the draft's citations."""
    body, rule, rest = (text or "").partition(f"\n{SOURCES_RULE}\n")
    if not rule:
        if (letter := _without_checks(body)) != body:
            return letter
        return "" if body.strip() == SOURCES_RULE else body  # what the person typed, as typed
    if not rest.lstrip().startswith((SOURCES_HEADING, "## 需核实", "[^c")):
        return text  # a --- the person typed, with their own text after it: kept
    return body.rstrip() + "\n" if body.strip() else ""


def appendix(draft: Draft) -> str:
    """What follows the letter in its Markdown file: the citation definitions and the checks ('' for none)."""
    lines: list[str] = []
    if draft.citations:
        lines += [SOURCES_HEADING, ""]
        for citation in draft.citations:
            role = f"〔{citation.kind_label}〕" if citation.role else ""
            lines.append(f"[^{citation.id}]: {role}{citation.label} · {citation.source} · 段落#{citation.chunk_id} — “{_excerpt(citation)}”")
        lines.append("")
    if draft.flags:
        lines += ["## 需核实", ""]
        lines += [_check_line(f) for f in draft.flags]
        lines.append("")
    # the rule comes first whatever follows it: a draft citing nothing still has checks (【待填】), and the
    # letter's body (``letter_body``, the Word export) ends at the rule
    return "\n" + "\n".join([SOURCES_RULE, "", *lines]).rstrip() + "\n" if lines else ""


def _check_line(flag: Flag) -> str:
    """One line per check: a data check names its figures, a placeholder or defect quotes itself."""
    if flag.kind == "figure":
        figures = flag.figures or [flag.text]  # drafts saved before checks covered whole paragraphs
        shown = "、".join(figures[:8]) + ("等" if len(figures) > 8 else "")
        return f"- ⚠ {flag.message}：{shown}"
    return f"- ⚠ “{flag.text}”：{flag.message}"


def _excerpt(citation: Citation, limit: int = EXCERPT_SHOWN) -> str:
    text = citation.excerpt.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


_DOC_NUMBER_PLACEHOLDER = re.compile(r"^【待填[:：]?文号】$")
# The levels genre/headings.py defines, so （十一）关于“…”的建议。 and 十一、 are headings here too.
_HEADING1 = HEADING_PATTERNS[1]
_HEADING2 = HEADING_PATTERNS[2]
_DATE_LINE = re.compile(r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|【待填[:：]?(?:日期|成文日期)】)$")
_DEFINITION_PARTS = re.compile(r"^(?P<label>.*?) · (?P<source>.*?) · 段落#(?P<chunk>\d+)(?: — “(?P<excerpt>.*)”)?$")


# What a pasted text may carry that a Word file cannot hold: Word's soft return (Shift+Enter) arrives
# as a vertical tab, a page break as a form feed; other control characters are invisible noise.
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"}
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_editor_text(text: str) -> tuple[str, int]:
    """The editor's text as a letter can hold it, and how many characters were changed: line
    separators become line breaks, other control characters are dropped (XML, hence .docx, refuses them)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    breaks = sum(text.count(ch) for ch in _LINE_BREAKS)
    for ch, replacement in _LINE_BREAKS.items():
        text = text.replace(ch, replacement)
    text, dropped = _INVISIBLE.subn("", text)
    return text, breaks + dropped


def markdown_to_draft(text: str, base: Draft | None = None) -> Draft:
    """Parse an edited Markdown (or plain-text) letter back into a Draft.

    What the person wrote is what counts: paragraph texts, order and citation markers come from
    ``text``. Citation details come from ``base`` (the draft it was edited from) when given,
    else from the ``[^cN]:`` definitions in the text. Flags are recomputed from the new text.
    """
    from ..errors import QueryError

    text, _ = clean_editor_text(text)
    body, _, appendix = text.partition(f"\n{SOURCES_RULE}\n")
    body = _without_checks(body)
    if not body.strip() and not appendix.strip() and text.strip() == SOURCES_RULE:
        body = ""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    if not blocks:
        raise QueryError("草稿为空，无法导出", "the draft is empty")

    known = {c.id: c for c in base.citations} if base else {}
    for line in appendix.split("\n"):
        if (m := DEFINITION.match(line.strip())) and m.group(1) not in known:
            if citation := _citation_from_definition(m.group(1), m.group(2)):
                known[citation.id] = citation

    handling_class = None
    paragraphs: list[Paragraph] = []
    for block in blocks:
        if m := CLASS_LINE.match(block):
            handling_class = m.group(1).upper()
            continue
        for line in [block] if not block.startswith("#") else block.split("\n"):
            paragraphs.append(_paragraph(line.strip(), paragraphs))
    _assign_closing_roles(paragraphs)
    used = {c for p in paragraphs for c in p.citations}
    citations = [known[c] for c in sorted(used, key=lambda c: int(c[1:])) if c in known]
    lookup = {c.id: c for c in citations}
    for paragraph in paragraphs:
        paragraph.citations = [c for c in paragraph.citations if c in lookup]
        paragraph.flags = flag_paragraph(paragraph, lookup)
    return Draft(proposal=base.proposal if base else {}, paragraphs=paragraphs, citations=citations, handling_class=handling_class)


def _paragraph(line: str, before: list[Paragraph]) -> Paragraph:
    citations = MARKER.findall(line)
    content = MARKER.sub("", line).strip()
    roles = [p.role for p in before]
    role = "body"
    for prefix, marked in (("### ", "heading2"), ("## ", "heading1"), ("# ", "title")):
        if content.startswith(prefix):
            return Paragraph(role=marked, text=content[len(prefix) :].strip(), citations=citations)
    flat = content.replace("\n", "")
    if not roles and (DOC_NUMBER.fullmatch(flat) or _DOC_NUMBER_PLACEHOLDER.match(flat)):
        role = "doc_number"
    elif "title" not in roles and not any(r.startswith("heading") for r in roles) and title_ending(flat):
        role = "title"
        content = flat.replace("答 复 函", "答复函")
    elif "salutation" not in roles and (
        SALUTATION_DRAFTED.match(flat)
        or is_organisation(flat.rstrip(":："))
        and flat.endswith(("：", ":"))
        or (_co_handling(before) and not any(r.startswith("heading") for r in roles) and UNIT_SALUTATION.match(flat))
    ):
        role = "salutation"
    elif _HEADING1.match(flat) and len(flat) <= 40:
        role = "heading1"
    elif _HEADING2.match(flat) and ("的建议" in flat[:80] or len(flat) <= 40):
        role = "heading2"
    elif "salutation" in roles and not any(r.startswith("heading") for r in roles):
        role = "opening"
    return Paragraph(role=role, text=content, citations=citations)


def _co_handling(before: list[Paragraph]) -> bool:
    """The letter so far is a 会办意见 (its title says so): its salutation names a unit."""
    return any(p.role == "title" and letter_kind(p.text) == CO_HANDLING for p in before)


def _assign_closing_roles(paragraphs: list[Paragraph]) -> None:
    """Closing, contact, signature, date and 抄送 are recognised from the end of the letter."""
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if paragraph.role not in ("body", "opening"):
            continue
        if re.match(r"^抄\s*送\s*[:：]", text):
            paragraph.role = "cc"
        elif text.startswith(("联系人", "（联系人")):
            paragraph.role = "contact"
        elif _DATE_LINE.match(text):
            paragraph.role = "date"
            prev = paragraphs[index - 1] if index else None
            if prev is not None and prev.role in ("body", "opening") and len(prev.text) <= 30 and not re.search(r"[。；，]", prev.text):
                prev.role = "signature"
        elif (THANKS.match(text) or CO_HANDLING_CLOSING.match(text)) and not paragraph.citations:
            paragraph.role = "closing"


def _citation_from_definition(citation_id: str, definition: str) -> Citation | None:
    m = _DEFINITION_PARTS.match(definition.strip())
    if not m:
        return None
    label = m.group("label")
    role, scanned = "", False
    if kind := re.match(r"^〔(.+?)〕", label):  # 〔答复函·计划〕: the unit's role, kept across a plain edit
        shown_kind = kind.group(1)
        scanned = shown_kind.endswith(f"·{SCANNED_LABEL}")  # 〔答复函·成效·扫描件·识别〕
        shown_kind = shown_kind.removesuffix(f"·{SCANNED_LABEL}")
        role = next((r for r, shown in SOURCE_ROLE_LABELS.items() if shown == shown_kind), "")
        label = label[kind.end() :]
    title, _, date = label.rpartition("，") if re.search(r"，\d{4}-\d{2}-\d{2}$", label) else (label, "", "")
    number = DOC_NUMBER.match(title)
    return Citation(
        id=citation_id,
        chunk_id=int(m.group("chunk")),
        source=m.group("source"),
        title=title,
        doc_type="policy" if role == "条文" or (not number and not role) else "reply",
        doc_number=number.group(1) if number else None,
        date=date or None,
        excerpt=(m.group("excerpt") or "").rstrip("…"),
        role=role,
        scanned=scanned,
    )
