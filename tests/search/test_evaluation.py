"""Splitting an eval set by whether its queries ask for passages a tuning set already names."""

from __future__ import annotations

from assistant.search.evaluation import EvalQuery, passages_named, split_by_seen

PASSAGES = [
    (1, "corpus/温科提复〔2024〕110号.txt", "累计建设市级以上企业研发机构 2365 家"),
    (2, "corpus/浙江省技术市场条例(2021-09-30).md", "第十五条 本省实行技术合同认定登记制度。"),
    (3, "corpus/浙江省专利条例(2015-09-25).md", "第十九条 有关单位在评定专业技术职称时，可以将专利作为评定依据之一。"),
]


def ask(qid: str, source: str, text: str) -> EvalQuery:
    return EvalQuery(qid, "q", [{"source_contains": source, "text_contains": text}])


def test_queries_are_split_by_the_passages_their_labels_name():
    tuned = [ask("t1", "110号", "企业研发机构2365家")]  # whitespace ignored, as when judging results
    seen = {i for ids in passages_named(PASSAGES, tuned).values() for i in ids}
    assert seen == {1}
    queries = [ask("a", "110号", "研发机构 2365"), ask("b", "技术市场条例", "技术合同认定登记"), ask("c", "专利条例", "没有这句话")]
    named = passages_named(PASSAGES, queries)
    assert named == {"a": {1}, "b": {2}, "c": set()}
    groups = split_by_seen(queries, named, seen)
    assert [q.id for q in groups["seen"]] == ["a"] and [q.id for q in groups["novel"]] == ["b"]
    assert [q.id for q in groups["unmatched"]] == ["c"]  # its label names nothing the index holds
