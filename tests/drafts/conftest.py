"""Drafts on both databases: ``database`` is "sqlite" or "postgresql"; ``pg_url`` is a fresh, empty
PostgreSQL database on one throwaway cluster per session (tests/postgres.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def postgres_cluster():
    from ..postgres import Cluster

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
