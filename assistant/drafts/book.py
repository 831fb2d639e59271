"""Saved drafts, their versions, and the audit trail, in ``data/drafts.db`` — or, with
``REPLY_ASSISTANT_DATABASE_URL=postgresql://…``, in PostgreSQL, shared by several app servers.

Kept apart from the index so rebuilding or deleting the index never touches a person's work.
The working text is autosaved on every edit; 保存 (save) records a numbered version; export and
delete actions are written to the audit table with who and when. A draft belongs to the user who
created it (``created_by``) and may be shared with other users or groups (``draft_shares``); who may
see what is decided in ``service.Assistant``.

One API on both databases: the SQL below is written once (``?`` placeholders, ``RETURNING``,
``ON CONFLICT``); what differs between SQLite and PostgreSQL is in ``db.Dialect`` and the two base
classes ``db.SQLiteFile`` / ``db.PostgresDatabase``. ``DraftBook(path)`` opens a file,
``DraftBook("postgresql://…")`` a database (a ``PostgresDraftBook``). With a database URL the login
users (password hashes, admin flag, groups) live there too (``users``/``user_groups``, migration 2, see
``users.DatabaseUsers``); without one they stay in the users file (the tables exist in drafts.db, unused).
"""

from __future__ import annotations

import builtins
import difflib
import json
import re
from dataclasses import dataclass
from typing import Iterable

from ..db import POSTGRES, SQLITE, DamagedFile, Database, PostgresDatabase, SQLiteFile, add_missing_column, create_tables, is_database_url, local_time, now
from ..errors import AssistantError, QueryError

STATUSES = ("草稿", "待审", "已导出")
AUDIT_FIELD_MAX = 500  # characters of an audit line's target or detail (a long list of files is cut)
# The tables as of format version 1 (PRAGMA user_version; see db.SQLiteFile.migrations). A drafts.db
# from before versioning has this shape, or lacks draft_shares: migration 1 creates what is missing.
# ``{identity}`` is the dialect's self-numbering id column; "user" is quoted (a reserved word in PostgreSQL).
SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id {identity},
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '草稿' CHECK (status IN ('草稿', '待审', '已导出')),
    proposal_text TEXT NOT NULL DEFAULT '',
    base TEXT NOT NULL DEFAULT '{}',
    working_text TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS draft_versions (
    id {identity},
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (draft_id, number));
CREATE TABLE IF NOT EXISTS audit (
    id {identity},
    at TEXT NOT NULL,
    "user" TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS draft_shares (
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    grantee TEXT NOT NULL,  -- a user name, or "group:名" for everyone in a group of the users file
    PRIMARY KEY (draft_id, grantee))
"""
# Migration 2: login users shared by every app server (used with a database URL; users.DatabaseUsers).
USERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS user_groups (
    group_name TEXT NOT NULL,
    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    PRIMARY KEY (group_name, user_name))
"""
# Migration 4: the handling season's register (assistant/cases): one case per 提案/建议 the bureau must
# answer, unique by kind + session + number, and every change to it.
CASES_SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id {identity},
    kind TEXT NOT NULL CHECK (kind IN ('提案', '建议')),
    session TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    proposers TEXT NOT NULL DEFAULT '[]',
    role TEXT NOT NULL CHECK (role IN ('主办', '会办', '分办')),
    lead_unit TEXT NOT NULL DEFAULT '',
    co_units TEXT NOT NULL DEFAULT '[]',
    assigned TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '待办',
    assignee TEXT NOT NULL DEFAULT '',
    draft_id INTEGER REFERENCES drafts(id) ON DELETE SET NULL,
    reply_doc_number TEXT NOT NULL DEFAULT '',
    reply_date TEXT NOT NULL DEFAULT '',
    feedback TEXT NOT NULL DEFAULT '',
    handling_class TEXT NOT NULL DEFAULT '',
    extension TEXT NOT NULL DEFAULT '',
    proposal_file TEXT NOT NULL DEFAULT '',
    proposal_text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, session, number));
CREATE TABLE IF NOT EXISTS case_history (
    id {identity},
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    "user" TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '')
"""
CASE_COLUMNS = (
    "id, kind, session, number, title, proposers, role, lead_unit, co_units, assigned, due, status, assignee, draft_id, "
    "reply_doc_number, reply_date, feedback, handling_class, extension, proposal_file, proposal_text, created_at, updated_at, similar_cases, precedents"
)
GROUP_PREFIX = "group:"


def grantee_name(text: str) -> str:
    """A user name or group:名 as stored: trimmed, a group typed with a full-width colon (group：综合科) accepted."""
    text = (text or "").strip()
    if text.startswith(("group：", GROUP_PREFIX)):
        return GROUP_PREFIX + text[len(GROUP_PREFIX) :].strip()
    return text


# Every table and its columns, in the order ``copy_to`` copies them (parents first).
TABLES = {
    "drafts": "id, title, status, proposal_text, base, working_text, created_by, created_at, updated_at, revision, revised_by",
    "draft_versions": "id, draft_id, number, text, note, created_by, created_at",
    "draft_shares": "draft_id, grantee",
    "audit": 'id, at, "user", action, target, detail',
    "cases": CASE_COLUMNS,
    "case_history": 'id, case_id, at, "user", action, detail',
}


def _revisions(dialect):
    """Migration 3: each draft's working text counts its changes (``revision``) and remembers who made
    the last one, so a save based on an older text is refused instead of overwriting (issue 23)."""

    def run(db) -> None:
        for column, definition in (("revision", "INTEGER NOT NULL DEFAULT 0"), ("revised_by", "TEXT NOT NULL DEFAULT ''")):
            if dialect is SQLITE:
                add_missing_column("drafts", column, definition)(db)
            else:
                db.execute(f"ALTER TABLE drafts ADD COLUMN IF NOT EXISTS {column} {definition}")

    return run


def _case_links(dialect):
    """Migration 5: what a case is linked to beyond its draft — ``similar_cases``, the earlier cases and reply
    letters that answer the same matter (found at intake, JSON), and ``precedents``, the letters and
    regulations its reply cited (recorded with the reply, JSON)."""

    def run(db) -> None:
        for column in ("similar_cases", "precedents"):  # (SIMILAR is a reserved word in PostgreSQL)
            if dialect is SQLITE:
                add_missing_column("cases", column, "TEXT NOT NULL DEFAULT '[]'")(db)
            else:
                db.execute(f"ALTER TABLE cases ADD COLUMN IF NOT EXISTS {column} TEXT NOT NULL DEFAULT '[]'")

    return run


def migrations_for(dialect) -> tuple:
    """The ordered migrations for one dialect: ``migrations[n]`` takes format version n to n + 1, the
    same steps on both databases (a new step is added to both, or the versions would mean different shapes)."""
    return (
        create_tables(SCHEMA.replace("{identity}", dialect.identity)),
        create_tables(USERS_SCHEMA),
        _revisions(dialect),
        create_tables(CASES_SCHEMA.replace("{identity}", dialect.identity)),
        _case_links(dialect),
    )


@dataclass
class SavedDraft:
    id: int
    title: str
    status: str
    proposal_text: str
    base: dict
    working_text: str
    created_by: str
    created_at: str
    updated_at: str
    revision: int = 0  # changes to the working text so far: what an editor's save is based on
    revised_by: str = ""


_TITLE_LINE = re.compile(r"^#[ \t]+(\S.*?)[ \t]*$", re.MULTILINE)
TITLE_MAX = 200


def title_line(text: str) -> str | None:
    """The letter's title as its Markdown text holds it (the first ``# `` line), or None."""
    match = _TITLE_LINE.search(text or "")
    return match.group(1)[:TITLE_MAX] if match else None


class EditConflict(QueryError):
    """A save based on a working text that has changed since (another tab, another server)."""


class Drafts(Database):
    """The drafts API, on whichever database the subclass opens (its ``dialect``, ``transaction()``, ``_query()``)."""

    timezone = "Asia/Shanghai"  # how its messages state a time (settings.timezone, set by open_book's caller)

    def integrity_problems(self, quick: bool = True) -> builtins.list[str]:
        """Problems reading the book, one line each with the fix (each database checks its own way)."""
        raise NotImplementedError

    def create(self, title: str, proposal_text: str, base: dict, text: str, user: str = "") -> int:
        stamp = now()
        with self.transaction() as db:
            (draft_id,) = db.execute(
                "INSERT INTO drafts (title, proposal_text, base, working_text, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (title or "（无标题）", proposal_text, json.dumps(base, ensure_ascii=False), text, user, stamp, stamp),
            ).fetchone()
            draft_id = int(draft_id)
            self._add_version(db, draft_id, text, "生成草稿", user)
        return draft_id

    def autosave(self, draft_id: int, text: str, base_revision: int | None = None, user: str = "") -> int | None:
        """Keep the working text (no new version); returns its new revision, or None if nothing
        changed. ``base_revision``: the revision the editor's text was based on — if the working text
        has changed since, EditConflict (nothing is overwritten); None skips the check (scripts)."""
        with self.transaction() as db:
            row = self._locked(db, draft_id, base_revision)
            if row[0] == text:
                return None
            return self._write(db, draft_id, text, row[1] + 1, user)

    def save_version(self, draft_id: int, text: str, note: str = "保存", user: str = "", base_revision: int | None = None) -> int:
        """A numbered version of ``text`` (also the working text); returns its number. The draft's row
        is locked first (FOR UPDATE on PostgreSQL; SQLite has one writer per file), so two servers
        saving the same draft at once take turns: each gets the next number, none is lost; with
        ``base_revision``, a save on a working text changed since is refused (EditConflict)."""
        with self.transaction() as db:
            row = self._locked(db, draft_id, base_revision)
            self._write(db, draft_id, text, row[1] + 1, user)
            return self._add_version(db, draft_id, text, note, user)

    def require_revision(self, draft_id: int, base_revision: int | None) -> None:
        """EditConflict if the working text has changed since ``base_revision`` (before work that
        ends in a save, such as writing an export, is spent on a stale text)."""
        with self.transaction() as db:
            self._locked(db, draft_id, base_revision)

    def _locked(self, db, draft_id: int, base_revision: int | None) -> tuple:
        row = db.execute(f"SELECT working_text, revision, revised_by, updated_at FROM drafts WHERE id = ?{self.dialect.for_update}", (draft_id,)).fetchone()
        if row is None:
            raise QueryError(f"草稿 #{draft_id} 不存在", f"draft #{draft_id} does not exist")
        if base_revision is not None and int(base_revision) != row[1]:
            (versions,) = db.execute("SELECT COALESCE(MAX(number), 0) FROM draft_versions WHERE draft_id = ?", (draft_id,)).fetchone()
            who = row[2] or "另一窗口"
            raise EditConflict(
                f"此草稿已在别处修改（第 {versions} 版后，{who}，{local_time(row[3], self.timezone)}），本页的修改未保存：请“载入最新”后再改，或“另存为新版本”",
                f"this draft was changed elsewhere (after version {versions}, by {who}, at {row[3][:16]}); "
                "your edit was not saved: reload, or save it as a new version",
            )
        return row

    @staticmethod
    def _write(db, draft_id: int, text: str, revision: int, user: str) -> int:
        db.execute("UPDATE drafts SET working_text = ?, updated_at = ?, revision = ?, revised_by = ? WHERE id = ?", (text, now(), revision, user, draft_id))
        # the list names a draft by the title its text has now (a probe filled in 【待填：会议届次】 and the list still
        # showed three drafts as 关于【待填：会议届次】182号提案的答复函); a text with no title line keeps the last one
        if title := title_line(text):
            db.execute("UPDATE drafts SET title = ? WHERE id = ?", (title, draft_id))
        return revision

    @staticmethod
    def _add_version(db, draft_id: int, text: str, note: str, user: str) -> int:
        (last,) = db.execute("SELECT COALESCE(MAX(number), 0) FROM draft_versions WHERE draft_id = ?", (draft_id,)).fetchone()
        db.execute(
            "INSERT INTO draft_versions (draft_id, number, text, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (draft_id, last + 1, text, note, user, now()),
        )
        return last + 1

    def set_status(self, draft_id: int, status: str) -> None:
        if status not in STATUSES:
            raise QueryError(f"状态只能是 {'、'.join(STATUSES)}", f"status must be one of {', '.join(STATUSES)}")
        with self.transaction() as db:
            db.execute("UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?", (status, now(), draft_id))

    def update_base(self, draft_id: int, change) -> dict:
        """Read the draft's base (its Draft JSON), apply ``change(base) -> base`` and write it, in
        one transaction: two inserts at once must not lose each other's citation."""
        with self.transaction() as db:
            row = db.execute(f"SELECT base FROM drafts WHERE id = ?{self.dialect.for_update}", (draft_id,)).fetchone()
            if row is None:
                raise QueryError(f"草稿 #{draft_id} 不存在", f"draft #{draft_id} does not exist")
            base = change(json.loads(row[0]))
            db.execute("UPDATE drafts SET base = ? WHERE id = ?", (json.dumps(base, ensure_ascii=False), draft_id))
        return base

    def get(self, draft_id: int) -> SavedDraft:
        rows = self._query("SELECT * FROM drafts WHERE id = ?", (draft_id,))
        if not rows:
            raise QueryError(f"草稿 #{draft_id} 不存在", f"draft #{draft_id} does not exist")
        row = list(rows[0])
        row[4] = json.loads(row[4])
        return SavedDraft(*row)

    def list(self, owner: str | None = None, grantees: Iterable[str] = ()) -> list[dict]:
        """All drafts, or with ``owner`` only those it created or that are shared with one of ``grantees``."""
        where, params = "", []
        if owner is not None:
            grantees = list(grantees)
            where = f"WHERE d.created_by = ? OR d.id IN (SELECT draft_id FROM draft_shares WHERE grantee IN ({','.join('?' * len(grantees)) or 'NULL'})) "
            params = [owner, *grantees]
        rows = self._query(
            "SELECT d.id, d.title, d.status, d.updated_at, d.created_by, COUNT(v.id) FROM drafts d "
            f"LEFT JOIN draft_versions v ON v.draft_id = d.id {where}GROUP BY d.id ORDER BY d.updated_at DESC, d.id DESC",
            params,
        )
        return [{"id": r[0], "title": r[1], "status": r[2], "updated_at": r[3], "created_by": r[4], "versions": r[5]} for r in rows]

    def versions(self, draft_id: int) -> builtins.list[dict]:
        rows = self._query(
            "SELECT number, note, created_by, created_at, length(text) FROM draft_versions WHERE draft_id = ? ORDER BY number",
            (draft_id,),
        )
        return [{"number": r[0], "note": r[1], "created_by": r[2], "created_at": r[3], "chars": r[4]} for r in rows]

    def version_text(self, draft_id: int, number: int) -> str:
        rows = self._query("SELECT text FROM draft_versions WHERE draft_id = ? AND number = ?", (draft_id, number))
        if not rows:
            raise QueryError(f"草稿 #{draft_id} 没有第 {number} 版", f"draft #{draft_id} has no version {number}")
        return rows[0][0]

    def diff(self, draft_id: int, old: int, new: int) -> str:
        """A unified diff of two versions (line level)."""
        a, b = self.version_text(draft_id, old).splitlines(), self.version_text(draft_id, new).splitlines()
        return "\n".join(difflib.unified_diff(a, b, f"第{old}版", f"第{new}版", lineterm=""))

    def delete(self, draft_id: int) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))  # versions and shares go with it (cascade)

    def share(self, draft_id: int, grantee: str, revoke: bool = False) -> None:
        with self.transaction() as db:
            if revoke:
                db.execute("DELETE FROM draft_shares WHERE draft_id = ? AND grantee = ?", (draft_id, grantee))
            else:
                db.execute("INSERT INTO draft_shares (draft_id, grantee) VALUES (?, ?) ON CONFLICT DO NOTHING", (draft_id, grantee))

    def shares(self, draft_id: int) -> builtins.list[str]:
        return [r[0] for r in self._query("SELECT grantee FROM draft_shares WHERE draft_id = ? ORDER BY grantee", (draft_id,))]

    def audit(self, action: str, target: str = "", detail: str = "", user: str = "") -> None:
        """One line of the audit trail; a target or detail longer than ``AUDIT_FIELD_MAX`` (a long
        list of files) is cut there, whoever calls."""
        target, detail = str(target)[:AUDIT_FIELD_MAX], str(detail)[:AUDIT_FIELD_MAX]
        with self.transaction() as db:
            db.execute('INSERT INTO audit (at, "user", action, target, detail) VALUES (?, ?, ?, ?, ?)', (now(), user, action, target, detail))

    def audit_log(self, limit: int = 200) -> builtins.list[dict]:
        rows = self._query('SELECT at, "user", action, target, detail FROM audit ORDER BY id DESC LIMIT ?', (limit,))
        return [{"at": r[0], "user": r[1], "action": r[2], "target": r[3], "detail": r[4]} for r in rows]

    # -- login users (with a database URL; the users file otherwise) -----------------------------

    def users(self) -> dict[str, str]:
        """{name: password hash}."""
        return dict(self._query("SELECT name, password_hash FROM users ORDER BY name"))

    def has_users(self) -> bool:
        return bool(self._query("SELECT 1 FROM users LIMIT 1"))

    def user_roles(self) -> tuple[set[str], dict[str, set[str]]]:
        """(admins, {group: members})."""
        admins = {r[0] for r in self._query("SELECT name FROM users WHERE is_admin <> 0")}
        groups: dict[str, set[str]] = {}
        for group, name in self._query("SELECT group_name, user_name FROM user_groups ORDER BY group_name, user_name"):
            groups.setdefault(group, set()).add(name)
        return admins, groups

    def put_user(self, name: str, password_hash: str) -> None:
        """Add a user, or replace an existing user's password hash (roles kept)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash",
                (name, password_hash, now()),
            )

    def set_password_hash(self, name: str, password_hash: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))

    def grant_roles(self, name: str, admin: bool = False, groups: Iterable[str] = ()) -> None:
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is None:
                raise AssistantError(f"数据库中没有用户 {name}", f"no user {name} in the database")
            if admin:
                db.execute("UPDATE users SET is_admin = 1 WHERE name = ?", (name,))
            for group in groups:
                if group.strip():
                    db.execute("INSERT INTO user_groups (group_name, user_name) VALUES (?, ?) ON CONFLICT DO NOTHING", (group.strip(), name))

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {table: self._query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES}

    def copy_to(self, target: "Drafts", users: tuple | None = None) -> dict[str, int]:
        """Copy every draft, version, share and audit row, ids kept, into ``target`` (an empty book on
        either database: in practice drafts.db into PostgreSQL), in one transaction on each side:
        the source is held still while it is read (its write lock), the target gets all or nothing.
        Verified by counts per table; a target that already holds drafts is refused untouched.

        ``users`` = (users file's {name: hash}, admins, {group: members}): copied in the same target
        transaction into ``users``/``user_groups`` (admins and group members that are not users are
        left out); the result then also has "users", "admins" and "user_groups"."""
        with self.transaction() as source:
            rows = {table: source.execute(f"SELECT {columns} FROM {table} ORDER BY {columns.split(',')[0]}").fetchall() for table, columns in TABLES.items()}
        with target.transaction() as db:
            found = {
                table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in [*TABLES, *(("users", "user_groups") if users is not None else ())]
            }
            if any(found.values()):
                held = "，".join(f"{table} {n}" for table, n in found.items() if n)
                raise AssistantError(
                    f"目标库 {target.path} 已有数据（{held}），未做任何改动：只能迁移到空库",
                    f"{target.path} already holds data ({held}); nothing was changed: migrate into an empty database only",
                )
            for table, columns in TABLES.items():
                marks = ", ".join("?" * len(columns.split(",")))
                for start in range(0, len(rows[table]), 1000):
                    db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[table][start : start + 1000])
                if "id" in columns.split(", "):
                    target.dialect.reset_identity(db, table)
            copied = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}
            expected = {table: len(found) for table, found in rows.items()}
            if users is not None:
                hashes, admins, groups = users
                stamp = now()
                db.executemany(
                    "INSERT INTO users (name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?)",
                    [(name, stored, int(name in admins), stamp) for name, stored in hashes.items()],
                )
                members = sorted({(g, n) for g, names in groups.items() for n in names if n in hashes})
                db.executemany("INSERT INTO user_groups (group_name, user_name) VALUES (?, ?)", members)
                copied["users"] = db.execute("SELECT COUNT(*) FROM users").fetchone()[0]
                copied["admins"] = db.execute("SELECT COUNT(*) FROM users WHERE is_admin <> 0").fetchone()[0]
                copied["user_groups"] = db.execute("SELECT COUNT(*) FROM user_groups").fetchone()[0]
                expected.update(users=len(hashes), admins=len(set(admins) & set(hashes)), user_groups=len(members))
            if copied != expected:  # rolled back: the target stays empty
                raise AssistantError(
                    f"迁移核对不符：应为 {expected}，实为 {copied}；目标库未改动",
                    f"migration counts differ: expected {expected}, found {copied}; the target is unchanged",
                )
        return copied


class DraftBook(Drafts, SQLiteFile):
    """Drafts in a SQLite file (the default). ``DraftBook("postgresql://…")`` gives a ``PostgresDraftBook``."""

    migrations = migrations_for(SQLITE)

    def integrity_problems(self, quick: bool = True) -> list[str]:
        """drafts.db checked page by page (SQLite's quick_check, or the full check), one line with the fix."""
        import sqlite3

        try:
            problems = [r[0] for r in self._query("PRAGMA quick_check" if quick else "PRAGMA integrity_check") if r[0] != "ok"]
            if not problems:
                for table in TABLES:  # every row readable, not just the pages the check visits
                    self._query(f"SELECT * FROM {table}")
        except (sqlite3.DatabaseError, DamagedFile) as exc:
            problems = [str(getattr(exc, "__cause__", None) or exc)]
        return (
            [
                f"草稿库 {self.path.name} 已损坏（{'；'.join(' '.join(p.split())[:120] for p in problems[:3])}）：草稿和版本可能无法读取，请从备份恢复该文件 / "
                f"{self.path.name} is damaged ({'; '.join(' '.join(p.split())[:120] for p in problems[:3])}): restore it from a backup"
            ]
            if problems
            else []
        )

    def __new__(cls, target, *args, **kwargs):
        if is_database_url(target):
            return PostgresDraftBook(target)  # not a DraftBook subclass, so __init__ is not run twice
        return super().__new__(cls)


class PostgresDraftBook(Drafts, PostgresDatabase):
    """Drafts in PostgreSQL (``REPLY_ASSISTANT_DATABASE_URL``): any app server opens any draft."""

    migrations = migrations_for(POSTGRES)
    component = "drafts"

    def integrity_problems(self, quick: bool = True) -> list[str]:
        """Every table read through (PostgreSQL checks its own pages; a failure to read is what we can see)."""
        try:
            for table in TABLES:
                self._query(f"SELECT COUNT(*) FROM {table}")
        except Exception as exc:  # psycopg raises its own error classes
            return [f"草稿数据库读取失败（{exc}）：请检查 PostgreSQL / the drafts database cannot be read ({exc}): check PostgreSQL"]
        return []


def open_book(target) -> Drafts:
    """A SQLite path or a postgresql:// URL."""
    return PostgresDraftBook(str(target)) if is_database_url(str(target)) else DraftBook(target)
