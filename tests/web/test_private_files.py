"""Exports and temp files stay private (issue 13, finding 5): an export is written 0600 into the
user's own 0700 folder under data_dir/exports, Gradio's copy lands in the app's private temp dir
(not /tmp/gradio), only its maker can download either, old exports are cleaned up, and the temp dir
is emptied when the server stops."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from urllib.parse import unquote

import httpx

from ..conftest import ROOT
from .conftest import start_app

FINANCING = (ROOT / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")
ALICE, BOB = ("alice", "alice-password-1"), ("bob", "bob-password-22")


def session(url, name, password) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=120)
    assert client.post("login", data={"username": name, "password": password}).status_code == 200
    return client


def call(client: httpx.Client, api_name: str, data: list):
    """One call of a named endpoint over Gradio's HTTP API; returns its output list."""
    event = client.post(f"gradio_api/call/{api_name}", json={"data": data})
    assert event.status_code == 200, event.text
    stream = client.get(f"gradio_api/call/{api_name}/{event.json()['event_id']}").text
    for block in stream.split("\n\n"):
        if block.startswith("event: complete"):
            return json.loads(block.split("data:", 1)[1])
    raise AssertionError(stream[-500:])


def raw_get(url: str, path: str, cookies) -> tuple[int, bytes]:
    """GET a path byte for byte (no client-side normalisation of ``..``, ``//`` or ``://``)."""
    import http.client
    from urllib.parse import quote, urlsplit

    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection.request("GET", quote(path, safe="/=:.%"), headers={"Cookie": cookie})
    response = connection.getresponse()
    return response.status, response.read()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_export_is_private_to_its_maker_and_temp_files_go_at_stop(tmp_path):
    from assistant.users import add_user

    users = tmp_path / "users.json"
    for name, password in (ALICE, BOB):
        add_user(users, name, password)
    assistant, demo, url = start_app(tmp_path, users_file=users)
    data_dir = (tmp_path / "data").resolve()
    temp_dir = data_dir / "tmp"
    try:
        assert os.environ["GRADIO_TEMP_DIR"] == str(temp_dir) and mode(temp_dir) == 0o700
        alice, bob = session(url, *ALICE), session(url, *BOB)
        proposal = assistant.parse_proposal(FINANCING)
        draft_id, text, _ = assistant.start_draft(proposal, user="alice")
        shared_before = set(Path("/tmp").glob("reply-export-*")) | set(Path("/tmp/gradio").glob("*"))
        file, *_ = call(alice, "export_draft", [draft_id, text, False, False, None, True, ""])

        copy = Path(unquote(file["url"].split("/file=", 1)[1]))
        assert copy.is_relative_to(temp_dir), copy  # Gradio's copy is in the app's own temp dir
        exported = next((data_dir / "exports").rglob("*.docx"))
        assert mode(exported) == 0o600 and mode(exported.parent) == 0o700 and mode(exported.parent.parent) == 0o700
        assert set(Path("/tmp").glob("reply-export-*")) | set(Path("/tmp/gradio").glob("*")) <= shared_before  # nothing in shared /tmp

        for target in (file["url"], f"gradio_api/file={exported}"):
            assert alice.get(target).status_code == 200, target
            assert alice.get(target).content[:2] == b"PK"  # a .docx (zip)
            assert bob.get(target).status_code in (403, 404), target  # another user's session
            assert httpx.get(url + target.lstrip("/")).status_code in (401, 403), target  # no session
        # raw paths, as a browser would not send them (httpx removes dot segments itself)
        for trick in (
            f"/gradio_api/file={copy.parent}/x://../{copy.name}",
            f"/gradio_api/file={exported.parent}/x://../{exported.name}",
            f"/gradio_api/file/{copy}",
            f"/gradio_api/file={copy.parent}/./{copy.name}",
            f"/gradio_api/file={copy.parent.parent}//{copy.parent.name}/{copy.name}",
            "/gradio_api/file=http://127.0.0.1:9/secret",
        ):
            status, body = raw_get(url, trick, bob.cookies)
            assert status in (403, 404) and not body.startswith(b"PK"), (trick, status)
        # a path into Alice's files given as a file input (Gradio accepts any path in its cache)
        stolen = {"path": str(copy), "meta": {"_type": "gradio.FileData"}, "orig_name": copy.name}
        event = bob.post("gradio_api/call/parse_proposal", json={"data": ["", stolen]})
        stream = bob.get(f"gradio_api/call/parse_proposal/{event.json()['event_id']}").text
        assert "event: error" in stream and "温科" not in stream and "答复" not in stream
    finally:
        demo.close()
        assistant.close()
    assert temp_dir.is_dir() and not list(temp_dir.iterdir())  # emptied when the server stops


def test_old_exports_and_temp_files_are_cleaned_up(tmp_path):
    from assistant.drafts import exports
    from assistant.web.security import Janitor

    data_dir = tmp_path / "data"
    old, new = exports.new_export_dir(data_dir, "alice"), exports.new_export_dir(data_dir, "alice")
    (old / "旧.docx").write_bytes(b"old")
    (new / "新.docx").write_bytes(b"new")
    temp_dir = exports.private_dir(data_dir / "tmp")
    (temp_dir / "stale").mkdir()
    (temp_dir / "stale" / "x.docx").write_bytes(b"x")
    two_days_ago = time.time() - 48 * 3600
    for path in (old / "旧.docx", old, temp_dir / "stale" / "x.docx", temp_dir / "stale"):
        os.utime(path, (two_days_ago, two_days_ago))
    janitor = Janitor(data_dir, temp_dir, hours=24, every=3600).start()  # runs once at start
    janitor.stop()
    assert not old.exists() and (new / "新.docx").exists()
    assert not (temp_dir / "stale").exists()
    assert exports.user_folder_name("alice") != exports.user_folder_name("bob")
    assert exports.user_folder_name("../..").startswith("u-")
