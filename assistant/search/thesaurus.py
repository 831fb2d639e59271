"""Query expansion: plain words → the normative terms documents use, and 简称 ↔ full names.

Proposers write "用专利作抵押向银行贷款"; regulations write 知识产权质押. The thesaurus
(``data/synonyms.txt`` plus ``settings.synonyms_file``) maps groups of plain words to the term;
abbreviations are learned from the corpus itself (《…三年行动方案》（简称“三年行动方案”）,
中国（浙江）自由贸易试验区（以下简称自贸试验区）). Retrieval searches the expansions beside the
query's own words, at lower weight: they widen what is found, they don't outrank a literal match.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import AssistantError
from ..files import packaged_and_user_list
from ..genre.aliases import Alias

MIN_ALIAS_CHARS = 4


@dataclass(frozen=True)
class Entry:
    term: str
    cues: tuple[tuple[str, ...], ...]  # each cue: words that must all be in the query

    def matches(self, query: str, variants: Mapping[str, Iterable[str]] | None = None, found: dict | None = None) -> bool:
        """Every word of one cue is in the query — or, in a cue of two words or more (the other
        word anchors the sense), one of its ``variants`` (补贴 for 补助). ``found`` caches what was
        looked up across the entries of one query."""
        query = query.lower()
        found = {} if found is None else found
        return any(all(_has(word, query, variants if len(cue) > 1 else None, found) for word in cue) for cue in self.cues)


def _has(word: str, query: str, variants: Mapping[str, Iterable[str]] | None, found: dict) -> bool:
    key = (word, variants is not None)
    if key not in found:
        found[key] = word in query or bool(variants and any(v in query for v in variants.get(word, ())))
    return found[key]


def parse_thesaurus(text: str, name: str = "synonyms") -> list[Entry]:
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, sep, cues = line.partition("=")
        cue_groups = tuple(tuple(c.lower().split()) for c in cues.split("|") if c.split())  # ai, ipo: any case
        if not sep or not term.strip() or not cue_groups:
            raise AssistantError(
                f"同义词表 {name} 第 {number} 行格式应为“规范表述 = 说法一 | 说法二”：{line}", f"{name} line {number}: expected 'term = words | words': {line}"
            )
        entries.append(Entry(term.strip(), cue_groups))
    return entries


def load_thesaurus(user_file: Path | None = None) -> tuple[Entry, ...]:
    """The packaged entries, then the user's (re-read when the file changes)."""
    return packaged_and_user_list("synonyms.txt", user_file, parse_thesaurus, ("同义词表", "synonyms file"))


def load_fields() -> tuple[Entry, ...]:
    """The field vocabulary (data/fields.txt): everyday words → the regulations' name for a field (天气 预报 → 气象)."""
    return packaged_and_user_list("fields.txt", None, parse_thesaurus, ("领域词表", "field vocabulary"))


# described_once → (thesaurus, fields, their join): the loaded tuples are kept and
# compared, not only their ids, which a newer file's tuple may reuse once the old one is gone
_JOINED: dict[bool, tuple[tuple[Entry, ...], tuple[Entry, ...], tuple[Entry, ...]]] = {}


def load_vocabulary(user_file: Path | None = None, fields: bool = True, described_once: bool = False) -> tuple[Entry, ...]:
    """The thesaurus (packaged, then the user's) and, with ``fields``, the field vocabulary: one tuple
    that stays the same object while neither file changes (term_meaning.py caches vectors by it).
    ``described_once``: a field entry for a term the thesaurus has is left out (one description a
    term, for search by meaning)."""
    entries = load_thesaurus(user_file)
    if not fields:
        return entries
    extra = load_fields()
    held = _JOINED.get(described_once)
    if held is None or held[0] is not entries or held[1] is not extra:
        known = {e.term for e in entries} if described_once else set()
        held = _JOINED[described_once] = (entries, extra, entries + tuple(e for e in extra if e.term not in known))
    return held[2]


def thesaurus_terms(query: str, entries: Iterable[Entry], variants: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    """The normative terms the query's plain words (or their variants) call for, not those it already uses."""
    found: dict = {}  # a cue word is looked up once per query, not once per entry that uses it
    lowered = query.lower()
    return list(dict.fromkeys(e.term for e in entries if e.term not in query and e.matches(lowered, variants, found)))


def other_names(query: str, aliases: Iterable[Alias | tuple]) -> list[str]:
    """The other name of any abbreviation or full name the query contains. A short alias (新区,
    单位) is an everyday word too: only pairs whose alias is distinctive count, either way."""
    found: list[str] = []
    for alias, full, *rest in aliases:
        scoped = bool(rest and rest[0])
        if len(alias) < MIN_ALIAS_CHARS:
            continue
        if alias in query and full not in query and not scoped:
            found.append(full)
        elif full in query and alias not in query:
            found.append(alias)
    return list(dict.fromkeys(found))
