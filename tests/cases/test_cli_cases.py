"""The register from the command line: its JSON shape is for scripts (keep it stable), and ``cases due``
exits 1 when anything is late so a cron job can mail it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app

from .samples import write_list

runner = CliRunner()


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPLY_ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("REPLY_ASSISTANT_ISSUING_UNIT", "温州市科学技术局")
    monkeypatch.setenv("REPLY_ASSISTANT_CORPUS_DIR", str(tmp_path / "corpus"))
    return tmp_path


def test_import_list_and_due_from_the_command_line(env):
    sheet = write_list(env / "清单.xlsx")
    result = runner.invoke(app, ["cases", "import", str(sheet)])
    assert result.exit_code == 1, result.output  # two rows could not be read: said, and the rest went in
    assert "新增 3" in result.output and "第 8 行" in result.output
    assert runner.invoke(app, ["cases", "import", str(sheet)]).output.count("未变 3") == 1

    listed = runner.invoke(app, ["cases", "list", "--json", "--as-of", "2026-05-01"])
    assert listed.exit_code == 0, listed.output
    cases = json.loads(listed.stdout)["cases"]
    assert [c["number"] for c in cases] == ["57", "58", "56"]  # by due date
    assert set(cases[0]) == {
        "id",
        "kind",
        "session",
        "number",
        "title",
        "proposers",
        "role",
        "lead_unit",
        "assigned",
        "due",
        "status",
        "days_left",
        "draft_id",
        "reply_doc_number",
        "reply_date",
        "feedback",
        "class",
        "similar",
    }
    assert cases[0]["due"] == "2026-04-10" and cases[0]["days_left"] == -21 and cases[0]["role"] == "会办"

    late = runner.invoke(app, ["cases", "due", "--within", "30", "--as-of", "2026-05-01"])
    assert late.exit_code == 1 and "逾期 #" in late.output and "1 件 30 日内到期，1 件已逾期" in late.output
    calm = runner.invoke(app, ["cases", "due", "--as-of", "2026-03-11"])
    assert calm.exit_code == 0 and "0 件已逾期" in calm.output


def test_a_case_moves_from_the_command_line_and_a_wrong_move_is_one_line(env):
    runner.invoke(app, ["cases", "import", str(write_list(env / "清单.xlsx"))])
    wrong = runner.invoke(app, ["cases", "status", "1", "已答复"])
    assert wrong.exit_code == 2 and "不能改为" in wrong.output
    assert runner.invoke(app, ["cases", "status", "1", "起草中"]).exit_code == 0
    letter = env / "答复函.txt"
    letter.write_text("温科提复〔2026〕12号\n陈明委员：\n您的提案收悉，现答复如下：\n我局已建成概念验证中心3家。\n", encoding="utf-8")
    no_text = runner.invoke(app, ["cases", "reply", "1", "--doc-number", "温科提复〔2026〕12号"])
    assert no_text.exit_code == 2 and "没有答复函的文本" in no_text.output
    replied = runner.invoke(app, ["cases", "reply", "1", "--doc-number", "温科提复〔2026〕12号", "--date", "2026-06-01", "--file", str(letter)])
    assert replied.exit_code == 0 and "已答复" in replied.output
    bad_date = runner.invoke(app, ["cases", "feedback", "1", "满意", "--date", "六月"])
    assert bad_date.exit_code == 2 and "不是日期" in bad_date.output


def test_assign_stats_and_export_from_the_command_line(env):
    runner.invoke(app, ["cases", "import", str(write_list(env / "清单.xlsx"))])
    assigned = runner.invoke(app, ["cases", "assign", "1", "group:综合科"])
    assert assigned.exit_code == 0, assigned.output
    stats = runner.invoke(app, ["cases", "stats", "--year", "2026"])
    assert stats.exit_code == 0 and "2026年：共 3 件" in stats.output and "已答复 0 件" in stats.output
    assert json.loads(runner.invoke(app, ["cases", "stats", "--json"]).stdout)["cases"] == 3
    exported = runner.invoke(app, ["cases", "export", str(env / "台账.xlsx")])
    assert exported.exit_code == 0 and (env / "台账.xlsx").stat().st_size > 0
