"""The one coverage scorer: share of an ask's word weight a text bears out, IDF from any source."""

from __future__ import annotations

import pytest

from assistant.genre.coverage import ACTION_VERB_WEIGHT, Coverage, coverage, sentence_idf


def test_coverage_is_the_share_of_weight_present():
    weights = {"信贷": 3.0, "科技": 1.0}
    assert coverage(weights, {"信贷"}) == pytest.approx(0.75)
    assert coverage(weights, {"科技"}) == pytest.approx(0.25)
    assert coverage(weights, set()) == 0.0
    assert coverage({}, {"信贷"}) == 0.0
    # a text is matched by substring, as search matches a passage
    assert coverage(weights, "科技信贷产品") == pytest.approx(1.0)


def test_sentence_idf_weighs_rare_words_more():
    idf = sentence_idf([{"科技", "企业"}, {"科技", "信贷"}, {"科技", "人才"}])
    weights = idf(["科技", "信贷", "未见"])
    assert weights["信贷"] > weights["科技"]
    assert weights["未见"] > weights["信贷"]  # never seen: as rare as it gets
    assert sentence_idf([])(["科技"]) == {"科技": 1.0}  # nothing to count over: all words alike


def test_the_idf_source_is_pluggable_and_verbs_weigh_a_fraction():
    flat = lambda words: {w: 1.0 for w in words}  # noqa: E731
    ask = Coverage(["加强", "信贷"], flat, verb_weight=ACTION_VERB_WEIGHT)
    assert ask({"信贷"}) == pytest.approx(1 / (1 + ACTION_VERB_WEIGHT))
    assert ask({"加强"}) == pytest.approx(ACTION_VERB_WEIGHT / (1 + ACTION_VERB_WEIGHT))
    assert Coverage(["加强", "信贷"], flat)({"加强"}) == pytest.approx(0.5)  # no discount unless asked


def test_a_quoted_term_used_verbatim_earns_its_credit():
    ask = Coverage(["揭榜", "挂帅", "机制", "完善"], lambda ws: {w: 1.0 for w in ws}, terms=["揭榜挂帅"], term_credit=0.6)
    assert ask({"揭榜挂帅"}, "推行揭榜挂帅") == pytest.approx(0.6)
    assert ask({"揭榜", "挂帅", "机制"}, "揭榜挂帅机制") == pytest.approx(0.75)  # more than the credit: kept
    assert ask({"机制"}, "完善机制") == pytest.approx(0.25)
