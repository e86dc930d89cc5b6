"""Fixtures for tests against real server processes (import them in a conftest)."""

import pytest

from tests.support.backing_services import postgres_url, redis_url
from tests.support.live_server import LiveServer, base_env, prepare_database


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'live.db'}"


@pytest.fixture
def live_server(tmp_path, sqlite_url):
    """One server process on a fresh SQLite database with floors 1-3 and the standard staff."""
    prepare_database(sqlite_url)
    server = LiveServer(base_env(sqlite_url, BATCH_WINDOW_MS="50"), tmp_path / "server.log").start()
    yield server
    server.stop()


@pytest.fixture
def pg_url():
    """A freshly emptied PostgreSQL database (fails under CI=true when missing)."""
    return postgres_url()


@pytest.fixture
def redis_queue_url():
    """A flushed Redis (fails under CI=true when missing)."""
    return redis_url()
