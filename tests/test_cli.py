"""The reply-assistant command: exit codes, --json shape, eval."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app

from .conftest import CORPUS, ROOT, SEED_106, SEED_110

runner = CliRunner()


@pytest.fixture
def hash_env(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))  # the audit log of CLI changes
    return ["--index", str(tmp_path / "index")]


def test_ingest_search_json_shape(hash_env):
    result = runner.invoke(app, ["ingest", str(CORPUS), *hash_env])
    assert result.exit_code == 0, result.output
    assert "新增 2" in result.output
    result = runner.invoke(app, ["search", "揭榜挂帅", "--json", "--k", "3", *hash_env])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert set(payload) >= {"query", "results"} and payload["query"] == "揭榜挂帅"
    assert 0 < len(payload["results"]) <= 3
    for item in payload["results"]:
        assert isinstance(item["source"], str) and isinstance(item["title"], str)
        assert item["doc_type"] in ("reply", "policy")
        assert isinstance(item["text"], str) and isinstance(item["score"], float)
        assert set(item["retrievers"]) <= {"bm25", "dense"}
    assert {item["source"] for item in payload["results"]} == {str(SEED_110), str(SEED_106)}


def test_empty_query_exits_2(hash_env):
    result = runner.invoke(app, ["search", "  ", *hash_env])
    assert result.exit_code == 2
    assert "检索词不能为空" in result.output and "empty" in result.output


def test_ingest_exit_code_1_when_a_file_fails(hash_env, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(CORPUS), str(bad), *hash_env])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "失败 1" in result.output


def test_remove_and_check(hash_env):
    runner.invoke(app, ["ingest", str(CORPUS), *hash_env])
    result = runner.invoke(app, ["remove", str(SEED_106), "--yes", *hash_env])
    assert result.exit_code == 0
    assert runner.invoke(app, ["remove", str(SEED_106), "--yes", *hash_env]).exit_code == 1
    assert runner.invoke(app, ["check", *hash_env]).exit_code == 0
    stats = runner.invoke(app, ["stats", *hash_env]).output
    assert "documents: 1" in stats


def test_remove_of_a_folder_lists_its_files_then_asks(hash_env):
    runner.invoke(app, ["ingest", str(CORPUS), *hash_env])
    result = runner.invoke(app, ["remove", str(CORPUS), *hash_env], input="n\n")
    assert result.exit_code == 1 and "nothing removed" in result.output
    listing = result.output.split("确认删除")[0]  # both files are named before the question
    assert "2 个文件" in listing and str(SEED_110) in listing and str(SEED_106) in listing
    assert "documents: 2" in runner.invoke(app, ["stats", *hash_env]).output
    result = runner.invoke(app, ["remove", str(CORPUS), *hash_env], input="y\n")
    assert result.exit_code == 0 and result.output.count("已删除 removed") == 2
    assert "documents: 0" in runner.invoke(app, ["stats", *hash_env]).output


def test_remove_yes_skips_the_question(hash_env):
    runner.invoke(app, ["ingest", str(CORPUS), *hash_env])
    result = runner.invoke(app, ["remove", str(CORPUS), "--yes", *hash_env])  # no input: it must not ask
    assert result.exit_code == 0 and "确认删除" not in result.output and str(SEED_106) in result.output
    assert "documents: 0" in runner.invoke(app, ["stats", *hash_env]).output


def test_add_user_with_admin_and_groups(tmp_path):
    from assistant.users import load_roles, load_users

    users = tmp_path / "users.json"
    result = runner.invoke(
        app, ["add-user", "张三", "--users-file", str(users), "--admin", "--group", "综合科", "--group", "法规科"], input="long-password\nlong-password\n"
    )
    assert result.exit_code == 0, result.output
    runner.invoke(app, ["add-user", "李四", "--users-file", str(users), "--group", "综合科"], input="long-password\nlong-password\n")
    assert set(load_users(users)) == {"张三", "李四"}
    assert load_roles(users) == ({"张三"}, {"综合科": {"张三", "李四"}, "法规科": {"张三"}})
    assert oct(users.stat().st_mode & 0o777) == "0o600"


def test_eval_command_reports_each_mode(hash_env, tmp_path):
    runner.invoke(app, ["ingest", str(CORPUS), *hash_env])
    eval_file = tmp_path / "eval.jsonl"
    eval_file.write_text(
        "\n".join(
            json.dumps(q, ensure_ascii=False)
            for q in [
                {"id": "a", "query": "揭榜挂帅", "relevant": [{"source_contains": "106号", "text_contains": "揭榜 挂帅"}]},
                {"id": "b", "query": "拨投联动", "relevant": [{"source_contains": "106号", "text_contains": "拨投联动"}]},
                {"id": "c", "query": "揭榜挂帅", "relevant": [{"source_contains": "nowhere", "text_contains": "x"}]},
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", str(eval_file), "--json", *hash_env])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["modes"]) == {"hybrid", "bm25", "dense"}
    bm25 = report["modes"]["bm25"]
    assert bm25["success@5"] == pytest.approx(2 / 3)
    assert [row["rank"] for row in bm25["per_query"]][2] is None
    table = runner.invoke(app, ["eval", str(eval_file), *hash_env])
    assert "success@5" in table.output and "hybrid" in table.output


def test_eval_rejects_malformed_file(hash_env, tmp_path):
    eval_file = tmp_path / "bad.jsonl"
    eval_file.write_text('{"query": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(eval_file), *hash_env])
    assert result.exit_code == 2 and "第 1 行" in result.output


def test_draft_markdown_json_and_output_file(hash_env, tmp_path):
    from .conftest import ROOT

    runner.invoke(app, ["ingest", str(CORPUS), *hash_env])
    proposal = ROOT / "examples" / "proposal-financing.txt"
    result = runner.invoke(app, ["draft", str(proposal), *hash_env])
    assert result.exit_code == 0, result.output
    assert "# 关于市政协十二届四次会议128号提案的答复函" in result.stdout
    assert "### （一）关于“创新科技信贷产品”的建议。" in result.stdout
    result = runner.invoke(app, ["draft", str(proposal), "--json", *hash_env])
    data = json.loads(result.stdout)
    assert {"proposal", "paragraphs", "citations", "sections", "flags"} <= set(data)
    assert data["proposal"]["number"] == 128 and data["citations"]
    assert all({"role", "text", "citations", "flags"} <= set(p) for p in data["paragraphs"])
    target = tmp_path / "draft.md"
    result = runner.invoke(app, ["draft", str(proposal), "-o", str(target), *hash_env])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("【待填：文号】")


def test_draft_of_missing_file_is_a_clear_error(hash_env, tmp_path):
    result = runner.invoke(app, ["draft", str(tmp_path / "none.txt"), *hash_env])
    assert result.exit_code == 2 and "无法读取" in result.output


def test_lint_command_finds_seed_defects_and_exits_1():
    result = runner.invoke(app, ["lint", str(SEED_110), "--json"])
    assert result.exit_code == 1
    assert {f["rule"] for f in json.loads(result.stdout)} == {"salutation_colon", "money_unit", "cc_period", "quote_turned"}
    result = runner.invoke(app, ["lint", str(SEED_106)])
    assert "[heading_order]" in result.stdout and "建议：" in result.stdout


def test_export_markdown_edit_round_trip(hash_env, tmp_path):
    import docx

    from .conftest import ROOT

    runner.invoke(app, ["ingest", str(CORPUS), *hash_env])
    proposal = ROOT / "examples" / "proposal-financing.txt"
    md, js = tmp_path / "d.md", tmp_path / "d.json"
    runner.invoke(app, ["draft", str(proposal), "-o", str(md), *hash_env])
    runner.invoke(app, ["draft", str(proposal), "--json", "-o", str(js), *hash_env])
    md.write_text(md.read_text(encoding="utf-8").replace("【待填：发文单位】", "温州市科学技术局"), encoding="utf-8")
    out = tmp_path / "reply.docx"
    result = runner.invoke(app, ["export", str(md), "--base", str(js), "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "温州市科学技术局" in texts and "【待填：发文单位】" not in texts
    clean = tmp_path / "clean.docx"
    assert runner.invoke(app, ["export", str(js), "--clean", "-o", str(clean)]).exit_code == 0
    assert len(list(docx.Document(str(clean)).comments)) == 0
    empty = tmp_path / "empty.md"
    empty.write_text("\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(empty), "-o", str(tmp_path / "e.docx")])
    assert result.exit_code == 2 and "草稿为空" in result.output


def test_changes_made_on_the_command_line_are_audited(hash_env, tmp_path):
    """The audit log is the service's, whoever calls it: ingest, remove and export from the CLI too."""
    from assistant.drafts.book import DraftBook

    assert runner.invoke(app, ["ingest", str(CORPUS), *hash_env]).exit_code == 0
    assert runner.invoke(app, ["remove", str(SEED_106), "--yes", *hash_env]).exit_code == 0
    draft = tmp_path / "d.json"
    assert runner.invoke(app, ["draft", str(ROOT / "examples" / "proposal-financing.txt"), "--json", "-o", str(draft), *hash_env]).exit_code == 0
    assert runner.invoke(app, ["export", str(draft), "-o", str(tmp_path / "d.docx")]).exit_code == 0
    book = DraftBook(tmp_path / "data" / "drafts.db")
    try:
        log = {entry["action"]: entry for entry in book.audit_log()}
    finally:
        book.close()
    assert {"ingest", "remove", "export_file"} <= set(log)
    assert "新增 2" in log["ingest"]["detail"] and log["remove"]["target"] == str(SEED_106)
    assert all(log[action]["user"].startswith("命令行") for action in ("ingest", "remove", "export_file"))
