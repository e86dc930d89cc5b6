"""Ending the sockets of a signed-out, deactivated or changed account."""

from app.extensions import socketio
from app.realtime.managers import END_SESSION
from app.realtime.rooms import user_room

SESSION_ENDED = {"code": "session_ended", "message": "Your session has ended. Please sign in again."}


def end_socket_sessions(room: str | None) -> None:
    """Tell the room's sockets their session ended, then disconnect them in every process."""
    if not room or getattr(socketio, "server", None) is None:
        return
    socketio.emit("tables:error", SESSION_ENDED, to=room)
    socketio.emit(END_SESSION, {}, to=room)


def end_user_sockets(user_id: int) -> None:
    """Disconnect every socket of one user (deactivation, role or floor change, reset)."""
    end_socket_sessions(user_room(user_id))
