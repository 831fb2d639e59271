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
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import AssistantError

_STORAGE_FAILURES = ("readonly", "read-only", "disk is full", "disk i/o", "database or disk is full", "unable to open")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


class SQLiteFile:
    # The file's version is PRAGMA user_version: ``migrations[n]`` takes a file from version n to
    # n + 1, in order, in the opening transaction. A file newer than the code is refused: an old
    # program must not write into a shape it does not know. Migration 1 brings any file from before
    # versioning (user_version 0) to the shape it had then, so it must be safe on a file that has it.
    migrations: tuple[Migration, ...] = ()

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
        (found,), = db.execute("PRAGMA user_version").fetchall()
        if found > self.version:
            raise AssistantError(
                f"{self.path.name} 的格式版本为 {found}，本程序只认识到 {self.version}：请升级 reply-assistant 后再打开（文件未改动）",
                f"{self.path.name} has format version {found}, newer than this program's {self.version}: "
                "upgrade reply-assistant to open it (the file is unchanged)",
            )
        for step in self.migrations[found:]:
            step(db)
        if found < self.version:
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
        finally:
            if self._closed or self._idle_readers.qsize() >= MAX_IDLE_READERS:
                reader.close()
            else:
                self._idle_readers.put(reader)
