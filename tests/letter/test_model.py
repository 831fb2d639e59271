"""The letter side (model, Markdown, lint, rubric, Word export) stands without the search side."""

from __future__ import annotations

import json
import subprocess
import sys

from assistant.letter.model import Citation, Draft, Paragraph, flag_paragraph

from ..conftest import ROOT


def test_letter_modules_import_no_retrieval_numpy_or_torch():
    code = (
        "import json, sys\n"
        "import assistant.letter.model, assistant.letter.markdown, assistant.letter.lint, assistant.letter.rubric, assistant.letter.export\n"
        "import assistant.letter, assistant.letter.word_import, assistant.letter.redaction, assistant.letter.review\n"
        "heavy = ('numpy', 'torch', 'faiss', 'assistant.search.retrieval', 'assistant.corpus.store', 'assistant.corpus.index', 'jieba')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)))\n"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    assert loaded == []


def test_gaps_and_check_order():
    source = Citation(
        id="c1", chunk_id=1, source="s", title="t", doc_type="reply", doc_number="温科提复〔2024〕110号", date="2024-06-27", excerpt="…", role="成效"
    )
    paragraphs = [
        Paragraph(role="body", section="measures", text="全市高新技术企业总数超4000家，2023年数量居全省第3。", citations=["c1"]),
        Paragraph(role="body", section="plan:1", text="【待补充：关于“开放低空应用场景”的工作举措（未检索到相关答复先例）】"),
        Paragraph(role="contact", section="closing", text="联系人：【待填：联系人】"),
    ]
    for paragraph in paragraphs:
        paragraph.flags = flag_paragraph(paragraph, {"c1": source})
    draft = Draft(proposal={}, paragraphs=paragraphs, citations=[source])
    assert draft.gaps == ["开放低空应用场景"]
    assert [f.kind for f in draft.flags] == ["placeholder", "placeholder", "figure"]
    assert draft.flags[0].text.startswith("【待补充") and draft.flags[1].text == "【待填：联系人】"
    [figure] = [f for f in draft.flags if f.kind == "figure"]
    assert figure.figures == ["超4000家", "全省第3"]  # 2023年 alone is not a figure
    assert figure.message == "本段 2 个数据来自2024年6月的答复（温科提复〔2024〕110号），请核实最新数据"
    assert source.kind_label == "答复函·成效"
    assert source.model_copy(update={"role": "条文", "doc_type": "policy"}).kind_label == "政策依据"


def test_one_regulation_quoted_twice_asks_once_for_its_version():
    """《浙江省科学技术进步条例》 as the basis of （二） and （三）: one line asks to confirm the 2011 text is in force."""
    law = Citation(id="c2", chunk_id=2, source="s", title="浙江省科学技术进步条例", doc_type="policy", date="2011-05-25", excerpt="…", role="条文")
    paragraphs = [Paragraph(role="body", section=f"plan:{n}", text=f"根据《浙江省科学技术进步条例》第四十{n}条，“……”。", citations=["c2"]) for n in (2, 3)]
    for paragraph in paragraphs:
        paragraph.flags = flag_paragraph(paragraph, {"c2": law})
    assert [f.kind for p in paragraphs for f in p.flags] == ["version", "version"]  # each paragraph still carries its own
    assert [(f.kind, f.text) for f in Draft(proposal={}, paragraphs=paragraphs, citations=[law]).flags] == [("version", "《浙江省科学技术进步条例》")]


def test_a_borrowed_paragraph_with_a_turned_quotation_says_so():
    source = Citation(
        id="c1", chunk_id=1, source="s", title="t", doc_type="reply", doc_number="温科提复〔2024〕110号", date="2024-06-27", excerpt="…", role="成效"
    )
    paragraph = Paragraph(role="body", section="measures", text="一是深入开展”双清零一提升”行动，累计建设研发机构2365家。", citations=["c1"])
    [defect] = [f for f in flag_paragraph(paragraph, {"c1": source}) if f.kind == "defect"]
    assert defect.text == "”双清零一提升”" and defect.message.endswith("建议改为““双清零一提升””")


def test_a_gap_keeps_a_suggestion_that_quotes_a_term():
    draft = Draft(
        proposal={}, paragraphs=[Paragraph(role="body", section="plan:1", text="【待补充：关于“完善“揭榜挂帅”的组织方式”的工作举措（未检索到相关答复先例）】")]
    )
    assert draft.gaps == ["完善“揭榜挂帅”的组织方式"]


def test_a_draft_saved_before_paragraph_checks_still_renders():
    from assistant.letter.markdown import draft_to_markdown
    from assistant.letter.model import Flag
    from assistant.web.render import flags_panel

    old = Flag(kind="figure", text="超4000家", message="请核实：数据来自2024年6月的答复（温科提复〔2024〕110号）")
    draft = Draft(proposal={}, paragraphs=[Paragraph(role="body", text="全市超4000家。", flags=[old])])
    assert "请核实：数据来自2024年6月的答复（温科提复〔2024〕110号）：超4000家" in draft_to_markdown(draft)
    assert "<mark>超4000家</mark>" in flags_panel(draft)


def test_a_regulation_titled_after_a_law_nests_its_marks_and_its_check_finds_it():
    """浙江省实施《中华人民共和国农业技术推广法》办法: 《…〈…〉…》 in the basis line and in its version check."""
    law = Citation(
        id="c3", chunk_id=3, source="s", title="浙江省实施《中华人民共和国农业技术推广法》办法", doc_type="policy", date="2015-03-27", excerpt="…", role="条文"
    )
    paragraph = Paragraph(role="body", section="plan:1", text="根据《浙江省实施〈中华人民共和国农业技术推广法〉办法》第五条，“……”。", citations=["c3"])
    [version] = [f for f in flag_paragraph(paragraph, {"c3": law}) if f.kind == "version"]
    assert version.text == "《浙江省实施〈中华人民共和国农业技术推广法〉办法》" and version.text in paragraph.text
    from assistant.genre.patterns import book_title

    assert book_title("《中国制造2025》浙江行动纲要") == "《〈中国制造2025〉浙江行动纲要》"  # its own marks are an inner title's
    assert book_title("《浙江省科学技术进步条例》") == "《浙江省科学技术进步条例》"


def test_a_plan_that_promises_a_year_gone_by_asks_to_be_rewritten():
    """106's 到2025年，联合龙头骨干企业共建研发中心（院）超100家, inserted under 下一步 in a later letter."""
    from datetime import date

    source = Citation(
        id="c1", chunk_id=1, source="s", title="t", doc_type="reply", doc_number="温科提复〔2024〕106号", date="2024-06-26", excerpt="…", role="计划"
    )
    text = "到2025年，联合龙头骨干企业共建研发中心（院）超100家。"
    plan = Paragraph(role="body", section="plan:1", text=text, citations=["c1"])
    defects = [f for f in flag_paragraph(plan, {"c1": source}) if f.kind == "defect"]
    if date.today().year > 2025:
        assert [f.text for f in defects] == ["到2025年"] and "目标年份已过" in defects[0].message
    else:
        assert defects == []
    result = source.model_copy(update={"role": "成效"})
    measures = Paragraph(role="body", section="measures", text=text, citations=["c1"])
    assert not [f for f in flag_paragraph(measures, {"c1": result}) if f.kind == "defect"]  # a result reported, not a promise
