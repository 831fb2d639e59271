"""A whole suggestion sentence is searched clause by clause too: the clause naming the subject
decides, the clauses of generic policy words (营造良好氛围、提升服务水平) weigh nothing."""

from __future__ import annotations

from assistant.corpus.ingest import run_all
from assistant.search.retrieval import Retriever

SUBJECT = "第十条 科研人员承担探索性强、风险高的科研项目，已经履行勤勉尽责义务仍未完成的，予以免责，不影响其再次申报。"
# Passages that share the suggestion's generic words many times over, and its subject not at all.
GENERIC = [
    "第三条 营造良好的创新氛围，提升服务水平，完善平台服务机制，加强人才队伍建设，提升服务质量和服务水平。",
    "第五条 完善服务机制，营造良好氛围，加强平台建设和队伍建设，提升人才服务水平，优化服务平台。",
    "第七条 加强人才队伍建设，完善人才服务机制，营造尊重人才的良好氛围，提升平台服务能力和水平。",
]
SUGGESTION = "建议对科研人员建立容错免责机制，营造良好的创新氛围，提升服务水平，完善平台服务机制，加强人才队伍建设。"


def _ingest(assistant, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "科研项目管理办法.md").write_text(f"# 科研项目管理办法\n\n{SUBJECT}\n", encoding="utf-8")
    for number, text in enumerate(GENERIC):
        (folder / f"服务规定{number}.md").write_text(f"# 服务规定{number}\n\n{text}\n", encoding="utf-8")
    report = run_all(assistant.ingest([folder]))
    assert report.added == 4 and not report.errors


def test_clauses_weigh_by_their_specific_words(assistant, tmp_path):
    _ingest(assistant, tmp_path)
    retriever = Retriever(assistant.corpus)
    weights = dict(retriever.clause_weights(SUGGESTION))
    assert max(weights, key=weights.get).startswith("建议对科研人员建立容错免责机制")
    assert "提升服务水平" not in weights  # generic words alone: no weight, not searched
    assert abs(sum(weights.values()) - 1) < 1e-9
    assert retriever.clause_weights("揭榜挂帅") == []  # a short query is searched whole


def test_the_subject_clause_decides_the_ranking(assistant, tmp_path):
    _ingest(assistant, tmp_path)
    assert assistant.search(SUGGESTION, k=1, mode="hybrid").results[0].text.startswith(SUBJECT[:10])
    # the whole sentence alone: the subject passage bears out too few of its words, falls under the
    # relevance floor, and the generic passages are what the 承办人 sees
    assistant.settings.clause_share = 0.0
    assert not assistant.search(SUGGESTION, k=1, mode="hybrid").results[0].text.startswith(SUBJECT[:10])
