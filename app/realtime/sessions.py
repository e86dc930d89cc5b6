"""Ending the sockets of a signed-out, deactivated or changed account."""

import logging

from flask import Flask

from app.extensions import db, socketio
from app.realtime import accounts, connections
from app.realtime.managers import END_SESSION
from app.realtime.rooms import user_room

log = logging.getLogger(__name__)
SESSION_ENDED = {"code": "session_ended", "message": "Your session has ended. Please sign in again."}


def end_socket_sessions(room: str | None) -> None:
    """Tell the room's sockets their session ended, then disconnect them in every process."""
    if not room or getattr(socketio, "server", None) is None:
        return
    socketio.emit("tables:error", SESSION_ENDED, to=room)
    socketio.emit(END_SESSION, {}, to=room)


def end_user_sockets(user_id: int) -> None:
    """Disconnect every socket of one user (deactivation, role or floor change, reset)."""
    accounts.forget(user_id)
    end_socket_sessions(user_room(user_id))


def end_stale_sockets(app: Flask) -> int:
    """Close this process's sockets of accounts changed by another process; return how many.

    A `flask users deactivate` run without Redis cannot reach this process's sockets, so
    the server looks for itself.
    """
    with app.app_context():
        try:
            stale = connections.stale_connections()
        finally:
            db.session.remove()
    for connection in stale:
        socketio.server.emit("tables:error", SESSION_ENDED, to=connection.sid, namespace="/", ignore_queue=True)
        socketio.server.disconnect(connection.sid, namespace="/", ignore_queue=True)
    return len(stale)
