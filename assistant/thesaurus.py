"""Query expansion: plain words → the normative terms documents use, and 简称 ↔ full names.

Proposers write "用专利作抵押向银行贷款"; regulations write 知识产权质押. The thesaurus
(``data/synonyms.txt`` plus ``settings.synonyms_file``) maps groups of plain words to the term;
abbreviations are learned from the corpus itself (《…三年行动方案》（简称“三年行动方案”）,
中国（浙江）自由贸易试验区（以下简称自贸试验区）). Retrieval searches the expansions beside the
query's own words, at lower weight: they widen what is found, they don't outrank a literal match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from .errors import AssistantError


@dataclass(frozen=True)
class Entry:
    term: str
    cues: tuple[tuple[str, ...], ...]  # each cue: words that must all be in the query

    def matches(self, query: str) -> bool:
        return any(all(word in query for word in cue) for cue in self.cues)


def parse_thesaurus(text: str, name: str = "synonyms") -> list[Entry]:
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, sep, cues = line.partition("=")
        cue_groups = tuple(tuple(c.split()) for c in cues.split("|") if c.split())
        if not sep or not term.strip() or not cue_groups:
            raise AssistantError(f"同义词表 {name} 第 {number} 行格式应为“规范表述 = 说法一 | 说法二”：{line}",
                                 f"{name} line {number}: expected 'term = words | words': {line}")
        entries.append(Entry(term.strip(), cue_groups))
    return entries


@lru_cache(maxsize=8)
def _load(path: str | None, mtime: float | None) -> tuple[Entry, ...]:
    packaged = resources.files("assistant") / "data" / "synonyms.txt"
    entries = parse_thesaurus(packaged.read_text(encoding="utf-8"), "data/synonyms.txt")
    if path:
        try:
            entries += parse_thesaurus(Path(path).read_text(encoding="utf-8-sig"), Path(path).name)
        except OSError as exc:
            raise AssistantError(f"无法读取同义词表 {path}（{exc.strerror}）", f"cannot read synonyms file {path} ({exc.strerror})") from exc
    return tuple(entries)


def load_thesaurus(user_file: Path | None = None) -> tuple[Entry, ...]:
    """The packaged entries, then the user's (re-read when the file changes)."""
    if user_file is None:
        return _load(None, None)
    path = Path(user_file)
    return _load(str(path), path.stat().st_mtime if path.exists() else None)


def expand(query: str, entries: Iterable[Entry], aliases: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Terms to search besides the query: thesaurus terms its words call for, and the other name
    of any abbreviation or full name it contains. Terms already in the query are left out."""
    found: list[str] = [e.term for e in entries if e.term not in query and e.matches(query)]
    for alias, full in aliases:
        # a short alias (新区, 船舶) is an everyday word too: only a distinctive one calls for its full name
        if len(alias) >= MIN_ALIAS_CHARS and alias in query and full not in query:
            found.append(full)
        elif full in query and alias not in query:
            found.append(alias)
    return list(dict.fromkeys(found))


# -- abbreviations learned from documents ------------------------------------------------------
_BOOK_ALIAS = re.compile(r"《([^《》\n]{4,60})》[^（(\n]{0,4}[（(](?:以下)?简称[:：]?[“\"]?([^”\"）)\n，,]{2,15})[”\"]?[）)]")
_QUOTED_ALIAS = re.compile(r"[“\"]([^“”\"\n]{4,40})[”\"][（(](?:以下)?简称[:：]?[“\"]?([^”\"）)\n，,]{2,15})[”\"]?[）)]")
_PLAIN_ALIAS = re.compile(r"([^，。；：、\s“”《》\n]{4,40})[（(]以下简称[:：]?[“\"]?([^”\"）)\n，,]{2,15})[”\"]?[）)]")
MIN_ALIAS_CHARS = 4
# Where a plain full name starts: after the last of these in the run before （以下简称…）.
# (Single characters like 由 or 在 also occur inside names: 自由贸易试验区.)
_NAME_START = re.compile(r".*(?:的|设立|成立|建立|批准|适用于|按照|依照|根据|关于)")


def learn_aliases(text: str) -> set[tuple[str, str]]:
    """(abbreviation, full name) pairs a document defines."""
    found: set[tuple[str, str]] = set()
    for pattern in (_BOOK_ALIAS, _QUOTED_ALIAS):
        for m in pattern.finditer(text):
            full, alias = m.group(1).strip(), m.group(2).strip()
            if alias != full and len(alias) < len(full):
                found.add((alias, full))
    for m in _PLAIN_ALIAS.finditer(text):
        full, alias = m.group(1), m.group(2).strip()
        full = _NAME_START.sub("", full).strip()
        if 4 <= len(full) <= 20 and alias != full and len(alias) < len(full):
            found.add((alias, full))
    return found
