"""A running app on a free localhost port, over a tmp index/corpus/data dir (hashing embedder)."""

from __future__ import annotations

import shutil
import socket

import pytest

from ..conftest import CORPUS, ROOT

FINANCING = ROOT / "examples" / "proposal-financing.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(tmp_path, **overrides):
    from assistant.corpus.ingest import run_all
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.web.app import launch

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=corpus, data_dir=tmp_path / "data", embedding_model="hash:128", _env_file=None, **overrides)
    assistant = Assistant(settings)
    run_all(assistant.ingest([corpus]))
    port = free_port()
    demo = launch(assistant, port=port, block=False)
    return assistant, demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    assistant, demo, url = start_app(tmp_path_factory.mktemp("app"))
    yield assistant, url
    demo.close()
    assistant.close()


def upload_and_wait(client, files, timeout: float = 120):
    """Upload through /upload (which queues an ingest job and returns at once), then poll
    /upload_status as the page does until the job has finished; the last outputs."""
    import time

    outputs = client.predict(files, api_name="/upload")
    deadline = time.monotonic() + timeout
    while not any(state in outputs[5] for state in ("已完成", "已取消", "失败")):
        assert time.monotonic() < deadline, f"upload job still running: {outputs[5]}"
        time.sleep(0.2)
        outputs = client.predict(outputs[4], api_name="/upload_status")
    return outputs


@pytest.fixture(scope="module")
def client(app):
    """A gradio_client on the module's running app (``app`` fixture: the default one, or the module's own)."""
    from gradio_client import Client

    return Client(app[1], verbose=False)


@pytest.fixture(scope="module")
def generated(client):
    """(parsed fields, generate_draft outputs) for the financing proposal, through the API."""
    from gradio_client import handle_file

    fields = client.predict("", handle_file(str(FINANCING)), api_name="/parse_proposal")
    return fields, client.predict(*fields[:8], "partial", api_name="/generate_draft")
