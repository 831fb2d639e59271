"""Optional login for the web app: users and salted PBKDF2 password hashes in a JSON file.

    reply-assistant add-user 张三 --users-file data/users.json
    REPLY_ASSISTANT_USERS_FILE=data/users.json reply-assistant serve
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from pathlib import Path

from .errors import AssistantError

ITERATIONS = 240_000


def hash_password(password: str, iterations: int = ITERATIONS) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        computed = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
        return hmac.compare_digest(computed, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


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
    if not name.strip() or len(password) < 8:
        raise AssistantError("用户名不能为空，密码至少 8 位", "a user name is required and the password needs 8+ characters")
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"users": {}}
    data.setdefault("users", {})[name.strip()] = hash_password(password)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def authenticator(path: Path | None):
    """A Gradio auth callable, or None when no users file is configured (no login)."""
    users = load_users(path)
    if not users:
        return None

    def check(username: str, password: str) -> bool:
        stored = users.get(username)
        return stored is not None and verify_password(password, stored)

    return check
