"""A resource opened on first use (the corpus, the drafts database), once, from any thread.

The services are handed these as constructor arguments: ``lint`` or ``export`` of a Markdown file
never opens the index (nor imports numpy), and a test can hand a service a resource it built."""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    def __init__(self, open_: Callable[[], T]):
        self._open = open_
        self._value: T | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._open()
            return self._value

    @property
    def opened(self) -> bool:
        return self._value is not None

    def close(self) -> None:
        """Close it if it was opened (the next call opens it again)."""
        with self._lock:
            value, self._value = self._value, None
        if value is not None:
            value.close()  # type: ignore[attr-defined]
