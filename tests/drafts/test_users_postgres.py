"""Login users in PostgreSQL (issue 16): with REPLY_ASSISTANT_DATABASE_URL set, ``add-user`` writes
the ``users``/``user_groups`` tables, every app server's login reads them (a user added anywhere logs
in at once), rehash-on-login writes back there, admins and groups from there decide draft access,
and ``migrate --to-database`` copies a users file over, verified by counts. The JSON users file path
(no database URL) is tested in tests/test_users.py and tests/drafts/test_access.py."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.drafts.book import DraftBook
from assistant.errors import AssistantError, QueryError
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.users import DatabaseUsers, add_user, authenticator, set_roles

ROOT = Path(__file__).resolve().parents[2]


def make(tmp_path, **overrides) -> Assistant:
    return Assistant(Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedding_model="hash:64", _env_file=None, **overrides))


def login(check, name: str, password: str) -> bool:
    try:
        return asyncio.run(check(name, password))
    except Exception as exc:  # fastapi's HTTPException: refused
        if getattr(exc, "status_code", None) == 400:
            return False
        raise


def pbkdf2(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)
    return f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_add_user_in_another_process_then_login_on_a_separate_server(tmp_path, pg_url):
    env = {**os.environ, "REPLY_ASSISTANT_DATABASE_URL": pg_url, "REPLY_ASSISTANT_DATA_DIR": str(tmp_path / "cli-data")}
    env.pop("REPLY_ASSISTANT_USERS_FILE", None)
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "add-user", "张三", "--password", "zhangsan-pass", "--admin", "--group", "综合科"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "数据库" in result.stderr and "zhangsan-pass" not in result.stderr + result.stdout
    assert not (ROOT / "data" / "users.json").exists() or "张三" not in (ROOT / "data" / "users.json").read_text()

    server = make(tmp_path / "a", database_url=pg_url)  # an app server: its own connections, nothing shared but the database
    other = make(tmp_path / "b", database_url=pg_url)
    try:
        assert server.login_required() and isinstance(server.user_source(), DatabaseUsers)
        check = authenticator(server.user_source())
        assert check is not None
        assert login(check, "张三", "zhangsan-pass") is True
        assert login(check, "张三", "wrong-password") is False
        assert server.drafts.user_roles() == ({"张三"}, {"综合科": {"张三"}})
        # a user added through the other server logs in here at once, no restart
        DatabaseUsers(other.drafts).add("李四", "lisi-pass-22", groups=["综合科"])
        assert login(check, "李四", "lisi-pass-22") is True
        # an old PBKDF2 hash is upgraded on login, written back to the database for every server
        other.drafts.put_user("王五", pbkdf2("wangwu-pass"))
        assert login(check, "王五", "wangwu-pass") is True
        assert other.drafts.users()["王五"].startswith("$argon2id$")
        assert login(authenticator(other.user_source()), "王五", "wangwu-pass") is True
    finally:
        server.close()
        other.close()


def test_add_user_refuses_a_users_file_beside_a_database_url(tmp_path, pg_url, monkeypatch):
    from assistant.cli import app

    monkeypatch.setenv("REPLY_ASSISTANT_DATABASE_URL", pg_url)
    result = CliRunner().invoke(app, ["add-user", "甲", "--password", "password-甲", "--users-file", str(tmp_path / "u.json")])
    assert result.exit_code == 2 and "DATABASE_URL" in result.output and not (tmp_path / "u.json").exists()
    result = CliRunner().invoke(app, ["add-user", "甲", "--password", "short"])
    assert result.exit_code == 2 and "8" in result.output
    monkeypatch.delenv("REPLY_ASSISTANT_DATABASE_URL")
    result = CliRunner().invoke(app, ["add-user", "甲", "--password", "password-甲", "--users-file", str(tmp_path / "u.json")])
    assert result.exit_code == 0 and "甲" in (tmp_path / "u.json").read_text(encoding="utf-8")  # the file case, unchanged


def test_admins_and_groups_in_the_database_decide_draft_access(tmp_path, pg_url):
    setup = make(tmp_path / "setup", database_url=pg_url)
    users = DatabaseUsers(setup.drafts)
    for name in ("甲", "乙", "丙", "管理员"):
        users.add(name, f"password-{name}")
    users.add("管理员", "password-管理员", admin=True)
    setup.drafts.grant_roles("丙", groups=["综合科"])
    setup.close()

    assistant = make(tmp_path, database_url=pg_url)  # no users file: login because the database holds users
    try:
        assert assistant.login_required()
        mine = assistant.drafts.create("甲的答复函", "提案", {}, "正文", user="甲")
        theirs = assistant.drafts.create("乙的答复函", "提案", {}, "正文", user="乙")
        assert [d["id"] for d in assistant.list_drafts("甲")] == [mine]
        assert assistant.list_drafts("") == []  # login is on: a call without a user is nobody's
        with pytest.raises(QueryError, match="无权访问"):
            assistant.get_draft(theirs, "甲")
        assert sorted(d["id"] for d in assistant.list_drafts("管理员")) == sorted([mine, theirs])  # admin from the database
        assistant.share_draft(mine, "group:综合科", "甲")
        assert assistant.get_draft(mine, "丙").id == mine  # 丙 is in 综合科 in the database
        with pytest.raises(QueryError, match="只有创建人或管理员"):
            assistant.share_draft(mine, "乙", "丙")  # shared with, not owner: may not share on
        with pytest.raises(QueryError, match="没有 无名氏"):
            assistant.share_draft(mine, "无名氏", "甲")  # not a user in the database
        assistant.share_draft(theirs, "甲", "管理员")  # an admin shares anyone's draft
        assert assistant.get_draft(theirs, "甲").id == theirs
    finally:
        assistant.close()


def test_an_empty_database_has_no_login_and_a_users_file_beside_it_keeps_login_on(tmp_path, pg_url):
    bare = make(tmp_path / "bare", database_url=pg_url)
    try:
        assert not bare.login_required() and authenticator(bare.user_source()) is None
    finally:
        bare.close()
    path = tmp_path / "users.json"
    add_user(path, "甲", "password-甲")
    set_roles(path, "甲", admin=True)
    assistant = make(tmp_path, database_url=pg_url, users_file=path)
    try:  # before migrate copied the users: the file still serves, login stays on
        assert assistant.login_required()
        check = authenticator(assistant.user_source())
        assert login(check, "甲", "password-甲") is True and assistant.drafts_service.roles()[0] == {"甲"}
        DatabaseUsers(assistant.drafts).add("乙", "password-乙")  # from the first database user on, the database decides
        assert login(check, "乙", "password-乙") is True and login(check, "甲", "password-甲") is False
        assert assistant.drafts_service.roles() == (set(), {})
    finally:
        assistant.close()


def test_migrate_copies_the_users_file_verified_by_counts(tmp_path, pg_url, monkeypatch):
    from assistant.cli import app

    path = tmp_path / "users.json"
    for name in ("甲", "乙", "丙"):
        add_user(path, name, f"password-{name}")
    set_roles(path, "甲", admin=True)
    set_roles(path, "乙", groups=["综合科", "办公室"])
    set_roles(path, "丙", groups=["综合科"])
    book = DraftBook(tmp_path / "data" / "drafts.db")
    book.create("t", "", {}, "一", user="乙")
    book.close()
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_USERS_FILE", str(path))
    result = CliRunner().invoke(app, ["migrate", "--to-database", pg_url, "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "users 3" in result.output and "admins 1" in result.output and "user_groups 3" in result.output

    moved = make(tmp_path / "server", database_url=pg_url)  # no users file on the new servers
    try:
        assert moved.drafts.user_roles() == ({"甲"}, {"综合科": {"乙", "丙"}, "办公室": {"乙"}})
        assert login(authenticator(moved.user_source()), "丙", "password-丙") is True  # the hashes came along
        assert [d["title"] for d in moved.list_drafts("乙")] == ["t"] and moved.list_drafts("丙") == []
    finally:
        moved.close()
    result = CliRunner().invoke(app, ["migrate", "--to-database", pg_url, "--index", str(tmp_path / "index")])
    assert result.exit_code == 2 and "已有数据" in result.output  # a second run is refused, nothing duplicated


def test_a_target_holding_users_is_refused_untouched(tmp_path, pg_url):
    path = tmp_path / "users.json"
    add_user(path, "甲", "password-甲")
    DraftBook(tmp_path / "data" / "drafts.db").close()
    target = DraftBook(pg_url)
    DatabaseUsers(target).add("已有", "password-已有")
    target.close()
    assistant = make(tmp_path, users_file=path)
    try:
        with pytest.raises(AssistantError, match="users 1"):
            assistant.migrate_drafts(pg_url)
    finally:
        assistant.close()
    target = DraftBook(pg_url)
    try:
        assert list(target.users()) == ["已有"]
    finally:
        target.close()
