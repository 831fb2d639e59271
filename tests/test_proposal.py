"""Parsing the shapes proposals come in."""

from __future__ import annotations

import pytest

from assistant.errors import LoadError
from assistant.proposal import load_proposal, parse_proposal

from .conftest import ROOT

NUMBERED = """关于加强民营企业科技创新融资支持的提案
提案人：王小明（民建温州市委会）、陈红
市政协十二届四次会议 提案第215号

近年来，我市民营企业科技创新活跃，但融资难、融资贵问题依然突出。

建议如下：
一、扩大科创指数贷覆盖面。推动更多银行运用科创指数模型，向轻资产科技企业发放信用贷款。
二、做大科创基金规模。提高子基金返投比例，引导社会资本投早投小。
三、完善知识产权质押融资风险补偿机制。设立风险补偿资金池，分担银行风险。
"""

YISHI_CONGRESS = """关于推进科创平台建设的建议
市人大十六届二次会议第56号建议
张三代表：
针对当前问题，建议：一是加大研发投入力度，提高财政科技投入占比。二是加快新型研发机构建设，落实十个一批机制。三是强化人才引进。
"""

ARABIC = """《关于优化孵化器服务的提案》
委员：李华
我市孵化器数量增长较快，但服务能力参差不齐。
具体建议：
1. 推动孵化器专业化发展，聚焦主导产业。
2. 建立孵化绩效评价机制。
"""

PROSE = "我市科技企业数量多但规模小。应加大对科技型中小企业的培育力度。同时要完善孵化载体体系，推动孵化器专业化发展。希望政府出台更多人才政策。"


def test_numbered_proposal_with_joint_proposers():
    p = parse_proposal(NUMBERED)
    assert p.title == "关于加强民营企业科技创新融资支持的提案"
    assert (p.number, p.session, p.kind, p.role) == (215, "市政协十二届四次会议", "提案", "委员")
    assert p.proposers == ["王小明", "陈红"]
    assert p.suggestions == ["扩大科创指数贷覆盖面", "做大科创基金规模", "完善知识产权质押融资风险补偿机制"]
    assert p.details[1].startswith("做大科创基金规模。提高子基金返投比例")
    assert p.missing == []


def test_yishi_style_suggestion_to_peoples_congress():
    p = parse_proposal(YISHI_CONGRESS)
    assert (p.kind, p.role, p.proposers, p.number) == ("建议", "代表", ["张三"], 56)
    assert p.session == "市人大十六届二次会议"
    assert p.suggestions == ["加大研发投入力度，提高财政科技投入占比", "加快新型研发机构建设，落实十个一批机制", "强化人才引进"]


def test_arabic_numbered_items_and_title_in_book_marks():
    p = parse_proposal(ARABIC)
    assert p.title == "关于优化孵化器服务的提案"
    assert p.proposers == ["李华"] and p.role == "委员"
    assert p.suggestions == ["推动孵化器专业化发展，聚焦主导产业", "建立孵化绩效评价机制"]


def test_free_prose_falls_back_to_action_sentences_and_invents_nothing():
    p = parse_proposal(PROSE)
    assert p.suggestions == ["加大对科技型中小企业的培育力度", "完善孵化载体体系，推动孵化器专业化发展", "政府出台更多人才政策"]
    assert (p.title, p.number, p.session, p.proposers) == ("", None, "", [])
    assert set(p.missing) == {"title", "number", "session", "proposers", "role", "kind"}


def test_no_suggestions_is_reported_missing():
    p = parse_proposal("关于某事的提案\n这是一段情况说明。")
    assert p.suggestions == [] and "suggestions" in p.missing


def test_empty_text_is_refused():
    with pytest.raises(LoadError, match="为空"):
        parse_proposal("  \n ")


def test_load_from_txt_and_docx(tmp_path):
    import docx

    assert load_proposal(ROOT / "examples" / "proposal-financing.txt").number == 128
    document = docx.Document()
    for line in NUMBERED.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "proposal.docx"
    document.save(path)
    assert load_proposal(path).suggestions[0] == "扩大科创指数贷覆盖面"
    with pytest.raises(LoadError, match="只支持"):
        load_proposal(tmp_path / "proposal.pdf")


def test_fields_confirmed_in_the_form_win_over_parsing(assistant):
    p = assistant.proposal_from_fields(NUMBERED, title="关于科技金融的提案", number="第 99 号", session="市政协十二届四次会议",
                                       proposers="王小明，陈红 李华", role="委员", kind="提案",
                                       suggestions="扩大科创指数贷覆盖面\n新增一条人工补充的建议\n")
    assert (p.title, p.number, p.proposers) == ("关于科技金融的提案", 99, ["王小明", "陈红", "李华"])
    assert p.suggestions == ["扩大科创指数贷覆盖面", "新增一条人工补充的建议"]
    assert p.details[0].startswith("扩大科创指数贷覆盖面。推动更多银行") and p.details[1] == "新增一条人工补充的建议"
    with pytest.raises(Exception, match="请先粘贴"):
        assistant.proposal_from_fields("  ")
