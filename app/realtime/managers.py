"""Socket.IO client managers: the ordered event feed, and ending sessions in every process.

Committed events travel as one internal message, `FEED`. Without Redis it is handed to
this process's Broadcaster at once. With Redis it is published only, with no sender host,
so every process (the sender too) takes it from the one ordered Redis stream: a process's
own events can never overtake another's that committed first.
"""

import socketio

from app.realtime.direct.room_index import IndexedRooms

END_SESSION = "tableside:end_session"
FEED = "tableside:feed"
ANY_HOST = "*"


def _disconnect_room(manager, namespace: str, room: str) -> None:
    for sid, _ in list(manager.get_participants(namespace, room)):
        manager.server.disconnect(sid, namespace=namespace, ignore_queue=True)


def _deliver(items: list[dict]) -> None:
    from app.realtime.setup import local_broadcaster

    broadcaster = local_broadcaster()
    if broadcaster is not None:
        broadcaster.deliver(items)


class LocalManager(IndexedRooms, socketio.Manager):
    """One process: the feed goes straight to the Broadcaster; ending sessions disconnects here."""

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        if event == FEED:
            _deliver(data)
            return None
        if event == END_SESSION:
            _disconnect_room(self, namespace or "/", to or room)
            return None
        return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to, **kwargs)


class QueueManager(IndexedRooms, socketio.RedisManager):
    """Several processes on Redis: the feed is read back from Redis by every process, in order."""

    def emit(self, event, data, namespace=None, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        if event == FEED:
            self._publish({"method": "emit", "event": FEED, "data": data, "namespace": "/", "host_id": ANY_HOST})
            return None
        return super().emit(
            event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback, to=to, **kwargs
        )

    def _handle_emit(self, message):
        if message.get("event") == FEED:
            _deliver(message["data"])
            return None
        if message.get("event") == END_SESSION:
            _disconnect_room(self, message.get("namespace") or "/", message.get("room"))
            return None
        return super()._handle_emit(message)
