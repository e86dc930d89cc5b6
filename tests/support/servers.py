"""Starting the realtime tests' server processes with the settings they share."""

from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.live_server import LiveServer, base_env, prepare_database

# Every test signs in from 127.0.0.1; the sign-in limits (10 failures a minute, waits after 5
# in a row) are not what these prove.
TEST_SETTINGS = {"LOGIN_RATE_LIMIT": "1000 per minute", "LOGIN_BACKOFF_AFTER": "1000"}


def live_env(database_url: str, redis_url: str | None = None, **settings: str) -> dict:
    """base_env for the realtime tests' servers and workers."""
    return base_env(database_url, redis_url, **{**TEST_SETTINGS, **settings})


def start_sqlite_server(directory, **settings: str) -> LiveServer:
    """A `python wsgi.py` process on a fresh SQLite database with floors 1-3 and the staff."""
    database_url = f"sqlite:///{directory / 'live.db'}"
    prepare_database(database_url)
    server = LiveServer(live_env(database_url, **settings), directory / "server.log").start()
    server.database_url = database_url
    return server


def start_postgres_server(directory, **settings: str) -> LiveServer:
    """A `python wsgi.py` process on TEST_DATABASE_URL, emptied, with floors 1-3 and the staff."""
    from tests.support.backing_services import postgres_url

    database_url = postgres_url()
    prepare_database(database_url)
    server = LiveServer(live_env(database_url, **settings), directory / "server.log").start()
    server.database_url = database_url
    return server


def start_server(backing: str, directory, **settings: str) -> LiveServer:
    """`start_sqlite_server` for "sqlite"; for "postgres-redis", PostgreSQL with Redis as its queue and limit store."""
    if backing == "sqlite":
        return start_sqlite_server(directory, **settings)
    from tests.support.backing_services import redis_url

    return start_postgres_server(directory, REDIS_URL=redis_url(), **settings)


def writes_directly(server: LiveServer) -> bool:
    """Whether a server writes its WebSockets itself (eventlet, DIRECT_WEBSOCKET_WRITES), not through engine.io."""
    return server.env.get("ASYNC_MODE", "eventlet") == "eventlet" and server.env.get("DIRECT_WEBSOCKET_WRITES") != "0"


def server_in_each_write_mode(**settings: str):
    """A module's `server` fixture: one server with DIRECT_WEBSOCKET_WRITES=1, then one with 0."""
    import pytest

    @pytest.fixture(scope="module", params=["1", "0"], ids=["direct-writes", "engineio-writes"])
    def server(request, tmp_path_factory):
        live = start_sqlite_server(tmp_path_factory.mktemp("live"), DIRECT_WEBSOCKET_WRITES=request.param, **settings)
        yield live
        live.stop()

    return server


def start_two_servers(directory, **settings: str) -> tuple[LiveServer, LiveServer]:
    """Servers A and B: two `python wsgi.py` processes sharing TEST_DATABASE_URL (emptied) and Redis."""
    from tests.support.backing_services import postgres_url, redis_url

    database_url = postgres_url()
    prepare_database(database_url)
    env = live_env(database_url, redis_url(), **settings)
    a = LiveServer(env, directory / "a.log").start()
    b = LiveServer(env, directory / "b.log").start()
    a.database_url = b.database_url = database_url
    return a, b


@contextmanager
def two_servers_running(directory, **settings: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    """`start_two_servers`, both stopped when the block ends."""
    a, b = start_two_servers(directory, **settings)
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def servers_on_each_backing(**settings: str):
    """A module's `servers` and `server` fixtures: (A, B) as one SQLite process twice, then two processes on
    PostgreSQL and Redis; `server` is A, where staff and connect() go unless told. A test that uses A for one
    client and B for the other runs both ways: `servers, server = servers_on_each_backing()`."""
    import pytest

    @pytest.fixture(
        scope="module",
        params=["sqlite", pytest.param("postgres-redis", marks=[pytest.mark.postgres, pytest.mark.redis])],
    )
    def servers(request, tmp_path_factory):
        folder = tmp_path_factory.mktemp(request.param)
        if request.param == "sqlite":
            live = start_sqlite_server(folder, **settings)
            yield live, live
            live.stop()
            return
        with two_servers_running(folder, **settings) as pair:
            yield pair

    @pytest.fixture(scope="module")
    def server(servers):
        return servers[0]

    return servers, server


def two_servers_on_redis(name: str, **settings: str):
    """A module's `servers` (A and B, `start_two_servers`) and `server` (A) fixtures."""
    import pytest

    @pytest.fixture(scope="module")
    def servers(tmp_path_factory):
        with two_servers_running(tmp_path_factory.mktemp(name), **settings) as pair:
            yield pair

    @pytest.fixture(scope="module")
    def server(servers):
        return servers[0]

    return servers, server
