"""Precedent units and their roles: what a new letter may reuse, and where.

A bureau's reply speaks of its own work, so a draft is composed from the *units* of earlier
replies — their 一是/二是 items, else sentences — each with a role
(shared/specs/reply-letter-anatomy.md, "units and their roles"):

    成效  what was achieved (截至/累计/已 + figures)      → 一、工作举措及成效
    举措  an ongoing measure                             → 一、, or 二、 behind a forward lead-in
    计划  a next step (under 下一步; 将/力争/到2025年)    → 二、（N）
    复述  the letter restating *its* proposer's points   → never reused
    套话  receipt, appraisal, thanks, contact, 抄送       → never reused (prompts/ has our own)
    条文  one article of a regulation / policy text      → only as a short basis line

Roles are computed at ingest and stored beside the chunks; ``ROLES_VERSION`` is part of each
file's chunking signature, so a change of these rules re-derives the units on the next ingest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..genre.headings import ARTICLE_START, ENUMERATION_AT, LEADING_NUMBER, TOP_KINDS, heading_kind, heading_rank
from ..genre.parts import LetterParts
from ..genre.patterns import (
    BODY_START,
    CLOSING_LINE,
    DATE,
    DOC_NUMBER,
    FORMULA,
    PLAN_CUE,
    PLAN_OPENING,
    PRINTED_LINE,
    QUANTITY,
    RESTATING,
    RESULT,
    SUGGESTION_ECHO,
    THANKS,
)
from ..genre.sentences import split_sentences

# Bump when the same text would get other units or roles (2: sentences of paragraphs without 一是,
# results in the plan part, 印发 inside a measure, letters without a 收悉 line; 3: the parts state machine
# shared with review — 工作计划 and a numbered 下一步 turn to the plan, 未来产业/未来工厂 do not).
ROLES_VERSION = 3
REUSABLE = ("成效", "举措", "计划")
ROLES = (*REUSABLE, "复述", "套话", "条文")
# Units that carry their own vector: drafting scores them, and search a passage by its closest (search/retrieval.py Meaning).
EMBEDDED = (*REUSABLE, "条文")
EMBEDDED_VERSION = 2  # bump when EMBEDDED changes: files are re-derived (2: 条文 too); known vectors are reused
# An embedded unit of several sentences also carries one vector per sentence: a plain question asks
# about one provision, and an article's one vector blurs it with the others (search/rerank.py).
# Bump when meaning_sentences cuts the same text otherwise, or sentences are filed otherwise: files are
# re-derived, known vectors reused (2: each under the passage that holds it, with its unit; a short first
# piece joins the next; 3: a reply unit's clauses too).
SENTENCES_VERSION = 3
MEANING_SENTENCE_MIN = 8  # a shorter piece (（一）, 第二款。) says nothing alone: it joins the sentence before
_CLAUSE_END = re.compile(r"(?<=[，：,:])")


def meaning_sentences(text: str, clauses: bool = False) -> list[str]:
    """The sentences of a unit that get their own vector: each line cut at 。！？；, a piece under
    ``MEANING_SENTENCE_MIN`` characters joined to the one before (the first to the one after). A
    unit of one sentence gets none (its own vector is that sentence's). With ``clauses`` (a reply
    unit) each sentence's clauses too, cut at ，： and joined the same way: a bureau's paragraph lists
    several measures in one sentence (……落实“十个一批”机制，……，强化……大型科研仪器和设备开放共享的主体
    责任，……), and a suggestion asks for one of them."""
    sentences = _joined(piece for line in text.splitlines() for piece in split_sentences(line))
    if not clauses:
        return sentences if len(sentences) > 1 else []
    pieces = list(sentences)
    for sentence in sentences:
        pieces += [clause for clause in _joined(_CLAUSE_END.split(sentence)) if clause not in pieces]
    return pieces if len(pieces) > 1 else []


def _joined(parts: Iterable[str]) -> list[str]:
    """Stripped non-empty ``parts``, one under ``MEANING_SENTENCE_MIN`` characters joined to the one
    before (the first to the one after)."""
    pieces: list[str] = []
    carry = ""  # a short first piece (第一条 on a line of its own), waiting for its sentence
    for piece in (part.strip() for part in parts):
        if not piece:
            continue
        if pieces and len(piece) < MEANING_SENTENCE_MIN:
            pieces[-1] += piece
        elif not pieces and len(carry + piece) < MEANING_SENTENCE_MIN:
            carry += piece
        else:
            pieces.append(carry + piece)
            carry = ""
    if carry:
        pieces.append(carry)
    return pieces


@dataclass
class Unit:
    ord: int
    role: str
    text: str
    heading: str = ""  # the heading path in the source, " > "-joined
    article: str = ""  # 第十条 for a regulation's article


def classify(text: str, part: str) -> str:
    """The role of one body unit of a reply letter, given the part it stands in
    ("front" before the body, "measures", "plan" after the 下一步 turn)."""
    if FORMULA.search(text):
        return "套话"
    if part == "front" or RESTATING.search(text):
        return "复述"
    if part == "plan":
        # a result reported in the plan part (截至……累计……120亿元) is still a result
        past = RESULT.search(text) and QUANTITY.search(text) and not PLAN_CUE.search(text)
        return "成效" if past else "计划"
    if RESULT.search(text) or len(QUANTITY.findall(text)) >= 2:
        return "成效"
    if PLAN_OPENING.search(text):
        return "计划"
    return "举措"


def _split_enumeration(paragraph: str) -> list[str]:
    """A paragraph cut before each 一是/二是…: [lead-in, item, item…] (lead-in may be empty)."""
    cuts = [m.start() for m in ENUMERATION_AT.finditer(paragraph)]
    # 一是 must open a clause: after 。；：，or at the start (not 统一是 / 唯一是 inside a word)
    cuts = [c for c in cuts if c == 0 or paragraph[c - 1] in "。；;：:，,！？ "]
    pieces = [paragraph[a:b] for a, b in zip([0, *cuts], [*cuts, len(paragraph)])]
    return [p.strip() for p in pieces if p.strip()]


def _sentence_units(paragraph: str, min_chars: int = 30) -> list[str]:
    """A paragraph without 一是… cut into sentences; a short one (a title like 强化金融支持。) joins the next."""
    units: list[str] = []
    carry = ""
    for sentence in split_sentences(paragraph):
        carry += sentence
        if len(carry.strip()) >= min_chars:
            units.append(carry.strip())
            carry = ""
    if carry.strip():
        if units:
            units[-1] += carry.strip()
        else:
            units.append(carry.strip())
    return units


def _sentences_without_formulas(text: str) -> str:
    return "".join(s for s in split_sentences(text) if not FORMULA.search(s)).strip()


def reply_units(text: str) -> list[Unit]:
    """A reply letter cut into units with roles, in reading order (its parts: genre.parts)."""
    units: list[Unit] = []
    letter = LetterParts()
    path: list[str] = []
    stack: list[tuple[str, str]] = []

    def add(role: str, piece: str) -> None:
        piece = piece.strip()
        if len(re.sub(r"\W", "", piece)) >= 6:
            units.append(Unit(len(units), role, piece, " > ".join(path)))

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if letter.part == "header":
            if heading_kind(line) in TOP_KINDS:
                letter.salutation()  # no receipt at all: the body starts with its first heading
            elif BODY_START.search(line):
                letter.salutation()
                if "收悉" not in line:
                    add("套话", line)
                    continue
            else:
                continue
        if letter.part == "end" or CLOSING_LINE.match(line) or DATE.fullmatch(line) or DOC_NUMBER.fullmatch(line) or PRINTED_LINE.search(line):
            if THANKS.match(line):
                letter.end()
            add("套话", line)
            continue
        kind = heading_kind(line)
        body = line
        first = split_sentences(line)[0]
        if kind and not kind.startswith(("part", "chapter", "section")) and len(first) <= 60:
            # a numbered heading: 一、… / 1、… / （一）…; a long line (（一）关于“…”的建议。一是…)
            # carries its body after the heading's first sentence
            title = LEADING_NUMBER.sub("", first).strip(" 。.")
            letter.heading(title, may_turn=kind in TOP_KINDS)
            stack = [(k, h) for k, h in stack if heading_rank(k) < heading_rank(kind)] + [(kind, title)]
            path = [h for _, h in stack]
            if echo := SUGGESTION_ECHO.match(title):
                add("复述", echo.group(1))
            body = line[len(first) :].strip() if len(line) > len(first) else ""
            if not body:
                continue
        # the body may begin without a heading (seed 110's 近年来……)
        letter.paragraph(body, opening="收悉" in line or bool(RESTATING.search(line)))
        if letter.part == "front" or "收悉" in body:
            for sentence in split_sentences(body):
                add("套话" if FORMULA.search(sentence) else "复述", sentence)
            continue
        pieces = _split_enumeration(body)
        enumerated = len(pieces) > 1
        if not enumerated:
            pieces = _sentence_units(body)  # no 一是…: a paragraph's sentences are its units
        for index, piece in enumerate(pieces):
            cleaned = _sentences_without_formulas(piece)
            if enumerated and index == 0 and len(cleaned) < 40 and not ENUMERATION_AT.match(cleaned):
                continue  # a lead-in to the items (我们将……，一是…) says nothing alone
            if cleaned:
                add(classify(cleaned, letter.part), cleaned)
    return units


def policy_units(text: str) -> list[Unit]:
    """One 条文 unit per 第X条 article (its paragraphs and items together); a text without
    articles (a work report, a notice) gives one unit per paragraph."""
    units: list[Unit] = []
    path: list[str] = []
    current: Unit | None = None
    for raw in text.split("\n"):
        line = raw.strip().lstrip("#").strip() if raw.strip().startswith("#") else raw.strip()
        if not line:
            continue
        if m := ARTICLE_START.match(line):
            current = Unit(len(units), "条文", line, " > ".join(path), article=m.group(1))
            units.append(current)
            continue
        kind = heading_kind(raw.strip())
        if kind and (kind.startswith("md") or kind in ("part", "chapter", "section")) and len(line) <= 60:
            path = [line] if kind in ("md1", "part") else path[:1] + [line]
            current = None
            continue
        if current is not None and current.article:
            current.text += "\n" + line
        elif len(line) >= 12:
            units.append(Unit(len(units), "条文", line, " > ".join(path)))
    return units


def split_units(text: str, doc_type: str) -> list[Unit]:
    return reply_units(text) if doc_type == "reply" else policy_units(text)


def unit_body(text: str) -> str:
    """A unit's text without the source's own numbering (一是 / （一） / 4、)."""
    return LEADING_NUMBER.sub("", text.strip(), count=1).strip(" ，,、")
