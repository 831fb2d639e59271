"""The .docx read back with python-docx: text in order, GB/T 9704 layout, comments in place."""

from __future__ import annotations

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.draft_model import Citation, Draft, Paragraph, flag_paragraph
from assistant.errors import QueryError
from assistant.export_docx import ExportOptions, export_docx, safe_filename


def letter() -> Draft:
    citation = Citation(id="c1", chunk_id=10, source="corpus/温科提复〔2024〕110号.txt",
                        title="温科提复〔2024〕110号 关于市政协十二届三次会议370号提案的答复函", doc_type="reply",
                        doc_number="温科提复〔2024〕110号", date="2024-06-27", excerpt="全市高新技术企业总数超4000家。")
    paragraphs = [
        Paragraph(role="doc_number", text="温科提复〔2025〕12号"),
        Paragraph(role="title", text="关于市政协十二届四次会议128号提案的答复函"),
        Paragraph(role="salutation", text="林志远、郑晓雯委员："),
        Paragraph(role="opening", text="您在市政协十二届四次会议期间所提的《关于破解民营科技企业融资难题的提案》（政协提案128号）收悉。现答复如下："),
        Paragraph(role="heading1", text="一、工作举措及成效"),
        Paragraph(role="body", text="全市高新技术企业总数超4000家，数量居全省第3。", citations=["c1"]),
        Paragraph(role="heading1", text="二、下一步工作计划"),
        Paragraph(role="heading2", text="（一）关于“创新科技信贷产品”的建议。"),
        Paragraph(role="body", text="全面推广“科创指数贷”融资模式。"),
        Paragraph(role="closing", text="最后感谢您对我市科技创新工作的关心和支持。"),
        Paragraph(role="contact", text="联系人：项秋霞，联系电话：88962072。"),
        Paragraph(role="signature", text="温州市科学技术局"),
        Paragraph(role="date", text="2025年6月27日"),
        Paragraph(role="cc", text="抄送：市府办，市政协提案委。"),
    ]
    lookup = {"c1": citation}
    for p in paragraphs:
        p.flags = flag_paragraph(p, lookup)
    return Draft(proposal={}, paragraphs=paragraphs, citations=[citation])


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
