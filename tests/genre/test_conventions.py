"""The shared writing conventions: numerals, heading levels and enumerations beyond 十."""

from __future__ import annotations

import pytest

from assistant.genre.headings import ENUMERATION, LEADING_NUMBER, enumeration_word, heading_label, heading_level
from assistant.genre.numerals import cn_numeral, parse_cn_numeral
from assistant.genre.patterns import DOC_NUMBER


def test_numerals_round_trip_from_1_to_99():
    for value in range(1, 100):
        assert parse_cn_numeral(cn_numeral(value)) == value
    assert [cn_numeral(v) for v in (1, 10, 11, 12, 20, 21, 99)] == ["一", "十", "十一", "十二", "二十", "二十一", "九十九"]
    assert parse_cn_numeral("一十二") == 12 and parse_cn_numeral("两") == 2
    assert parse_cn_numeral("") is None and parse_cn_numeral("十二条") is None


@pytest.mark.parametrize(
    "line, expected",
    [
        ("一、工作举措及成效", (1, 1, "一、")),
        ("十一、其他", (1, 11, "十一、")),
        ("（十二）关于“建立科创平台”的建议。", (2, 12, "（十二）")),
        ("(二十)半角括号", (2, 20, "(二十)")),
        ("11. 细项", (3, 11, "11.")),
        ("1、2023年以来，我市……", (3, 1, "1、")),
        ("（12）小项", (4, 12, "（12）")),
    ],
)
def test_heading_levels_beyond_ten(line, expected):
    assert heading_level(line) == expected


def test_what_is_not_a_heading():
    for line in ("1.5亿元", "10.5%的增长", "十分重要。", "第十一条 本条例", "一是加强"):
        assert heading_level(line) is None, line


def test_heading_labels_beyond_ten():
    assert [heading_label(1, v) for v in (1, 10, 11)] == ["一、", "十、", "十一、"]
    assert [heading_label(2, v) for v in (11, 12, 23)] == ["（十一）", "（十二）", "（二十三）"]
    assert (heading_label(3, 12), heading_label(4, 12)) == ("12.", "（12）")
    for level in (1, 2, 3, 4):
        for value in range(1, 30):
            assert heading_level(heading_label(level, value) + "标题")[:2] == (level, value)


def test_enumerations_beyond_ten():
    assert enumeration_word(11) == "十一是"
    assert ENUMERATION.match("十一是继续推进") and ENUMERATION.match("十二是") and not ENUMERATION.match("十分")
    assert LEADING_NUMBER.sub("", "（十一）完善机制") == "完善机制"
    assert LEADING_NUMBER.sub("", "十二是加强保障") == "加强保障"


def test_doc_number():
    m = DOC_NUMBER.search("温科提复〔2024〕110号")
    assert (m.group(1), m.group(2), m.group(3)) == ("温科提复〔2024〕110号", "2024", "110")
