"""Meaning at the unit level: a passage holding several articles is found by the one that fits.

A topic embedder (tests/topics.py: one axis per topic) makes the cosines exact: a chunk of three articles on
three topics sits at 1/√3 from a one-topic query, its matching article at 1."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np
import pytest

from assistant.corpus.ingest import run_all
from assistant.search.retrieval import Retriever
from assistant.service import Assistant

from ..conftest import both_backends
from ..topics import TopicEmbedder


def write_regulations(directory):
    directory.mkdir(exist_ok=True)
    # one passage, three articles on three topics
    (directory / "a.md").write_text("# 甲条例\n\n第一条 支持科普场馆建设。\n\n第二条 规范道路交通秩序。\n\n第三条 加强河道环境治理。\n", encoding="utf-8")
    # one passage, one article on two topics: closer to 科普 as a whole than a.md's passage
    (directory / "b.md").write_text("# 乙条例\n\n第一条 结合科普宣传改善交通出行。\n", encoding="utf-8")


def dense_order(settings, query, **overrides) -> list[str]:
    with closing(Assistant(settings.model_copy(update=overrides), TopicEmbedder())) as assistant:
        return [r.source.rsplit("/", 1)[-1] for r in assistant.search(query, k=5, mode="dense").results]


@both_backends
def test_a_passage_is_found_by_its_closest_article(settings, tmp_path):
    write_regulations(tmp_path / "docs")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([tmp_path / "docs"])).errors
    assert dense_order(settings, "科普", unit_dense_weight=0.0) == ["b.md", "a.md"]  # 1/√2 beats 1/√3
    assert dense_order(settings, "科普") == ["a.md", "b.md"]  # its first article means exactly 科普
    # the fusion reads the same blend for a passage only BM25 found (not among the dense hits)
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        retriever = Retriever(assistant.corpus)
        meaning = retriever.meaning(retriever.query_vector("科普"))
        a, b = chunk_of(assistant, "a.md"), chunk_of(assistant, "b.md")
        assert meaning.of([a])[a] == pytest.approx(0.5 * 3**-0.5 + 0.5 * 1.0, abs=0.01)
        fused = retriever._convex(meaning, {"bm25": [(a, 1.0), (b, 1.0)], "dense": [(b, 2**-0.5)]}, alpha=1.0)
        assert fused[a] > fused[b]  # a.md's blended 0.79 beats b.md's 0.71; its own 0.58 would not


def chunk_of(assistant, name: str) -> int:
    [(chunk_id,)] = assistant.corpus.store._query("SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.source LIKE ?", (f"%{name}",))
    return chunk_id


def test_dense_search_of_an_index_without_vectors_finds_nothing_and_fails_nothing(assistant):
    assert assistant.search("科普", mode="dense").results == []


def test_reindex_with_embedding_recomputes_the_articles_too_and_counts_them(settings, tmp_path):
    write_regulations(tmp_path / "docs")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([tmp_path / "docs"])).errors
        store = assistant.corpus.store
        with store.transaction() as db:
            db.execute("UPDATE units SET vector = zeroblob(length(vector)) WHERE vector IS NOT NULL")
        progress = list(assistant.corpus.reindex(re_embed=True))
        assert progress[-1] == (2 + 4, 2 + 4)  # two passages, four articles
        rows = store.unit_vectors_of_chunks(store.chunk_ids(), TopicEmbedder.dim)
        assert all(np.allclose(np.linalg.norm(vectors, axis=1), 1) for vectors in rows.values())


def test_every_article_carries_its_own_vector(settings, tmp_path):
    write_regulations(tmp_path / "docs")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([tmp_path / "docs"])).errors
    with closing(sqlite3.connect(settings.db_path)) as db:
        rows = db.execute("SELECT role, vector IS NOT NULL FROM units").fetchall()
    assert [r for r in rows if r[0] == "条文"] == [("条文", 1)] * 4


def test_articles_gain_vectors_when_turned_on_without_re_embedding_their_passages(settings, tmp_path):
    """As for an index made before articles had vectors: the next ingest re-derives its files."""
    write_regulations(tmp_path / "docs")
    with closing(Assistant(settings.model_copy(update={"embed_articles": False}), TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([tmp_path / "docs"])).errors
        assert not assistant.corpus.store.unit_vectors_of_chunks(assistant.corpus.store.chunk_ids(), TopicEmbedder.dim)
    embedder = TopicEmbedder()
    with closing(Assistant(settings, embedder)) as assistant:
        report = run_all(assistant.ingest([tmp_path / "docs"]))
        assert not report.errors
        by_chunk = assistant.corpus.store.unit_vectors_of_chunks(assistant.corpus.store.chunk_ids(), TopicEmbedder.dim)
        assert sorted(len(rows) for rows in by_chunk.values()) == [1, 3]  # the next ingest re-derives both files
    assert sorted(text.splitlines()[-1] for text in embedder.seen) == [  # the articles alone; passages' vectors reused
        "第一条 支持科普场馆建设。",
        "第一条 结合科普宣传改善交通出行。",
        "第三条 加强河道环境治理。",
        "第二条 规范道路交通秩序。",
    ]
