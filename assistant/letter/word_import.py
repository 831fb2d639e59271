"""A letter edited in Word → the Markdown draft form (issue 14, the Word round trip).

Reads the project's own export (after Word or LibreOffice has saved it) or any plain .docx
letter. Tracked changes are accepted on the XML (``w:ins`` kept, ``w:del`` dropped, a deleted
paragraph mark joins two paragraphs); python-docx's ``paragraph.text`` would keep both. Each
citation comes back from the Word comment the export wrote for it — its last line is
``引用：[^c3]〔答复函·成效〕`` and its file line names ``段落#N`` — so the id and the chunk id return
exactly; the comments a person added in Word, and the export's own checks (recomputed from the
text), are not citations and are left out. Roles: the title, 一、 and （一） headings are read from
their faces (小标宋 / 黑体 / 楷体, as the export and GB/T 9704 set them) or their wording; every
other role is recognised from the wording by ``markdown.markdown_to_draft``, as for a typed draft.
The export's own additions are undone: the letterhead is dropped, the handling-class mark becomes
``Draft.handling_class`` (without a mark, the class the export kept in the file's 类别 property), and
the 附注 （联系人：…） under the date goes back above the issuer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import LoadError
from ..genre.patterns import CO_HANDLING, UNIT_SALUTATION, letter_kind, title_ending
from .export import AUTHOR, CITATION_LABEL, CLASS_PROPERTY, EXCERPT_LABEL, FILE_LABEL, SOURCE_LABEL
from .model import SOURCE_ROLE_LABELS, Citation, Draft, flag_paragraph

if TYPE_CHECKING:
    from docx.document import Document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# The core property 类别 (category) the export writes: 办理结果类别：B (a colon of either width)
_CLASS_PROPERTY = re.compile(r"^\s*" + re.escape(CLASS_PROPERTY.rstrip("：")) + r"[:：]\s*([A-Za-z甲乙丙丁])\s*$")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_SKIP_INSIDE = {_w("del"), _w("moveFrom"), _w("txbxContent"), f"{{{MC}}}Fallback"}
# the lines of our citation comments (export.py writes them; a colon of either width, as edited in Word)
_CITE_LINE = re.compile(CITATION_LABEL + r"[:：]\s*\[\^(c\d+)\](?:〔([^〕]*)〕)?")
_FILE_LINE = re.compile("^" + FILE_LABEL + r"[:：]\s*(.*?)（段落#(\d+)）\s*$", re.M)
_SOURCE_LINE = re.compile("^" + SOURCE_LABEL + r"[:：]\s*(.*?)\s*$", re.M)
_EXCERPT_LINE = re.compile("^" + EXCERPT_LABEL + r"[:：]\s*(.*?)\s*$", re.M)
_WHEN = re.compile(r"(?:(?P<number>.+)，)?(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)")
_CLASS_MARK = re.compile(r"^(?:办理结果(?:类别)?[:：]?\s*)?([A-Za-z甲乙丙丁])\s*类?$")
_WRAPPED_CONTACT = re.compile(r"^[（(]\s*(联系人.*?)\s*[）)]\s*[。]?$")
_RULE_ONLY = re.compile(r"^[-—_=*\s]+$")


@dataclass
class _Para:
    text: str
    comments: list[int] = field(default_factory=list)  # comment ids anchored here, in order
    fonts: set[str] = field(default_factory=set)  # faces of the runs that carry text
    sizes: set[float] = field(default_factory=set)  # their sizes in points
    align: str = ""
    red: bool = False
    rule_below: bool = False


@dataclass
class ImportedLetter:
    draft: Draft
    markdown: str
    tracked_changes: int = 0  # insertions and deletions accepted
    ignored_comments: int = 0  # comments in the file that are not the export's citations
    handling_class: str | None = None
    notes: list[str] = field(default_factory=list)
    version: int | None = None  # set by Assistant.import_docx: the saved draft's new version
    findings: list[dict[str, Any]] = field(default_factory=list)  # set by Assistant.import_docx: lint (and review)


def import_docx(path: Path | str, base: Draft | None = None, class_codes: Iterable[str] = (), handling_class: str | None = None) -> ImportedLetter:
    """Read ``path`` back into a Draft and its Markdown.

    ``base`` is the saved draft the letter was exported from: its citations are reused for the
    ids and chunk ids the comments name (full details, not the comment's excerpt), and its
    proposal carries over. ``class_codes`` are the handling classes a mark on page 1 may name
    (settings.handling_class_names; without them A–D and 甲–丁); without a mark the class is the one
    the export kept in the file's 类别 property (办理结果类别：B), else ``handling_class`` (the saved
    draft's)."""
    from ..corpus.loaders import open_docx
    from .markdown import draft_to_markdown, markdown_to_draft

    path = Path(path)
    document = open_docx(path)
    comments = _comments(document)
    paragraphs, tracked = _paragraphs(document)

    codes = {c.strip().upper() for c in class_codes if c.strip()}
    paragraphs, mark = _strip_export_furniture(paragraphs, codes)
    paragraphs = _join_split_title(paragraphs)

    known = {c.id: c for c in base.citations} if base else {}
    comment_citation = _resolve_citations(comments, known)
    ours = set(comment_citation) | {cid for cid, (author, _) in comments.items() if author == AUTHOR}
    lines: list[str] = []
    seen_title = seen_salutation = co_handling = False
    for paragraph in paragraphs:
        text = paragraph.text
        prefix = _prefix(paragraph, seen_title, seen_salutation)
        if not seen_title and (prefix == "# " or title_ending(text)):
            seen_title, co_handling = True, letter_kind(text) == CO_HANDLING
        elif not seen_salutation:
            seen_salutation = bool(re.search(r"(?:委员|代表|同志)(?:们)?\s*[:：]$", text) or co_handling and UNIT_SALUTATION.match(text))
        markers = list(dict.fromkeys(comment_citation[c] for c in paragraph.comments if c in comment_citation))
        lines += [prefix + text + (" " + "".join(f"[^{m}]" for m in markers) if markers else ""), ""]
    if not any(line.strip() for line in lines):
        raise LoadError(f"{path.name}：Word 文件中没有正文", f"{path.name}: the Word file has no text")

    lookup = Draft(proposal=base.proposal if base else {}, paragraphs=[], citations=list(known.values()))
    draft = markdown_to_draft("\n".join(lines), lookup)
    _contact_back_above_the_issuer(draft)
    draft.handling_class = mark or _class_property(document, codes) or handling_class
    markdown = draft_to_markdown(draft)

    notes = []
    if tracked:
        notes.append(f"已接受 {tracked} 处修订 / accepted {tracked} tracked change(s)")
    ignored = len(set(comments) - set(comment_citation))
    others = len(set(comments) - ours)
    if others:
        notes.append(f"忽略 {others} 条他人批注（批注不进入草稿）/ ignored {others} comment(s) added in Word")
    cited = len(draft.citations)
    notes.append(f"恢复 {cited} 处引用 / {cited} citation(s) recovered")
    return ImportedLetter(draft=draft, markdown=markdown, tracked_changes=tracked, ignored_comments=ignored, handling_class=draft.handling_class, notes=notes)


# -- reading the package ---------------------------------------------------------------------
def _class_property(document: Document, codes: set[str]) -> str | None:
    """The handling class the export kept in the file's 类别 property (办理结果类别：B), if any."""
    try:
        category = document.core_properties.category or ""
    except Exception:  # a broken core-properties part: no class, not a failed import
        return None
    m = _CLASS_PROPERTY.match(category)
    if m and m.group(1).upper() in (codes or set("ABCD甲乙丙丁")):
        return m.group(1).upper()
    return None


def _comments(document: Document) -> dict[int, tuple[str, str]]:
    """comment id → (author, text with one line per comment paragraph)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.COMMENTS and not rel.is_external), None)
    if part is None:
        return {}
    element = getattr(part, "element", None)
    if element is None:
        from lxml import etree

        try:
            element = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            return {}  # a broken comments part means no citations, not a failed import
    found = {}
    for comment in element.iter(_w("comment")):
        lines = ["".join(_run_text(p)) for p in comment.iter(_w("p"))]
        try:
            found[int(comment.get(_w("id")))] = (comment.get(_w("author")) or "", "\n".join(lines))
        except (TypeError, ValueError):
            continue
    return found


def _inside(element: Any, stop: Any, tags: set[str]) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _run_text(p: Any) -> list[str]:
    """The visible text of a paragraph with tracked changes accepted: inserted text kept, deleted
    text (w:delText, under w:del or w:moveFrom) dropped, text boxes and fallbacks left out."""
    out = []
    for element in p.iter(_w("t"), _w("tab"), _w("br"), _w("cr"), _w("noBreakHyphen"), _w("softHyphen")):
        if _inside(element, p, _SKIP_INSIDE):
            continue
        tag = element.tag
        if tag == _w("t"):
            out.append(element.text or "")
        elif tag == _w("tab"):
            if element.getparent().tag == _w("r"):  # not a tab stop definition in w:pPr/w:tabs
                out.append(" ")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag in (_w("br"), _w("cr")):
            out.append("\n")
    return out


def _paragraphs(document: Document) -> tuple[list[_Para], int]:
    body = document.element.body
    tracked = sum(1 for _ in body.iter(_w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")))
    result: list[_Para] = []
    carry: _Para | None = None  # a paragraph whose mark was deleted: it runs on into the next one
    comment_home: dict[int, int] = {}
    for p in body.iter(_w("p")):
        if _inside(p, body, {_w("txbxContent"), f"{{{MC}}}Fallback"}):
            continue
        para = _read_paragraph(p)
        if carry is not None:
            para = _Para(
                text=carry.text + para.text,
                comments=carry.comments + para.comments,
                fonts=carry.fonts | para.fonts,
                sizes=carry.sizes | para.sizes,
                align=carry.align or para.align,
                red=carry.red or para.red,
                rule_below=para.rule_below,
            )
            carry = None
        ppr = p.find(_w("pPr"))
        mark_deleted = ppr is not None and ppr.find(_w("rPr")) is not None and ppr.find(_w("rPr")).find(_w("del")) is not None
        if mark_deleted:
            carry = para
            continue
        result.append(para)
    if carry is not None:
        result.append(carry)
    # a comment belongs to one paragraph: where its range starts (else where its reference is)
    for index, para in enumerate(result):
        kept = []
        for cid in para.comments:
            if comment_home.setdefault(cid, index) == index and cid not in kept:
                kept.append(cid)
        para.comments = kept
    return result, tracked


def _read_paragraph(p: Any) -> _Para:
    text = "".join(_run_text(p))
    starts = [int(el.get(_w("id"))) for el in p.iter(_w("commentRangeStart")) if el.get(_w("id"), "").isdigit()]
    refs = [int(el.get(_w("id"))) for el in p.iter(_w("commentReference")) if el.get(_w("id"), "").isdigit() and not _inside(el, p, _SKIP_INSIDE)]
    para = _Para(text=text, comments=list(dict.fromkeys(starts + refs)))
    ppr = p.find(_w("pPr"))
    if ppr is not None:
        jc = ppr.find(_w("jc"))
        para.align = (jc.get(_w("val")) or "") if jc is not None else ""
        borders = ppr.find(_w("pBdr"))
        para.rule_below = borders is not None and borders.find(_w("bottom")) is not None
    for run in p.iter(_w("r")):
        if _inside(run, p, _SKIP_INSIDE) or not "".join(t.text or "" for t in run.iter(_w("t"))).strip():
            continue
        rpr = run.find(_w("rPr"))
        if rpr is None:
            para.fonts.add("")
            continue
        fonts = rpr.find(_w("rFonts"))
        para.fonts.add((fonts.get(_w("eastAsia")) or fonts.get(_w("ascii")) or "") if fonts is not None else "")
        size = rpr.find(_w("sz"))
        if size is not None and (size.get(_w("val")) or "").isdigit():
            para.sizes.add(int(size.get(_w("val"))) / 2)
        color = rpr.find(_w("color"))
        if color is not None and (color.get(_w("val")) or "").upper() not in ("", "AUTO", "000000"):
            value = color.get(_w("val")).upper()
            para.red = para.red or (len(value) == 6 and int(value[0:2], 16) > 0xB0 and int(value[2:4], 16) < 0x60)
    return para


# -- undoing what the export added, recognising roles ------------------------------------------
def _strip_export_furniture(paragraphs: list[_Para], codes: set[str]) -> tuple[list[_Para], str | None]:
    """Empty paragraphs and rules go; before the first line of the letter, a red letterhead goes and a
    single class letter (A, B类, 办理结果：C) becomes the handling class."""
    kept: list[_Para] = []
    mark = None
    for paragraph in paragraphs:
        paragraph.text = paragraph.text.replace("\n", "").strip()
        if not paragraph.text or _RULE_ONLY.match(paragraph.text):
            continue
        if not kept:
            m = _CLASS_MARK.match(paragraph.text)
            if m and mark is None and m.group(1).upper() in (codes or set("ABCD甲乙丙丁")):
                mark = m.group(1).upper()
                continue
            if paragraph.red or (paragraph.rule_below and paragraph.align == "center" and len(paragraph.text) <= 30):
                continue  # the 发文机关标志: an export setting, not the letter's text
        kept.append(paragraph)
    return kept, mark


def _join_split_title(paragraphs: list[_Para]) -> list[_Para]:
    """关于……的 / 答 复 函 (or 会办意见) on two lines (as the seed letters set it) is one title."""
    out: list[_Para] = []
    for paragraph in paragraphs:
        compact = re.sub(r"\s+", "", paragraph.text)
        if out and compact and title_ending(compact) == compact and out[-1].text.startswith("关于") and len(out) <= 3:
            previous = out[-1]
            previous.text = previous.text + compact
            previous.comments += paragraph.comments
            continue
        out.append(paragraph)
    return out


def _face(font: str) -> str:
    if "小标宋" in font or "标宋" in font:
        return "title"
    if "黑体" in font or "Hei" in font:
        return "heading1"
    if "楷体" in font or "Kai" in font:
        return "heading2"
    return ""


def _prefix(paragraph: _Para, seen_title: bool, seen_salutation: bool) -> str:
    """The Markdown mark a paragraph's face (all its text in one heading face) asks for. Body text
    typed after a heading may inherit its face, so a face counts for a short line or one that
    is worded as a heading; anything else is left to markdown_to_draft's reading of the words."""
    from .markdown import _HEADING1, _HEADING2

    faces = {_face(f) for f in paragraph.fonts}
    text = paragraph.text
    if len(faces) != 1 or text.startswith("#"):
        return ""
    face = faces.pop()
    short = len(text) <= 40 and not re.search(r"[。；]", text[:-1])
    if face == "title" and not seen_title and not seen_salutation:
        return "# "
    if face == "heading1" and seen_salutation and (_HEADING1.match(text) or short):
        return "## "
    if face == "heading2" and seen_salutation and (_HEADING2.match(text) or short):
        return "### "
    return ""


def _contact_back_above_the_issuer(draft: Draft) -> None:
    """The export writes the contact line as 附注 （联系人：…） under the date (GB/T 9704 7.3.6); the
    draft keeps it where the seed letters do, as 联系人：…。 above the issuer."""
    for paragraph in draft.paragraphs:
        if paragraph.role == "contact" and (m := _WRAPPED_CONTACT.match(paragraph.text)):
            paragraph.text = m.group(1).rstrip("。") + "。"
            paragraph.flags = flag_paragraph(paragraph, {c.id: c for c in draft.citations})
    roles = [p.role for p in draft.paragraphs]
    if "date" not in roles:
        return
    date_at = roles.index("date")
    moved = [p for p in draft.paragraphs[date_at + 1 :] if p.role == "contact"]
    if not moved:
        return
    rest = [p for p in draft.paragraphs if not any(p is m for m in moved)]
    at = next((i for i, p in enumerate(rest) if p.role == "signature"), None)
    if at is None:
        at = next(i for i, p in enumerate(rest) if p.role == "date")
    draft.paragraphs = rest[:at] + moved + rest[at:]


# -- citations from comments ------------------------------------------------------------------
def _resolve_citations(comments: dict[int, tuple[str, str]], known: dict[str, Citation]) -> dict[int, str]:
    """comment id → citation id, for the export's citation comments. ``known`` (the base draft's
    citations) is extended with those it lacks.

    A comment's marker id is kept when it is the base's citation of that chunk or not taken yet, so
    two citations of one chunk with different excerpts (c2, c4) stay two. Only a comment without an
    id, or whose id is taken by another chunk, is matched by chunk id (or numbered anew). A letter
    whose ids clash with the base (exported from another draft: its c1 is not the base's c1) is
    numbered differently altogether: each of its citations is the base's citation of that chunk
    when there is one."""
    parsed_all = {}
    for cid in sorted(comments):
        author, text = comments[cid]
        parsed = _citation_from_comment(text) if author == AUTHOR else None
        if parsed is not None:
            parsed_all[cid] = parsed
    base_by_chunk: dict[int, str] = {}
    for citation in known.values():
        base_by_chunk.setdefault(citation.chunk_id, citation.id)
    foreign = any(p.id in known and known[p.id].chunk_id != p.chunk_id for p in parsed_all.values())
    by_chunk = dict(base_by_chunk)
    out: dict[int, str] = {}
    for cid, parsed in parsed_all.items():
        wanted = parsed.id
        if wanted and wanted in known and known[wanted].chunk_id == parsed.chunk_id:
            out[cid] = wanted  # the base's citation (or one read from an earlier comment: cited twice)
        elif foreign and parsed.chunk_id in base_by_chunk:
            out[cid] = base_by_chunk[parsed.chunk_id]
        elif wanted and wanted not in known:
            known[wanted] = parsed
            by_chunk.setdefault(parsed.chunk_id, wanted)
            out[cid] = wanted
        elif parsed.chunk_id in by_chunk:
            out[cid] = by_chunk[parsed.chunk_id]
        else:
            numbers = [int(k[1:]) for k in known if k[1:].isdigit()]
            wanted = f"c{max(numbers, default=0) + 1}"
            known[wanted] = parsed.model_copy(update={"id": wanted})
            by_chunk[parsed.chunk_id] = wanted
            out[cid] = wanted
    return out


def _citation_from_comment(text: str) -> Citation | None:
    """A Citation from the comment export_docx._comment wrote (``id`` '' when it has no 引用 line)."""
    from ..genre.patterns import DOC_NUMBER

    where = _FILE_LINE.search(text)
    if where is None:
        return None  # a check (本段 N 个数据…) or a person's comment
    marker = _CITE_LINE.search(text)
    kind = marker.group(2) if marker and marker.group(2) else ""
    role = next((r for r, shown in SOURCE_ROLE_LABELS.items() if shown == kind), "")
    source_line = _SOURCE_LINE.search(text)
    title = source_line.group(1) if source_line else ""
    number = date = None
    if m := re.search(r"（([^（）]*)）$", title):
        inner = m.group(1)
        if when := _WHEN.fullmatch(inner):
            number, date = when.group("number"), when.group("date")
            title = title[: m.start()]
        elif DOC_NUMBER.fullmatch(inner):
            number, title = inner, title[: m.start()]
    if number is None and (found := DOC_NUMBER.match(title)):
        number = found.group(1)
    excerpt_line = _EXCERPT_LINE.search(text)
    excerpt = excerpt_line.group(1) if excerpt_line else ""  # a cut excerpt keeps its …: exported again, it reads the same
    doc_type = "policy" if role == "条文" or kind == "政策文件" or (not kind and not number) else "reply"
    return Citation(
        id=marker.group(1) if marker else "",
        chunk_id=int(where.group(2)),
        source=where.group(1).strip(),
        title=title.strip(),
        doc_type=doc_type,
        doc_number=number,
        date=date,
        excerpt=excerpt,
        role=role,
    )
