"""Stateless app servers (issue 16): two `reply-assistant serve` processes on different ports, one
PostgreSQL database, one index, each with its own (empty) data folder and login off. A draft
generated and saved through one opens, with every version, on the other — and an edit saved on
the second is seen by the first. Nothing about a draft lives in a server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

from ..conftest import CORPUS, ROOT
from ..web.conftest import free_port

FINANCING = ROOT / "examples" / "proposal-financing.txt"


def serve(tmp_path, name: str, port: int, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "REPLY_ASSISTANT_EMBEDDING_MODEL": "hash:128",
        "REPLY_ASSISTANT_DATABASE_URL": database_url,
        "REPLY_ASSISTANT_DATA_DIR": str(tmp_path / name / "data"),
        "REPLY_ASSISTANT_CORPUS_DIR": str(tmp_path / "corpus"),
        "COLUMNS": "200",
    }
    env.pop("REPLY_ASSISTANT_USERS_FILE", None)
    (tmp_path / name).mkdir()
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--index", str(tmp_path / "index")],
        env=env,
        cwd=tmp_path / name,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_serving(process: subprocess.Popen, lines: list[str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not any(line.startswith("答复函助手已启动 / serving on") for line in lines):
        assert time.monotonic() < deadline and process.poll() is None, "".join(lines)
        lines.append(process.stdout.readline())
    threading.Thread(target=process.stdout.read, daemon=True).start()  # keep draining: a full pipe would block the server


def test_a_draft_saved_on_one_server_opens_on_the_other(tmp_path, pg_url):
    from gradio_client import Client, handle_file

    from assistant.corpus.ingest import run_all
    from assistant.service import Assistant
    from assistant.settings import Settings

    shutil.copytree(CORPUS, tmp_path / "corpus")
    builder = Assistant(
        Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "build", embedding_model="hash:128", _env_file=None)
    )
    run_all(builder.ingest([tmp_path / "corpus"]))
    builder.close()

    ports = free_port(), free_port()
    while ports[1] == ports[0]:
        ports = ports[0], free_port()
    servers = [serve(tmp_path, name, port, pg_url) for name, port in zip(("one", "two"), ports)]
    try:
        for server in servers:
            wait_until_serving(server, [])
        one, two = (Client(f"http://127.0.0.1:{port}/", verbose=False) for port in ports)

        fields = one.predict("", handle_file(str(FINANCING)), api_name="/parse_proposal")
        draft_id, _, text, *_ = one.predict(*fields[:8], "partial", api_name="/generate_draft")
        edited = text + "\n\n在一号服务器上补充的一段。"
        one.predict(draft_id, edited, api_name="/save_draft")

        table, _ = two.predict(api_name="/list_drafts")
        rows = table["data"] if isinstance(table, dict) else table
        assert any(str(draft_id) in map(str, row) for row in rows), rows
        opened = two.predict(str(draft_id), api_name="/open_draft")
        assert opened[0] == draft_id and opened[2] == edited

        revision = opened[-9]  # the revision two's editor is based on: the proposal and its 7 parsed fields follow (the tab is no API output)
        two.predict(draft_id, edited + "\n\n二号服务器的修改。", revision, api_name="/save_draft")
        assert one.predict(str(draft_id), api_name="/open_draft")[2].endswith("二号服务器的修改。")
        # issue 23, finding 7: one's editor still holds the text before two's save — its autosave must
        # not write over it; both see why, and "另存为新版本" keeps both texts
        stale = one.predict(draft_id, edited + "\n\n一号服务器的旧页面。", revision, api_name="/autosave")
        assert "此草稿已在别处修改" in stale[0], stale
        assert two.predict(str(draft_id), api_name="/open_draft")[2].endswith("二号服务器的修改。")
        kept = one.predict(draft_id, edited + "\n\n一号服务器的旧页面。", api_name="/save_as_new_version")
        assert "已另存为第 4 版" in kept[0], kept
        assert not (tmp_path / "one" / "data" / "drafts.db").exists() and not (tmp_path / "two" / "data" / "drafts.db").exists()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    from assistant.drafts.book import DraftBook

    book = DraftBook(pg_url)
    try:
        assert [v["number"] for v in book.versions(draft_id)] == [1, 2, 3, 4]
        assert book.version_text(draft_id, 3).endswith("二号服务器的修改。") and book.version_text(draft_id, 4).endswith("旧页面。")
    finally:
        book.close()
