"""PostgreSQL and Redis for tests: found from the environment, never started here.

Outside CI a missing service skips the test that needs it; under CI=true it fails.
"""

import os

import pytest
from sqlalchemy import create_engine, text

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def _missing(what: str, error: Exception) -> None:
    message = f"{what} is not reachable: {error}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def postgres_url() -> str:
    """TEST_DATABASE_URL after checking that it answers, with every table dropped."""
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    try:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means the service is unusable
        _missing("PostgreSQL", error)
    return url


def redis_url() -> str:
    """REDIS_URL after checking that it answers, with its keys flushed."""
    import redis

    url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except redis.RedisError as error:
        _missing("Redis", error)
    return url
