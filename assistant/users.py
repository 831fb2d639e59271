"""Optional login for the web app: users and argon2id password hashes in a JSON file, or — with
``REPLY_ASSISTANT_DATABASE_URL=postgresql://…`` — in that database (``users``/``user_groups``), so
several app servers share one user list.

    reply-assistant add-user 张三 --users-file data/users.json
    REPLY_ASSISTANT_USERS_FILE=data/users.json reply-assistant serve

    REPLY_ASSISTANT_DATABASE_URL=postgresql://… reply-assistant add-user 张三 --admin
    REPLY_ASSISTANT_DATABASE_URL=postgresql://… reply-assistant serve   # login: the database holds users

Login is on when the user source holds users at server start: the users file when one is set; with a
database URL the database's ``users`` table (a users file set beside it still serves until the database
holds any users — ``migrate --to-database`` copies them — so moving to PostgreSQL never turns login off).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
import unicodedata
from contextvars import ContextVar
from pathlib import Path
from typing import Callable

from .errors import AssistantError
from .files import atomic_write


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, the library's current parameters (RFC 9106 low-memory profile)


def hash_password(password: str) -> str:
    """An argon2id hash (``$argon2id$v=19$m=…``)."""
    return _hasher().hash(password)


def verify_password(password: str, stored: str) -> bool:
    """Argon2 hashes, and the salted PBKDF2-SHA256 ones earlier versions wrote (``pbkdf2_sha256$…``)."""
    if stored.startswith("$argon2"):
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return _hasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        computed = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
        return hmac.compare_digest(computed, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def needs_rehash(stored: str) -> bool:
    """A PBKDF2 hash of an earlier version, or an argon2 one with weaker parameters than today's."""
    if not stored.startswith("$argon2"):
        return True
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True


def rehash(path: Path, name: str, password: str) -> str:
    """Replace ``name``'s stored hash with a fresh one (after a successful login with ``password``)."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    fresh = hash_password(password)
    data.setdefault("users", {})[name] = fresh
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))
    return fresh


def load_users(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AssistantError(f"找不到用户文件 {path}", f"users file not found: {path}") from exc
    except json.JSONDecodeError as exc:
        raise AssistantError(f"用户文件格式错误：{exc}", f"malformed users file: {exc}") from exc
    users = data.get("users", {}) if isinstance(data, dict) else {}
    if not users:
        raise AssistantError(f"用户文件 {path} 中没有用户", f"no users in {path}")
    return dict(users)


def add_user(path: Path, name: str, password: str) -> None:
    check_new_user(name, password)
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"users": {}}
    data.setdefault("users", {})[name.strip()] = hash_password(password)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))  # 0600, never half-written


class DatabaseUsers:
    """Users in the drafts database (a ``Drafts`` book: ``users``/``user_groups`` tables). Read on every
    login try and role check, so a user added on any server (or by the CLI) counts at once.

    ``fallback``: the users file set beside the database URL. It serves only while the database holds
    no users (before ``migrate --to-database`` copied them), so moving the drafts to PostgreSQL never
    turns login off; from the first user in the database on, the database alone decides."""

    def __init__(self, book, fallback: Path | None = None):
        self.book, self.fallback = book, fallback

    def _file(self) -> bool:
        return self.fallback is not None and not self.book.has_users()

    def users(self) -> dict[str, str]:
        return load_users(self.fallback) if self._file() else self.book.users()

    def roles(self) -> tuple[set[str], dict[str, set[str]]]:
        return load_roles(self.fallback) if self._file() else self.book.user_roles()

    def rehash(self, name: str, password: str) -> str:
        if self._file():
            assert self.fallback is not None  # _file() is true only with a fallback
            return rehash(self.fallback, name, password)
        fresh = hash_password(password)
        self.book.set_password_hash(name, fresh)
        return fresh

    def add(self, name: str, password: str, admin: bool = False, groups: list[str] | tuple[str, ...] = ()) -> None:
        check_new_user(name, password)
        self.book.put_user(name.strip(), hash_password(password))
        if admin or groups:
            self.book.grant_roles(name.strip(), admin=admin, groups=groups)


# How the audit log names the command line's operator (命令行:账号). What the operator may do is not read
# from this name but from how the door was opened (Assistant(operator=True), the CLI's commands but serve).
OPERATOR = "命令行"


def check_new_user(name: str, password: str) -> None:
    if not name.strip() or len(password) < 8:
        raise AssistantError("用户名不能为空，密码至少 8 位", "a user name is required and the password needs 8+ characters")
    if ":" in name or "：" in name:  # "group:综合科" names a group when a draft is shared
        raise AssistantError("用户名不能含冒号", "a user name cannot contain a colon")
    if name.strip() == OPERATOR:
        raise AssistantError(f"用户名不能是“{OPERATOR}”（命令行操作的记录名）", f"{OPERATOR!r} names the command line's operator")


# The client address of the login request being checked: Gradio hands the auth callable only
# (username, password), so the web app's middleware (web/security.py) sets this per request.
CLIENT_ADDRESS: ContextVar[str] = ContextVar("client_address", default="")


class LoginGuard:
    """Failed logins per key ("user:…", "addr:…"), each key with its own limit: that many failures
    within ``lockout_seconds`` lock the key for ``lockout_seconds``; older failures are forgotten.

    Only a wrong password is a failure: a right one is never counted, so eight parallel logins of
    one person, or thirty colleagues behind one office address, all get in. A burst of guesses
    cannot slip past the limit because the web login checks one try of a name at a time (see
    ``authenticator``), and an address that is failing may have no more tries in flight than it
    has failures left."""

    def __init__(self, max_failures: int = 5, lockout_seconds: float = 300.0, clock: Callable[[], float] = time.monotonic):
        self.max_failures, self.lockout_seconds, self.clock = max_failures, lockout_seconds, clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    def _limits(self, keys) -> dict[str, int]:
        return dict(keys) if isinstance(keys, dict) else {k: self.max_failures for k in keys}

    def begin(self, keys) -> tuple[str, float]:
        """Before a password is checked: ("locked", seconds) if a key is locked (or has just reached
        its limit), ("busy", 0) if a failing key has as many tries in flight as failures left, else
        ("go", 0) — then ``end`` must follow."""
        limits = self._limits(keys)
        now = self.clock()
        with self._lock:
            if len(self._failures) > 10_000:  # many made-up names: drop what has expired
                self._failures = {k: v for k, v in self._failures.items() if v and v[-1] > now - self.lockout_seconds}
                self._locked_until = {k: t for k, t in self._locked_until.items() if t > now}
            recent = {k: [t for t in self._failures.get(k, []) if t > now - self.lockout_seconds] for k in limits}
            for key, limit in limits.items():
                self._failures[key] = recent[key]
                if len(recent[key]) >= limit:
                    self._locked_until[key] = max(self._locked_until.get(key, 0.0), now + self.lockout_seconds)
            wait = max([self._locked_until.get(k, 0.0) - now for k in limits] + [0.0])
            if wait > 0:
                return "locked", wait
            if any(recent[k] and len(recent[k]) + self._in_flight.get(k, 0) >= limit for k, limit in limits.items()):
                return "busy", 0.0
            for key in limits:
                self._in_flight[key] = self._in_flight.get(key, 0) + 1
            return "go", 0.0

    def end(self, keys, ok: bool) -> tuple[int, list[str]]:
        """After the check: a wrong password is a failure of every key. Returns (failures of the
        first key, keys that reach their limit with it — locked from now)."""
        limits = self._limits(keys)
        now = self.clock()
        locked, counts = [], []
        with self._lock:
            for key in limits:
                self._in_flight[key] = max(0, self._in_flight.get(key, 0) - 1)
                if not self._in_flight[key]:
                    del self._in_flight[key]
            if ok:  # failures stand until they expire: a login between guesses does not reset the count
                return 0, []
            for key, limit in limits.items():
                recent = [t for t in self._failures.get(key, []) if t > now - self.lockout_seconds] + [now]
                self._failures[key] = recent
                counts.append(len(recent))
                if len(recent) >= limit and self._locked_until.get(key, 0.0) <= now:
                    self._locked_until[key] = now + self.lockout_seconds
                    locked.append(key)
        return counts[0] if counts else 0, locked


class _Turns:
    """One password check at a time per login name (a burst is checked in order, so each try sees
    the failures before it), with a bounded queue: a flood of one name is refused, not queued."""

    def __init__(self, depth: int):
        import asyncio

        self.depth = depth
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    def enter(self, name: str):
        import asyncio
        from contextlib import asynccontextmanager

        @asynccontextmanager
        async def turn():
            if self._waiting.get(name, 0) >= self.depth:
                raise _refuse("该用户登录请求过多，请稍后再试", "too many login attempts in progress for this name; try again shortly")
            lock = self._locks.setdefault(name, asyncio.Lock())
            self._waiting[name] = self._waiting.get(name, 0) + 1
            try:
                async with lock:
                    yield
            finally:
                self._waiting[name] -= 1
                if not self._waiting[name]:
                    del self._waiting[name]
                    self._locks.pop(name, None)

        return turn()


def login_name(username: str) -> str:
    """The name as stored (NFKC, no surrounding spaces): " alice" and "ａｌｉｃｅ" are alice, so a
    variant neither bypasses nor splits the name's failure count."""
    return unicodedata.normalize("NFKC", username or "").strip()


def _refuse(zh: str, en: str):
    from fastapi import HTTPException  # only the web app calls this

    # 400: the status Gradio's login form shows as "incorrect credentials"; API clients read the detail
    return HTTPException(status_code=400, detail=f"{zh} / {en}")


def authenticator(
    source, max_failures: int = 5, lockout_seconds: float = 300.0, audit: Callable[..., None] | None = None, address_max_failures: int | None = None
):
    """A Gradio auth callable, or None when the user source holds no users (no login).

    ``source``: the users file's path (read once, as before), None (no login), or a ``DatabaseUsers``
    (read at every try: users added on any app server log in at once; a rehash is written back there).

    Every try that reaches the password check costs one PBKDF2 run, for unknown names too (against
    a dummy hash), so the answer time does not tell which names exist. Failures are counted per
    name (``max_failures``) and per client address (``address_max_failures``, default 4× as many:
    an office behind one address should not lock itself out by a few typos); only wrong passwords
    count. A locked name or address is refused, even with the right password, until the lockout
    ends; tries of one name are checked one at a time (LoginGuard). ``audit(action,
    target, detail, user=)`` records "login_failed", "login_locked" and "login_refused_locked"."""
    import asyncio

    database = source if isinstance(source, DatabaseUsers) else None
    path = None if database is not None else source
    loaded = database.users() if database is not None else load_users(path)
    stored_names = {login_name(name): name for name in loaded}
    users = {login_name(name): stored for name, stored in loaded.items()}
    if not users:
        return None
    # an unknown name is checked against a hash of the scheme most users have: the same cost
    legacy = [h for h in users.values() if isinstance(h, str) and not h.startswith("$argon2")]
    if len(legacy) * 2 > len(users):
        rounds = max((int(h.split("$")[1]) for h in legacy if h.count("$") == 3 and h.split("$")[1].isdigit()), default=600_000)
        salt = os.urandom(16)
        dummy = f"pbkdf2_sha256${rounds}${base64.b64encode(salt).decode()}${base64.b64encode(hashlib.pbkdf2_hmac('sha256', b'x', salt, rounds)).decode()}"
    else:
        dummy = hash_password(os.urandom(16).hex())
    rehash_lock = threading.Lock()
    guard = LoginGuard(max_failures, lockout_seconds)
    turns = _Turns(depth=max(4 * max_failures, 20))
    per_address = address_max_failures or max_failures * 4
    minutes = max(1, round(lockout_seconds / 60))

    def record(action: str, username: str, detail: str) -> None:
        if audit is not None:
            try:
                audit(action, username, detail, user=username)
            except Exception:  # an audit failure must not turn a refusal into a 500
                pass

    async def check(username: str, password: str) -> bool:
        address = CLIENT_ADDRESS.get()
        name = login_name(username)
        keys = {f"user:{name.casefold()}": max_failures, f"addr:{address}": per_address}
        async with turns.enter(name.casefold()):
            state, _ = guard.begin(keys)
            if state == "locked":
                await asyncio.to_thread(record, "login_refused_locked", name, f"地址 {address} / address {address}")
                raise _refuse(f"登录失败次数过多，已锁定，请 {minutes} 分钟后再试", f"too many failed logins; locked, try again in {minutes} min")
            if state == "busy":
                raise _refuse("登录尝试过于频繁，请稍后再试", "too many login attempts in progress; try again shortly")
            ok = False
            try:
                ok = await verify(name, password)
            finally:
                count, locked = guard.end(keys, ok)
        if ok:
            return True
        await asyncio.to_thread(record, "login_failed", name, f"地址 {address}，连续第 {count} 次 / address {address}, failure {count}")
        for key in locked:
            await asyncio.to_thread(record, "login_locked", name, f"{key} 锁定 {minutes} 分钟 / locked for {minutes} min")
        raise _refuse("用户名或密码错误", "incorrect user name or password")

    async def verify(name: str, password: str) -> bool:
        """The password against the stored hash (a dummy one for an unknown name: the same cost)."""
        if database is not None:  # the shared list as it is now (a user added on another server)
            try:
                current = await asyncio.to_thread(database.users)
            except AssistantError:
                raise _refuse("用户库暂不可用，请稍后再试", "the user database is unavailable; try again later") from None
            stored_names.clear()
            stored_names.update({login_name(n): n for n in current})
            users.clear()
            users.update({login_name(n): h for n, h in current.items()})
        stored = users.get(name)
        # off the event loop: a password hash takes ~60 ms and would stall every other request
        ok = await asyncio.to_thread(verify_password, password, stored if isinstance(stored, str) else dummy)
        if ok and stored is not None:
            if needs_rehash(stored):  # an older scheme: upgraded now that the password is known
                try:
                    with rehash_lock:
                        if database is not None:
                            users[name] = await asyncio.to_thread(database.rehash, stored_names[name], password)
                        else:
                            assert path is not None  # no users file means no users, so no login to check
                            users[name] = await asyncio.to_thread(rehash, path, stored_names[name], password)
                except (OSError, ValueError, AssistantError):  # a read-only users file: the login stands, the upgrade waits
                    pass
            return True
        return False

    return check


def load_roles(path: Path | None) -> tuple[set[str], dict[str, set[str]]]:
    """Admins and groups from the users file's optional top-level "admins": [names] and
    "groups": {group: [names]} (files without them still work: no admins, no groups)."""
    if path is None:
        return set(), {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AssistantError(f"无法读取用户文件 {path}：{exc}", f"cannot read users file {path}: {exc}") from exc
    data = data if isinstance(data, dict) else {}
    groups = data.get("groups") or {}
    return set(data.get("admins") or []), {str(g): set(names) for g, names in groups.items()} if isinstance(groups, dict) else {}


def set_roles(path: Path, name: str, admin: bool = False, groups: list[str] | tuple[str, ...] = ()) -> None:
    """Make an existing user an admin and/or add them to groups (``add-user --admin --group``)."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if name not in data.get("users", {}):
        raise AssistantError(f"用户文件中没有用户 {name}", f"no user {name} in {path}")
    if admin:
        data["admins"] = sorted(set(data.get("admins") or []) | {name})
    for group in groups:
        members = data.setdefault("groups", {}).setdefault(group.strip(), [])
        if name not in members:
            members.append(name)
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))  # stays 0600, never half-written
