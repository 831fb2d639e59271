"""One settings object, grouped by what it governs, with the flat names and environment variables
it always had, and the reference page generated from it."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import GROUPS, SearchSettings, Settings, StorageSettings, settings_table

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_is_in_exactly_one_group():
    grouped = [name for group in GROUPS for name in group.model_fields]
    assert sorted(grouped) == sorted(Settings.model_fields)
    assert len(grouped) == len(set(grouped))


def test_a_grouped_setting_keeps_its_flat_name_and_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("REPLY_ASSISTANT_SEARCH_FLOOR", "0.35")
    monkeypatch.setenv("REPLY_ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    settings = Settings(_env_file=None)
    assert settings.search_floor == 0.35 and "search_floor" in SearchSettings.model_fields
    assert settings.index_dir == tmp_path / "idx" and "index_dir" in StorageSettings.model_fields
    assert isinstance(settings, SearchSettings) and isinstance(settings, StorageSettings)


def test_the_settings_page_is_generated_from_the_code():
    table = settings_table()
    assert all(f"`REPLY_ASSISTANT_{name.upper()}`" in table for name in Settings.model_fields)
    assert DOCS.read_text(encoding="utf-8").strip() == table.strip(), "docs/settings.md is stale: run `make docs`"


def test_the_cli_reference_is_generated_from_the_code():
    import subprocess
    import sys

    typer = Path(sys.executable).with_name("typer")
    result = subprocess.run(
        [str(typer), "assistant.cli", "utils", "docs", "--name", "reply-assistant", "--title", "reply-assistant 命令参考 / CLI reference"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (DOCS.parent / "cli.md").read_text(encoding="utf-8").strip() == result.stdout.strip(), "docs/cli.md is stale: run `make docs`"


def test_times_are_shown_in_the_configured_zone_and_a_bad_zone_is_said():
    import pytest
    from pydantic import ValidationError

    from assistant.db import local_time
    from assistant.settings import Settings

    assert Settings(_env_file=None).timezone == "Asia/Shanghai"
    assert local_time("2026-12-05T09:19:41+00:00") == "2026-12-05 17:19"
    assert local_time("2026-12-05T09:19:41+00:00", "Europe/Berlin") == "2026-12-05 10:19"
    assert local_time("不是时间") == "不是时间"
    with pytest.raises(ValidationError, match="未知时区“Mars/Base”"):
        Settings(timezone="Mars/Base", _env_file=None)
