"""The one word-coverage scorer: how much of an ask a text bears out.

Search's relevance floor (does this passage bear out the query?), drafting's relevance (does this
unit answer the suggestion?) and review's topic test (does this promise answer one of the
suggestions?) all ask the same thing: the share of the ask's word weight the text contains. A word
weighs its IDF — from whichever source the caller has (the index's keyword table, the sentences
of the earlier replies): ``IdfSource`` — and an action verb (加强、完善) only a fraction, since an
ask's object says what it is about. A policy term the ask names (揭榜挂帅), used verbatim by the
text, earns ``term_credit`` at least."""

from __future__ import annotations

import math
from typing import Callable, Collection, Container, Iterable, Mapping

from .patterns import ACTION_VERBS

# words → their IDF weights (words the source has never seen may be left out or weigh a default)
IdfSource = Callable[[Iterable[str]], Mapping[str, float]]
ACTION_VERB_WEIGHT = 0.2
# what a suggestion's quoted term (patterns.ASKED_TERM), used verbatim, earns in drafting and review
ASKED_TERM_CREDIT = 0.6


def coverage(weights: Mapping[str, float], present: Container[str]) -> float:
    """The share of ``weights`` whose words are ``in present`` (a set of words, or a text: substrings)."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


def verb_discounted(weights: Mapping[str, float], verb_weight: float = ACTION_VERB_WEIGHT) -> dict[str, float]:
    """The weights with action verbs scaled by ``verb_weight``."""
    return {t: w * (verb_weight if t in ACTION_VERBS else 1.0) for t, w in weights.items()}


def sentence_idf(sentences: Collection[Collection[str]]) -> IdfSource:
    """IDF over a handful of texts (each a collection of its words): log(1 + n / (1 + df))."""
    total = len(sentences)

    def idf(words: Iterable[str]) -> dict[str, float]:
        return {w: math.log(1 + total / (1 + sum(1 for s in sentences if w in s))) if total else 1.0 for w in words}

    return idf


class Coverage:
    """The coverage of one ask: ``words`` weighed by ``idf`` (verbs discounted when
    ``verb_weight`` is given), ``terms`` that count ``term_credit`` when the text uses one."""

    def __init__(self, words: Iterable[str], idf: IdfSource, terms: Iterable[str] = (), term_credit: float = 0.0, verb_weight: float | None = None):
        weights = dict(idf(list(dict.fromkeys(words))))
        self.weights = verb_discounted(weights, verb_weight) if verb_weight is not None else weights
        self.terms = [t for t in terms if t]
        self.term_credit = term_credit

    def uses_term(self, text: str) -> bool:
        return any(term in text for term in self.terms)

    def __call__(self, present: Container[str], text: str | None = None) -> float:
        """``present``: the text's words (or the text itself, matched by substring); ``text``:
        where terms are looked for (``present`` when it is the text)."""
        score = coverage(self.weights, present)
        where = text if text is not None else present
        if self.terms and isinstance(where, str) and self.uses_term(where):
            score = max(score, self.term_credit)
        return score
