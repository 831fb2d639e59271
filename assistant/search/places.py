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
from functools import cached_property
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
        """Every place, longest first (温瑞塘河 before 温州 would not matter; 嵊州 before 嵊 does)."""
        return sorted({*self.parent, *(parent for parent, _ in self.lines)}, key=len, reverse=True)

    def _lineage(self, place: str) -> list[str]:
        chain = [place]
        while chain[-1] in self.parent and self.parent[chain[-1]] not in chain:
            chain.append(self.parent[chain[-1]])
        return chain

    def named(self, text: str) -> set[str]:
        """The places ``text`` names (a longer name's shorter part not counted twice)."""
        found: set[str] = set()
        rest = text
        for name in self.names:
            if name in rest:
                found.add(name)
                rest = rest.replace(name, "　")
        return found

    def of_title(self, title: str) -> str | None:
        """The place a document's title opens with (《温州市……条例》 → 温州), None for national law."""
        title = title.strip("《》 ")
        return next((name for name in self.names if title.startswith(name)), None)

    def fits(self, title: str, named: set[str]) -> bool:
        """A document of a named place or of a place above one (温州's and 浙江's for 鹿城), or naming no
        place (national law). A city's rule does not answer a question about its province."""
        place = self.of_title(title)
        return place is None or any(place in self._lineage(name) for name in named)


def load_places(user_file: Path | None = None) -> Places:
    return Places(packaged_and_user_list(PLACES_FILE, user_file, _parse, ("地名表", "places file")))


def prefer_named_places(order: Sequence[int], titles: dict[int, str], named: set[str], places: Places) -> list[int]:
    """``order`` with the passages of documents that fit the named places first, each part in its order."""
    if not named:
        return list(order)
    fits = {i: places.fits(titles.get(i, ""), named) for i in order}
    return [i for i in order if fits[i]] + [i for i in order if not fits[i]]
