"""What every tab's handlers share: the acting user, the error decorator, the context."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: never phone home

import gradio as gr  # noqa: E402  (this module is loaded only to serve the app)

from ..errors import AssistantError  # noqa: E402
from ..service import Assistant  # noqa: E402


def user_of(request: gr.Request | None) -> str:
    """The logged-in user name ('' without login)."""
    return (getattr(request, "username", None) or "") if request is not None else ""


def require(value, message: str) -> None:
    """Stop a handler with ``message`` shown to the user when a needed input is empty."""
    if not value:
        raise gr.Error(message)


def handler(method):
    """An event handler: an AssistantError becomes the Chinese/English message in the page (kept
    open until closed), never a traceback. Keeps the signature Gradio reads for its inputs."""

    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except AssistantError as exc:
            raise gr.Error(str(exc), duration=None) from exc

    return wrapped


@dataclass
class Context:
    """The service, and who uploaded or exported each temp file (``security.FileOwners``, None in
    tests that build the page without a server)."""

    assistant: Assistant
    owners: object | None = None

    @property
    def settings(self):
        return self.assistant.settings

    def own_file(self, path, request) -> None:
        """A file input must be one the caller uploaded: Gradio accepts any path in its cache."""
        if self.owners is not None and path:
            where = path if isinstance(path, (str, os.PathLike)) else path.name  # a Gradio file object's .name is its path
            self.owners.check_input(where, user_of(request))

    def record_export(self, path, request) -> None:
        if self.owners is not None:
            self.owners.record_export(path, user_of(request))
