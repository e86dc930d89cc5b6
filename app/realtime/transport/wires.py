"""The transport's own record of what it gives engine.io's sockets and servers.

Each WebSocket-first socket's `Wire`, by engine.io session id, and each engine.io server's
settings for wires (its `Liveness`, the backlog allowed, the send buffer), by server: kept
here, not as attributes of engine.io's objects. What is still put on those objects is only
what engine.io itself calls (a socket's `send`, `close`, `queue` and `schedule_ping`,
replaced in wire.py; the server's driver table and service task, in `wire.install`).
"""

import weakref
from dataclasses import dataclass

_wires: dict = {}
_settings: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Settings:
    """How an engine.io server's sockets are served over wires."""

    liveness: object
    max_backlog: int
    send_buffer: int


def keep(eio_socket, wire) -> None:
    _wires[eio_socket.sid] = wire


def forget(eio_socket) -> None:
    if _wires.get(eio_socket.sid) is not None:
        del _wires[eio_socket.sid]


def wire_of(eio_socket):
    """The socket's wire while it has one (a WebSocket-first socket until it closes), else None."""
    return _wires.get(eio_socket.sid)


def wire_by_sid(eio_sid: str):
    return _wires.get(eio_sid)


def configure(eio, settings: Settings) -> None:
    _settings[eio] = settings


def settings_of(eio) -> Settings | None:
    """The server's wire settings, or None when its sockets are served by engine.io alone."""
    return _settings.get(eio)


def count() -> int:
    """Wires held (every open WebSocket-first socket of this process)."""
    return len(_wires)
