"""A small finished letter the export, markdown, redaction and Word-import tests share."""

from __future__ import annotations

from assistant.letter.markdown import draft_to_markdown, markdown_to_draft
from assistant.letter.model import Citation, Draft, Paragraph, flag_paragraph


def letter() -> Draft:
    citation = Citation(
        id="c1",
        chunk_id=10,
        source="corpus/温科提复〔2024〕110号.txt",
        title="温科提复〔2024〕110号 关于市政协十二届三次会议370号提案的答复函",
        doc_type="reply",
        doc_number="温科提复〔2024〕110号",
        date="2024-06-27",
        excerpt="全市高新技术企业总数超4000家。",
    )
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


def cited_letter() -> Draft:
    """The test letter with three citations of three kinds: two on one paragraph, one a basis line."""
    draft = letter()
    plan = Citation(
        id="c2",
        chunk_id=42,
        source="corpus/温科提复〔2024〕106号.txt",
        title="温科提复〔2024〕106号 关于……的答复函",
        doc_type="reply",
        doc_number="温科提复〔2024〕106号",
        date="2024-06-20",
        role="计划",
        excerpt="全面推广“科创指数贷”融资模式，" + "做大做强科创基金" * 30,
    )
    basis = Citation(
        id="c3",
        chunk_id=7,
        source="corpus/policies/浙江省促进科技成果转化条例.txt",
        title="浙江省促进科技成果转化条例",
        doc_type="policy",
        role="条文",
        article="第二十三条",
        excerpt="第二十三条 金融机构应当……",
    )
    draft.citations += [plan, basis]
    lookup = {c.id: c for c in draft.citations}
    at = next(i for i, p in enumerate(draft.paragraphs) if p.text == "全面推广“科创指数贷”融资模式。")
    draft.paragraphs[at].citations = ["c2", "c3"]
    for paragraph in draft.paragraphs:
        paragraph.flags = flag_paragraph(paragraph, lookup)
    return draft


def normal(draft: Draft) -> str:
    """The Markdown a draft stands for once read back (flags recomputed from the text)."""
    markdown = draft_to_markdown(draft)
    return draft_to_markdown(markdown_to_draft(markdown, draft))
