"""What stands between the network and Gradio's routes (issue 13).

* ``Gate`` (ASGI middleware): with login on, only the login page, static assets and the routes
  Gradio itself guards answer without a session — the rest (openapi.json, run history, app info,
  heartbeats …) gets 401. A file under ``data_dir/exports/<user folder>/``, or in Gradio's temp dir
  (an upload, the copy of an export), is served only to the user who put it there (``FileOwners``;
  others: 404), and a URL is never fetched for a caller. It also hands the client address to the
  login check (``auth.CLIENT_ADDRESS``), which Gradio's auth callable does not receive.
* ``private_temp_dir``: the folder inside ``data_dir`` (0700) that ``app.serving_environment`` makes
  Gradio's temp dir, not the shared /tmp/gradio.
* ``Janitor``: deletes exports and temp files older than ``export_keep_hours``, at start and hourly.
* ``check_port``: a port in use is one clear line before anything starts.
"""

from __future__ import annotations

import errno
import html
import os
import socket
import threading
from pathlib import Path

from ..drafts import exports
from ..errors import AssistantError
from ..users import CLIENT_ADDRESS

# Reachable without a session: the page itself (it shows the login form), its static files, the
# login/logout routes, the two routes the login page calls that answer 401 by themselves, and
# startup-events, which Gradio's launch() calls without a session to start the queue.
PUBLIC_PATHS = {
    "/",
    "/login",
    "/login/",
    "/logout",
    "/favicon.ico",
    "/manifest.json",
    "/robots.txt",
    "/theme.css",
    "/gradio_api/theme.css",
    "/config",
    "/config/",
    "/gradio_api/login_check",
    "/gradio_api/login_check/",
    "/gradio_api/startup-events",
}
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")
FILE_PREFIXES = ("/gradio_api/file=", "/gradio_api/file/")


# The login page, ours: Chinese labels and errors, the unit's name; it posts to Gradio's /login (which sets the
# session cookie) and reloads, and shows the server's own message when refused (wrong password, a lockout).
LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 答复函助手</title>
<style>
body {font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; background: #f3f4f6; margin: 0}
main {max-width: 360px; margin: 12vh auto; background: #fff; padding: 32px 36px; border-radius: 8px; box-shadow: 0 2px 12px #0001}
h1 {font-size: 20px; margin: 0 0 4px} p.unit {color: #6b7280; margin: 0 0 24px}
label {display: block; margin: 14px 0 6px; color: #374151} input {width: 100%; box-sizing: border-box; padding: 9px 10px; font-size: 15px;
border: 1px solid #d1d5db; border-radius: 6px} button {margin-top: 22px; width: 100%; padding: 10px; font-size: 16px; background: #ea580c;
color: #fff; border: 0; border-radius: 6px; cursor: pointer} #error {color: #b91c1c; min-height: 1.4em; margin-top: 14px}
</style></head><body><main>
<h1>答复函助手</h1><p class="unit">{unit} · 政协提案 / 人大建议答复起草</p>
<form id="login"><label for="username">用户名</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login-button">登录</button><div id="error" role="alert"></div></form>
<script>
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('error');
  error.textContent = '';
  const body = new URLSearchParams(new FormData(event.target));
  try {
    const answer = await fetch('login', {method: 'POST', body, credentials: 'same-origin'});
    if (answer.ok) { location.reload(); return; }
    let detail = '';
    try { detail = (await answer.json()).detail || ''; } catch (e) {}
    error.textContent = /incorrect credentials/i.test(detail) || !detail ? '用户名或密码错误' : detail.split(' / ')[0];
  } catch (e) {
    error.textContent = '无法连接服务器，请稍后重试';
  }
});
</script></main></body></html>"""


def private_temp_dir(data_dir: Path) -> Path:
    """``data_dir/tmp`` (0700, emptied), to be Gradio's temp dir (``app.serving_environment``)."""
    folder = exports.private_dir(Path(data_dir).resolve() / "tmp")
    exports.empty_dir(folder)
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


class FileOwners:
    """Who may read each file in the app's temp dir: the user whose upload or export put it there.

    Gradio serves any file in its cache to any session and accepts a cache path as a file input,
    so without this a colleague could download — or feed to 解析提案 — someone else's letter. A file
    nobody is recorded for is nobody's. Kept in memory: the temp dir is emptied at every start."""

    def __init__(self, temp_dir: Path):
        self.temp_dir = os.path.realpath(temp_dir)
        self._owners: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(path: str | os.PathLike[str]) -> str:
        return os.path.realpath(os.path.abspath(os.fspath(path)))

    def record(self, path: str | Path, user: str) -> None:
        with self._lock:
            self._owners.setdefault(self._key(path), set()).add(user)

    def record_export(self, path: Path, user: str) -> None:
        """An export and the copy Gradio will make of it (same place Gradio computes:
        ``<temp>/<hash of the content>/<cleaned name>``)."""
        from gradio.processing_utils import hash_file
        from gradio_client.utils import strip_invalid_filename_characters

        self.record(path, user)
        self.record(Path(self.temp_dir) / hash_file(path) / strip_invalid_filename_characters(Path(path).name), user)

    def owns(self, path: str | os.PathLike[str], user: str) -> bool:
        with self._lock:
            return user in self._owners.get(self._key(path), ())

    def in_temp(self, path: str | os.PathLike[str]) -> bool:
        return self._key(path).startswith(self.temp_dir + os.sep)

    def check_input(self, path: str | os.PathLike[str] | None, user: str) -> None:
        """A file a handler is given must be one this user uploaded (not a path into another's)."""
        if path and self.in_temp(path) and not self.owns(path, user):
            raise AssistantError("文件不可用，请重新上传", "file not available: upload it again")


class Gate:
    """ASGI middleware in front of Gradio's routes (see the module docstring)."""

    def __init__(self, app, data_dir: Path, owners: FileOwners, unit: str = ""):
        self.app, self.data_dir, self.owners, self.unit = app, Path(data_dir), owners, unit

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
            if scope["type"] == "http" and path.rstrip("/") in ("/login", "/logout"):
                if self.cross_site(scope):  # login CSRF: another site's page posting its own account
                    return await self.refuse(scope, receive, send, 403, "跨站请求已拒绝 / cross-site request refused")
                send = self.first_party_cookies(send, secure=scope.get("scheme") == "https")
            if user is None and scope["type"] == "http" and scope.get("method") == "GET" and path in ("", "/"):
                return await self.login_page(scope, receive, send)  # our own, in Chinese, instead of Gradio's English form
            if user is None and not self.public(path):
                expired = "登录已失效或尚未登录，请刷新页面重新登录 / not logged in (or the session ended): reload to log in"
                return await self.refuse(scope, receive, send, 401, expired)
            wanted = self.requested_file(path)
            if wanted is not None and not self.may_read(wanted, user or ""):
                return await self.refuse(scope, receive, send, 404, "文件不存在 / file not found")
            if user is not None and scope["type"] == "http" and path.rstrip("/").endswith("/gradio_api/upload"):
                send = self.recording_uploads(send, user)
            await self.app(scope, receive, send)
        finally:
            CLIENT_ADDRESS.reset(address)

    def recording_uploads(self, send, user: str):
        """Pass the upload route's answer through, noting whose files it stored (a JSON list of paths)."""
        import json

        body = bytearray()

        async def wrapped(message):
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    try:
                        stored = json.loads(bytes(body))
                    except ValueError:
                        stored = []
                    for item in stored if isinstance(stored, list) else []:
                        if isinstance(item, str):
                            self.owners.record(item, user)
            await send(message)

        return wrapped

    @staticmethod
    def cross_site(scope) -> bool:
        """A request a page of another site made the browser send: Sec-Fetch-Site says so, or the
        Origin (else Referer) names another host than the one asked. Clients that send neither
        (scripts, gradio_client) are not browsers acting for another site."""
        from urllib.parse import urlsplit

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if headers.get("sec-fetch-site") == "cross-site":
            return True
        origin = headers.get("origin") or headers.get("referer")
        if not origin:
            return False
        return origin == "null" or urlsplit(origin).netloc.lower() != headers.get("host", "").lower()

    @staticmethod
    def first_party_cookies(send, secure: bool):
        """Gradio sets its session cookie SameSite=None; Secure — sent along with other sites'
        requests, and marked Secure on plain http. Ours are SameSite=Lax, Secure only over https."""
        import re

        async def wrapped(message):
            if message["type"] == "http.response.start":
                headers = []
                for key, value in message.get("headers", []):
                    if key.lower() == b"set-cookie":
                        value = re.sub(rb"(?i);\s*samesite=\w+", b"", value) + b"; SameSite=Lax"
                        if not secure:
                            value = re.sub(rb"(?i);\s*secure(?=;|$)", b"", value)
                    headers.append((key, value))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped

    async def login_page(self, scope, receive, send):
        from starlette.responses import HTMLResponse

        page = LOGIN_PAGE.replace("{unit}", html.escape(self.unit or "答复函助手"))
        await HTMLResponse(page, headers={"Cache-Control": "no-store"})(scope, receive, send)

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
        """The file a file route asks for ("" for a URL: Gradio would fetch it for the caller)."""
        for prefix in FILE_PREFIXES:
            if path.startswith(prefix):
                wanted = path[len(prefix) :]
                return "" if wanted.startswith(("http://", "https://")) else wanted
        return None

    def may_read(self, wanted: str, user: str) -> bool:
        if not wanted:
            return False  # the server never fetches a URL on someone's behalf
        real = os.path.realpath(os.path.abspath(wanted))  # decided on the path Gradio will open
        folder = exports.owner_folder(Path(real), self.data_dir)
        if folder is not None:
            return folder == exports.user_folder_name(user)
        if self.owners.in_temp(real):
            return self.owners.owns(real, user)
        return True  # anything else: Gradio's own allowed-paths rules decide
