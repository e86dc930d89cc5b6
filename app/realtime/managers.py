"""Socket.IO client managers that can end every socket of a user or sign-in, in any process."""

import socketio

END_SESSION = "tableside:end_session"


def _disconnect_room(manager, namespace: str, room: str) -> None:
    for sid, _ in list(manager.get_participants(namespace, room)):
        manager.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class LocalManager(socketio.Manager):
    """One process: ending a room's sessions disconnects its sockets here."""

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        if event == END_SESSION:
            _disconnect_room(self, namespace or "/", to or room)
            return None
        return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to, **kwargs)


class QueueManager(socketio.RedisManager):
    """Several processes on Redis: every process disconnects its own sockets of the room."""

    def _handle_emit(self, message):
        if message.get("event") == END_SESSION:
            _disconnect_room(self, message.get("namespace") or "/", message.get("room"))
            return None
        return super()._handle_emit(message)
