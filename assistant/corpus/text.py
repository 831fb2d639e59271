"""Chinese word segmentation for the keyword index: jieba plus a dictionary of policy terms.

The dictionary has three layers: the packaged ``data/policy_terms.txt``, an optional user file
(``settings.terms_file``), and terms learned from the corpus itself (words in “” and 《》), which
the store keeps so every process segments the same way.

Each corpus segments with a ``Segmenter`` of its own (``Corpus.segmenter``): what one index learned
never changes how another, or a test after it, segments. The module's ``tokenize`` and
``content_words`` use the packaged dictionary alone and are never taught anything.
"""

from __future__ import annotations

import re
import threading
from importlib import resources
from pathlib import Path
from typing import Iterable

from ..genre.numerals import HAN

_BASE_LOCK = threading.Lock()
_base = None  # jieba with the packaged dictionary: built once, then only copied

QUOTED_TERM = re.compile(r"[“\"「]([^“”\"「」\n]{2,12})[”\"」]")
BOOK_TITLE = re.compile(r"《([^《》\n]{2,40})》")
_WORDLIKE = re.compile(rf"[{HAN}0-9A-Za-z]")
_TERM_OK = re.compile(rf"^[{HAN}0-9A-Za-z（）()\-—+·“”]+$")
# Function words that match nearly every chunk and only add noise to an OR query.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 为 对 把 被 将 从 以 之 其 这 那 有 也 都 而 并 等 等等 中 上 下 "
    "我 我们 你 您 他 她 它 关于 对于 如何 怎么 什么 哪些 情况 方面 问题 有关 相关 进行 一个".split()
)

# Words that say something should be done well, not what it is about: in a science bureau's corpus
# 服务、平台、机制、科技、企业 are in nearly every passage. Sharing only these proves nothing (the
# 科企通 paragraph says 一站式; a talent proposal's 一站式 housing services are not it), and a clause
# made of them (营造良好氛围) carries no subject of its own.
GENERIC_WORDS = frozenset(
    "一站式 服务 完善 平台 体系 机制 工作 建设 发展 政策 措施 制度 力度 水平 能力 环境 氛围 作用 效率 效能 质量 "
    "方面 领域 渠道 模式 方式 载体 资源 保障 举措 全市 我市 全省 各类 重点 重要 积极 进一步 持续 不断 有效 "
    "科技 创新 科技创新 企业 项目 服务体系 推广 对接 资金 市场 社会 管理 部门 单位 地方 政府 市级 全面 更多 加以 形成 "
    "给予 开展 组织 实现 推行 做好 注重 提供 一批 服务平台 工作机制 体制 合作 交流 统筹 良好 营造 建议 希望 "
    "加大 加强 加快 推动 推进 建立 健全 优化 强化 设立 出台 制定 支持 鼓励 引导 提升 拓展 构建 探索 落实 深化 "
    "扩大 降低 简化 提高 发挥 促进 实施 规范 "
    # how, not what: adverbs and prepositions of the genre's asks (大力发展科技保险 is about 保险)
    "大力 大力发展 切实 逐步 分别 全部 通过 根据 基于 一定 做到 打造 帮助 着力 努力 全力 适当 相关 有关 相应 常态 常态化".split()
)


def _packaged():
    """jieba's dictionary with the packaged policy terms (built once per process; never changed after)."""
    global _base
    with _BASE_LOCK:
        if _base is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            dict_file = resources.files("assistant") / "data" / "policy_terms.txt"
            with resources.as_file(dict_file) as path:
                tokenizer.load_userdict(str(path))
            _base = tokenizer
        return _base


class Segmenter:
    """The packaged dictionary, plus a user dictionary and the terms one corpus learned. Built by
    copying the packaged dictionary's word table (~10 ms, ~15 MB), not by reading jieba's again."""

    def __init__(self, user_dictionary: Path | None = None, terms: Iterable[str] = ()):
        import jieba

        base = _packaged()
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.FREQ = dict(base.FREQ)
        self._tokenizer.total = base.total
        self._tokenizer.user_word_tag_tab = dict(base.user_word_tag_tab)
        self._tokenizer.initialized = True
        self._known: set[str] = set()
        self._lock = threading.Lock()
        if user_dictionary is not None and Path(user_dictionary).is_file():
            self._tokenizer.load_userdict(str(user_dictionary))
        self.add_terms(terms)

    def add_terms(self, terms: Iterable[str]) -> list[str]:
        """Teach this segmenter new terms; returns those it did not know before."""
        new = []
        with self._lock:
            for term in terms:
                if term not in self._known:
                    self._known.add(term)
                    self._tokenizer.add_word(term, freq=max(self._tokenizer.suggest_freq(term, tune=False), 20))
                    new.append(term)
        return new

    def tokenize(self, text: str) -> list[str]:
        """Search-engine segmentation (long words plus their known sub-words), stopwords dropped."""
        return _words(self._tokenizer.cut_for_search(text))

    def content_words(self, text: str) -> list[str]:
        """The text's words in order (precise segmentation, no overlapping sub-words), stopwords dropped."""
        return _words(self._tokenizer.lcut(text))


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
    """``Segmenter.tokenize`` with the packaged dictionary alone (no corpus at hand)."""
    return _words(_packaged().cut_for_search(text))


def segment(text: str) -> list[str]:
    """The text cut into words in order, nothing dropped (where a line may break: between words)."""
    return list(_packaged().lcut(text or ""))


def content_words(text: str) -> list[str]:
    """``Segmenter.content_words`` with the packaged dictionary alone."""
    return _words(_packaged().lcut(text))


# ... and the parts search segmentation cuts out of them (一站 of 一站式): as generic as the whole.
_GENERIC_PARTS = GENERIC_WORDS | {w[i:j] for w in GENERIC_WORDS for i in range(len(w)) for j in range(i + 2, len(w) + 1)}


def is_generic(word: str) -> bool:
    """A generic word, a part of one, or generic words run together (服务水平, 平台建设)."""
    if word in _GENERIC_PARTS:
        return True
    return any(word[:cut] in GENERIC_WORDS and is_generic(word[cut:]) for cut in range(2, len(word) - 1))


def specific_words(words: Iterable[str]) -> list[str]:
    """The words that say what a text is about: two characters or more, not generic."""
    return [w for w in words if len(w) > 1 and not is_generic(w)]
