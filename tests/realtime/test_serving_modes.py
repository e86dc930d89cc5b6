"""Each way of serving sockets delivers a change and lets a returning client sync what it missed.

Real server processes on PostgreSQL and Redis (as in production), one per serving mode for
the module; real python-socketio clients over WebSocket or over long-polling only. The
default (eventlet, direct WebSocket writes, WebSocket clients) is covered everywhere else.
"""

import sys
from pathlib import Path

import pytest

from tests.support.backing_services import postgres_url, redis_url
from tests.support.live_server import LiveServer, prepare_database
from tests.support.servers import live_env
from tests.support.sockets import LiveSocket, eventually, status_changes

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
EVENTLET_STARTED = '"async_mode": "eventlet"'
# name: (command, environment, what the log says once it serves that way);
# command None runs `python wsgi.py`, as the Procfile's `web` does.
# Each names its whole mode, so a run of `make test-modes` does not turn one into another.
SERVING_MODES = {
    "eventlet, DIRECT_WEBSOCKET_WRITES=0": (
        None,
        {"ASYNC_MODE": "eventlet", "DIRECT_WEBSOCKET_WRITES": "0"},
        EVENTLET_STARTED,
    ),
    "eventlet, direct writes": (None, {"ASYNC_MODE": "eventlet", "DIRECT_WEBSOCKET_WRITES": "1"}, EVENTLET_STARTED),
    # The command docs/deployment.md gives for gevent, on a free port.
    "gevent, gunicorn -k gevent": (
        [GUNICORN, "-k", "gevent", "-w", "1", "-b", "127.0.0.1:{port}", "wsgi:app"],
        {"ASYNC_MODE": "gevent"},
        "Using worker: gevent",
    ),
    "gevent, python wsgi.py": (None, {"ASYNC_MODE": "gevent"}, '"async_mode": "gevent"'),
}
TRANSPORTS = {"websocket": ("websocket",), "long-polling only": ("polling",)}


@pytest.fixture(scope="module", params=list(SERVING_MODES))
def server(request, tmp_path_factory):
    """One server process in the mode named by the parameter, on a freshly emptied PostgreSQL and Redis."""
    command, settings, started_as = SERVING_MODES[request.param]
    database_url = postgres_url()
    prepare_database(database_url)
    env = live_env(database_url, redis_url(), STATUS_RATE_LIMIT="1000 per second", **settings)
    live = LiveServer(env, tmp_path_factory.mktemp("mode") / "server.log", command).start(timeout=60)
    try:
        assert started_as in live.log(), live.log()[-2000:]
        yield live
    finally:
        live.stop()


@pytest.fixture(params=list(TRANSPORTS))
def open_viewer(request, server, staff):
    """Factory: a viewer's socket on the parameter's transports, closed after the test."""
    opened: list[LiveSocket] = []

    def open_socket() -> LiveSocket:
        socket = LiveSocket(server.url, token=staff("viewer").token, transports=TRANSPORTS[request.param])
        opened.append(socket)
        socket.connect()
        assert socket.sio.transport() == TRANSPORTS[request.param][0]
        return socket

    yield open_socket
    for socket in opened:
        socket.close()


def status_change_of(socket: LiveSocket, table_id: int, new_status: str) -> dict:
    """The change of `table_id` to `new_status` as the socket received it, waiting for it up to 5 s."""

    def found() -> list[dict]:
        return [c for c in status_changes(socket) if c["tableId"] == table_id and c["newStatus"] == new_status]

    assert eventually(lambda: bool(found())), f"no change to {new_status}; got {socket.names('')}"
    return found()[0]


def assert_change(change: dict, table: dict, old: str, new: str) -> None:
    """The fields CONTRACT.md gives a status change."""
    assert change["tableId"] == table["tableId"] and change["tableNumber"] == table["tableNumber"]
    assert change["floor"] == 1 and change["oldStatus"] == old and change["newStatus"] == new
    assert change["updatedBy"] == "manager" and change["updatedAt"] and int(change["eventId"]) > 0


def test_viewer_receives_a_status_change_made_through_the_api(server, staff, open_viewer):
    """A viewer in floor 1's room gets a manager's API change with every field."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    socket = open_viewer()
    assert socket.join(1)["ok"] is True

    response = manager.set_status(table["tableId"], "occupied", notes="Party of four")

    assert response.status_code == 200, response.text
    change = status_change_of(socket, table["tableId"], "occupied")
    assert_change(change, table, "available", "occupied")
    assert change["notes"] == "Party of four"


def test_viewer_back_from_a_disconnect_recovers_the_change_it_missed(server, staff, open_viewer):
    """Away while a change is made, the viewer reconnects and tables:sync returns it with recovered true."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    socket = open_viewer()
    socket.join(1)
    manager.set_status(table["tableId"], "reserved")
    last_seen = status_change_of(socket, table["tableId"], "reserved")["eventId"]
    socket.close()

    assert manager.set_status(table["tableId"], "occupied").status_code == 200
    back = open_viewer()
    back.join(1)
    ack = back.sync(last_seen)

    assert ack["ok"] is True and ack["recovered"] is True and ack["tables"] == []
    assert [event["event"] for event in ack["events"]] == ["table:status_changed"]
    assert_change(ack["events"][0]["data"], table, "reserved", "occupied")
    assert int(ack["events"][0]["eventId"]) > int(last_seen)
    assert ack["events"][0]["eventId"] == ack["events"][0]["data"]["eventId"] == ack["lastEventId"]


def test_no_serving_process_logs_that_eventlet_is_deprecated(server):
    """eventlet's import warns that it is deprecated: filtered under eventlet, never imported under gevent."""
    assert "Eventlet is deprecated" not in server.log()
