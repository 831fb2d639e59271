"""The one state machine of a reply letter's parts: the turns both unit cutting and review rely on."""

from __future__ import annotations

from assistant.genre.parts import LetterParts, is_plan_heading


def walk(events):
    letter = LetterParts()
    seen = []
    for kind, text in events:
        if kind == "salutation":
            seen.append(letter.salutation())
        elif kind == "heading":
            seen.append(letter.heading(text))
        elif kind == "subheading":
            seen.append(letter.heading(text, may_turn=False))
        elif kind == "opening":
            seen.append(letter.paragraph(text, opening=True))
        elif kind == "end":
            seen.append(letter.end())
        else:
            seen.append(letter.paragraph(text))
    return seen


def test_a_letter_walks_front_measures_plan_end():
    assert walk(
        [
            ("salutation", "张三委员："),
            ("opening", "您提出的关于……的提案收悉，现答复如下："),
            ("heading", "一、工作举措及成效"),
            ("body", "截至2024年底，累计认定高新技术企业3000家。"),
            ("heading", "二、下一步工作打算"),
            ("body", "我局将继续推进揭榜挂帅。"),
            ("end", "感谢您对科技工作的关心和支持。"),
        ]
    ) == ["front", "front", "measures", "measures", "plan", "plan", "end"]


def test_the_body_may_begin_without_a_heading_and_turn_to_plan_on_a_paragraph():
    # seed 110: 近年来…… opens the body; 下一步，…… turns it
    assert walk(
        [
            ("salutation", "李四代表："),
            ("body", "近年来，我局围绕科技金融开展了大量工作。"),
            ("body", "下一步，我局将深化科技金融改革。"),
        ]
    ) == ["front", "measures", "plan"]


def test_a_subheading_inside_the_measures_does_not_turn_the_letter():
    assert walk(
        [
            ("salutation", "张三委员："),
            ("heading", "一、工作举措及成效"),
            ("subheading", "（一）今后工作思路的探索"),
        ]
    ) == ["front", "measures", "measures"]


def test_a_suggestion_heading_after_the_measures_opens_the_plan_and_only_then():
    letter = LetterParts("front")
    assert letter.suggestion_heading() == "front"
    letter.heading("一、工作举措及成效")
    assert letter.suggestion_heading() == "plan"


def test_plan_headings_numbered_or_not():
    assert is_plan_heading("二、下一步工作计划")
    assert is_plan_heading("（二）今后工作打算")
    assert is_plan_heading("未来三年工作方向")
    assert not is_plan_heading("一、工作举措及成效")
    assert not is_plan_heading("二、关于科技金融的建议")
    # 未来 as a programme's name is not the future tense
    assert not is_plan_heading("一、未来产业培育情况") and not is_plan_heading("（二）未来工厂建设")


def test_programmes_named_future_and_policy_titles_do_not_turn_a_review_to_the_plan():
    """A measures section that names 未来产业 or a policy 《关于…的意见》 is still the measures: review's
    一、 check must not find it empty."""
    from assistant.letter.model import Draft, Paragraph
    from assistant.letter.review import letter_parts

    draft = Draft(
        proposal={},
        paragraphs=[
            Paragraph(role="salutation", text="张三委员："),
            Paragraph(role="heading1", text="一、工作举措及成效"),
            Paragraph(role="heading2", text="（一）落实《关于加快科技金融发展的意见》"),
            Paragraph(role="body", text="未来产业方面，我局已认定未来工厂12家，累计投入2亿元。"),
            Paragraph(role="heading1", text="二、下一步工作计划"),
            Paragraph(role="heading2", text="（一）关于“加强科技金融”的建议。我局将扩大科创指数贷规模。"),
        ],
    )
    parts = letter_parts(draft)
    assert 3 in parts.measures and parts.plan_heading == 4 and parts.plan == [5]


def test_a_result_under_a_heading_named_for_future_industries_is_a_result():
    from assistant.corpus.units import reply_units

    letter = (
        "张三委员：\n您的提案收悉，现答复如下：\n一、未来产业培育情况\n截至2024年底，已认定未来工厂12家，累计投入2亿元。\n"
        "二、下一步工作计划\n我局将继续培育未来工厂。"
    )
    roles = {u.text: u.role for u in reply_units(letter)}
    assert roles["截至2024年底，已认定未来工厂12家，累计投入2亿元。"] == "成效" and roles["我局将继续培育未来工厂。"] == "计划"
