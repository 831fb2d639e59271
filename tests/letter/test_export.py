"""The .docx read back with python-docx: text in order, GB/T 9704 layout, comments in place."""

from __future__ import annotations

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.errors import QueryError
from assistant.letter.export import ExportOptions, export_docx, safe_filename
from assistant.letter.model import Draft, Paragraph

from .samples import letter


def east_asia(run) -> str:
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


@pytest.fixture
def exported(tmp_path):
    draft = letter()
    return draft, Document(str(export_docx(draft, tmp_path / "reply.docx")))


def test_text_in_order_with_contact_as_note_under_the_date(exported):
    draft, doc = exported
    texts = [p.text.replace("\n", "") for p in doc.paragraphs if p.text.strip()]
    expected = [p.text for p in draft.paragraphs]
    expected.remove("联系人：项秋霞，联系电话：88962072。")
    expected.insert(expected.index("2025年6月27日") + 1, "（联系人：项秋霞，联系电话：88962072）")
    assert texts == expected


def test_page_and_grid(exported):
    _, doc = exported
    section = doc.sections[0]

    def mm(length) -> float:
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert tuple(mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)) == (37, 35, 28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.first_line_indent == Pt(32)


def test_roles_have_their_fonts_and_alignment(exported):
    _, doc = exported
    by_text = {p.text.replace("\n", ""): p for p in doc.paragraphs if p.text.strip()}
    title = by_text["关于市政协十二届四次会议128号提案的答复函"]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {east_asia(r) for r in title.runs} == {"方正小标宋简体"} and title.runs[0].font.size == Pt(22)
    assert by_text["温科提复〔2025〕12号"].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert by_text["林志远、郑晓雯委员："].paragraph_format.first_line_indent == 0
    assert {east_asia(r) for r in by_text["一、工作举措及成效"].runs} == {"黑体"}
    assert {east_asia(r) for r in by_text["（一）关于“创新科技信贷产品”的建议。"].runs} == {"楷体_GB2312"}
    assert {east_asia(r) for r in by_text["全面推广“科创指数贷”融资模式。"].runs} == {"仿宋_GB2312"}
    signature = by_text["温州市科学技术局"]
    assert signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT and signature.paragraph_format.right_indent == Pt(32)
    cc = by_text["抄送：市府办，市政协提案委。"]
    assert cc.runs[0].font.size == Pt(14) and cc.paragraph_format.left_indent == Pt(14)


def test_page_numbers_odd_right_even_left_none_on_page_one(exported):
    _, doc = exported
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer and section.different_first_page_header_footer
    assert section.first_page_footer.paragraphs[0].text == ""
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))


def test_comments_are_attached_to_their_paragraphs(exported):
    _, doc = exported
    comments = {c.comment_id: c for c in doc.comments}
    anchored: dict[str, list[str]] = {}
    for paragraph in doc.paragraphs:
        for start in paragraph._p.iter(qn("w:commentRangeStart")):
            anchored.setdefault(paragraph.text, []).append(comments[int(start.get(qn("w:id")))].text)
    cited = anchored["全市高新技术企业总数超4000家，数量居全省第3。"]
    assert any(t.startswith("来源：温科提复〔2024〕110号") and "摘录：" in t for t in cited)
    # one check for the paragraph's two figures (超4000家, 全省第3), both highlighted in place
    assert sum(t.startswith("本段 2 个数据来自2024年6月的答复") for t in cited) == 1
    figure_paragraph = next(p for p in doc.paragraphs if p.text == "全市高新技术企业总数超4000家，数量居全省第3。")
    assert [r.text for r in figure_paragraph.runs if r.font.highlight_color] == ["超4000家", "全省第3"]
    assert all(c.author == "reply-assistant" for c in comments.values())
    assert "全面推广“科创指数贷”融资模式。" not in anchored


def test_the_file_properties_say_the_letter_not_the_library(exported, tmp_path):
    """A probe found author “python-docx” in a 公开版's properties: the title and the issuing unit instead."""
    from datetime import datetime, timedelta, timezone

    draft, doc = exported
    properties = doc.core_properties
    signature = next(p.text for p in draft.paragraphs if p.role == "signature")
    assert properties.author == properties.last_modified_by == signature and "python-docx" not in (properties.author, properties.comments)
    assert properties.title == next(p.text for p in draft.paragraphs if p.role == "title")
    assert abs(properties.created.replace(tzinfo=None) - datetime.now(timezone.utc).replace(tzinfo=None)) < timedelta(minutes=5)
    unsigned = letter()
    for paragraph in unsigned.paragraphs:
        if paragraph.role == "signature":
            paragraph.text = "【待填：发文单位】"
    assert Document(str(export_docx(unsigned, tmp_path / "u.docx", ExportOptions(public=True)))).core_properties.author == ""


def test_clean_copy_has_no_comments(tmp_path):
    doc = Document(str(export_docx(letter(), tmp_path / "clean.docx", ExportOptions(comments=False))))
    assert len(list(doc.comments)) == 0
    assert not any(True for p in doc.paragraphs for _ in p._p.iter(qn("w:commentRangeStart")))


def test_missing_title_and_salutation_export_with_placeholders(tmp_path):
    draft = letter()
    draft.paragraphs = [p for p in draft.paragraphs if p.role not in ("title", "salutation")]
    texts = [p.text for p in Document(str(export_docx(draft, tmp_path / "x.docx"))).paragraphs]
    assert "【待填：标题】" in texts and "【待填：称呼】：" in texts


def test_empty_draft_is_refused(tmp_path):
    with pytest.raises(QueryError, match="草稿为空"):
        export_docx(Draft(proposal={}, paragraphs=[Paragraph(role="body", text="  ")]), tmp_path / "e.docx")
    assert not (tmp_path / "e.docx").exists()


def test_letterhead_in_red(tmp_path):
    doc = Document(str(export_docx(letter(), tmp_path / "l.docx", ExportOptions(letterhead="温州市科学技术局"))))
    head = doc.paragraphs[0]
    assert head.text == "温州市科学技术局" and str(head.runs[0].font.color.rgb) == "E60012"


def test_safe_filename():
    assert safe_filename(letter()) == "关于市政协十二届四次会议128号提案的答复函_2025年6月27日.docx"
    evil = letter()
    evil.paragraphs[1].text = "../../etc/passwd\x00<script>"
    name = safe_filename(evil)
    assert "/" not in name and "\x00" not in name and "<" not in name and name.endswith(".docx")
    unfilled = letter()
    unfilled.paragraphs[1].text = "关于【待填：会议】【待填：编号】号提案的答复函"
    assert safe_filename(unfilled) == "关于〔待填〕号提案的答复函_2025年6月27日.docx"


def test_title_lines_stay_fast_and_every_check_in_the_title_keeps_its_comment(tmp_path):
    import time

    from assistant.letter.export import title_lines
    from assistant.letter.model import Flag

    long = "关于" + "进一步完善我市科技成果转化激励机制加快建设区域科技创新中心" * 5 + "的建议的答复函"
    started = time.perf_counter()
    lines = title_lines(long)
    assert time.perf_counter() - started < 2 and "".join(lines) == long and lines[-1] == "答复函"
    title = "关于【待填：会议届次】第【待填：编号】号提案的答复函"
    flags = [Flag(kind="placeholder", text=t, message=f"请填写：{t}") for t in ("【待填：会议届次】", "【待填：编号】")]
    draft = Draft(proposal={}, paragraphs=[Paragraph(role="title", text=title, flags=flags), Paragraph(role="body", text="正文。")])
    document = Document(str(export_docx(draft, tmp_path / "t.docx")))
    anchored = [c.text for c in document.comments]
    assert len(title_lines(title)) > 2 and len(anchored) == 2 and any("编号" in t for t in anchored)  # the second line's placeholder keeps its comment
