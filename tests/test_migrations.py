"""Versioned databases: files written before versioning open with today's code and lose nothing;
a file from a newer program is refused without being touched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from assistant.corpus.store import Store
from assistant.drafts.book import DraftBook
from assistant.errors import AssistantError

FIXTURES = Path(__file__).parent / "fixtures"


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def test_a_drafts_db_from_before_versioning_keeps_every_draft_and_version(tmp_path):
    path = tmp_path / "drafts.db"
    shutil.copy(FIXTURES / "legacy-drafts.db", path)  # written before versioning (bd48e6d: no user_version)
    assert user_version(path) == 0
    book = DraftBook(path)
    try:
        drafts = {d["title"]: d for d in book.list()}
        assert set(drafts) == {"关于推进科技金融服务的提案的答复函", "关于新型研发机构建设的答复函"}
        first = drafts["关于推进科技金融服务的提案的答复函"]
        assert first["versions"] == 2 and first["created_by"] == "alice"
        assert [v["number"] for v in book.versions(first["id"])] == [1, 2]
        assert book.version_text(first["id"], 2) == "第二版正文" and book.get(first["id"]).working_text == "第二版正文"
        assert book.shares(drafts["关于新型研发机构建设的答复函"]["id"]) == ["alice"]
        assert [a["action"] for a in book.audit_log()] == ["export"]
        book.save_version(first["id"], "第三版正文", user="alice")  # and it can be written to
    finally:
        book.close()
    assert user_version(path) == len(DraftBook.migrations)


def test_an_index_from_before_versioning_opens_and_searches(tmp_path):
    from assistant.service import Assistant
    from assistant.settings import Settings

    index = tmp_path / "index"
    shutil.copytree(FIXTURES / "legacy-index", index)
    with sqlite3.connect(index / "store.db") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    assistant = Assistant(Settings(index_dir=index, embedding_model="hash:32", _env_file=None))
    try:
        assert assistant.check() == []
        assert assistant.stats()["documents"] == 1
        results = assistant.search("揭榜挂帅", k=3, show_all=True).results
        assert results and "揭榜挂帅" in results[0].text
    finally:
        assistant.close()
    assert user_version(index / "store.db") == len(Store.migrations)


@pytest.mark.parametrize("kind", [DraftBook, Store])
def test_a_file_from_a_newer_program_is_refused_and_left_alone(tmp_path, kind):
    path = tmp_path / "file.db"
    kind(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(kind.migrations) + 1}")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(AssistantError, match="请升级") as raised:
        kind(path)
    assert "newer than this program" in str(raised.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_migrations_run_in_order_and_once(tmp_path):
    """A later migration sees what an earlier one made, and an opened file is not migrated again."""
    calls: list[int] = []
    known = len(DraftBook.migrations)

    class Book(DraftBook):
        migrations = (
            *DraftBook.migrations,
            lambda db: (calls.append(known + 1), db.execute("ALTER TABLE drafts ADD COLUMN due TEXT NOT NULL DEFAULT ''")),
            lambda db: (calls.append(known + 2), db.execute("UPDATE drafts SET due = '2026-12-31'")),
        )

    path = tmp_path / "drafts.db"
    shutil.copy(FIXTURES / "legacy-drafts.db", path)
    Book(path).close()
    Book(path).close()
    assert calls == [known + 1, known + 2] and user_version(path) == known + 2
    with sqlite3.connect(path) as db:
        assert {row[0] for row in db.execute("SELECT due FROM drafts")} == {"2026-12-31"}


def test_a_register_from_before_similar_cases_keeps_its_cases(tmp_path, database):
    """Migration 5 (issue 25): a drafts database whose register predates similar cases and cited precedents
    gains both columns, empty, on SQLite and PostgreSQL; every case is still there and can take them."""
    from assistant.cases.register import CaseRegister
    from assistant.drafts.book import PostgresDraftBook, open_book

    url = database or str(tmp_path / "drafts.db")
    base = PostgresDraftBook if database else DraftBook
    older = type("RegisterV4", (base,), {"migrations": base.migrations[:4]})(url)
    with older.transaction() as db:  # as a version-4 program wrote it (it knew no similar_cases column)
        (case_id,) = db.execute(
            "INSERT INTO cases (kind, session, number, title, proposers, role, created_at, updated_at) "
            "VALUES ('提案', '市政协十二届四次会议', '56', '关于加快科技成果转化的提案', '[\"陈明\"]', '主办', 'now', 'now') RETURNING id"
        ).fetchone()
    older.close()
    book = open_book(url)
    try:
        register = CaseRegister(book)
        again = register.get(case_id)
        assert (again.title, again.similar, again.precedents) == ("关于加快科技成果转化的提案", [], [])
        assert register.set_similar(case_id, [{"kind": "提案", "session": "市政协十二届三次会议", "number": "370", "score": 0.6}]).similar[0]["number"] == "370"
    finally:
        book.close()
    if not database:
        assert user_version(tmp_path / "drafts.db") == len(DraftBook.migrations) == 5
