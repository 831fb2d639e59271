"""Places a query names, and whether a document is of them.

A bureau's staff ask about their own city: 鹿城过年能放鞭炮吗 wants 温州市销售燃放烟花爆竹管理规定, and
温州楼下饭店油烟太大怎么办 the province's 大气污染防治条例 — not 衢州市's or 宁波市's rules, which bind
nobody in Wenzhou though they share every word. Where a query names a place, the documents of that
place, of the places above it (its province) and national law (a title naming no place)
are ranked before another place's (``prefer_named_places``); nothing is dropped. A question about the
province (浙江生活垃圾分几类) is about its own rules, not one city's. Where it names none,
the order stands: which city's rule a plain question wants, only the words and meaning can tell.

The places come from ``data/places.txt`` (上级 = 下级 …) plus the file ``places_file`` names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Sequence

from ..errors import AssistantError
from ..files import packaged_and_user_list

PLACES_FILE = "places.txt"


def _parse(text: str, name: str) -> list[tuple[str, tuple[str, ...]]]:
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parent, sep, children = line.partition("=")
        if not sep or not parent.strip() or not children.split():
            raise AssistantError(
                f"地名表 {name} 第{number}行格式应为“上级 = 下级 下级 …”", f"places file {name} line {number}: expected 'parent = child child …'"
            )
        lines.append((parent.strip(), tuple(children.split())))
    return lines


@dataclass(frozen=True)
class Places:
    lines: tuple[tuple[str, tuple[str, ...]], ...]

    @cached_property
    def parent(self) -> dict[str, str]:
        return {child: parent for parent, children in self.lines for child in children}

    @cached_property
    def names(self) -> list[str]:
        """Every place, longest first (a title opens with 温瑞塘河 before 温州 is tried)."""
        return sorted({*self.parent, *(parent for parent, _ in self.lines)}, key=len, reverse=True)

    def _lineage(self, place: str) -> list[str]:
        chain = [place]
        while chain[-1] in self.parent and self.parent[chain[-1]] not in chain:
            chain.append(self.parent[chain[-1]])
        return chain

    def named(self, text: str) -> set[str]:
        """The places ``text`` names: a word of it (温州, 温州市, 鹿城区), not two characters inside other
        words (上城 in 县级以上城市, 路桥 in 道路桥梁, 浙江 in 浙江大学); a name of three characters or more
        (楠溪江, 温瑞塘河) wherever it stands."""
        words = set(_words(text))
        return {name for name in self.names if (len(name) >= 3 and name in text) or name in words or any(name + suffix in words for suffix in "省市区县")}

    def of_title(self, title: str) -> str | None:
        """The place a document's title opens with (《温州市……条例》 → 温州), None for national law."""
        title = title.strip("《》 ")
        return next((name for name in self.names if title.startswith(name)), None)

    def fits(self, title: str, named: set[str]) -> bool:
        """A document of a named place or of a place above one (温州's and 浙江's for 鹿城), or naming no
        place (national law). A city's rule does not answer a question about its province, and a place
        this list does not know (上海市……办法) is another's, not national law."""
        place = self.of_title(title)
        if place is None:
            return not _opens_with_a_place(title.strip("《》 "))
        return any(place in self._lineage(name) for name in named)


NATIONAL = ("中华人民共和国", "中国", "全国", "国务院", "国家")


def _words(text: str) -> list[str]:
    import jieba

    return jieba.lcut(text)


@lru_cache(maxsize=4096)
def _opens_with_a_place(title: str) -> bool:
    """上海市……办法: the title's first word is a place name (jieba tags it ns), not the nation's."""
    import jieba.posseg

    if title.startswith(NATIONAL):
        return False
    words = jieba.posseg.lcut(title[:12])
    return bool(words) and words[0].flag == "ns"


def load_places(user_file: Path | None = None) -> Places:
    return _places(packaged_and_user_list(PLACES_FILE, user_file, _parse, ("地名表", "places file")))


@lru_cache(maxsize=4)
def _places(lines: tuple) -> Places:
    return Places(lines)  # one per list read: its names and parents are worked out once, not at every search


def prefer_named_places(order: Sequence[int], titles: dict[int, str], named: set[str], places: Places) -> list[int]:
    """``order`` with the passages of documents that fit the named places first, each part in its order."""
    if not named:
        return list(order)
    fits = {i: places.fits(titles.get(i, ""), named) for i in order}
    return [i for i in order if fits[i]] + [i for i in order if not fits[i]]
