"""Password hashes: argon2id for new users; a PBKDF2 hash of an earlier version still logs in and
is upgraded to argon2id at that login, never on a failed one."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os

import pytest
from fastapi import HTTPException

from assistant.errors import AssistantError
from assistant.users import add_user, authenticator, needs_rehash, verify_password


def pbkdf2(password: str, rounds: int = 240_000) -> str:
    """A hash exactly as versions before argon2 wrote it."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds)
    return f"pbkdf2_sha256${rounds}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_new_users_get_argon2id(tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "张三", "zhangsan-pass-1")
    stored = json.loads(users.read_text(encoding="utf-8"))["users"]["张三"]
    assert stored.startswith("$argon2id$") and not needs_rehash(stored)
    assert verify_password("zhangsan-pass-1", stored) and not verify_password("wrong-pass-1", stored)
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(AssistantError, match="用户名不能含冒号"):
        add_user(users, "group:综合科", "password-123")


def test_an_old_pbkdf2_hash_logs_in_and_is_upgraded_then(tmp_path):
    users = tmp_path / "users.json"
    users.write_text(json.dumps({"users": {"李四": pbkdf2("lisi-pass-22"), "王五": pbkdf2("wangwu-pass-3")}}), encoding="utf-8")
    check = authenticator(users)
    with pytest.raises(HTTPException, match="用户名或密码错误"):
        asyncio.run(check("李四", "not-the-password"))
    assert json.loads(users.read_text(encoding="utf-8"))["users"]["李四"].startswith("pbkdf2_sha256$")  # no upgrade on a failure
    assert asyncio.run(check("李四", "lisi-pass-22")) is True
    stored = json.loads(users.read_text(encoding="utf-8"))["users"]
    assert stored["李四"].startswith("$argon2id$") and verify_password("lisi-pass-22", stored["李四"])
    assert stored["王五"].startswith("pbkdf2_sha256$")  # others wait for their own login
    assert asyncio.run(check("李四", "lisi-pass-22")) is True  # and the new hash works at once
