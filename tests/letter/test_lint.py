"""Lint rules, starting with the three real defects of the seed letters."""

from __future__ import annotations

from assistant.letter.lint import lint_text

from ..conftest import SEED_106, SEED_110


def rules(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in lint_text(text)]


def test_seed_110_half_width_colon_and_missing_unit():
    findings = lint_text(SEED_110.read_text(encoding="utf-8"))
    colon = next(f for f in findings if f.rule == "salutation_colon")
    assert (colon.line, colon.fix) == (7, "祝彬委员：")
    unit = next(f for f in findings if f.rule == "money_unit")
    assert "26.4元" in unit.message and unit.fix.endswith("26.4亿元")
    assert sum(f.rule == "money_unit" for f in findings) == 1  # 59亿元, 17.44亿元 … are fine


def test_seed_110_quotation_opened_with_a_closing_mark():
    """110's 深入开展”双清零一提升”行动: the only turned quotation in either seed; every other pair is fine."""
    turned = [f for f in lint_text(SEED_110.read_text(encoding="utf-8")) if f.rule == "quote_turned"]
    assert [(f.fix, f.label) for f in turned] == [("“双清零一提升”", "引号方向")]
    assert not [f for f in lint_text(SEED_106.read_text(encoding="utf-8")) if f.rule == "quote_turned"]
    assert rules("“揭榜挂帅”和“赛马制”并行。\n") == []


def test_seed_106_misnumbered_first_heading():
    findings = lint_text(SEED_106.read_text(encoding="utf-8"))
    heading = [f for f in findings if f.rule.startswith("heading")]
    assert len(heading) == 1
    assert heading[0].line == 10 and "一、" in heading[0].message
    assert heading[0].fix.startswith("一、")


def test_both_seeds_lack_the_final_period_after_cc():
    for path in (SEED_110, SEED_106):
        cc = [f for f in lint_text(path.read_text(encoding="utf-8")) if f.rule == "cc_period"]
        assert len(cc) == 1 and cc[0].fix == "抄送：市府办，市政协提案委。"


def test_doc_number_forms():
    assert rules("温科提复〔2024〕110号") == []
    for bad, fix in [
        ("温科提复[2024]110号", "温科提复〔2024〕110号"),
        ("温科提复（2024）110号", "温科提复〔2024〕110号"),
        ("温科提复〔2024〕第110号", "温科提复〔2024〕110号"),
        ("温科提复〔2024〕010号", "温科提复〔2024〕10号"),
    ]:
        [finding] = lint_text(bad)
        assert finding.rule == "doc_number" and finding.fix == fix


def test_heading_order_skips_and_repeats():
    text = "一、总体情况\n（一）第一点\n（三）第三点\n二、下一步\n（一）甲\n（一）乙\n1、细项\n2.细项"
    found = lint_text(text)
    assert [(f.line, f.rule) for f in found] == [(3, "heading_order"), (6, "heading_order"), (7, "heading_style")]
    assert "跳号" in found[0].message and found[0].fix.startswith("（二）")
    assert "重复" in found[1].message


def test_dates_placeholders_and_a_clean_letter():
    assert "date_format" in {r for _, r in rules("2024年06月27日")}
    assert "date_format" in {r for _, r in rules("二〇二四年六月二十七日")}
    assert "date_format" in {r for _, r in rules("2024-06-27")}
    assert [r for _, r in rules("联系人：【待填：联系人】")] == ["placeholder"]
    clean = (
        "温科提复〔2024〕110号\n关于市政协十二届三次会议370号提案的答复函\n祝彬委员：\n一、工作举措\n（一）甲\n二、下一步\n"
        "2024年6月27日\n抄送：市府办，市政协提案委。"
    )
    assert lint_text(clean) == []


def test_markdown_draft_appendix_is_ignored():
    text = "祝彬委员：\n## 一、举措\n正文[^c1]\n\n---\n\n## 引用来源\n[^c1]: 抄送：x\n2024-06-27"
    assert lint_text(text) == []


def test_headings_beyond_ten_in_order_are_fine():
    second = "\n".join(
        f"（{n}）关于“第{i}条建议”的建议。" for i, n in enumerate(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"], start=1)
    )
    top = "\n".join(f"{n}、第{n}部分" for n in ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"])
    assert [f for f in lint_text(f"{top}\n{second}") if f.rule.startswith("heading")] == []


def test_skipped_heading_beyond_ten_is_reported_with_its_label():
    lines = [f"（{n}）第{n}点" for n in ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十三"]]
    [finding] = lint_text("一、下一步\n" + "\n".join(lines))
    assert (finding.line, finding.rule) == (13, "heading_order")
    assert "跳号" in finding.message and "（十二）" in finding.message and "（十三）" in finding.message
    assert finding.fix == "（十二）第十三点"
    tops = [f"{n}、甲" for n in ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十一"]]
    [repeat] = lint_text("\n".join(tops))
    assert "重复" in repeat.message and repeat.fix == "十二、甲"
