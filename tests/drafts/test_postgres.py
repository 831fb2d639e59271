"""Drafts in PostgreSQL (issue 16): two app servers saving at once lose no version, the format
version and the "newer database refused" rule, a lost connection, and ``migrate --to-database``
copying a drafts.db over, verified by counts. The drafts API itself runs on both databases in
test_book.py and test_access.py (the ``database`` fixture)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.db import POSTGRES, SQLITE
from assistant.drafts.book import DraftBook, PostgresDraftBook, migrations_for
from assistant.errors import AssistantError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
THREADS, SAVES = 16, 25  # per run: 16 threads over two books (two connections pools), 25 saves each = 400 versions


def hammer(books, work, threads: int = THREADS) -> list[BaseException]:
    """Run ``work(book, thread_no)`` in ``threads`` threads at once, alternating the books."""
    start, errors = threading.Barrier(threads), []

    def run(n: int) -> None:
        try:
            start.wait()
            work(books[n % len(books)], n)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    return errors


@pytest.fixture
def two_books(tmp_path, database):
    """Two DraftBooks on the same database, as two app servers have: own connections, no shared lock."""
    target = database or tmp_path / "drafts.db"
    books = [DraftBook(target), DraftBook(target)]
    yield books
    for book in books:
        book.close()


def test_concurrent_saves_from_two_servers_lose_no_version(two_books):
    a, b = two_books
    draft_id = a.create("并发保存", "", {}, "v1")
    numbers: list[int] = []

    def save(book, n):
        for i in range(SAVES):
            numbers.append(book.save_version(draft_id, f"thread {n} save {i}", user=f"u{n}"))

    assert hammer(two_books, save) == []
    versions = b.versions(draft_id)
    total = 1 + THREADS * SAVES
    assert [v["number"] for v in versions] == list(range(1, total + 1))  # 1..N, no gap, no duplicate
    assert sorted(numbers) == list(range(2, total + 1))  # every caller got its own number back
    texts = {a.version_text(draft_id, n) for n in range(2, total + 1)}
    assert texts == {f"thread {n} save {i}" for n in range(THREADS) for i in range(SAVES)}  # every save is there
    assert b.list()[0]["versions"] == total


def test_concurrent_base_updates_from_two_servers_keep_every_change(two_books):
    """update_base reads, changes and writes the draft's JSON: without the row lock two servers
    inserting passages at once would each overwrite the other's citation."""
    a, b = two_books
    draft_id = a.create("并发插入", "", {"citations": []}, "正文")

    def cite(book, n):
        for i in range(10):
            book.update_base(draft_id, lambda base, i=i: {**base, "citations": [*base["citations"], f"{n}-{i}"]})

    assert hammer(two_books, cite, threads=8) == []
    assert sorted(b.get(draft_id).base["citations"]) == sorted(f"{n}-{i}" for n in range(8) for i in range(10))


def test_both_dialects_have_the_same_migrations():
    assert len(migrations_for(SQLITE)) == len(migrations_for(POSTGRES)) == len(DraftBook.migrations) == len(PostgresDraftBook.migrations)


def test_two_servers_starting_together_migrate_once(pg_url):
    errors = hammer([pg_url], lambda url, n: DraftBook(url).close(), threads=6)
    assert errors == []
    import psycopg

    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT component, version FROM schema_version").fetchall() == [("drafts", len(PostgresDraftBook.migrations))]


def test_a_database_from_a_newer_program_is_refused_and_left_alone(pg_url):
    import psycopg

    book = DraftBook(pg_url)
    assert isinstance(book, PostgresDraftBook)
    book.create("t", "", {}, "正文")
    book.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = version + 1 WHERE component = 'drafts'")
    with pytest.raises(AssistantError, match="请升级") as raised:
        DraftBook(pg_url)
    assert "newer than this program" in str(raised.value) and "database is unchanged" in str(raised.value)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone() == (len(PostgresDraftBook.migrations) + 1,)
        assert conn.execute("SELECT COUNT(*) FROM drafts").fetchone() == (1,)


def test_an_unreachable_database_is_one_clear_error_without_the_password(tmp_path):
    url = f"postgresql://alice:s3cret@/drafts?host={tmp_path}&port=5999"
    with pytest.raises(AssistantError, match="无法连接 PostgreSQL") as raised:
        DraftBook(url)
    assert "s3cret" not in str(raised.value) and "alice:***@" in str(raised.value)


def test_a_dropped_connection_is_replaced_and_a_failed_write_leaves_nothing(pg_url):
    """A PostgreSQL restart (here: every connection of the book killed) costs no request: the pooled
    connection is checked before use. A write whose connection dies midway is rolled back."""
    import psycopg

    book = DraftBook(pg_url)
    try:
        draft_id = book.create("t", "", {}, "第一稿")
        kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(kill)
            assert book.save_version(draft_id, "第二稿") == 2  # the dead idle connection was replaced
            with pytest.raises(AssistantError, match="无法写入 PostgreSQL.*之前保存的内容未受影响"):
                with book.transaction() as db:
                    db.execute("UPDATE drafts SET working_text = 'half' WHERE id = ?", (draft_id,))
                    admin.execute(kill)
                    db.execute("SELECT 1")
        assert book.get(draft_id).working_text == "第二稿"
        assert [v["number"] for v in book.versions(draft_id)] == [1, 2]
    finally:
        book.close()


def test_migrate_copies_a_drafts_db_verified_by_counts_and_refuses_a_full_target(tmp_path, pg_url):
    from assistant.service import Assistant
    from assistant.settings import Settings

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "legacy-drafts.db", data / "drafts.db")  # from before versioning: migrated on the way
    source = DraftBook(data / "drafts.db")
    extra = source.create("迁移前的新草稿", "提案", {"citations": ["c1"]}, "正文")
    source.save_version(extra, "第二稿", user="张三")
    source.share(extra, "group:综合科")
    source.audit("export", f"draft#{extra}", "答复函.docx", user="张三")
    from datetime import date

    from assistant.cases.register import CaseRegister

    register = CaseRegister(source)  # the season's register moves with the drafts
    case, _ = register.put(
        {
            "kind": "提案",
            "session": "市政协十二届四次会议",
            "number": "56",
            "title": "关于科技金融的提案",
            "proposers": ["陈明"],
            "role": "主办",
            "assigned": date(2026, 3, 10),
            "due": date(2026, 6, 10),
        },
        user="张三",
    )
    register.link_draft(case.id, extra, user="张三")
    before, listed = source.counts(), source.list()
    source.close()

    assistant = Assistant(Settings(index_dir=tmp_path / "index", data_dir=data, embedding_model="hash:64", _env_file=None))
    try:
        counts = assistant.migrate_drafts(pg_url)
        assert counts == before and counts["drafts"] >= 3 and all(counts.values())
        with pytest.raises(AssistantError, match="已有数据.*未做任何改动"):
            assistant.migrate_drafts(pg_url)  # a second run would duplicate: refused
        with pytest.raises(AssistantError, match="postgresql://"):
            assistant.migrate_drafts(str(tmp_path / "other.db"))
    finally:
        assistant.close()

    moved = DraftBook(pg_url)
    try:
        assert moved.counts() == before  # the refused second run changed nothing
        assert moved.list() == listed  # ids, titles, owners, times and version counts as they were
        assert moved.versions(extra)[-1]["created_by"] == "张三" and moved.version_text(extra, 2) == "第二稿"
        assert moved.shares(extra) == ["group:综合科"] and moved.get(extra).base == {"citations": ["c1"]}
        assert moved.audit_log()[0]["detail"] == "答复函.docx"
        assert moved.create("迁移后的草稿", "", {}, "x") == max(d["id"] for d in listed) + 1  # ids go on after the copied ones
    finally:
        moved.close()


def test_migrate_command(tmp_path, pg_url, monkeypatch):
    from assistant.cli import app

    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    book = DraftBook(tmp_path / "data" / "drafts.db")
    book.save_version(book.create("t", "", {}, "一"), "二")
    book.close()
    result = CliRunner().invoke(app, ["migrate", "--to-database", pg_url, "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "drafts 1" in result.output and "draft_versions 2" in result.output
    result = CliRunner().invoke(app, ["migrate", "--to-database", pg_url, "--index", str(tmp_path / "index")])
    assert result.exit_code == 2 and "已有数据" in result.output
