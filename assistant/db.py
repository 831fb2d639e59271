"""A SQLite file shared by threads: one connection, a lock, all-or-nothing transactions."""

from __future__ import annotations

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


class SQLiteFile:
    schema = ""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by threads (the UI serves several); the lock serialises use.
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        with self.transaction() as db:
            for statement in filter(str.strip, self.schema.split(";")):
                db.execute(statement)
            self.initialise(db)

    def initialise(self, db: sqlite3.Connection) -> None:
        """Rows a new file needs (subclasses)."""

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: on any exception the database is as it was before."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                self._raise_storage_error(exc)
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    self._raise_storage_error(exc)
                raise

    def _raise_storage_error(self, exc: sqlite3.OperationalError) -> None:
        """A full or read-only disk becomes a message a person can act on; anything else is re-raised."""
        if not any(f in str(exc).lower() for f in _STORAGE_FAILURES):
            raise exc
        raise AssistantError(
            f"无法写入 {self.path.name}（磁盘已满或只读：{exc}），之前保存的内容未受影响",
            f"cannot write {self.path.name} (disk full or read-only: {exc}); what was saved before is intact",
        ) from exc

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()
