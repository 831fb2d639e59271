"""The 公开版 (issue 14): phone numbers, e-mail and ID numbers masked, the contact line gone, figures kept."""

from __future__ import annotations

import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from assistant.letter.export import ExportOptions, export_docx
from assistant.letter.model import Paragraph
from assistant.letter.redaction import MASK, leaks, public_version, redact_text

from .samples import letter


@pytest.mark.parametrize(
    "text, gone",
    [
        ("请致电13812345678咨询。", "13812345678"),
        ("手机138 1234 5678。", "138 1234 5678"),
        ("手机138-1234-5678。", "138-1234-5678"),
        ("手机+86 138 1234 5678。", "138 1234 5678"),
        ("电话0577-88962072。", "0577-88962072"),
        ("电话0577－88962072。", "88962072"),
        ("电话（0577）88962072。", "88962072"),
        ("电话(0577) 8896 2072。", "8896 2072"),
        ("电话057788962072。", "057788962072"),
        ("电话0577 88962072转123。", "88962072"),
        ("请拨打88962072。", "88962072"),
        ("请拨打8896-2072。", "8896-2072"),
        ("热线电话8896207。", "8896207"),
        ("服务热线400-123-4567。", "400-123-4567"),
        ("邮箱xiang.qx@wzkj.gov.cn，", "xiang.qx@wzkj.gov.cn"),
        ("身份证号330302199001011234。", "330302199001011234"),
        ("身份证号33030219900101123X。", "33030219900101123X"),
        ("身份证号330302 19900101 123x。", "330302 19900101 123x"),
        # full-width digits are read in their NFKC form
        ("请拨打电话８８９６２０７２。", "８８９６２０７２"),
        ("手机１３８１２３４５６７８。", "１３８１２３４５６７８"),
        ("电话０５７７－８８９６２０７２。", "８８９６２０７２"),
        # a hyphenated 4-4 group after a phone word
        ("传真：8896-2072。", "8896-2072"),
        ("Tel: 8896-2072。", "8896-2072"),
    ],
)
def test_personal_numbers_are_masked(text, gone):
    redacted = redact_text(text)
    assert gone not in redacted and MASK in redacted, redacted
    assert not re.search(r"\d{7,}", redacted.replace(" ", "").replace("-", "")), redacted
    assert leaks(redacted) == []


@pytest.mark.parametrize(
    "text",
    [
        "累计建设市级以上企业研发机构2365家，其中省级重点企业研究院32家。",
        "2024年新增投资项目3个，金额0.35亿元，占总投资金额66.17%。",
        "截至2024年5月底，累计发放贷款652.54亿元，累计授信954.80亿元。",
        "贯彻实施《三年行动方案（2023-2025年）》和《实施意见（2023—2027年）》，规划期2023-2025。",
        "累计投入13800000000元，服务企业12345678人次，20240627号文件。",
        "全省第3，R&D投入强度2.61%，首次超过全国平均水平（2.54%）。市民可拨打12345政务服务热线。",
        "温科提复〔2024〕110号，政协提案370号，力争5年超1000万方。",
        # a hyphenated 4-4 group is a phone number only after a phone word: not a standard, a number or a range
        "公文格式按GB/T 9704-2012执行。",
        "项目编号2024-3567，文号2024-1234。",
        "补助标准为3000-5000，每家企业每年2000-4000元。",
        "规模区间为3000-5000至6000-8000。",
    ],
)
def test_figures_years_and_document_numbers_stay(text):
    assert redact_text(text) == text


def test_a_contact_sentence_inside_a_paragraph_goes():
    assert redact_text("如有疑问，请与我局联系，联系电话：0577-88962072。") == "如有疑问，请与我局联系。"
    assert redact_text("联系人：项秋霞，联系电话：88962072。感谢支持。") == "感谢支持。"


def test_full_width_digits_are_masked_and_the_rest_of_the_text_kept():
    assert redact_text("请拨打８８９６２０７２，全市共２３６５家。") == "请拨打×××，全市共２３６５家。"
    assert redact_text("如有疑问，请与我局联系，联系电话８８９６２０７２。") == "如有疑问，请与我局联系。"
    assert redact_text("请提供联系电话等信息。") == "请提供联系电话等信息。"  # the words alone are no contact clause


def test_an_inline_contact_with_spaces_goes_name_and_all():
    assert redact_text("如有疑问请与我局联系。联 系 人：项秋霞 电话 ８８９６２０７２") == "如有疑问请与我局联系。"
    assert redact_text("联 系 电 话：88962072；感谢支持。") == "感谢支持。"


def test_the_contact_persons_name_is_masked_everywhere():
    draft = letter()  # its contact line: 联系人：项秋霞，联系电话：88962072。
    draft.paragraphs.insert(-3, Paragraph(role="body", text="如有疑问，请与项秋霞同志联系（电话：×××）。"))
    public = public_version(draft)
    text = "\n".join(p.text for p in public.paragraphs)
    assert "项秋霞" not in text and "请与×××同志联系（电话：×××）。" in text
    assert leaks(text, ["项秋霞"]) == []
    # the name a contact clause inside a paragraph gives goes too, in that paragraph and the others
    draft = letter()
    draft.paragraphs = [p for p in draft.paragraphs if p.role != "contact"]
    draft.paragraphs.insert(-3, Paragraph(role="body", text="请与张晓明联系。联 系 人：张晓明 电话 88962072"))
    draft.paragraphs.insert(-3, Paragraph(role="body", text="张晓明同志将跟进办理。"))
    texts = [p.text for p in public_version(draft).paragraphs]
    assert "请与×××联系。" in texts and "×××同志将跟进办理。" in texts
    assert not any("张晓明" in t for t in texts)


def test_a_unit_on_the_contact_line_is_not_a_name():
    assert redact_text("联系人：办公室，电话：88962072。办公室负责解释。") == "办公室负责解释。"


def test_public_version_is_a_new_draft_without_contact_citations_or_checks():
    draft = letter()
    draft.paragraphs.insert(-3, Paragraph(role="body", text="企业可拨打0577-88962072或发邮件至kjj@wenzhou.gov.cn咨询。"))
    public = public_version(draft)
    texts = [p.text for p in public.paragraphs]
    assert not any("联系人" in t or "88962072" in t or "@" in t for t in texts)
    assert "企业可拨打×××或发邮件至×××咨询。" in texts
    assert "全市高新技术企业总数超4000家，数量居全省第3。" in texts  # figures are not redacted
    assert public.citations == [] and all(not p.citations and not p.flags for p in public.paragraphs)
    # the draft itself is untouched
    assert any(p.role == "contact" for p in draft.paragraphs) and draft.citations


def test_public_export_has_no_contact_no_numbers_no_comments(tmp_path):
    draft = letter()
    draft.paragraphs.insert(-3, Paragraph(role="body", text="咨询电话13812345678，身份证号330302199001011234。"))
    path = export_docx(draft, tmp_path / "p.docx", ExportOptions(public=True))
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "联系人" not in text and "联系电话" not in text
    assert not re.search(r"\d{7,}", text), text  # no digit run of a phone or ID number
    assert leaks(text) == []
    assert "超4000家" in text and "2025年6月27日" in text
    assert len(list(document.comments)) == 0
    assert not any(True for _ in document.element.body.iter(qn("w:commentRangeStart")))
    assert not any(r.font.highlight_color for p in document.paragraphs for r in p.runs)


def test_public_file_name_is_suffixed(assistant, tmp_path):
    path = assistant.export(letter(), directory=tmp_path, public=True)
    assert path.name == "关于市政协十二届四次会议128号提案的答复函_2025年6月27日_公开版.docx"
    assert assistant.export(letter(), directory=tmp_path).name == "关于市政协十二届四次会议128号提案的答复函_2025年6月27日.docx"


def test_a_public_copy_never_takes_the_internal_name(assistant, tmp_path):
    """export --public -o 答复函.docx must not overwrite the internal copy 答复函.docx."""
    internal = assistant.export(letter(), tmp_path / "答复函.docx")
    public = assistant.export(letter(), tmp_path / "答复函.docx", public=True)
    assert public.name == "答复函_公开版.docx" and internal.name == "答复函.docx"
    assert "联系人" in "".join(p.text for p in Document(str(internal)).paragraphs)  # not overwritten
    assert assistant.export(letter(), tmp_path / "答复函（公开版）.docx", public=True).name == "答复函（公开版）.docx"
    assert assistant.export(letter(), tmp_path / "pub", public=True).name == "pub_公开版.docx"
