"""Bad input and abuse: oversized, malformed and flooding clients are refused; nobody else notices."""

import json

import pytest
import requests
import websocket

from tests.support.raw_socket import Judge
from tests.support.sockets import LiveSocket, eventually, refused_handshake

pytestmark = pytest.mark.live
MAX_SOCKETS_PER_USER = 50


def raw_socket(server, token: str) -> websocket.WebSocket:
    """A hand-driven Engine.IO/Socket.IO connection, for frames no well-behaved client sends."""
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket", origin=server.url, timeout=5
    )
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send("40" + json.dumps({"token": token}))
    # The connect handler's tables:connected may come before the namespace's "40" itself.
    frames = [ws.recv(), ws.recv()]
    assert any(frame.startswith("40") for frame in frames), frames
    judge = Judge()
    for frame in frames:
        judge.read(frame)
    return ws


def still_serving(server, bystander: LiveSocket, staff) -> None:
    """The server answers HTTP and a bystander's socket still gets the next change."""
    assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
    table = staff("manager").create_table(floor=1)
    assert bystander.wait_for("table:created", lambda data: data["tableId"] == table["tableId"])


def test_a_message_over_64_kb_closes_only_the_sender(server, connect, watcher, staff):
    """A 70 KB join frame gets its sender disconnected; other users keep their live updates."""
    bystander = watcher(1, "host")
    offender = connect("viewer")
    offender.sio.emit("tables:join", {"floor": 1, "padding": "x" * 70_000})
    assert offender.disconnected.wait(5), "an oversized message was accepted"
    still_serving(server, bystander, staff)
    assert connect("viewer").join(1)["ok"] is True  # the same person may simply reconnect


def test_a_message_just_under_the_limit_is_handled_normally(connect):
    """A 60 KB payload is within the limit: refused for its content, not its size."""
    socket = connect("viewer")
    ack = socket.call("tables:join", {"floor": "x" * 60_000})
    assert ack["error"] == "bad_request" and socket.connected


@pytest.mark.parametrize(
    "frame",
    ["42not json", '42["tables:join",', "4", "9", '42[{"floor":1}]', '42["tables:join",{"floor":1}', "2probe" * 10],
    ids=["not-json", "truncated", "empty-message", "unknown-packet", "no-event-name", "unclosed", "junk"],
)
def test_garbage_frames_do_not_hurt_anyone_else(server, watcher, staff, frame):
    """Frames that are not valid Socket.IO are dropped or close that one connection, never the server."""
    bystander = watcher(1, "host")
    ws = raw_socket(server, staff("viewer").token)
    ws.send(frame)
    ws.close()
    still_serving(server, bystander, staff)


def test_deeply_nested_json_does_not_crash_the_server(server, watcher, staff):
    """A 40 KB payload nested thousands of levels deep is refused without taking the process down."""
    bystander = watcher(1, "host")
    ws = raw_socket(server, staff("viewer").token)
    depth = 10_000
    ws.send('421["tables:join",' + "[" * depth + "]" * depth + "]")
    ws.close()
    still_serving(server, bystander, staff)


def test_unknown_events_and_odd_payloads_leave_the_connection_usable(connect):
    """Events the server does not know, binary and huge numbers get no crash and the socket keeps working."""
    socket = connect("viewer")
    socket.sio.emit("tables:explode", {"floor": 1})
    socket.sio.emit("table:status_changed", {"tableId": 1, "newStatus": "occupied"})  # clients cannot broadcast
    assert socket.call("tables:join", {"floor": b"\x00\x01"})["error"] == "bad_request"
    assert socket.call("tables:join", {"floor": 10**30})["error"] == "not_found"
    assert socket.call("tables:sync", {"lastEventId": 10**30})["recovered"] is False
    assert socket.call("tables:sync", {"lastEventId": {"$gt": 0}})["recovered"] is False
    assert socket.join(1)["ok"] is True and socket.connected


def test_a_client_cannot_broadcast_table_events_to_others(connect, watcher):
    """Emitting a server event name from a client reaches nobody."""
    bystander = watcher(1, "host")
    connect("viewer").sio.emit("table:status_changed", {"tableId": 1, "newStatus": "occupied", "floor": 1})
    connect("viewer").sio.emit("tables:batch_update", [{"tableId": 1}])
    assert not eventually(lambda: bystander.names() != [], timeout=0.5)


def test_a_connection_flood_from_one_user_is_capped(server, connect, staff):
    """One user opening more than 50 sockets is refused; another user still connects."""
    token = staff("viewer").token
    sockets = [connect(token=token) for _ in range(MAX_SOCKETS_PER_USER)]
    assert all(socket.connected for socket in sockets)
    assert refused_handshake(server.url, token=token) == {"message": "too_many_connections"}
    assert connect("host").join(1)["ok"] is True
    sockets[0].close()
    assert eventually(lambda: _connects(server.url, token), timeout=3)


def _connects(url: str, token: str) -> bool:
    socket = LiveSocket(url, token=token)
    try:
        socket.connect()
        return True
    except Exception:  # noqa: BLE001 - refused while the server has not yet seen the close
        return False
    finally:
        socket.close()
