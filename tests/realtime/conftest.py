"""Live servers shared by the tests of one module, and real Socket.IO clients per test.

A module may set SERVER_SETTINGS = {"ENV_NAME": "value"} for its server's environment.
Tests in a module share one server and database, so each creates the tables it uses.
"""

import pytest

from tests.support.api import StaffApi
from tests.support.live_server import LiveServer, base_env, prepare_database
from tests.support.sockets import LiveSocket

# Every test signs in from 127.0.0.1; the sign-in limit (10 a minute) is not what these prove.
TEST_SETTINGS = {"LOGIN_RATE_LIMIT": "1000 per minute"}


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


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """One server process for the module (no Redis: the in-process manager and worker)."""
    settings = getattr(request.module, "SERVER_SETTINGS", {})
    live = start_sqlite_server(tmp_path_factory.mktemp("live"), **settings)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def staff(server):
    """Factory: the JSON API as one member of staff on the module's server (tokens cached)."""
    people: dict[str, StaffApi] = {}

    def person(username: str) -> StaffApi:
        if username not in people:
            people[username] = StaffApi(server.url, username)
        return people[username]

    return person


@pytest.fixture
def connect(server, staff):
    """Factory: a connected LiveSocket for a username (token auth), closed after the test."""
    opened: list[LiveSocket] = []

    def open_socket(username: str | None = None, *, url: str | None = None, **options) -> LiveSocket:
        token = staff(username).token if username else options.pop("token", None)
        socket = LiveSocket(url or server.url, token=token, **options)
        opened.append(socket)
        return socket.connect()

    yield open_socket
    for socket in opened:
        socket.close()


@pytest.fixture
def watcher(connect):
    """Factory: a viewer's socket already in the room of `floor` (None: all_tables)."""

    def watch(floor: int | None, username: str = "viewer") -> LiveSocket:
        socket = connect(username)
        assert socket.join(floor)["ok"] is True
        return socket

    return watch
