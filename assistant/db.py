"""A SQLite file shared by threads: one writer connection under a lock, all-or-nothing
transactions, and a read connection per thread.

Reads never queue behind a write: in WAL mode each reader sees the last committed state while a
long transaction (a large ingest) is still writing, so a search during an upload neither waits
nor sees half a document."""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from .errors import AssistantError

_STORAGE_FAILURES = ("readonly", "read-only", "disk is full", "disk i/o", "database or disk is full", "unable to open")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


class SQLiteFile:
    schema = ""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One writer connection shared by threads (the UI serves several); the lock serialises writes.
        self._lock = threading.RLock()
        self._writer: int | None = None  # thread id inside transaction(): its reads must see its own writes
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            with self.transaction() as db:
                for statement in filter(str.strip, self.schema.split(";")):
                    db.execute(statement)
                self.initialise(db)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and any(f in str(exc).lower() for f in _STORAGE_FAILURES):
                raise AssistantError(f"无法打开 {self.path}（{exc}）", f"cannot open {self.path} ({exc})") from exc
            # "file is not a database", "database disk image is malformed": say what to do, no traceback
            raise AssistantError(
                f"数据库文件 {self.path} 已损坏或不是 SQLite 文件（{exc}）：请从备份恢复，或移走该文件后重新导入",
                f"{self.path} is corrupt or not a SQLite database ({exc}): restore it from a backup, or move it away and ingest again",
            ) from exc
        restrict_permissions(self.path)

    def initialise(self, db: sqlite3.Connection) -> None:
        """Rows a new file needs (subclasses)."""

    def close(self) -> None:
        with self._lock:
            self._conn.close()
        with self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self._local = threading.local()

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

    def _reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (opened on first use)."""
        reader = getattr(self._local, "conn", None)
        if reader is None:
            reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            reader.execute("PRAGMA query_only=ON")
            self._local.conn = reader
            with self._readers_lock:
                self._readers.append(reader)
        return reader

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """Rows of a read. The thread inside a transaction reads through the writer (its own
        uncommitted rows); every other thread through its reader, without waiting for the writer."""
        if self._writer == threading.get_ident():
            return self._conn.execute(sql, tuple(params)).fetchall()
        return self._reader().execute(sql, tuple(params)).fetchall()
