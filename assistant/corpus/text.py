"""Chinese word segmentation for the keyword index: jieba plus a dictionary of policy terms.

The dictionary has three layers: the packaged ``data/policy_terms.txt``, an optional user file
(``settings.terms_file``), and terms learned from the corpus itself (words in “” and 《》), which
the store keeps so every process segments the same way.
"""

from __future__ import annotations

import re
import threading
from importlib import resources
from pathlib import Path
from typing import Iterable

_LOCK = threading.Lock()
_tokenizer = None
_loaded_terms: set[str] = set()

QUOTED_TERM = re.compile(r"[“\"「]([^“”\"「」\n]{2,12})[”\"」]")
BOOK_TITLE = re.compile(r"《([^《》\n]{2,40})》")
_WORDLIKE = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_TERM_OK = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z（）()\-—+·“”]+$")
# Function words that match nearly every chunk and only add noise to an OR query.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 为 对 把 被 将 从 以 之 其 这 那 有 也 都 而 并 等 等等 中 上 下 "
    "我 我们 你 您 他 她 它 关于 对于 如何 怎么 什么 哪些 情况 方面 问题 有关 相关 进行 一个".split()
)


def _get():
    """The shared jieba tokenizer with the packaged dictionary (built once per process)."""
    global _tokenizer
    with _LOCK:
        if _tokenizer is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            dict_file = resources.files("assistant") / "data" / "policy_terms.txt"
            with resources.as_file(dict_file) as path:
                tokenizer.load_userdict(str(path))
            _tokenizer = tokenizer
        return _tokenizer


def load_user_dictionary(path: Path | None) -> None:
    if path is not None and Path(path).is_file():
        _get().load_userdict(str(path))


def add_terms(terms: Iterable[str]) -> list[str]:
    """Teach the tokenizer new terms; returns those it did not know before."""
    tokenizer = _get()
    new = []
    with _LOCK:
        for term in terms:
            if term not in _loaded_terms:
                _loaded_terms.add(term)
                tokenizer.add_word(term, freq=max(tokenizer.suggest_freq(term, tune=False), 20))
                new.append(term)
    return new


def learn_terms(text: str) -> set[str]:
    """Candidate policy terms of a text: short phrases in “” and titles in 《》."""
    found = set()
    for pattern in (QUOTED_TERM, BOOK_TITLE):
        for match in pattern.finditer(text):
            term = match.group(1).strip()
            if 2 < len(term) and _TERM_OK.match(term) and not term.isdigit():
                found.add(term)
    return found


def _words(pieces: Iterable[str]) -> list[str]:
    return [token for token in (t.strip().lower() for t in pieces) if token and token not in STOPWORDS and _WORDLIKE.search(token)]


def tokenize(text: str) -> list[str]:
    """Search-engine segmentation (long words plus their known sub-words), stopwords dropped."""
    return _words(_get().cut_for_search(text))


def content_words(text: str) -> list[str]:
    """The text's words in order (precise segmentation, no overlapping sub-words), stopwords dropped."""
    return _words(_get().lcut(text))
