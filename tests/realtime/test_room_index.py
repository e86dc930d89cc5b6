"""Canary for app/realtime/transport/room_index.py: the indexed manager keeps python-socketio's rooms exactly."""

from types import SimpleNamespace

import socketio

from app.realtime.managers import LocalManager


def _local_manager() -> LocalManager:
    """Tableside's one-process manager; these sockets hear no feed."""
    return LocalManager(deliver=lambda items: None)


def _server() -> SimpleNamespace:
    counter = iter(range(1, 1000))
    return SimpleNamespace(
        eio=SimpleNamespace(generate_id=lambda: f"s{next(counter)}"), packet_class=socketio.packet.Packet
    )


def _play(manager: socketio.Manager) -> list:
    """Connect four sockets, move them between rooms, disconnect some; what the manager holds at each step."""
    manager.set_server(_server())
    seen = []
    sids = [manager.connect(f"e{n}", "/") for n in range(4)]
    for n, sid in enumerate(sids):
        manager.enter_room(sid, "/", "floor:2")
        manager.enter_room(sid, "/", f"user:{n % 2}")
    manager.leave_room(sids[0], "/", "floor:2")
    seen.append(({sid: sorted(manager.get_rooms(sid, "/")) for sid in sids}, repr(manager.rooms)))
    manager.pre_disconnect(sids[1], "/")
    manager.disconnect(sids[1], "/")
    manager.disconnect(sids[2], "/")
    seen.append(({sid: sorted(manager.get_rooms(sid, "/")) for sid in sids}, repr(manager.rooms)))
    manager.disconnect(sids[0], "/")
    manager.disconnect(sids[3], "/")
    seen.append((repr(manager.rooms), manager.pending_connect, manager.pending_disconnect, manager.callbacks))
    return seen


def test_the_indexed_manager_holds_what_python_socketio_would():
    """Same operations, same rooms, same answers from get_rooms, nothing left after every socket left."""
    ours, theirs = _play(_local_manager()), _play(socketio.Manager())
    assert ours == theirs
    assert ours[0][0]["s4"] == ["floor:2", "s4", "user:1"]
    assert ours[-1][0] == "{}"


def test_a_disconnected_socket_leaves_no_index_behind():
    """The index forgets a socket with its rooms, or thousands of reconnects would grow it for ever."""
    manager = _local_manager()
    manager.set_server(_server())
    sid = manager.connect("e1", "/")
    manager.enter_room(sid, "/", "floor:1")
    manager.disconnect(sid, "/")
    assert manager.rooms_of == {}
