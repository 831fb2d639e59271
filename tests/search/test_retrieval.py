"""Hybrid search with the real bundled model on the seed letters, on both index backends (the
embedded FTS5 + FAISS index and Milvus Lite, the same stored vectors migrated into it)."""

from __future__ import annotations

import pytest

from assistant.corpus.backends import match_expression
from assistant.errors import QueryError
from assistant.search.retrieval import query_tokens

from ..conftest import SEED_106, SEED_110, both_backends

pytestmark = [pytest.mark.model, both_backends]


def test_jargon_query_finds_both_letters(seed_assistant):
    response = seed_assistant.search("揭榜挂帅", k=5)
    top_two = {r.source for r in response.results[:2]}
    assert top_two == {str(SEED_110), str(SEED_106)}
    for result in response.results[:2]:
        assert "揭榜挂帅" in result.text
        assert set(result.retrievers) == {"bm25", "dense"}


def test_results_carry_what_callers_need(seed_assistant):
    result = seed_assistant.search("拨投联动", k=1).results[0]
    assert result.source == str(SEED_106)
    assert result.title.startswith("温科提复〔2024〕106号")
    assert result.doc_type == "reply"
    assert result.heading.startswith("二、下一步工作计划 > （二）")
    assert result.metadata["proposal_number"] == 74
    assert result.score > 0


def test_paraphrase_without_shared_jargon_is_found(seed_assistant):
    # dev-03: no word of the query names 拨投联动, yet the passage that does should rank high
    results = seed_assistant.search("新型研发机构的可持续财政支持方式", k=3).results
    assert any("拨投联动" in r.text for r in results)


def test_dense_alone_uses_meaning(seed_assistant):
    seed_assistant.settings.expansion_in_dense = False  # the model's own reading of the words
    results = seed_assistant.search("银行给科技企业放贷款", k=3, mode="dense", show_all=True).results
    assert any("贷款" in r.text or "授信" in r.text for r in results)


def test_type_filter(seed_assistant):
    assert seed_assistant.search("揭榜挂帅", doc_type="policy").results == []
    assert {r.doc_type for r in seed_assistant.search("揭榜挂帅", doc_type="reply").results} == {"reply"}


def test_empty_and_overlong_queries(seed_assistant):
    with pytest.raises(QueryError, match="不能为空"):
        seed_assistant.search("   \n")
    response = seed_assistant.search("科技创新" * 600, k=2)
    assert response.warnings and "2000" in response.warnings[0]
    assert response.query == ("科技创新" * 600)[:2000]


def test_fts_syntax_cannot_leak_from_queries(seed_assistant):
    expression = match_expression(query_tokens('揭榜挂帅" OR NEAR( AND*'))
    assert all(part.startswith('"') and part.endswith('"') for part in expression.split(" OR "))
    assert '"揭榜挂帅"' in expression
    results = seed_assistant.search('揭榜挂帅" OR NEAR( AND*', mode="bm25", show_all=True).results
    assert results and "揭榜挂帅" in results[0].text
    assert match_expression(query_tokens("，。？")) is None
    assert seed_assistant.search("，。？", mode="bm25").results == []


def test_langchain_retriever(seed_assistant):
    from langchain_core.retrievers import BaseRetriever

    retriever = seed_assistant.retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("双清零一提升")
    assert docs and docs[0].metadata["source"] == str(SEED_110)
    assert "双清零一提升" in docs[0].page_content
    assert {"title", "doc_type", "heading", "score", "retrievers", "chunk_id"} <= set(docs[0].metadata)
