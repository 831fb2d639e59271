"""The writing conventions of Chinese official letters, in one place: numerals, heading levels,
enumerations, 文号, dates and placeholders.

Chunking, letter metadata, proposal parsing, drafting, the Markdown round trip and lint all read
text written to these conventions; they share these patterns so that they agree (a （十一）
heading is a heading everywhere, or nowhere). Pure ``re``: importing this loads nothing heavy.
"""

from __future__ import annotations

import re
from datetime import date as Date

CN_DIGITS = "零一二三四五六七八九"
# Characters a Chinese numeral may be written with (十一, 二十三, 一百零二, 〇, 两).
CN_NUMERAL_CHARS = "一二三四五六七八九十百千零〇两"
CN_NUMERAL = f"[{CN_NUMERAL_CHARS}]+"
_VALUE = {c: i for i, c in enumerate(CN_DIGITS)} | {"〇": 0, "两": 2}


# A proposer that is a body, not a person: 九三学社温州市委会, 民盟温州市委会, 市工商联, 农工党温州市委会
# 医卫支部, 政协经济界别小组. It is addressed by its name alone, without 委员/代表.
ORGANISATION = re.compile(
    r"^(?:(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|中国民主同盟|中国国民党革命委员会)[\u4e00-\u9fa5]{0,16}"
    r"|[\u4e00-\u9fa5]{1,16}(?:委员会|市委会|县委会|区委会|委会|总支|支部|工委|联合会|工商联|商会|学会|协会|研究会|界别|界|小组|专委会|党组))$"
)


# The version a basis line names after a regulation's title: 《…条例》（2021年9月30日）第十条.
VERSION_DATE = r"(?:[（(]\d{4}年\d{1,2}月\d{1,2}日(?:修订|修正|公布|施行|版)?[）)])?"


def is_organisation(name: str) -> bool:
    return bool(ORGANISATION.match(name or ""))


def cn_numeral(value: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (how headings count)."""
    if value < 0:
        raise ValueError(f"no Chinese numeral for {value}")
    if value < 10:
        return CN_DIGITS[value]
    if value < 20:
        return "十" + (CN_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return CN_DIGITS[value // 10] + "十" + (CN_DIGITS[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        tail = "" if not rest else ("零" + CN_DIGITS[rest] if rest < 10 else ("一" + cn_numeral(rest) if rest < 20 else cn_numeral(rest)))
        return CN_DIGITS[value // 100] + "百" + tail
    return str(value)


def parse_cn_numeral(text: str) -> int | None:
    """一 → 1, 十一 → 11, 二十 → 20, 一百零五 → 105; None for anything that is not a numeral."""
    if not text or any(c not in CN_NUMERAL_CHARS for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char in _VALUE:
            current = _VALUE[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "千":
            total += (current or 1) * 1000
            current = 0
    total += current
    return total or None


# -- heading levels (GB/T 9704 7.3.3: 一、 → （一） → 1. → （1）) ------------------------------
HEADING_PATTERNS: dict[int, re.Pattern] = {
    1: re.compile(rf"^({CN_NUMERAL})、"),
    2: re.compile(rf"^[（(]({CN_NUMERAL})[）)]"),
    # 1、 1． 1. — but "1.5亿元" is a decimal, not a heading; "1、2023年以来" is a heading.
    3: re.compile(r"^(\d{1,2})(?:\s*(?=[、．])|(?=\.(?!\d)))([.．、])"),
    4: re.compile(r"^[（(](\d{1,2})[）)]"),
}


def heading_level(line: str) -> tuple[int, int, str] | None:
    """(level, value, marker as written) of a numbered heading line, else None."""
    line = line.strip()
    for level, pattern in HEADING_PATTERNS.items():
        if m := pattern.match(line):
            value = parse_cn_numeral(m.group(1)) if level in (1, 2) else int(m.group(1))
            if value is None:
                return None
            return level, value, m.group(0).strip()
    return None


def heading_label(level: int, value: int) -> str:
    """The marker of heading ``value`` at ``level``: 十一、 （十二） 3. （4）."""
    return {1: f"{cn_numeral(value)}、", 2: f"（{cn_numeral(value)}）", 3: f"{value}.", 4: f"（{value}）"}[level]


# -- enumerations inside a paragraph: 一是…二是…十一是…, 首先/其次 ---------------------------------
ENUMERATION = re.compile(rf"^(?:{CN_NUMERAL}是|首先|其次|再次|最后)")
ENUMERATION_AT = re.compile(rf"(?:{CN_NUMERAL}是|首先，|其次，|再次，)")
# Any numbering a unit of text may start with: 一是 / 一、 / （一） / 1、 / 1. / （1） / ① …
LEADING_NUMBER = re.compile(
    rf"^\s*(?:{CN_NUMERAL}是|{CN_NUMERAL}、|[（(]{CN_NUMERAL}[）)]|\d{{1,2}}\s*[、.．](?!\d)|[（(]\d{{1,2}}[）)]|[①-⑳])\s*[，,、]?"
)


def enumeration_word(value: int) -> str:
    """一是, 二是 … 十一是: how a reply numbers the points inside a paragraph."""
    return f"{cn_numeral(value)}是"


# -- articles of a regulation: 第十条, 第25条 ------------------------------------------------------
ARTICLE_NUMBER = rf"第(?:{CN_NUMERAL}|\d+)条"


# -- 文号 and dates --------------------------------------------------------------------------
DOC_NUMBER = re.compile(r"([\u4e00-\u9fa5]{1,12}[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?\s*(\d+)\s*号)")
# Anything shaped like a 文号, malformed ones included (any bracket, a 2-digit year, 第, 010号),
# so lint can suggest the fix.
DOC_NUMBER_LOOSE = re.compile(r"([\u4e00-\u9fa5]{1,12})\s*([〔\[［【(（])\s*(\d{2,4})\s*([〕\]］】)）])\s*(第?)\s*(\d+)\s*号")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def chinese_date(day: Date) -> str:
    """2024年6月27日: Arabic numerals, no leading zeros (GB/T 9704 7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_of(iso: str | None) -> str:
    """2024-06-27 → 2024年6月 (how a check names the age of a figure)."""
    if not iso:
        return "原文"
    parts = iso.split("-")
    return f"{int(parts[0])}年{int(parts[1])}月" if len(parts) >= 2 else f"{parts[0]}年"


# -- placeholders a person must fill -------------------------------------------------------
# 【待填：文号】 for a missing field; 【待补充：…】 for a section the corpus had nothing for.
PLACEHOLDER = re.compile(r"【待(?:填|补充)[:：]?[^】]*】")
