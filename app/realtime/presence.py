"""Who is looking at each floor now, and which table each screen has in hand (issue 28).

A staff socket asks for a floor's presence with `presence:watch`: it joins `presence:<floor>`
and is listed there until it leaves the floor, disconnects, or its process dies (its entries
then expire after PRESENCE_TTL_SECONDS). `presence:claim` sets the table the screen has in hand.
Every change sends the floor's whole list, `presence:update`, to the room's sockets in every
process (through the message queue). Nothing is logged: presence is only what is true now.
"""

import json
import threading

from flask import Flask

from app.extensions import socketio
from app.realtime import transport
from app.realtime.presence_board import LocalBoard, RedisBoard, clock
from app.realtime.rooms import presence_room
from app.shapes.presence import Presence, Viewer
from app.shapes.staff import initials_of

NAMESPACE = "/"
UPDATE = "presence:update"

_board: LocalBoard | RedisBoard = LocalBoard()
_ttl = 5.0
_lock = threading.Lock()
# This process's screens: socket id -> floor -> what the floor's list says of it.
_mine: dict[str, dict[int, Viewer]] = {}


def install(redis_url: str | None, channel: str, ttl_seconds: float) -> None:
    """Keep presence in Redis when the deployment has it (every process sees every screen), else here."""
    global _board, _ttl
    _board = RedisBoard(redis_url, channel) if redis_url else LocalBoard()
    _ttl = ttl_seconds
    with _lock:
        _mine.clear()


def beat_interval() -> float:
    """How often this process refreshes its screens and prunes the dead ones'."""
    return max(_ttl / 5, 0.2)


def watch(sid: str, account, floor: int) -> None:
    """List this socket on the floor and send it (and everyone watching) the floor's list."""
    name = account.username
    viewer = Viewer(user_id=account.id, username=name, initials=initials_of(name), table_id=None)
    with _lock:
        _mine.setdefault(sid, {})[floor] = viewer
    transport.enter(socketio.server, sid, presence_room(floor))
    _put(sid, floor, viewer)


def claim(sid: str, floor: int, table_id: int | None) -> bool:
    """Set the table this socket has in hand on a floor it watches; False when it does not watch it."""
    with _lock:
        viewer = _mine.get(sid, {}).get(floor)
        if viewer is None:
            return False
        viewer = _mine[sid][floor] = viewer.model_copy(update={"table_id": table_id})
    _put(sid, floor, viewer)
    return True


def unwatch(sid: str, floor: int) -> None:
    """Take this socket off the floor's list (it left the floor)."""
    with _lock:
        watched = _mine.get(sid, {}).pop(floor, None)
    transport.leave(socketio.server, sid, presence_room(floor))
    if watched is not None and _board.drop(floor, sid):
        announce(floor)


def gone(sid: str) -> None:
    """The socket disconnected: off every floor's list."""
    with _lock:
        floors = list(_mine.pop(sid, {}))
    for floor in floors:
        if _board.drop(floor, sid):
            announce(floor)


def beat(app: Flask) -> None:
    """Keep this process's screens listed, and take off those of processes that stopped."""
    with _lock:
        held = [(floor, sid) for sid, floors in _mine.items() for floor in floors]
    now = clock()
    _board.refresh(held, now + _ttl)
    for floor in _board.prune(now):
        announce(floor)


def announce(floor: int) -> None:
    """Send the floor's whole list to everyone watching it, in every process."""
    version, entries = _board.snapshot(floor)
    viewers = sorted((Viewer.model_validate_json(entry) for entry in entries), key=lambda v: (v.username, v.user_id))
    update = Presence(floor=floor, version=version, viewers=viewers).wire()
    transport.publish(socketio.server, UPDATE, update, presence_room(floor))


def _put(sid: str, floor: int, viewer: Viewer) -> None:
    _board.put(floor, sid, json.dumps(viewer.wire()), clock() + _ttl)
    announce(floor)
