"""Abbreviations a document defines: 《浙江省科技创新条例》（以下简称《条例》）, “……”（简称“……”）.

How official texts name things by their short names is the genre's grammar; ingest records the
pairs each document defines and search calls up the other name (search/thesaurus.other_names)."""

from __future__ import annotations

import re
from typing import NamedTuple


class Alias(NamedTuple):
    alias: str
    full: str
    # （以下简称管理机构） defines a shorthand for one statute only: elsewhere 管理机构 means any
    # such body, so a scoped alias never calls up its full name; the full name may call it up.
    scoped: bool = False


# -- the patterns ------------------------------------------------------
_BOOK_ALIAS = re.compile(r"《([^《》\n]{4,60})》[^（(\n]{0,4}[（(](?:以下)?简称[:：]?[“\"]?([^”\"）)\n，,]{2,15})[”\"]?[）)]")
_QUOTED_ALIAS = re.compile(r"[“\"]([^“”\"\n]{4,40})[”\"][（(](?:以下)?简称[:：]?[“\"]?([^”\"）)\n，,]{2,15})[”\"]?[）)]")
_PLAIN_ALIAS = re.compile(r"([^，。；：、\s“”《》\n]{4,40})[（(]以下简称[:：]?[“\"]?([^”\"）)\n，,]{2,15})[”\"]?[）)]")
# Where a plain full name starts: after the last of these in the run before （以下简称…）.
# (Single characters like 由 or 在 also occur inside names: 自由贸易试验区.)
_NAME_START = re.compile(r".*(?:的|设立|成立|建立|批准|适用于|按照|依照|根据|关于)")
# What a plain run can still start with that is not part of a name.
_NOT_NAME = re.compile(r"^(?:本(?:条例|规定|办法|决定)所称|了|制定|应当|组织编制|保证|配齐|方可|由|经|在|对|将|和|与)+")


def _abbreviates(alias: str, full: str) -> bool:
    """A real abbreviation takes its characters from the full name, in order (自贸试验区 from
    中国（浙江）自由贸易试验区); 单位 for 其他社会组织 is a definition, not a shorter name."""
    rest = iter(full)
    return len(alias) < len(full) and all(char in rest for char in alias)


def learn_aliases(text: str) -> set[Alias]:
    """The abbreviations a document defines: 《…》（简称“…”） and “…”（简称…） name a thing the
    way it is known; …（以下简称…） a shorthand scoped to that document."""
    found: set[Alias] = set()
    for pattern in (_BOOK_ALIAS, _QUOTED_ALIAS):
        for m in pattern.finditer(text):
            full, alias = m.group(1).strip(), m.group(2).strip()
            if _abbreviates(alias, full):
                found.add(Alias(alias, full))
    for m in _PLAIN_ALIAS.finditer(text):
        full, alias = m.group(1), m.group(2).strip()
        full = _NOT_NAME.sub("", _NAME_START.sub("", full)).strip()
        # a run that filled the whole window started mid-sentence: its start is unknown
        if len(m.group(1)) < 40 and 4 <= len(full) <= 20 and _abbreviates(alias, full):
            found.add(Alias(alias, full, scoped=True))
    return found
