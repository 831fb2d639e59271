"""Reply-letter detection and metadata extraction on the two real seed letters."""

from __future__ import annotations

from assistant.corpus.letters import extract_letter_metadata, is_reply_letter, letter_title

from ..conftest import CORPUS, SEED_106, SEED_110


def test_seed_110_every_field():
    text = SEED_110.read_text(encoding="utf-8")
    assert extract_letter_metadata(text) == {
        "doc_number": "温科提复〔2024〕110号",
        "session": "市政协十二届三次会议",
        "proposal_number": 370,
        "proposal_kind": "提案",
        "proposers": ["祝彬"],
        "proposer_role": "委员",
        "proposal_title": "关于推动我市民营企业科技创新的提案",
        "issuing_unit": "温州市科学技术局",
        "date": "2024-06-27",
        "cc": ["市府办", "市政协提案委"],
        "contact_name": "项秋霞",
        "contact_phone": "88962072",
    }
    assert letter_title(text) == "关于市政协十二届三次会议370号提案的答复函"


def test_seed_106_every_field():
    text = SEED_106.read_text(encoding="utf-8")
    # 106 has no signature line above its date; the unit comes from its 印发 line.
    assert extract_letter_metadata(text) == {
        "doc_number": "温科提复〔2024〕106号",
        "session": "市政协十二届三次会议",
        "proposal_number": 74,
        "proposal_kind": "提案",
        "proposers": ["谢新宇"],
        "proposer_role": "委员",
        "proposal_title": "关于提升科创平台管理，打造有影响力科创企业的提案",
        "issuing_unit": "温州市科学技术局",
        "printed_by": "温州市科学技术局办公室",
        "date": "2024-06-26",
        "cc": ["市府办", "市政协提案委"],
    }
    assert letter_title(text) == "关于市政协十二届三次会议74号提案的答复函"


def test_joint_suggestion_to_peoples_congress():
    text = (
        "杭人建复〔2025〕12号\n\n关于市人大十六届二次会议第12号建议的答复函\n\n张三、李四代表：\n"
        "你们提出的《关于加快建设口袋公园的建议》（建议第12号）收悉。现答复如下：\n……\n杭州市园林文物局\n2025年5月8日\n抄送：市人大代表工委。"
    )
    meta = extract_letter_metadata(text)
    assert meta["doc_number"] == "杭人建复〔2025〕12号"
    assert meta["session"] == "市人大十六届二次会议"
    assert (meta["proposal_number"], meta["proposal_kind"]) == (12, "建议")
    assert (meta["proposers"], meta["proposer_role"]) == (["张三", "李四"], "代表")
    assert meta["proposal_title"] == "关于加快建设口袋公园的建议"
    assert (meta["issuing_unit"], meta["date"]) == ("杭州市园林文物局", "2025-05-08")
    assert meta["cc"] == ["市人大代表工委"]


def test_detection_of_letters_and_policies():
    for path in CORPUS.glob("*.txt"):
        assert is_reply_letter(path.read_text(encoding="utf-8"))
    assert not is_reply_letter("# 温州市民间融资管理条例\n\n第一条 为了规范民间融资，制定本条例。")
    assert not is_reply_letter("各位代表：\n现在，我代表国务院，向大会报告政府工作。")


def test_missing_fields_are_absent_not_guessed():
    meta = extract_letter_metadata("关于某事的答复函\n\n您好。")
    assert "doc_number" not in meta and "proposers" not in meta and "date" not in meta
