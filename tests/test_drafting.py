"""The cited reply skeleton, over the real-model index of the two seed letters."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from assistant.drafting import Drafter, chinese_date, split_items
from assistant.errors import QueryError
from assistant.markdown import draft_to_markdown
from assistant.proposal import load_proposal, parse_proposal
from assistant.retrieval import Retriever

from .conftest import ROOT

pytestmark = pytest.mark.model
FINANCING = ROOT / "examples" / "proposal-financing.txt"


@pytest.fixture
def financing_draft(seed_assistant):
    return seed_assistant.draft(load_proposal(FINANCING))


def test_skeleton_structure_in_order(financing_draft):
    d = financing_draft
    roles = [p.role for p in d.paragraphs]
    assert roles[:5] == ["doc_number", "title", "salutation", "opening", "heading1"]
    assert roles[-5:] == ["closing", "contact", "signature", "date", "cc"]
    texts = [p.text for p in d.paragraphs]
    assert texts[1] == "关于市政协十二届四次会议128号提案的答复函"
    assert texts[2] == "林志远、郑晓雯委员："
    assert texts[4] == "一、工作举措及成效"
    assert "二、下一步工作计划" in texts
    headings2 = [p.text for p in d.paragraphs if p.role == "heading2"]
    assert headings2 == [
        "（一）关于“创新科技信贷产品”的建议。",
        "（二）关于“发挥政府引导基金作用”的建议。",
        "（三）关于“完善科技金融服务体系”的建议。",
    ]
    opening = texts[3]
    assert opening.startswith("您在市政协十二届四次会议期间所提的《关于破解民营科技企业融资难题的提案》（政协提案128号）收悉。")
    assert "创新科技信贷产品" in opening and opening.endswith("现答复如下：")
    assert texts[-2] == chinese_date(date.today())
    assert texts[-1] == "抄送：市府办，市政协提案委。"


def test_every_suggestion_has_cited_precedents(financing_draft):
    d = financing_draft
    for number in (1, 2, 3):
        body = [d.paragraphs[i] for i in d.sections[f"plan:{number}"] if d.paragraphs[i].role == "body"]
        assert body and all(p.citations for p in body)
    financing = [d.paragraphs[i] for i in d.sections["plan:1"] if d.paragraphs[i].role == "body"]
    assert any("科创指数" in p.text or "科创基金" in p.text for p in financing)
    for citation in d.citations:
        assert citation.source.startswith(str(ROOT / "corpus")) or "corpus" in citation.source
        assert citation.doc_number in ("温科提复〔2024〕110号", "温科提复〔2024〕106号")
        assert citation.date in ("2024-06-27", "2024-06-26")


def test_precedent_specifics_are_not_copied(financing_draft):
    body = [p.text for p in financing_draft.paragraphs if p.role == "body"]
    joined = "".join(body)
    for leftover in ("祝彬", "谢新宇", "温科提复", "收悉", "370号", "74号", "委员："):
        assert leftover not in joined
    assert len(body) == len(set(body))  # no passage twice


def test_figures_and_placeholders_are_flagged(financing_draft):
    d = financing_draft
    figure_flags = [f for f in d.flags if f.kind == "figure"]
    assert figure_flags and all(f.message.startswith("请核实：数据来自2024年6月的答复") for f in figure_flags)
    for paragraph in d.paragraphs:
        for match in re.finditer(r"\d+(?:\.\d+)?亿元", paragraph.text):
            assert any(match.group(0) in f.text for f in paragraph.flags)
    placeholders = {f.text for f in d.flags if f.kind == "placeholder"}
    assert {"【待填：文号】", "【待填：联系人】", "【待填：联系电话】", "【待填：发文单位】"} <= placeholders


def test_missing_fields_become_placeholders_not_inventions(seed_assistant):
    d = seed_assistant.draft(parse_proposal("应加大对科技型中小企业的培育力度。要完善孵化载体体系。"))
    assert d.paragraphs[1].text == "关于【待填：会议届次】【待填：编号】号提案的答复函"
    assert d.paragraphs[2].text == "【待填：提案人】委员："
    assert any(f.text == "【待填：提案标题】" for f in d.flags)
    assert [p.text for p in d.paragraphs if p.role == "heading2"] == [
        "（一）关于“加大对科技型中小企业的培育力度”的建议。",
        "（二）关于“完善孵化载体体系”的建议。",
    ]


def test_markdown_rendering_carries_citations_and_checks(financing_draft):
    text = draft_to_markdown(financing_draft)
    assert text.startswith("【待填：文号】\n\n# 关于市政协十二届四次会议128号提案的答复函")
    assert "\n## 一、工作举措及成效\n" in text and "\n### （一）关于“创新科技信贷产品”的建议。\n" in text
    for citation in financing_draft.citations:
        assert f"[^{citation.id}]: " in text and f"[^{citation.id}]\n" in text
    assert "## 需核实" in text


def test_wording_comes_from_prompt_templates(seed_assistant, tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    (prompts / "letter" / "closing.j2").write_text("特此函复，感谢您对{{ work_area }}工作的支持。", encoding="utf-8")
    settings = seed_assistant.settings.model_copy(update={"prompts_dir": prompts, "work_area": "科技金融"})
    drafter = Drafter(Retriever(seed_assistant.corpus), settings)
    d = drafter.draft(load_proposal(FINANCING), appraisal="adopt")
    assert next(p.text for p in d.paragraphs if p.role == "closing") == "特此函复，感谢您对科技金融工作的支持。"
    assert "吸收采纳" in d.paragraphs[3].text
    with pytest.raises(QueryError, match="adopt"):
        drafter.draft(load_proposal(FINANCING), appraisal="nonexistent")


def test_split_items_drops_letter_apparatus():
    chunk = ("谢新宇委员：\n您在市政协十二届三次会议期间所提的《关于x的提案》（政协提案74号）收悉。\n"
             "（一）关于“完善机制”的建议。我们将积极推进建设，一是加强组织保障，成立工作专班。二是加强管理考核，纳入年度考绩。\n"
             "感谢您对我市科技创新工作的关心与支持，欢迎您再提宝贵意见。\n2024年6月26日")
    assert split_items(chunk) == ["我们将积极推进建设，一是加强组织保障，成立工作专班。", "加强管理考核，纳入年度考绩。"]
