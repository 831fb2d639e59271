"""Sentences and clauses of Chinese text: where a sentence ends (。！？；, closing quotes kept with it)."""

from __future__ import annotations

import re

SENTENCE_ENDS = "。！？；"
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])(?![”’」』）)\"'])|(?<=[。！？；!?;][”’」』）)\"'])")
# A sentence as a match (its end mark kept): for scanning a paragraph sentence by sentence.
SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with its end mark (and a closing quote after it)."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]
