"""Ending the sockets of a signed-out, deactivated or changed account."""

import logging

from flask import Flask

from app import messages
from app.extensions import db, socketio
from app.realtime import accounts, connections, transport
from app.realtime.rooms import session_room, user_room
from app.services.outbox import Ending
from app.shapes.events import SocketError

log = logging.getLogger(__name__)
SESSION_ENDED = SocketError(code="session_ended", message=messages.SESSION_ENDED).wire()


def end_sockets(ending: Ending) -> None:
    """Tell the sockets of a user (or of one sign-in) their session ended, then disconnect them everywhere."""
    if ending.user_id is not None:
        accounts.forget(ending.user_id)  # its sockets' next check reads the changed account
    room = user_room(ending.user_id) if ending.user_id is not None else session_room(ending.sign_in)
    if not room:
        return
    socketio.server.manager.end_room(room, ("tables:error", SESSION_ENDED))


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
        transport.emit(socketio.server, "tables:error", SESSION_ENDED, connection.sid)
        transport.end(socketio.server, connection.sid)
    return len(stale)
