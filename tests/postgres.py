"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, listening on a
unix socket there only (listen_addresses=''), no network, no password (trust, local socket only).

Binaries are looked up on PATH and in Debian's /usr/lib/postgresql/<major>/bin (.ci/run installs
the ``postgresql`` package). initdb refuses to run as root, so as root the cluster runs as the
``postgres`` account (Debian's package creates it), else ``nobody``. Locally the PostgreSQL tests
are skipped when the binaries or psycopg are absent; in CI (``CI`` set) they fail instead."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PORT = 5432  # only names the socket file inside the cluster's own folder


def binaries() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl", path=str(Path(found).parent)):
        return Path(found).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}")
    pytest.skip(reason)


class Cluster:
    def __init__(self):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            unavailable("psycopg is not installed (pip install 'psycopg[binary]>=3.2')")
        bin_dir = binaries()
        if bin_dir is None:
            unavailable("PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin")
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="ra-pg-"))  # short: a socket path must stay under ~100 bytes
        self.user = None
        if os.geteuid() == 0:
            self.user = next((u for u in ("postgres", "nobody") if _exists(u)), None)
            account = pwd.getpwnam(self.user)
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        data = self.dir / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
        options = f"-k {self.dir} -c listen_addresses='' -p {PORT} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(data), "-l", str(self.dir / "log"), "-w", "-t", "60", "-o", options, "start")
        self.url = f"postgresql:///postgres?host={self.dir}&port={PORT}&user=postgres"

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run([str(self.bin / program), *args], user=self.user, cwd=self.dir, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{program} failed: {result.stdout}{result.stderr}{log}")

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url.replace("///postgres?", f"///{name}?")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
