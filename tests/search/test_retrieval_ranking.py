"""Ranking features of the hybrid search on tiny hand-made corpora (hashing embedder, fast)."""

from __future__ import annotations

from contextlib import closing

from assistant.corpus.ingest import run_all
from assistant.search.retrieval import Retriever, proximity, proximity_patterns
from assistant.service import Assistant

from ..conftest import both_backends


def test_proximity_counts_adjacent_query_word_pairs():
    patterns = proximity_patterns("民间融资风险的监测和处置", window=2)
    assert len(patterns) == 3  # 民间融资→风险, 风险→监测, 监测→处置 (的/和 are stopwords)
    assert proximity(patterns, "收集民间融资信息，对民间融资进行风险监测、评估") == 2 / 3
    assert proximity(patterns, "监测民间融资，发现风险隐患的，依法处置") == 0
    assert proximity(proximity_patterns("揭榜挂帅", window=2), "揭榜挂帅") == 0  # one word: no pairs


def write(directory, name, body):
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(body, encoding="utf-8")


def top_scores(settings, query, **overrides) -> dict[str, float]:
    """File name → score, best first, on the same index with some settings changed."""
    with closing(Assistant(settings.model_copy(update=overrides))) as other:
        return {r.source.rsplit("/", 1)[-1]: r.score for r in other.search(query, k=5, show_all=True).results}


def test_adjacent_words_outrank_the_same_words_scattered(assistant, tmp_path):
    docs = tmp_path / "docs"
    # the same words, once as the phrase 风险监测 and once far apart
    write(docs, "a.md", "# 甲办法\n\n第一条 建立民间融资风险监测制度，定期发布评估报告，相关部门配合。\n")
    write(docs, "b.md", "# 乙办法\n\n第一条 建立民间融资监测制度，定期发布评估报告，相关部门配合风险。\n")
    assert not run_all(assistant.ingest([docs])).errors
    keyword_only = {"dense_alpha": 0.0}
    plain = top_scores(assistant.settings, "风险监测", proximity_weight=0.0, **keyword_only)
    assert abs(plain["a.md"] - plain["b.md"]) < 0.05  # BM25 alone: a near tie
    boosted = top_scores(assistant.settings, "风险监测", **keyword_only)
    assert list(boosted) == ["a.md", "b.md"]
    assert boosted["a.md"] - boosted["b.md"] > 0.1


def test_heading_words_count_in_keyword_search(assistant, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "c.md", "# 丙规定\n\n## 创新券管理\n\n按照规定使用。\n\n## 其他事项\n\n按照规定办理创新券。\n")
    assert not run_all(assistant.ingest([docs])).errors
    results = assistant.search("创新券管理", k=2, mode="bm25").results
    assert results[0].heading.endswith("创新券管理")


def test_words_in_half_the_chunks_or_more_are_left_out_of_the_keyword_query(assistant, tmp_path):
    docs = tmp_path / "docs"
    for number, topic in enumerate(["电梯", "锅炉", "游乐设施", "压力容器"]):
        write(docs, f"d{number}.md", f"# 第{number}号办法\n\n第一条 本办法规定{topic}的安全管理。\n")
    assert not run_all(assistant.ingest([docs])).errors
    # 管理 is in every chunk: BM25 gives it no weight, so it only widens the match
    results = assistant.search("电梯管理", k=10, mode="bm25").results
    assert [r.source.rsplit("/", 1)[-1] for r in results] == ["d0.md"]
    # a query of nothing but such words still finds them
    assert len(assistant.search("安全管理", k=10, mode="bm25").results) == 4


def test_dense_weighs_more_when_keywords_match_only_common_words(assistant, tmp_path):
    from assistant.search.retrieval import Retriever

    docs = tmp_path / "docs"
    write(docs, "e.md", "# 甲条例\n\n第一条 建立科技特派员制度，服务农业生产。\n")
    write(docs, "f.md", "# 乙条例\n\n第一条 鼓励科技人员开展技术服务。\n")
    write(docs, "g.md", "# 丙条例\n\n第一条 加强旅游景区管理。\n")
    assert not run_all(assistant.ingest([docs])).errors
    assistant.settings.clause_share = 0.0  # the whole sentence's fusion alone (clauses: tests/search/test_clauses.py)
    retriever = Retriever(assistant.corpus)

    def weak(query: str) -> bool:
        hits = retriever.keyword(query, 10)
        rows = assistant.corpus.store.get_chunks([i for i, _ in hits])
        return retriever.keywords_are_weak(query, [], [i for i, _ in hits], rows)

    # 科技特派员 制度 is borne out by e.md; the long query shares only 科技人员 / 技术服务 with f.md
    assert not weak("科技特派员制度")
    assert weak("建议安排更多科技人员深入山区，围绕茶叶中药材特色产业开展技术指导服务")
    assert not weak("旅游景区")
    query = "建议安排更多科技人员深入山区，围绕茶叶中药材特色产业开展技术指导服务"
    leaning = top_scores(assistant.settings, query, proximity_weight=0.0)
    level = top_scores(assistant.settings, query, proximity_weight=0.0, dense_alpha_weak_keywords=Retriever(assistant.corpus).dense_alpha)
    # the weak case fuses exactly as convex fusion at dense_alpha_weak_keywords would, not at the model's α …
    lean = assistant.settings.dense_alpha_weak_keywords
    assert leaning == top_scores(assistant.settings, query, proximity_weight=0.0, dense_alpha=lean, dense_alpha_weak_keywords=lean)
    assert leaning != level
    fixed = Retriever(assistant.corpus, lean_on_dense=False).search(query, k=5).results  # (drafting's)
    assert {r.source.rsplit("/", 1)[-1]: r.score for r in fixed} == top_scores(
        assistant.settings, query, dense_alpha_weak_keywords=Retriever(assistant.corpus).dense_alpha
    )
    # … a query whose keyword hits bear it out never does
    strong = top_scores(assistant.settings, "科技特派员制度", proximity_weight=0.0)
    assert strong == top_scores(assistant.settings, "科技特派员制度", proximity_weight=0.0, dense_alpha_weak_keywords=1.0)


@both_backends
def test_weak_keywords_are_judged_on_the_hits_the_filters_keep(assistant, tmp_path):
    """A year filter that leaves only weak keyword hits leans on dense on either backend (the
    embedded one applies the year after the engine: it must not judge by hits it then drops)."""
    docs = tmp_path / "docs"
    query = "科技特派员服务茶叶产业"
    write(docs, "甲条例(2015-01-01).md", "# 甲条例\n\n第一条 科技特派员服务茶叶产业，开展技术指导。\n")
    write(docs, "乙条例(2023-01-01).md", "# 乙条例\n\n第一条 加强乡村道路养护，服务产业发展。\n")
    assert not run_all(assistant.ingest([docs])).errors

    def scores(**overrides):
        with closing(Assistant(assistant.settings.model_copy(update={"proximity_weight": 0.0, **overrides}))) as other:
            return [r.score for r in other.search(query, k=5, year_from=2020, show_all=True).results]

    lean = assistant.settings.dense_alpha_weak_keywords
    # the one hit the year keeps (乙, weak words only) is fused at the leaning α, exactly
    assert scores() and scores() == scores(dense_alpha=lean, dense_alpha_weak_keywords=lean)
    assert scores() != scores(dense_alpha_weak_keywords=Retriever(assistant.corpus).dense_alpha)


def test_drafting_keeps_fixed_fusion_weights(assistant, tmp_path, monkeypatch):
    from assistant.search.retrieval import Retriever

    docs = tmp_path / "docs"
    write(docs, "e.md", "# 甲条例\n\n第一条 建立科技特派员制度，服务农业生产。\n")
    write(docs, "f.md", "# 乙条例\n\n第一条 鼓励科技人员开展技术服务，服务山区产业。\n")
    write(docs, "g.md", "# 丙条例\n\n第一条 发展茶叶产业，扶持山区茶农。\n")
    assert not run_all(assistant.ingest([docs])).errors
    monkeypatch.setattr(Retriever, "keywords_are_weak", lambda self, *args: True)  # every query's keywords weak
    query = "选派科技特派员服务山区茶叶产业"
    lean = assistant.settings.dense_alpha_weak_keywords
    fixed_alpha = Retriever(assistant.corpus).dense_alpha
    assert fixed_alpha != lean
    searched = {r.chunk_id: r.score for r in assistant.search(query, k=3, show_all=True).results}
    drafting = Retriever(assistant.corpus)
    drafting.lean_on_dense = False  # what the Drafter sets on its retriever
    drafted = {r.chunk_id: r.score for r in drafting.search(query, k=3, show_all=True).results}
    # search leans on meaning when keywords are weak; drafting's scores are the fixed fusion's
    assert searched == {r.chunk_id: r.score for r in Retriever(assistant.corpus).search(query, k=3, show_all=True).results}
    with closing(Assistant(assistant.settings.model_copy(update={"dense_alpha": fixed_alpha}))) as fixed:
        fixed_retriever = Retriever(fixed.corpus, lean_on_dense=False)
        assert drafted == {r.chunk_id: r.score for r in fixed_retriever.search(query, k=3, show_all=True).results}
    with closing(Assistant(assistant.settings.model_copy(update={"dense_alpha": lean}))) as leaning:
        assert searched == {r.chunk_id: r.score for r in Retriever(leaning.corpus, lean_on_dense=False).search(query, k=3, show_all=True).results}
    assert drafted != searched
    from assistant.letter.compose import Drafter

    assert Drafter(Retriever(assistant.corpus), assistant.settings).retriever.lean_on_dense is False


@both_backends
def test_searches_while_an_ingest_starts_new_generations(assistant, tmp_path):
    import threading

    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    assert not run_all(assistant.ingest([docs])).errors
    errors: list[BaseException] = []
    done = threading.Event()

    def search_until_done() -> None:
        try:
            n = 0
            while not done.is_set():  # known words plus one never seen: part cached, part looked up
                n += 1
                assistant.search(f"揭榜挂帅机制的科技金融服务 项目{n}", k=3)
        except BaseException as exc:  # noqa: BLE001 - any failure in the thread fails the test
            errors.append(exc)

    searchers = [threading.Thread(target=search_until_done) for _ in range(3)]
    for thread in searchers:
        thread.start()
    for n in range(80):  # every ingest is a new generation: the IDF cache starts over under the searchers
        write(docs, f"new{n}.md", f"# 第{n}号办法\n\n第一条 揭榜挂帅项目{n}，科技金融服务{n}。\n")
        assert not run_all(assistant.ingest([docs])).errors
    done.set()
    for thread in searchers:
        thread.join()
    assert errors == []
    assert len(assistant.search("揭榜挂帅", k=100, mode="bm25").results) == 81
