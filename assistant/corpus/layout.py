"""Text placed on a page (OFD text objects, OCR boxes) → lines in reading order → paragraphs.

Neither source says where a paragraph ends: OFD converters write text objects in any order, and
OCR returns boxes. The page itself does: a line that stops short of the right margin ends its
paragraph, an indented line (首行缩进 two characters) or a wider gap above starts one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median


@dataclass
class Piece:
    """Text at a place: left/right edges and top/bottom of its line box, in any one unit per page."""

    left: float
    right: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)


def lines(pieces: list[Piece]) -> list[Piece]:
    """Pieces on one baseline joined left to right; lines top to bottom."""
    rows: list[tuple[list[Piece], float, float]] = []  # (pieces, top, bottom): bounds kept as rows grow
    for piece in sorted(pieces, key=lambda p: ((p.top + p.bottom) / 2, p.left)):
        middle = (piece.top + piece.bottom) / 2
        if rows:
            row, top, bottom = rows[-1]
            # same line when the middle of this piece lies inside the row's band
            if top <= middle <= bottom or abs(middle - (top + bottom) / 2) < 0.35 * min(piece.height, bottom - top):
                row.append(piece)
                rows[-1] = (row, min(top, piece.top), max(bottom, piece.bottom))
                continue
        rows.append(([piece], piece.top, piece.bottom))
    return [_join_row(sorted(row, key=lambda p: p.left)) for row, _, _ in rows]


def _join_row(row: list[Piece]) -> Piece:
    text = row[0].text
    for before, piece in zip(row, row[1:]):
        gap = piece.left - before.right
        # words of a Latin run, or a wide gap (a date pushed right), keep a space; CJK and figures join tight
        spaced = gap > 1.5 * piece.height or (
            before.text[-1:].isascii() and before.text[-1:].isalpha() and piece.text[:1].isascii() and piece.text[:1].isalpha()
        )
        text += (" " if spaced else "") + piece.text
    return Piece(min(p.left for p in row), max(p.right for p in row), min(p.top for p in row), max(p.bottom for p in row), text)


def paragraphs(page_lines: list[Piece], page_right: float | None = None, page_left: float | None = None) -> list[str]:
    """Lines joined into paragraphs as the layout shows them."""
    if not page_lines:
        return []
    size = median(line.height for line in page_lines)
    left = page_left if page_left is not None else _margin([line.left for line in page_lines], low=True)
    right = page_right if page_right is not None else _margin([line.right for line in page_lines], low=False)
    gaps = [b.top - a.bottom for a, b in zip(page_lines, page_lines[1:]) if b.top > a.bottom]
    usual_gap = median(gaps) if gaps else size
    out: list[str] = []
    previous: Piece | None = None
    for line in page_lines:
        text = line.text.strip()
        if not text:
            continue
        starts = (
            previous is None
            or previous.right < right - 1.5 * size  # the line above stopped short
            or line.left > left + 1.2 * size  # indented, or centred
            or line.top - previous.bottom > max(2.2 * usual_gap, 0.9 * size)
        )  # a blank line above
        if starts or not out:
            out.append(text)
        else:
            # a wrapped line joins tight (a figure may break across lines: 2 | 023), but two Latin words keep their space
            glue = " " if out[-1][-1:].isascii() and out[-1][-1:].isalpha() and text[:1].isascii() and text[:1].isalpha() else ""
            out[-1] += glue + text
        previous = line
    return out


def _margin(edges: list[float], low: bool) -> float:
    """The page's text margin: where most full lines begin (or end), not the odd centred title."""
    ordered = sorted(edges, reverse=not low)
    # the edge at least a quarter of the lines reach: robust to short last lines and centred titles
    return ordered[max(0, len(ordered) // 4 - 1)] if len(ordered) >= 4 else (min(edges) if low else max(edges))


_ENDS_PARAGRAPH = re.compile(r"[。！？；：”」）)]$|^.{0,20}$")


def join_pages(pages: list[str]) -> str:
    """Page texts in order; a paragraph cut by the page break (no closing mark) is joined again."""
    out = ""
    for page in (p for p in pages if p.strip()):
        if out and not _ENDS_PARAGRAPH.search(out.rsplit("\n", 1)[-1]):
            out += page
        else:
            out += ("\n" if out else "") + page
    return out
