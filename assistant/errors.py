"""Errors a user can act on. Each carries a Chinese message first, then English."""


class AssistantError(Exception):
    """Base class; ``str(err)`` is shown to the user as is."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


class LoadError(AssistantError):
    """A file could not be turned into text (unreadable, empty, binary, too large, …)."""


class QueryError(AssistantError):
    """A search query or eval file is unusable."""


class IndexStateError(AssistantError):
    """The on-disk index is missing, built with another model, or inconsistent."""
