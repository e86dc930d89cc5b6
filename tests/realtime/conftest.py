"""Live servers shared by the tests of one module, and real Socket.IO clients per test.

A module may set SERVER_SETTINGS = {"ENV_NAME": "value"} for its server's environment.
Tests in a module share one server and database, so each creates the tables it uses.
"""

import pytest

from tests.support.api import StaffApi
from tests.support.servers import start_sqlite_server
from tests.support.sockets import LiveSocket


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """One server process for the module (no Redis: the in-process manager and worker)."""
    settings = getattr(request.module, "SERVER_SETTINGS", {})
    live = start_sqlite_server(tmp_path_factory.mktemp("live"), **settings)
    yield live
    live.stop()


@pytest.fixture(scope="package", params=["1", "0"], ids=["direct-writes", "engineio-writes"])
def each_mode_server(request, tmp_path_factory):
    """One server with DIRECT_WEBSOCKET_WRITES=1 and one with =0, each shared by every test that asks for it.

    In the async mode the run asks for (`make test-modes`): eventlet's endpoints and gevent's
    (app/realtime/transport/gevent_endpoint.py) all read frames through
    app/realtime/transport/frames.py and are held to the same rules. (Under gevent the two
    servers are alike: DIRECT_WEBSOCKET_WRITES is eventlet's.)
    """
    live = start_sqlite_server(
        tmp_path_factory.mktemp("live"),
        DIRECT_WEBSOCKET_WRITES=request.param,
        PING_INTERVAL="25",
    )
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
