"""Corruption never passes unseen (issue 23, findings 2 and 3): garbage written into store.db,
drafts.db or the vector file is found by `check` and at start-up, said in one line with its fix,
and never reaches a page as SQLite's raw text or as a score of 4.6e37."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

from .conftest import SHARED

runner = CliRunner()
REGULATIONS = sorted((SHARED / "corpora" / "zhejiang-local-regulations").glob("*.md"))[:60]


def damage(path: Path, at: int, size: int) -> None:
    """Overwrite ``size`` bytes at ``at`` with garbage: the file keeps its length, as a bad disk sector does."""
    with open(path, "r+b") as handle:
        handle.seek(at)
        handle.write(os.urandom(size))


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in REGULATIONS:
        shutil.copy(path, docs / path.name)
    options = ["--index", str(tmp_path / "index")]
    assert runner.invoke(app, ["ingest", str(docs), *options]).exit_code == 0
    assert runner.invoke(app, ["check", *options]).exit_code == 0
    return tmp_path / "index", options


def one_line(output: str) -> bool:
    return "Traceback" not in output and " / " in output


def test_a_damaged_page_in_store_db_is_found_and_said_with_its_fix(index):
    folder, options = index
    store = folder / "store.db"
    assert store.stat().st_size > 2 * 2**20
    damage(store, 2 * 2**20, 40 * 1024)
    checked = runner.invoke(app, ["check", *options])
    assert checked.exit_code == 1 and one_line(checked.output), checked.output
    assert "store.db 已损坏" in checked.output and "restore it from a backup" in checked.output
    served = runner.invoke(app, ["serve", "--port", "1", *options])  # refused before any port is bound
    assert served.exit_code == 1 and "store.db 已损坏" in served.output and one_line(served.output)
    ingested = runner.invoke(app, ["ingest", str(folder.parent / "docs"), *options])  # never written into
    assert ingested.exit_code != 0 and "store.db 已损坏" in ingested.output and one_line(ingested.output), ingested.output
    searched = runner.invoke(app, ["search", "条例 管理 规定", "--all", *options])
    assert "Traceback" not in searched.output and "malformed" not in searched.output.split("（")[0]


def test_a_damaged_drafts_db_stops_the_start(tmp_path, monkeypatch):
    from assistant.drafts.book import DraftBook

    data = tmp_path / "data"
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(data))
    book = DraftBook(data / "drafts.db")
    for n in range(40):
        book.create(f"第{n}号提案的答复函", "提案" * 100, {}, f"第{n}稿，" + "正文段落。" * 4000)
    book.close()
    path = data / "drafts.db"
    damage(path, path.stat().st_size // 2, 64 * 1024)
    options = ["--index", str(tmp_path / "index")]
    checked = runner.invoke(app, ["check", *options])
    assert checked.exit_code == 1 and "草稿库 drafts.db 已损坏" in checked.output and one_line(checked.output), checked.output
    served = runner.invoke(app, ["serve", "--port", "1", *options])
    assert served.exit_code == 1 and "drafts.db" in served.output


def test_a_damaged_vector_file_is_found_and_never_gives_absurd_scores(index):
    from assistant.service import Assistant
    from assistant.settings import Settings

    folder, options = index
    vectors = next(folder.glob("vectors-*.faiss"))
    damage(vectors, vectors.stat().st_size // 2, min(200 * 1024, vectors.stat().st_size // 4))
    checked = runner.invoke(app, ["check", *options])
    assert checked.exit_code == 1 and "向量文件" in checked.output and "reindex" in checked.output, checked.output
    reopened = Assistant(Settings(index_dir=folder, embedding_model="hash:64", _env_file=None))
    try:
        results = reopened.search("条例 管理", k=10, mode="dense").results
        assert results and all(abs(r.score) <= 1.01 for r in results)  # rebuilt from the database, not read as garbage
    finally:
        reopened.close()
    assert runner.invoke(app, ["check", *options]).exit_code == 0  # the rebuilt file is whole again
