"""Draft → .docx in the GB/T 9704-2012 letter format (see shared/specs/gbt9704-letter.md).

A4, margins 37/35/28/26 mm (type area 156 × 225 mm), 3号仿宋 body with East Asian font names,
22 lines × 28 characters, 2号小标宋 title, 一、黑体 / （一）楷体 headings, issuer and date per
7.3.5.2, 联系人 as 附注, 抄送 in 4号, "— N —" page numbers (odd right, even left, none on page 1).
Citations and verification flags become Word comments unless a clean copy is asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..files import safe_file_name
from ..genre.numerals import CN_NUMERAL_CHARS, HAN
from ..genre.patterns import PLACEHOLDER, short_session, title_ending
from .markdown import CLASS_LABEL
from .model import Citation, Draft, Flag, Paragraph

if TYPE_CHECKING:
    from docx.document import Document
    from docx.shared import Length
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONG = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"
SIZE_3, SIZE_2, SIZE_4 = 16, 22, 14  # 3号, 2号, 4号 in points
LINE_PITCH_TWIPS = 579  # 22 lines in 225 mm
CHARS_PER_LINE = 28
# 156 mm / 28 = 15.79 pt a character; a 3号 glyph is 16 pt, so condense by 0.25 pt (-5 twips).
CONDENSE_TWIPS = -5
AUTHOR, INITIALS = "reply-assistant", "RA"


@dataclass
class ExportOptions:
    comments: bool = True  # False: a clean copy to send out
    letterhead: str = ""  # unit name in red above a red rule (GB/T 9704 10.1); empty = none
    class_mark: str = ""  # 办理结果类别 (A/B/C/D) printed top-right of page 1 in 3号黑体; empty = none
    public: bool = False  # the 公开版 (redaction.public_version): no contact line, numbers masked, no comments


PUBLIC_SUFFIX = "公开版"
# The core property 类别 (category) the export writes: 办理结果类别：B, the words of the Markdown
# class line (read back by word_import).
CLASS_PROPERTY = CLASS_LABEL
# The labels of a citation comment's lines (word_import reads them back): where it came from, what
# it says, the file and passage, and last its Markdown marker and kind, so the citation comes back
# exactly (id and chunk id) from a letter edited in Word.
SOURCE_LABEL, EXCERPT_LABEL, FILE_LABEL, CITATION_LABEL = "来源", "摘录", "文件", "引用"
CITATION_LINE = f"{CITATION_LABEL}："


def safe_filename(draft: Draft, today: Date | None = None, suffix: str = "") -> str:
    """File name from the title and the letter's date (and ``suffix``, e.g. 公开版): CJK, letters,
    digits and 〔〕-_ only."""
    title = next((p.text for p in draft.paragraphs if p.role == "title"), "") or "答复函"
    when = next((p.text for p in draft.paragraphs if p.role == "date"), "") or f"{(today or Date.today()):%Y年%m月%d日}"
    # 关于【待填：会议】【待填：编号】号提案的答复函: the file says a field is still to fill, not 关于号提案的答复函
    name = re.sub(r"(?:【[^】]*】)+", "〔待填〕", f"{title}_{when}")
    name = re.sub(rf"[^\w〔〕\-{HAN}]+", "_", name).strip("._")
    tail = re.sub(rf"[^\w{HAN}]+", "", suffix)
    return safe_file_name((name[:80] or "答复函") + (f"_{tail}" if tail else "") + ".docx", fallback="答复函")


def _file_properties(document: Any, draft: Draft, signature: str) -> None:
    """The file's own properties say what the letter says, not python-docx's template (author “python-docx”,
    created 2013): the title, the issuing unit as author (none while it is still 【待填】), made now."""
    from datetime import datetime, timezone

    properties = document.core_properties
    title = next((p.text for p in draft.paragraphs if p.role == "title"), "")
    unit = "" if PLACEHOLDER.search(signature) else signature.strip()
    properties.title, properties.author, properties.last_modified_by = title.lstrip("# ").strip(), unit, unit
    properties.subject = properties.keywords = properties.comments = ""
    properties.created = properties.modified = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    properties.revision = 1


def export_docx(draft: Draft, path: Path, options: ExportOptions | None = None) -> Path:
    options = options or ExportOptions()
    if not any(p.text.strip() for p in draft.paragraphs):
        raise QueryError("草稿为空，无法导出", "the draft is empty; nothing to export")
    import docx

    document = docx.Document()
    _setup_page(document)
    _setup_styles(document)
    _page_numbers(document)
    if options.public:  # redacted here too, so no caller can write a 公开版 with the contact line in it
        from .redaction import public_version

        draft, options = public_version(draft), replace(options, comments=False)
    citations = {c.id: c for c in draft.citations}
    # The handling class rides in the file's properties (类别) on every export, printed or not, 公开版 too
    # (it is no personal data), so a letter imported back from Word keeps it (word_import).
    document.core_properties.category = f"{CLASS_PROPERTY}{draft.handling_class}" if (draft.handling_class or "").strip() else ""
    if options.class_mark.strip():
        _class_mark(document, options.class_mark.strip())
    if options.letterhead:
        _letterhead(document, options.letterhead)

    paragraphs = _export_order([p for p in draft.paragraphs if p.text.strip()])
    signature = next((p.text for p in paragraphs if p.role == "signature"), "")
    _file_properties(document, draft, signature)
    previous_role = None
    for paragraph in paragraphs:
        if _blank_line_before(paragraph.role, previous_role):
            _blank(document)
        out = document.add_paragraph()
        layout = LAYOUTS.get(paragraph.role, BODY)
        text = _lay_out(out, paragraph, layout, signature)
        runs = _write_paragraph_runs(out, paragraph, text, layout, paragraph.flags if options.comments else [])
        if options.comments:
            _comment(document, runs, paragraph, citations)
        previous_role = paragraph.role
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@dataclass(frozen=True)
class RoleLayout:
    """How one role of paragraph is set (GB/T 9704 7.2–7.3): face and size, alignment, and whether
    it keeps the body's two-character first-line indent."""

    font: str = FANGSONG
    size: int = SIZE_3
    align: str = ""  # "", "right" or "center"
    first_line_indent: bool = True


BODY = RoleLayout()
LAYOUTS = {
    "doc_number": RoleLayout(align="right", first_line_indent=False),
    "title": RoleLayout(XIAOBIAOSONG, SIZE_2, align="center", first_line_indent=False),
    "salutation": RoleLayout(first_line_indent=False),
    "heading1": RoleLayout(HEITI, SIZE_3),
    "heading2": RoleLayout(KAITI, SIZE_3),
    "signature": RoleLayout(align="right", first_line_indent=False),
    "date": RoleLayout(first_line_indent=False),
    "cc": RoleLayout(FANGSONG, SIZE_4, first_line_indent=False),
}


def _blank_line_before(role: str, previous_role: str | None) -> bool:
    """The title 2 lines under the element above and the salutation 1 under the title; the issuer
    one blank line under the body (7.3.5.2); 抄送 set apart."""
    return (
        role == "title"
        or (role == "salutation" and previous_role == "title")
        or role == "signature"
        or (role == "date" and previous_role != "signature")
        or role == "cc"
    )


def _lay_out(out: DocxParagraph, paragraph: Paragraph, layout: RoleLayout, signature: str) -> str:
    """Set the paragraph's alignment and indents by its role; returns its text as printed."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    fmt = out.paragraph_format
    if layout.align:
        out.alignment = WD_ALIGN_PARAGRAPH.RIGHT if layout.align == "right" else WD_ALIGN_PARAGRAPH.CENTER
    if not layout.first_line_indent:
        fmt.first_line_indent = 0
    text = paragraph.text
    if paragraph.role == "signature":
        fmt.right_indent = _chars(2)
    elif paragraph.role == "date":
        fmt.left_indent = _chars(_date_indent(signature, text))
    elif paragraph.role == "contact":
        text = "（" + text.strip("（）()").rstrip("。") + "）"  # 7.3.6 附注 in round brackets
    elif paragraph.role == "cc":
        fmt.left_indent = fmt.right_indent = _chars(1, SIZE_4)
    return text


def _write_paragraph_runs(out: DocxParagraph, paragraph: Paragraph, text: str, layout: RoleLayout, flags: list[Flag]) -> list[tuple[Run, Flag | None]]:
    if paragraph.role != "title":
        return _write_runs(out, text, flags, layout.font, layout.size)
    runs: list[tuple[Run, Flag | None]] = []
    left = list(flags)  # each check anchors once, on the line that holds it (【待填：编号】 may fall on the second)
    for number, line in enumerate(title_lines(text)):
        if number:
            runs[-1][0].add_break()
        runs += _write_runs(out, line, left, layout.font, layout.size)
        left = [f for f in left if not any(piece and piece in line for piece in (f.figures or [f.text]))]
    return runs


TITLE_LINE_WIDTH = 20.0  # 二号 (22 pt) characters on a 156 mm line; a digit or a Latin letter counts half


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def title_lines(title: str, width: float = TITLE_LINE_WIDTH) -> list[str]:
    """The title's lines as GB/T 9704 7.3.3 asks: whole words on each line (never a number cut), the short
    届次 form (市十四届人大四次会议第88号建议) where the long one would wrap, and 答复函 (会办意见) on a line of its
    own after a title too long for one line, as the seed letters set it; lines of even length otherwise (梯形)."""
    if _width(title) <= width:
        return [title]
    ending = title_ending(title)
    head = title[: -len(ending)] if ending and title[: -len(ending)].endswith("的") else title
    tail = [ending] if head != title else []
    if _width(head) > width:
        head = short_session(head)
    return _break_at_words(head, width) + tail


def _break_at_words(text: str, width: float) -> list[str]:
    """``text`` in as few lines as fit ``width``, broken only between words (a number stays with its 号, 届, 次),
    the lines as even as the words allow."""
    from ..corpus.text import segment

    if _width(text) <= width:
        return [text]
    words: list[str] = []
    for word in segment(text):  # 88 and 号, 十二 and 届: never apart
        if words and (
            word[:1].isdigit() and words[-1][-1:].isdigit() or word[:1] in "号届次" and (words[-1][-1:].isdigit() or words[-1][-1:] in CN_NUMERAL_CHARS)
        ):
            words[-1] += word
        else:
            words.append(word)
    for count in range(max(2, -int(-_width(text) // width)), 4):  # two lines, or three for a very long title
        if (best := _even_split(words, count, width)) is not None:
            return best
    return _fill(words, width)  # longer still: filled line by line, still between words


def _fill(words: list[str], width: float) -> list[str]:
    lines = [""]
    for word in words:
        if lines[-1] and _width(lines[-1] + word) > width:
            lines.append("")
        lines[-1] += word
    return lines


def _even_split(words: list[str], count: int, width: float) -> list[str] | None:
    """``words`` in ``count`` lines, each within ``width``, the longest as short as possible (None: no such split)."""
    import itertools

    best, best_key = None, None
    for cuts in itertools.combinations(range(1, len(words)), count - 1):
        bounds = (0, *cuts, len(words))
        lines = ["".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
        widths = [_width(line) for line in lines]
        if max(widths) > width:
            continue
        key = (max(widths) - min(widths), -widths[0])  # even lines, and the longer one first (倒梯形) on a tie
        if best_key is None or key < best_key:
            best, best_key = lines, key
    return best


def _export_order(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """GB/T 9704 puts 联系人 (附注) under the date; drafts keep it where the seed letters do.
    A title or salutation the person deleted comes back as a visible placeholder."""
    roles = {p.role for p in paragraphs}
    lead = [p for p in paragraphs if p.role == "doc_number"]
    paragraphs = [p for p in paragraphs if p.role != "doc_number"]
    if "salutation" not in roles:
        paragraphs.insert(0, Paragraph(role="salutation", text="【待填：称呼】："))
    if "title" not in roles:
        paragraphs.insert(0, Paragraph(role="title", text="【待填：标题】"))
    paragraphs = lead + paragraphs
    contact = [p for p in paragraphs if p.role == "contact"]
    rest = [p for p in paragraphs if p.role != "contact"]
    at = next((i + 1 for i, p in enumerate(rest) if p.role == "date"), None)
    return rest[:at] + contact + rest[at:] if at is not None else paragraphs


def _chars(count: float, size: float = SIZE_3) -> Length:
    from docx.shared import Pt

    return Pt(count * size)


def _date_indent(signature: str, date_text: str) -> float:
    """7.3.5.2: the date starts two characters right of the issuer's first character, the issuer
    ending two characters from the right edge. Digits are half-width."""

    def width(text: str) -> float:
        return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)

    start = CHARS_PER_LINE - 2 - width(signature) + 2 if signature else CHARS_PER_LINE - 4 - width(date_text)
    return max(0.0, min(start, CHARS_PER_LINE - width(date_text)))


def _set_fonts(rpr: Any, name: str) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _setup_page(document: Document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)  # the number's rule sits 7 mm under the type area
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = sect_pr.makeelement(qn("w:docGrid"), {})
        sect_pr.append(grid)
    # 22 lines on a line grid. The 28 characters a line come from condensing each 3号 character
    # by 0.25 pt (see _setup_styles): LibreOffice puts a glyph wider than a linesAndChars cell
    # into two cells, so a character grid would give it 14 characters a line.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)


def _setup_styles(document: Document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    # The character grid is measured against the document default size: make it 3号 too, or
    # Word and LibreOffice lay out far fewer than 28 characters a line.
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        defaults.find(qn(tag)).set(qn("w:val"), str(SIZE_3 * 2))
    fonts = defaults.find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    _set_fonts(defaults, FANGSONG)
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr, FANGSONG)
    spacing = rpr.makeelement(qn("w:spacing"), {qn("w:val"): str(CONDENSE_TWIPS)})
    rpr.append(spacing)
    fmt = normal.paragraph_format
    fmt.first_line_indent = Pt(2 * SIZE_3)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    fmt.widow_control = False
    # No punctuation hanging past the right margin: the type area is a hard edge in GB/T 9704.
    ppr = normal.element.get_or_add_pPr()
    ppr.insert_element_before(
        ppr.makeelement(qn("w:overflowPunct"), {qn("w:val"): "0"}),
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
    )
    for name in ("Header", "Footer"):
        style = document.styles[name]
        style.paragraph_format.first_line_indent = Pt(0)


def _blank(document: Document) -> None:
    document.add_paragraph().paragraph_format.first_line_indent = 0


def _write_runs(paragraph: DocxParagraph, text: str, flags: list[Flag], font: str, size: int) -> list[tuple[Run, Flag | None]]:
    """The text as runs, split so each flagged span is its own run: every figure a check covers
    is highlighted, and the check's comment anchors on its first span."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    spans: list[tuple[int, int, Flag, bool]] = []  # start, end, flag, carries the comment
    for flag in flags:
        cursor, first = 0, True
        for piece in flag.figures or [flag.text]:
            at = text.find(piece, cursor) if piece else -1
            if at < 0 and piece:
                at = text.find(piece)
            if at >= 0 and all(at >= end or at + len(piece) <= start for start, end, _, _ in spans):
                spans.append((at, at + len(piece), flag, first))
                cursor, first = at + len(piece), False
    spans.sort(key=lambda s: s[0])
    pieces: list[tuple[str, Flag | None, bool]] = []
    position = 0
    for start, end, flag, anchor in spans:
        if start > position:
            pieces.append((text[position:start], None, False))
        pieces.append((text[start:end], flag, anchor))
        position = end
    if position < len(text):
        pieces.append((text[position:], None, False))
    runs = []
    for piece, marked, anchor in pieces:
        run = paragraph.add_run(piece)
        run.font.size = Pt(size)
        _set_fonts(run._element.get_or_add_rPr(), font)
        if marked is not None and marked.kind == "figure":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        runs.append((run, marked if anchor else None))
    return runs


def _comment(document: Document, runs: list[tuple[Run, Flag | None]], paragraph: Paragraph, citations: dict[str, Citation]) -> None:
    all_runs = [run for run, _ in runs]
    for citation_id in paragraph.citations:
        citation = citations.get(citation_id)
        if citation is None:
            continue
        when = citation.doc_number or ""
        if citation.date:
            when = f"{when}，{citation.date}" if when else citation.date
        excerpt = citation.excerpt.replace("\n", " ")
        text = f"{SOURCE_LABEL}：{citation.title}" + (
            f"（{when}）" if when and when not in citation.title else (f"（{citation.date}）" if citation.date else "")
        )
        text += f"\n{EXCERPT_LABEL}：{excerpt[:150]}{'…' if len(excerpt) > 150 else ''}\n{FILE_LABEL}：{citation.source}（段落#{citation.chunk_id}）"
        text += f"\n{CITATION_LINE}[^{citation.id}]〔{citation.kind_label}〕"
        document.add_comment(all_runs, text=text, author=AUTHOR, initials=INITIALS)
    for run, flag in runs:
        if flag is not None:
            document.add_comment(run, text=flag.message, author=AUTHOR, initials=INITIALS)


def _page_numbers(document: Document) -> None:
    """ "— N —" in 4号宋体: odd pages right (1 char in), even pages left (1 char in), page 1 none."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = 0
        fmt.line_spacing = 1.0
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = _chars(1, SIZE_4)
        else:
            fmt.left_indent = _chars(1, SIZE_4)
        _page_field(paragraph)
    section.first_page_footer.paragraphs[0].text = ""


def _page_field(paragraph: DocxParagraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run(text: str | None = None, field: str | None = None, instruction: str | None = None) -> Run:
        r = paragraph.add_run(text or "")
        r.font.size = Pt(SIZE_4)
        _set_fonts(r._element.get_or_add_rPr(), SONG)
        if field:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), field)
            r._element.append(element)
        if instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
            r._element.append(element)
        return r

    run("— ")
    run(field="begin")
    run(instruction=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def _class_mark(document: Document, mark: str) -> None:
    """The handling class (办理结果类别) in 3号黑体 on the first line of page 1, flush right — where
    GB/T 9704 puts the marks of a document's top-left block (份号, 密级), on the other side."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.first_line_indent = 0
    _write_runs(paragraph, mark, [], HEITI, SIZE_3)


def _letterhead(document: Document, unit: str) -> None:
    """Unit name in red 小标宋, centred, over a red thick-thin rule (10.1)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.paragraph_format.first_line_indent = 0
    head.paragraph_format.line_spacing = 1.0
    run = head.add_run(unit)
    run.font.size = Pt(26)
    run.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)
    _set_fonts(run._element.get_or_add_rPr(), XIAOBIAOSONG)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "thickThinSmallGap"), ("w:sz", "24"), ("w:space", "4"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    head._p.get_or_add_pPr().append(borders)
