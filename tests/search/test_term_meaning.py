"""The thesaurus by meaning: the entry closest to a query that words none of its cues adds its term."""

from __future__ import annotations

from contextlib import closing

import numpy as np
import pytest

from assistant.corpus import embeddings
from assistant.corpus.embeddings import ModelTuning
from assistant.corpus.ingest import run_all
from assistant.search import term_meaning
from assistant.search.term_meaning import TermMeaning, description
from assistant.search.thesaurus import Entry
from assistant.service import Assistant

from ..topics import TopicEmbedder

ENTRIES = (Entry("揭榜挂帅", (("张榜", "招标", "攻关"), ("悬赏", "攻关"))), Entry("河长制", (("河道", "治理"),)))


def test_an_entry_is_read_as_its_term_and_cue_phrases():
    assert description(ENTRIES[0]) == "揭榜挂帅：张榜招标攻关；悬赏攻关"


def test_the_closest_entry_counts_only_above_the_threshold_and_when_the_query_lacks_its_term(tmp_path):
    embedder = TopicEmbedder()
    meaning = TermMeaning.load(tmp_path, "topics:test", ENTRIES, embedder.embed)
    river = embedder.embed_query("河道谁来管")
    assert meaning.nearest(river, 0.9) == "河长制"
    assert meaning.nearest(river, 1.01) is None
    assert meaning.nearest(river, 0.9, exclude="推行河长制") is None
    assert meaning.nearest(np.ones(3, dtype=np.float32), 0.0) is None  # a vector of another model's size


def test_vectors_are_embedded_once_per_model_and_thesaurus_and_kept_on_disk(tmp_path, monkeypatch):
    embedder = TopicEmbedder()
    TermMeaning.load(tmp_path, "topics:test", ENTRIES, embedder.embed)
    assert len(embedder.seen) == 2 and len(list(tmp_path.glob("terms-*.npy"))) == 1
    monkeypatch.setattr(term_meaning, "_LOADED", {})  # a new process
    again = TopicEmbedder()
    TermMeaning.load(tmp_path, "topics:test", ENTRIES, again.embed)
    assert again.seen == []
    TermMeaning.load(tmp_path, "topics:test", ENTRIES[:1], again.embed)  # another thesaurus: its own file
    assert len(again.seen) == 1 and len(list(tmp_path.glob("terms-*.npy"))) == 2


@pytest.fixture
def calibrated(monkeypatch):
    monkeypatch.setitem(embeddings.MODEL_TUNING, "topics:test", ModelTuning(0.5, None, 0.9))


def test_a_query_meaning_a_programme_it_does_not_name_searches_its_term(settings, tmp_path, calibrated):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "浙江省河长制规定.md").write_text("# 浙江省河长制规定\n\n第五条 全面推行河长制，落实属地责任。\n", encoding="utf-8")
    (docs / "杭州市科普条例.md").write_text("# 杭州市科普条例\n\n第五条 河道沿线设立科普宣传栏。\n", encoding="utf-8")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([docs])).errors
        # 河道 alone is none of 河长制's cues (河长 | 河道 治理 | 河道 污染 | 河道 保洁 …): only meaning finds it
        response = assistant.search("河道谁来管", k=2)
        assert "河长制" in response.expansions
        assert response.results[0].source.endswith("浙江省河长制规定.md")
        assert "河长制" not in assistant.search("河道谁来管", k=2, mode="bm25").expansions  # words alone
    off = settings.model_copy(update={"meaning_terms": False})
    with closing(Assistant(off, TopicEmbedder())) as assistant:
        assert "河长制" not in assistant.search("河道谁来管", k=2).expansions


def test_hubness_is_the_mean_cosine_to_the_closest_entries(tmp_path):
    embedder = TopicEmbedder()
    meaning = TermMeaning.load(tmp_path, "topics:test", ENTRIES, embedder.embed)
    river = embedder.embed_query("河道谁来管")
    cosines = sorted(meaning.matrix @ river)
    assert meaning.hubness(river, k=1) == pytest.approx(cosines[-1])
    assert meaning.hubness(river, k=2) == pytest.approx((cosines[-1] + cosines[-2]) / 2)
    assert meaning.hubness(river, k=3) is None  # fewer entries than neighbours asked for
    assert meaning.hubness(np.ones(3, dtype=np.float32), k=1) is None  # a vector of another model's size
