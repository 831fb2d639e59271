"""What every tab's handlers share: the acting user, the error decorator, the context."""

from __future__ import annotations

import functools
import html
import logging
import os
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import gradio as gr

from ..errors import AssistantError, QueryError
from ..service import Assistant

if TYPE_CHECKING:
    from .security import FileOwners

log = logging.getLogger("assistant.web")


def user_of(request: gr.Request | None) -> str:
    """The logged-in user name ('' without login)."""
    return (getattr(request, "username", None) or "") if request is not None else ""


def require(value, message: str) -> None:
    """Stop a handler with ``message`` shown to the user when a needed input is empty."""
    if not value:
        log.info("refused: %s", message)
        raise gr.Error(message, print_exception=False)


def as_id(value) -> int:
    """A draft or version number as a page or script sent it ("12", 12.0, "12.0")."""
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError, OverflowError):
        raise QueryError(f"编号无效：{str(value)[:20]}", f"not a number: {str(value)[:20]}") from None


def as_revision(value) -> int | None:
    """The revision an editor's text is based on, as the page sent it; None (no check) from a
    script that sends none."""
    return None if value is None or value == "" else as_id(value)


def handler(method):
    """An event handler: an AssistantError becomes the Chinese/English message in the page (kept
    open until closed) and one line in the log; anything else — a fault of ours — a plain message
    in the page and its traceback in the log, never the raw exception text in the page. Keeps the
    signature Gradio reads for its inputs."""

    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except AssistantError as exc:
            log.info("refused in %s: %s", method.__name__, exc.en)
            raise gr.Error(str(exc), duration=None, print_exception=False) from exc
        except gr.Error:
            raise
        except Exception as exc:
            reference = f"{method.__name__}-{int(time.time())}-{uuid.uuid4().hex[:6]}"
            log.exception("unexpected error in %s (reference %s)", method.__name__, reference)
            raise gr.Error(
                f"操作未完成：程序内部错误，已记入日志（编号 {reference}），请稍后重试或联系管理员 / "
                f"the operation failed with an internal error, logged as {reference}",
                duration=None,
                print_exception=False,
            ) from exc

    return wrapped


@dataclass
class Context:
    """The service, and who uploaded or exported each temp file (``security.FileOwners``, None in
    tests that build the page without a server)."""

    assistant: Assistant
    owners: FileOwners | None = None

    @property
    def settings(self):
        return self.assistant.settings

    def local(self, stamp: str) -> str:
        """A stored UTC time as the office reads it (settings.timezone): 2026-12-05 17:19."""
        from ..db import local_time

        return local_time(stamp, self.settings.timezone)

    def season_greeting(self, request: gr.Request | None = None) -> str:
        """The register's line for this user at the top of the page; nothing when the register cannot
        be read (the page must open regardless)."""
        try:
            return self.assistant.season_greeting(user_of(request))
        except Exception:  # a locked or damaged database, a bad date: the page opens regardless
            log.warning("the cases register could not be read for the greeting", exc_info=True)
            return ""

    def current_user(self, request: gr.Request | None = None) -> str:
        """当前用户：张三 · 退出 — nothing without login. 退出 is Gradio's logout route (the cookie goes, our login page comes)."""
        user = user_of(request)
        return (
            f"<div style='text-align:right'>当前用户：{html.escape(user)} · <a href='logout?all_session=false' id='logout-link'>退出</a></div>" if user else ""
        )

    def own_file(self, path, request) -> None:
        """A file input must be one the caller uploaded: Gradio accepts any path in its cache."""
        if self.owners is not None and path:
            where = path if isinstance(path, (str, os.PathLike)) else path.name  # a Gradio file object's .name is its path
            self.owners.check_input(where, user_of(request))

    def record_export(self, path, request) -> None:
        if self.owners is not None:
            self.owners.record_export(path, user_of(request))
