"""Numbered headings, enumerations and articles (GB/T 9704 7.3.3: 一、 → （一） → 1. → （1）).

Chunking, letter units, proposal parsing, drafting, the Markdown round trip and lint all read
these, so that a （十一） heading is a heading everywhere, or nowhere."""

from __future__ import annotations

import re

from .numerals import CN_NUMERAL, CN_NUMERAL_CHARS, cn_numeral, parse_cn_numeral

HEADING_PATTERNS: dict[int, re.Pattern[str]] = {
    1: re.compile(rf"^({CN_NUMERAL})、"),
    2: re.compile(rf"^[（(]({CN_NUMERAL})[）)]"),
    # 1、 1． 1. — but "1.5亿元" is a decimal, not a heading; "1、2023年以来" is a heading.
    3: re.compile(r"^(\d{1,2})(?:\s*(?=[、．])|(?=\.(?!\d)))([.．、])"),
    4: re.compile(r"^[（(](\d{1,2})[）)]"),
}

_N = CN_NUMERAL_CHARS
# Every kind of heading a text may carry, in order of rank: a heading closes every open heading
# of its rank or lower, so a misnumbered "1、" where "一、" belongs (seed 001) is still closed by
# the next "二、". md is a Markdown heading (md1 … md6 by its #s).
HEADING_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("md", re.compile(r"^(#{1,6})\s+\S")),
    ("part", re.compile(rf"^第[{_N}\d]+编(?:\s|$)")),
    ("chapter", re.compile(rf"^第[{_N}\d]+章(?:\s|$)")),
    ("section", re.compile(rf"^第[{_N}\d]+节(?:\s|$)")),
    ("cn", HEADING_PATTERNS[1]),
    ("paren_cn", HEADING_PATTERNS[2]),
    ("num", HEADING_PATTERNS[3]),
    ("paren_num", HEADING_PATTERNS[4]),
]
_RANK = {kind: rank for rank, (kind, _) in enumerate(HEADING_KINDS)}
# The kinds a letter numbers its own parts with (the others are a statute's or Markdown's).
NUMBERED_KINDS = ("cn", "paren_cn", "num", "paren_num")
TOP_KINDS = ("cn", "num")  # 一、 and its misnumbered form 1、


def heading_kind(line: str) -> str | None:
    for kind, pattern in HEADING_KINDS:
        if m := pattern.match(line):
            return kind if kind != "md" else f"md{len(m.group(1))}"
    return None


def heading_rank(kind: str) -> float:
    """Lower ranks enclose higher ones; md1…md6 enclose everything a letter numbers."""
    return int(kind[2:]) * 0.1 if kind.startswith("md") else _RANK[kind]


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
LEADING_NUMBER = re.compile(rf"^\s*(?:{CN_NUMERAL}是|{CN_NUMERAL}、|[（(]{CN_NUMERAL}[）)]|\d{{1,2}}\s*[、.．](?!\d)|[（(]\d{{1,2}}[）)]|[①-⑳])\s*[，,、]?")


def enumeration_word(value: int) -> str:
    """一是, 二是 … 十一是: how a reply numbers the points inside a paragraph."""
    return f"{cn_numeral(value)}是"


# -- articles of a regulation: 第十条, 第25条, 第十条之一 -------------------------------------------
ARTICLE_NUMBER = rf"第(?:{CN_NUMERAL}|\d+)条"
ARTICLE = rf"{ARTICLE_NUMBER}(?:之{CN_NUMERAL})?"
ARTICLE_START = re.compile(rf"^({ARTICLE_NUMBER})\s*")
# Statute layout: "第四十八条　省人民政府设立……" — an article number followed by a space starts an
# article's text, even in the middle of a paragraph (a chunk that ran across two articles).
ARTICLE_HEADING_INSIDE = re.compile(rf"{ARTICLE}[ \t\u3000]+\S")
