"""Draft ↔ Markdown: what a person edits is what gets exported."""

from __future__ import annotations

import re

import pytest

from assistant.errors import QueryError
from assistant.letter.markdown import draft_to_markdown, markdown_to_draft

from .samples import letter


def test_round_trip_keeps_roles_text_and_citations():
    draft = letter()
    back = markdown_to_draft(draft_to_markdown(draft), base=draft)
    assert [(p.role, p.text, p.citations) for p in back.paragraphs] == [(p.role, p.text, p.citations) for p in draft.paragraphs]
    assert back.citations == draft.citations
    assert [f.text for f in back.flags] == [f.text for f in draft.flags]


def test_citations_rebuilt_from_the_definitions_without_a_base():
    draft = letter()
    back = markdown_to_draft(draft_to_markdown(draft))
    [citation] = back.citations
    original = draft.citations[0]
    assert (citation.id, citation.chunk_id, citation.source, citation.title, citation.doc_number, citation.date) == (
        original.id,
        original.chunk_id,
        original.source,
        original.title,
        original.doc_number,
        original.date,
    )


def test_edits_are_what_counts():
    draft = letter()
    text = draft_to_markdown(draft)
    text = text.replace("数量居全省第3。", "数量居全省前列。")  # a person removes a stale figure
    text = text.replace("全面推广“科创指数贷”融资模式。", "全面推广“科创指数贷”融资模式。\n\n新增一段由经办人撰写的内容。")
    back = markdown_to_draft(text, base=draft)
    cited = next(p for p in back.paragraphs if p.citations)
    assert cited.text == "全市高新技术企业总数超4000家，数量居全省前列。"
    assert [f.text for f in cited.flags] == ["超4000家"]  # the removed ranking is no longer flagged
    assert any(p.text == "新增一段由经办人撰写的内容。" and p.role == "body" for p in back.paragraphs)


def test_plain_text_without_markdown_marks_is_understood():
    draft = letter()
    plain = re.sub(r"(?m)^#+ ", "", draft_to_markdown(draft))
    back = markdown_to_draft(plain, base=draft)
    assert [p.role for p in back.paragraphs] == [p.role for p in draft.paragraphs]


def test_removed_marker_drops_the_citation_and_unknown_markers_are_ignored():
    draft = letter()
    text = draft_to_markdown(draft).replace(" [^c1]", " [^c9]")
    back = markdown_to_draft(text, base=draft)
    assert back.citations == [] and all(p.citations == [] for p in back.paragraphs)


def test_empty_draft_is_refused():
    with pytest.raises(QueryError, match="草稿为空"):
        markdown_to_draft("  \n\n")


def test_twelve_suggestion_headings_keep_their_roles():
    from assistant.genre.numerals import cn_numeral
    from assistant.letter.model import Draft, Paragraph

    draft = letter()
    at = next(i for i, p in enumerate(draft.paragraphs) if p.role == "heading2")
    plan = []
    for n in range(1, 13):
        plan += [
            Paragraph(role="heading2", text=f"（{cn_numeral(n)}）关于“第{n}项建议的内容”的建议。"),
            Paragraph(role="body", text=f"下一步，我们将推进第{n}项工作。"),
        ]
    draft = Draft(proposal={}, paragraphs=[*draft.paragraphs[:at], *plan, *draft.paragraphs[at + 2 :]], citations=draft.citations)
    expected = [(p.role, p.text) for p in draft.paragraphs]
    assert ("heading2", "（十二）关于“第12项建议的内容”的建议。") in expected
    text = draft_to_markdown(draft)
    assert [(p.role, p.text) for p in markdown_to_draft(text, base=draft).paragraphs] == expected
    plain = re.sub(r"(?m)^#+ ", "", text)  # as pasted back without the Markdown marks
    assert [(p.role, p.text) for p in markdown_to_draft(plain, base=draft).paragraphs] == expected
    eleventh = markdown_to_draft(plain.replace("二、下一步工作计划", "十一、下一步工作计划"), base=draft)
    assert ("heading1", "十一、下一步工作计划") in [(p.role, p.text) for p in eleventh.paragraphs]


def test_citation_roles_survive_an_edit_without_the_base():
    draft = letter()
    draft.citations[0].role = "计划"
    text = draft_to_markdown(draft)
    assert "[^c1]: 〔答复函·计划〕" in text
    [citation] = markdown_to_draft(text).citations
    assert (citation.role, citation.doc_type, citation.kind_label) == ("计划", "reply", "答复函·计划")


def test_a_draft_citing_nothing_keeps_its_checks_out_of_the_letter():
    """A title-only proposal drafts no citation, only 【待填】 checks: the letter the editor and the Word export
    read ends at 抄送, not with the 需核实 list (the probe found it in a 清洁稿); so does a draft saved before."""
    from assistant.letter.markdown import letter_body
    from assistant.letter.model import Draft, Paragraph, flag_paragraph

    paragraphs = [Paragraph(role="body", section="closing", text="联系人：【待填：联系人】。"), Paragraph(role="cc", section="closing", text="抄送：市府办。")]
    for paragraph in paragraphs:
        paragraph.flags = flag_paragraph(paragraph, {})
    markdown = draft_to_markdown(Draft(proposal={}, paragraphs=paragraphs))
    assert "## 需核实" in markdown
    body = letter_body(markdown)
    assert body.rstrip().endswith("抄送：市府办。") and "需核实" not in body
    saved_before = markdown.replace("\n---\n", "\n")
    assert letter_body(saved_before) == body
    assert [p.text for p in markdown_to_draft(saved_before).paragraphs][-1] == "抄送：市府办。"  # nor in the Word file built from it
