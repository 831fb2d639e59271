"""`reply-assistant serve` (issue 13, finding 7): a busy port is one Chinese/English line and a
non-zero exit, no traceback; the "serving on" line appears only once the server listens."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from .web.conftest import free_port


def serve(tmp_path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "REPLY_ASSISTANT_EMBEDDING_MODEL": "hash:64",
        "REPLY_ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "REPLY_ASSISTANT_CORPUS_DIR": str(tmp_path / "corpus"),
        "COLUMNS": "200",
    }
    env.pop("REPLY_ASSISTANT_USERS_FILE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--index", str(tmp_path / "index")],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def serving_line(process: subprocess.Popen, seconds: float = 120) -> str:
    """The line saying the server is up, once it comes (the process must not end before)."""
    deadline = time.monotonic() + seconds
    line = ""
    while not line.startswith("答复函助手已启动 / serving on"):
        assert time.monotonic() < deadline and process.poll() is None, line
        line = process.stdout.readline()
    return line


def test_a_busy_port_is_one_line_and_a_non_zero_exit(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = serve(tmp_path, port)
        output, _ = process.communicate(timeout=120)
    assert process.returncode != 0, output
    assert f"端口 {port} 已被占用 / port {port} is already in use" in output, output
    assert "Traceback" not in output and "serving on" not in output, output


def test_serving_on_is_printed_once_the_port_answers(tmp_path):
    port = free_port()
    process = serve(tmp_path, port)
    try:
        line = serving_line(process)
        with socket.create_connection(("127.0.0.1", port), timeout=2):  # already listening when it said so
            pass
        assert f"127.0.0.1:{port}" in line
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_sigterm_empties_the_temp_dir_as_ctrl_c_does(tmp_path):
    """Issue 26, item 11: a service manager's SIGTERM left the uploaded proposal in data/tmp."""
    import signal

    port = free_port()
    process = serve(tmp_path, port)
    try:
        serving_line(process)
        left = tmp_path / "data" / "tmp" / "upload" / "提案.txt"  # as Gradio keeps an upload
        left.parent.mkdir(parents=True)
        left.write_text("提案原文", encoding="utf-8")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert not any((tmp_path / "data" / "tmp").iterdir())
    assert process.returncode == 0


def test_the_web_app_is_never_the_operator(monkeypatch, tmp_path):
    """The command line's commands see every case and draft; ``serve`` must not hand that to the web."""
    from typer.testing import CliRunner

    import assistant.web.app as web
    from assistant.cli import app

    seen = {}

    def launch(assistant, **kwargs):
        seen["operator"] = assistant.drafts_service.operator
        return None

    monkeypatch.setattr(web, "launch", launch)
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    CliRunner().invoke(app, ["serve", "--index", str(tmp_path / "index"), "--port", str(free_port())])
    assert seen == {"operator": False}
