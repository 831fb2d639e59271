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
    assert is_plan_heading("未来工作方向")
    assert not is_plan_heading("一、工作举措及成效")
    assert not is_plan_heading("二、关于科技金融的建议")
