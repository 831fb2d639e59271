"""What a person sees when the disk holds something broken (issue 13, finding 7): one line in
Chinese and English and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", [["search", "揭榜挂帅"], ["stats"], ["check"], ["ingest", "corpus"]])
def test_a_corrupt_store_is_one_clear_line(tmp_path, command):
    index = tmp_path / "index"
    index.mkdir()
    (index / "store.db").write_bytes(b"this is not a database, it was overwritten by mistake\n" * 100)
    env = {**os.environ, "REPLY_ASSISTANT_EMBEDDING_MODEL": "hash:64"}
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *command, "--index", str(index)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "已损坏" in result.stderr and "corrupt" in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1, result.stderr


def test_database_files_are_owner_only(assistant, tmp_path):
    from assistant.corpus.ingest import run_all

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# 办法\n\n第一条 推行揭榜挂帅机制。\n", encoding="utf-8")
    assert not run_all(assistant.ingest([docs])).errors
    index_dir = assistant.settings.index_dir
    files = [p for p in index_dir.iterdir() if p.is_file()]
    assert any(p.suffix == ".faiss" for p in files) and any(p.name == "store.db" for p in files)
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is {oct(path.stat().st_mode & 0o777)}"
    assistant.drafts.audit("test")
    assert assistant.settings.drafts_path.stat().st_mode & 0o077 == 0
