"""Split Chinese official text into chunks that follow its structure.

Headings (一、 （一） 1、 （1） 第X章 第X节 Markdown #) start new chunks and are kept as each
chunk's heading path; 第X条 articles and plain paragraphs are packed together up to the target
size; 一是/二是 enumerations and paragraph starts are the preferred break points; a sentence
(ending in 。！？；) is never cut unless it alone is longer than the limit. An article that fits
in one chunk is never split: its lead-in (……下列情形之一的：) means nothing without its items,
and the items nothing without the lead-in. An article too long for one chunk starts a chunk of
its own, so its lead-in keeps as many items as fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..genre.headings import ARTICLE_START, ENUMERATION, NUMBERED_KINDS, heading_kind, heading_rank
from ..genre.sentences import split_sentences

_LIST_ITEMS = set(NUMBERED_KINDS)  # inside a 第X条 these are list items
_SOFT_BREAK = re.compile(r"(?<=[，、：:,])")
_PURE_HEADING_MAX = 60
# Bump when the same text would be cut differently: indexed files are then re-chunked on the
# next ingest (2: articles that fit are kept whole; 3: an article that does not fit starts a chunk).
# Headings, numerals and sentences come from genre/ (the same （十一） lint and drafting see);
# moving them there cut no text differently, so it kept 3.
CHUNKER_VERSION = 4  # 4: a reply letter's closing is not chunked


@dataclass
class Chunk:
    text: str
    heading_path: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


@dataclass
class _Unit:
    text: str
    path: tuple[str, ...]
    breakable: bool  # a good place to start a new chunk (paragraph or 一是 start)
    hard_break: bool = False  # a heading starts here: never share a chunk with what came before
    article: int | None = None  # which 第X条 the unit belongs to, if any


def _split_long(sentence: str, limit: int) -> list[str]:
    """A sentence over the limit is cut at commas, and only as a last resort mid-phrase."""
    pieces: list[str] = []
    current = ""
    for part in _SOFT_BREAK.split(sentence):
        while len(part) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(part[:limit])
            part = part[limit:]
        if current and len(current) + len(part) > limit:
            pieces.append(current)
            current = ""
        current += part
    if current:
        pieces.append(current)
    return pieces


def _heading_text(paragraph: str) -> str:
    first = split_sentences(paragraph)[0] if paragraph else paragraph
    first = first.lstrip("#").strip()
    return first if len(first) <= _PURE_HEADING_MAX else first[:_PURE_HEADING_MAX] + "…"


def _units(text: str, max_chars: int) -> list[_Unit]:
    stack: list[tuple[str, str]] = []
    units: list[_Unit] = []
    in_article = False
    article = 0
    for raw in text.split("\n"):
        paragraph = raw.strip()
        if not paragraph:
            continue
        kind = heading_kind(paragraph)
        if ARTICLE_START.match(paragraph):
            in_article = True
            article += 1
            stack = [(k, h) for k, h in stack if k not in _LIST_ITEMS]
        elif kind in _LIST_ITEMS and in_article:
            kind = None  # （一）… under 第X条 is an item of that article, not a heading
        elif kind:
            in_article = False
        if kind:
            stack = [(k, h) for k, h in stack if heading_rank(k) < heading_rank(kind)]
            stack.append((kind, _heading_text(paragraph)))
            is_pure_heading = len(paragraph) <= _PURE_HEADING_MAX and not re.search(r"[。！？；]", paragraph[:-1])
            if is_pure_heading:
                if units:  # the heading itself lives in the path, and forces a break
                    units.append(_Unit("", tuple(h for _, h in stack), True, hard_break=True))
                continue
        path = tuple(h for _, h in stack)
        for i, sentence in enumerate(split_sentences(paragraph)):
            pieces = _split_long(sentence, max_chars) if len(sentence) > max_chars else [sentence]
            for j, piece in enumerate(pieces):
                starts_paragraph = i == 0 and j == 0
                units.append(
                    _Unit(
                        piece if not (starts_paragraph and units) else "\n" + piece,
                        path,
                        breakable=starts_paragraph or (j == 0 and bool(ENUMERATION.match(piece))),
                        hard_break=starts_paragraph and kind is not None and not kind.startswith("md"),
                        article=article if in_article else None,
                    )
                )
    return units


def chunking_signature(target_chars: int, max_chars: int) -> str:
    """What decides how a text is cut: stored per file, so a change re-chunks it."""
    return f"v{CHUNKER_VERSION}:{target_chars}:{max_chars}"


def chunk_text(text: str, target_chars: int = 300, max_chars: int = 400) -> list[Chunk]:
    """Chunks of about ``target_chars`` (never over ``max_chars``) with their heading paths."""
    chunks: list[Chunk] = []
    current: list[_Unit] = []

    def size() -> int:
        return sum(len(u.text.strip("\n")) for u in current)

    def flush() -> None:
        body = "".join(u.text for u in current).strip("\n").strip()
        if body:
            chunks.append(Chunk(body, list(current[0].path)))
        current.clear()

    units = _units(text, max_chars)
    article_chars: dict[int, int] = {}
    for unit in units:
        if unit.article is not None:
            article_chars[unit.article] = article_chars.get(unit.article, 0) + len(unit.text.strip("\n"))

    for unit in units:
        if not unit.text:  # a pure heading line: close the previous section
            flush()
            continue
        length = len(unit.text.strip("\n"))
        in_same_article = bool(current) and unit.article is not None and current[-1].article == unit.article
        whole_article = unit.article is not None and article_chars[unit.article] <= max_chars
        starts_article = unit.article is not None and not in_same_article
        if (
            current
            and (
                unit.hard_break
                or size() + length > max_chars
                or (size() >= target_chars and unit.breakable and not (in_same_article and whole_article))
                # an article that does not fit in what is left starts a chunk: whole if it fits in one,
                # else at least its lead-in stays with its first items
                or (starts_article and size() + article_chars.get(unit.article or 0, 0) > max_chars)
                or unit.path[:1] != current[0].path[:1]
            )
        ):
            flush()
        if not current and unit.text.startswith("\n"):
            unit = _Unit(unit.text[1:], unit.path, unit.breakable, unit.hard_break, unit.article)
        current.append(unit)
    flush()
    return _merge_tiny_tails(chunks, target_chars // 3, max_chars)


def _merge_tiny_tails(chunks: list[Chunk], min_chars: int, max_chars: int) -> list[Chunk]:
    """A fragment shorter than ``min_chars`` joins its predecessor in the same section when it fits."""
    merged: list[Chunk] = []
    for chunk in chunks:
        prev = merged[-1] if merged else None
        if prev is not None and len(chunk.text) < min_chars and prev.heading_path == chunk.heading_path and len(prev.text) + len(chunk.text) + 1 <= max_chars:
            prev.text = f"{prev.text}\n{chunk.text}" if not prev.text.endswith(tuple("。！？；")) else prev.text + chunk.text
            continue
        merged.append(chunk)
    return merged
