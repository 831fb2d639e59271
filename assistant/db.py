"""A SQLite file shared by threads: one writer connection under a lock, all-or-nothing
transactions, and a small pool of read connections.

Reads never queue behind a write: in WAL mode each reader sees the last committed state while a
long transaction (a large ingest) is still writing, so a search during an upload neither waits
nor sees half a document."""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Iterator, Protocol

from .errors import AssistantError

_STORAGE_FAILURES = ("readonly", "read-only", "disk is full", "disk i/o", "database or disk is full", "unable to open")
_DAMAGE = ("malformed", "not a database", "corrupt")


class DamagedFile(AssistantError):
    """A database file with a damaged page: reads that reach it fail with this."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def today_in(zone: str = "Asia/Shanghai") -> date:
    """Today where the office is (a letter drafted at 07:00 in 温州 is dated that day, on a UTC server too)."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(zone)).date()


def local_time(stamp: str, zone: str = "Asia/Shanghai") -> str:
    """A stored UTC time (2026-12-05T09:19:41+00:00) as people read it: 2026-12-05 17:19 in ``zone``; a
    stamp without a zone is taken as UTC, one that cannot be read is shown as it is."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        when = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    try:
        place = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        place = ZoneInfo("Asia/Shanghai")
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(place).strftime("%Y-%m-%d %H:%M")


MAX_IDLE_READERS = 8  # more than the web app's concurrent requests (4) and their helper threads


def restrict_permissions(path: Path) -> None:
    """Owner-only (0600): drafts and the indexed corpus may be confidential; SQLite creates its
    files with the umask (usually 0644). The -wal/-shm companions hold the same data."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            os.chmod(candidate, 0o600)
        except FileNotFoundError:
            continue
        except PermissionError:  # a file shared deliberately by another account: leave it
            continue


Migration = Callable[[sqlite3.Connection], None]


def create_tables(schema: str) -> Migration:
    """A migration that runs ``schema``'s statements (CREATE … IF NOT EXISTS)."""

    def run(db: sqlite3.Connection) -> None:
        for statement in filter(str.strip, schema.split(";")):
            db.execute(statement)

    return run


def add_missing_column(table: str, column: str, definition: str) -> Migration:
    def run(db: sqlite3.Connection) -> None:
        if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    return run


def run_migrations(db, migrations, found: int, what: str, kind: str) -> bool:
    """Apply ``migrations[found:]`` in order; True if any ran (the caller records the new version).
    A ``found`` newer than the code is refused: an old program must not write into a shape it does
    not know. ``kind``: "文件 / file" or "数据库 / database", for the message."""
    zh_kind, en_kind = kind.split(" / ")
    if found > len(migrations):
        raise AssistantError(
            f"{what} 的格式版本为 {found}，本程序只认识到 {len(migrations)}：请升级 reply-assistant 后再打开（{zh_kind}未改动）",
            f"{what} has format version {found}, newer than this program's {len(migrations)}: upgrade reply-assistant to open it (the {en_kind} is unchanged)",
        )
    for step in migrations[found:]:
        step(db)
    return found < len(migrations)


class Connection(Protocol):
    """What a transaction yields on either database: a sqlite3.Connection or a ``PgConnection``."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Any, /) -> Any: ...


class Database:
    """The interface ``SQLiteFile`` and ``PostgresDatabase`` share, for stores that run on either (the drafts book)."""

    dialect: ClassVar[Dialect]
    migrations: tuple[Migration, ...] = ()
    path: Path | str  # shown in messages

    def transaction(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SQLiteFile(Database):
    # The file's version is PRAGMA user_version: ``migrations[n]`` takes a file from version n to
    # n + 1, in order, in the opening transaction. A file newer than the code is refused: an old
    # program must not write into a shape it does not know. Migration 1 brings any file from before
    # versioning (user_version 0) to the shape it had then, so it must be safe on a file that has it.
    migrations: tuple[Migration, ...] = ()
    path: Path

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One writer connection shared by threads (the UI serves several); the lock serialises writes.
        self._lock = threading.RLock()
        self._writer: int | None = None  # thread id inside transaction(): its reads must see its own writes
        # Idle read connections, reused by any thread: a connection per thread would pile up, since
        # the web server's worker threads come and go.
        self._idle_readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._closed = False
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            with self.transaction() as db:
                self._migrate(db)
                self.initialise(db)
        except AssistantError:
            self._conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and any(f in str(exc).lower() for f in _STORAGE_FAILURES):
                raise AssistantError(f"无法打开 {self.path}（{exc}）", f"cannot open {self.path} ({exc})") from exc
            # "file is not a database", "database disk image is malformed": say what to do, no traceback
            raise AssistantError(
                f"数据库文件 {self.path} 已损坏或不是 SQLite 文件（{exc}）：请从备份恢复，或移走该文件后重新导入",
                f"{self.path} is corrupt or not a SQLite database ({exc}): restore it from a backup, or move it away and ingest again",
            ) from exc
        restrict_permissions(self.path)

    @property
    def version(self) -> int:
        """The version this code writes: the number of migrations."""
        return len(self.migrations)

    def _migrate(self, db: sqlite3.Connection) -> None:
        ((found,),) = db.execute("PRAGMA user_version").fetchall()
        if run_migrations(db, self.migrations, found, self.path.name, "文件 / file"):
            db.execute(f"PRAGMA user_version = {self.version}")

    def initialise(self, db: sqlite3.Connection) -> None:
        """Rows a new file needs (subclasses)."""

    def close(self) -> None:
        self._closed = True
        with self._lock:
            self._conn.close()
        while True:
            try:
                self._idle_readers.get_nowait().close()
            except queue.Empty:
                break

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: on any exception the database is as it was before."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                self._raise_storage_error(exc)
            outer, self._writer = self._writer, threading.get_ident()
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    self._raise_storage_error(exc)
                raise
            finally:
                self._writer = outer

    def _raise_storage_error(self, exc: sqlite3.OperationalError) -> None:
        """A full or read-only disk becomes a message a person can act on; anything else is re-raised."""
        if not any(f in str(exc).lower() for f in _STORAGE_FAILURES):
            raise exc
        raise AssistantError(
            f"无法写入 {self.path.name}（磁盘已满或只读：{exc}），之前保存的内容未受影响",
            f"cannot write {self.path.name} (disk full or read-only: {exc}); what was saved before is intact",
        ) from exc

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """Rows of a read. The thread inside a transaction reads through the writer (its own
        uncommitted rows); every other thread through an idle reader, without waiting for the writer."""
        if self._writer == threading.get_ident():
            return self._conn.execute(sql, tuple(params)).fetchall()
        if self._closed:
            raise sqlite3.ProgrammingError(f"{self.path.name} is closed")
        try:
            reader = self._idle_readers.get_nowait()
        except queue.Empty:
            reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            reader.execute("PRAGMA query_only=ON")
        try:
            return reader.execute(sql, tuple(params)).fetchall()
        except sqlite3.DatabaseError as exc:
            self._raise_damage(exc)
            raise
        finally:
            if self._closed or self._idle_readers.qsize() >= MAX_IDLE_READERS:
                reader.close()
            else:
                self._idle_readers.put(reader)

    def _raise_damage(self, exc: sqlite3.DatabaseError) -> None:
        """A damaged page met by a read: one line saying so and what to do, never SQLite's raw text in
        a page (PRAGMA checks ask for their findings and get them; see integrity_problems)."""
        if any(mark in str(exc).lower() for mark in _DAMAGE):
            raise DamagedFile(
                f"{self.path.name} 文件已损坏，无法读取（{exc}）：请运行 reply-assistant check 查看并按提示修复",
                f"{self.path.name} is damaged and cannot be read ({exc}): run `reply-assistant check`",
            ) from exc


# ---------------------------------------------------------------------------------------------
# Dialects. The drafts book runs on SQLite (the default, one file) or PostgreSQL (several app
# servers, REPLY_ASSISTANT_DATABASE_URL). Its SQL is written once, with ``?`` placeholders and
# ``INSERT … RETURNING`` / ``ON CONFLICT DO NOTHING`` (both engines have them); what differs is here:
#
#   what                      SQLite (SQLiteFile)                PostgreSQL (PostgresDatabase)
#   placeholders              ?                                  %s (translated in PgConnection.execute)
#   generated ids             INTEGER PRIMARY KEY AUTOINCREMENT  BIGINT GENERATED BY DEFAULT AS IDENTITY
#   format version            PRAGMA user_version                schema_version table, one row per component
#   transactions              BEGIN IMMEDIATE: one writer        BEGIN … COMMIT per connection; rows
#                             per file, so no row locks needed   locked with SELECT … FOR UPDATE
#   concurrent migrations     the file's write lock              pg_advisory_xact_lock
#   explicit ids (migrate)    sqlite_sequence follows by itself  setval() the identity's sequence
# ---------------------------------------------------------------------------------------------


class Dialect:
    name = "sqlite"
    identity = "INTEGER PRIMARY KEY AUTOINCREMENT"  # a column that numbers itself, never reusing a number
    for_update = ""  # appended to a SELECT that must lock the row it reads until commit (BEGIN IMMEDIATE already does)

    def reset_identity(self, db, table: str) -> None:
        """After rows were inserted with explicit ids, the next generated id follows the largest."""


class PostgresDialect(Dialect):
    name = "postgresql"
    identity = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    for_update = " FOR UPDATE"

    def reset_identity(self, db, table: str) -> None:
        db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}")


SQLITE, POSTGRES = Dialect(), PostgresDialect()
SQLiteFile.dialect = SQLITE


def is_database_url(target) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=netloc[0].split(":", 1)[0] + ":***@" + netloc[1]))


class PgConnection:
    """A psycopg connection that takes the SQLite-style SQL of the stores: ``?`` placeholders."""

    def __init__(self, conn):
        self.raw = conn

    @staticmethod
    def sql(text: str) -> str:
        return text.replace("%", "%%").replace("?", "%s")  # the stores' SQL has no ? or % in literals

    def execute(self, sql: str, params: Iterable = ()):
        return self.raw.execute(self.sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(self.sql(sql), rows)


PG_MAX_CONNECTIONS = 10  # per process and database: N app servers × 10 stay well under PostgreSQL's default 100
PG_MAX_IDLE = 4


class PostgresDatabase(Database):
    """The PostgreSQL twin of ``SQLiteFile``: the same ``migrations``/``transaction()``/``_query()``.

    Each transaction takes a connection of its own from a small pool (there is no process-wide writer
    lock: several threads, and several app servers, write at once, and the rows they must not both
    change are locked with ``SELECT … FOR UPDATE``). The format version lives in ``schema_version``
    (one row per ``component``); migrations run in one transaction under an advisory lock, so two
    servers starting together migrate once, and a database newer than the code is refused unchanged."""

    dialect = POSTGRES
    migrations: tuple[Migration, ...] = ()
    component = "store"
    path: str  # the URL without its password

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError as exc:
            raise AssistantError(
                "使用 PostgreSQL 需要安装 psycopg：pip install 'psycopg[binary]>=3.2'", "PostgreSQL needs psycopg: pip install 'psycopg[binary]>=3.2'"
            ) from exc
        self._psycopg = psycopg
        self.url = url
        self.name = self.path = safe_url(url)  # shown in messages where a file's path would be; never the password
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(PG_MAX_CONNECTIONS)
        self._local = threading.local()
        self._closed = False
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(hashtext('reply-assistant schema'))")
            self._migrate(db)
            self.initialise(db)

    @property
    def version(self) -> int:
        return len(self.migrations)

    def _migrate(self, db: PgConnection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        row = db.execute("SELECT version FROM schema_version WHERE component = ?", (self.component,)).fetchone()
        found = row[0] if row else 0
        if run_migrations(db, self.migrations, found, f"{self.component} in {self.name}", "数据库 / database"):
            db.execute(
                "INSERT INTO schema_version (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version",
                (self.component, self.version),
            )

    def initialise(self, db) -> None:
        """Rows a new database needs (subclasses)."""

    def _connect(self):
        try:
            return self._psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except self._psycopg.Error as exc:
            raise AssistantError(
                f"无法连接 PostgreSQL {self.name}（{str(exc).strip()}）", f"cannot connect to PostgreSQL {self.name} ({str(exc).strip()})"
            ) from exc

    @contextmanager
    def _connection(self) -> Iterator:
        if self._closed:
            raise self._psycopg.InterfaceError(f"{self.name} is closed")
        self._slots.acquire()
        conn = None
        try:
            while conn is None:
                try:
                    conn = self._idle.get_nowait()
                except queue.Empty:
                    conn = self._connect()
                    break
                try:  # an idle connection may have died with a server restart: find out before using it
                    conn.execute("")
                except self._psycopg.Error:
                    conn.close()
                    conn = None
            yield conn
        finally:
            if conn is not None:
                idle = conn.info.transaction_status == self._psycopg.pq.TransactionStatus.IDLE
                if self._closed or conn.broken or not idle or self._idle.qsize() >= PG_MAX_IDLE:
                    conn.close()
                else:
                    self._idle.put(conn)
            self._slots.release()

    @contextmanager
    def transaction(self) -> Iterator[PgConnection]:
        """All-or-nothing: on any exception the database is as it was before. A transaction inside
        another one on the same thread joins it (the outer one commits)."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._connection() as conn:
            self._local.conn = PgConnection(conn)
            try:
                with conn.transaction():
                    yield self._local.conn
            except self._psycopg.OperationalError as exc:
                raise AssistantError(
                    f"无法写入 PostgreSQL {self.name}（{str(exc).strip()}），之前保存的内容未受影响",
                    f"cannot write to PostgreSQL {self.name} ({str(exc).strip()}); what was saved before is intact",
                ) from exc
            finally:
                self._local.conn = None

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """Rows of a read: inside this thread's transaction through its connection, else through any idle one."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            return current.execute(sql, params).fetchall()
        with self._connection() as conn:
            try:
                return PgConnection(conn).execute(sql, params).fetchall()
            except self._psycopg.OperationalError as exc:
                raise AssistantError(
                    f"无法读取 PostgreSQL {self.name}（{str(exc).strip()}）", f"cannot read from PostgreSQL {self.name} ({str(exc).strip()})"
                ) from exc

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                break
