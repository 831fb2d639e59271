"""What stands between the network and Gradio's routes (issue 13).

* ``Gate`` (ASGI middleware): with login on, only the login page, static assets and the routes
  Gradio itself guards answer without a session — the rest (openapi.json, run history, app info,
  heartbeats …) gets 401. A file under ``data_dir/exports/<user folder>/`` or Gradio's temp copy of
  one is served only to the user who exported it (others: 404). It also hands the client address
  to the login check (``auth.CLIENT_ADDRESS``), which Gradio's auth callable does not receive.
* ``private_temp_dir``: Gradio's temp dir inside ``data_dir`` (0700), not the shared /tmp/gradio.
* ``Janitor``: deletes exports and temp files older than ``export_keep_hours``, at start and hourly.
* ``check_port``: a port in use is one clear line before anything starts.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
from pathlib import Path

from .. import exports
from ..auth import CLIENT_ADDRESS
from ..errors import AssistantError

# Reachable without a session: the page itself (it shows the login form), its static files, the
# login/logout routes, the two routes the login page calls that answer 401 by themselves, and
# startup-events, which Gradio's launch() calls without a session to start the queue.
PUBLIC_PATHS = {"/", "/login", "/login/", "/logout", "/favicon.ico", "/manifest.json", "/robots.txt", "/theme.css",
                "/gradio_api/theme.css", "/config", "/config/", "/gradio_api/login_check", "/gradio_api/login_check/",
                "/gradio_api/startup-events"}
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")
FILE_PREFIXES = ("/gradio_api/file=", "/gradio_api/file/")


def private_temp_dir(data_dir: Path) -> Path:
    """``data_dir/tmp`` (0700, emptied) as Gradio's temp dir. Set before any component is built:
    each one reads GRADIO_TEMP_DIR when it is made."""
    folder = exports.private_dir(Path(data_dir).resolve() / "tmp")
    exports.empty_dir(folder)
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder


def check_port(host: str, port: int) -> None:
    """Raise a one-line error when ``host:port`` cannot be listened on (busy, forbidden, no such address)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is not "busy"
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise port_in_use(port) from None
        reason = exc.strerror or str(exc)
        raise AssistantError(f"无法在 {host}:{port} 上监听：{reason}", f"cannot listen on {host}:{port}: {reason}") from None


def port_in_use(port: int) -> AssistantError:
    return AssistantError(f"端口 {port} 已被占用", f"port {port} is already in use")


class Janitor:
    """Deletes exports and temp files older than ``hours``: once now, then every ``every`` seconds."""

    def __init__(self, data_dir: Path, temp_dir: Path, hours: float, every: float = 3600.0):
        self.data_dir, self.temp_dir, self.hours, self.every = data_dir, temp_dir, hours, every
        self._timer: threading.Timer | None = None
        self._stopped = threading.Event()

    def run_once(self) -> None:
        # temp copies first: an export's copy never outlives the export it is checked against
        exports.remove_older_than(self.temp_dir, self.hours)
        exports.cleanup(self.data_dir, self.hours)

    def _tick(self) -> None:
        if self._stopped.is_set():
            return
        try:
            self.run_once()
        finally:
            self._schedule()

    def _schedule(self) -> None:
        if not self._stopped.is_set():
            self._timer = threading.Timer(self.every, self._tick)
            self._timer.daemon = True
            self._timer.start()

    def start(self) -> "Janitor":
        self.run_once()
        self._schedule()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._timer is not None:
            self._timer.cancel()


class Gate:
    """ASGI middleware in front of Gradio's routes (see the module docstring)."""

    def __init__(self, app, data_dir: Path, temp_dir: Path):
        self.app, self.data_dir, self.temp_dir = app, Path(data_dir), os.path.realpath(temp_dir)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        client = scope.get("client")
        address = CLIENT_ADDRESS.set(client[0] if client else "")
        try:
            gradio_app = scope.get("app")
            login_on = getattr(gradio_app, "auth", None) is not None
            user = self.user_of(scope, gradio_app) if login_on else ""
            path = scope.get("path", "")
            if user is None and not self.public(path):
                return await self.refuse(scope, receive, send, 401, "请先登录 / not logged in")
            wanted = self.requested_file(path)
            if wanted is not None and not self.may_read(wanted, user or ""):
                return await self.refuse(scope, receive, send, 404, "文件不存在 / file not found")
            await self.app(scope, receive, send)
        finally:
            CLIENT_ADDRESS.reset(address)

    @staticmethod
    def public(path: str) -> bool:
        return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)

    @staticmethod
    def user_of(scope, gradio_app) -> str | None:
        from starlette.requests import HTTPConnection

        cookies = HTTPConnection(scope).cookies
        cookie_id = getattr(gradio_app, "cookie_id", "")
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
        return gradio_app.tokens.get(token) if token else None

    @staticmethod
    async def refuse(scope, receive, send, status: int, message: str):
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        from starlette.responses import JSONResponse

        await JSONResponse({"detail": message}, status_code=status)(scope, receive, send)

    @staticmethod
    def requested_file(path: str) -> str | None:
        for prefix in FILE_PREFIXES:
            if path.startswith(prefix):
                wanted = path[len(prefix):]
                return None if "://" in wanted else wanted
        return None

    def may_read(self, wanted: str, user: str) -> bool:
        real = os.path.realpath(os.path.abspath(wanted))
        mine = exports.user_folder_name(user)
        folder = exports.owner_folder(Path(real), self.data_dir)
        if folder is not None:
            return folder == mine
        if real.startswith(self.temp_dir + os.sep):
            owners = self.copy_owners(Path(real))
            return owners is None or mine in owners
        return True

    def copy_owners(self, copy: Path) -> set[str] | None:
        """Whose export a file in Gradio's temp dir is a copy of. Gradio files a copy under
        ``<temp>/<hash of the content>/<name>``, so it is matched by name and content hash. None: not
        an export copy. A .docx that matches no current export (its export was cleaned up) has no
        owner and is refused — it cannot be told from a copy of someone's letter."""
        from gradio.processing_utils import hash_file
        from gradio_client.utils import strip_invalid_filename_characters

        owners: set[str] = set()
        for folder, path in exports.exported_files(self.data_dir):
            if strip_invalid_filename_characters(path.name) == copy.name:
                try:
                    if hash_file(path) == copy.parent.name:
                        owners.add(folder)
                except OSError:
                    continue
        if owners or copy.suffix.lower() == ".docx":
            return owners
        return None
