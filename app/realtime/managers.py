"""Socket.IO client managers: the ordered event feed, and ending sessions in every process.

Committed events travel as one internal message, `FEED`. Without Redis `publish_feed`
hands them to this process's Broadcaster at once. With Redis they are published only,
with no sender host, so every process (the sender too) takes them from the one ordered
Redis stream: a process's own events can never overtake another's that committed first.
`end_room` tells a room's sockets why and disconnects them, here and, through Redis, in
every other process.

python-socketio's `PubSubManager._publish` and `_handle_emit` are the documented points
to extend a queue manager (listed in app/realtime/transport/__init__.py all the same).
"""

from collections.abc import Callable

import socketio

from app.realtime import transport
from app.realtime.transport.room_index import IndexedRooms

END_SESSION = "tableside:end_session"
FEED = "tableside:feed"
ANY_HOST = "*"
NAMESPACE = "/"

Deliver = Callable[[list[dict]], None]
# (event, payload) a socket is told before it is disconnected.
Farewell = tuple[str, object]


def _end_room_here(manager: socketio.Manager, room: str, farewell: Farewell | None) -> None:
    """Tell the room's sockets of this process `farewell`, then disconnect them."""
    if farewell:
        transport.emit(manager.server, farewell[0], farewell[1], room)
    for sid, _ in list(manager.get_participants(NAMESPACE, room)):
        transport.end(manager.server, sid)


class LocalManager(IndexedRooms, socketio.Manager):
    """One process: the feed goes straight to the Broadcaster; ending sessions disconnects here."""

    def __init__(self, deliver: Deliver) -> None:
        super().__init__()
        self.deliver = deliver

    def publish_feed(self, items: list[dict]) -> None:
        """Hand one commit's events to this process's Broadcaster."""
        self.deliver(items)

    def end_room(self, room: str, farewell: Farewell | None = None) -> None:
        """Tell every socket in the room `farewell`, then disconnect it."""
        _end_room_here(self, room, farewell)


class QueueManager(IndexedRooms, socketio.RedisManager):
    """Several processes on Redis: the feed is read back from Redis by every process, in order."""

    def __init__(self, url: str, channel: str, write_only: bool, deliver: Deliver) -> None:
        super().__init__(url, channel=channel, write_only=write_only)
        self.deliver = deliver

    def publish_feed(self, items: list[dict]) -> None:
        """Publish one commit's events for every process, this one included, to deliver in order."""
        self._publish({"method": "emit", "event": FEED, "data": items, "namespace": NAMESPACE, "host_id": ANY_HOST})

    def end_room(self, room: str, farewell: Farewell | None = None) -> None:
        """Tell the room's sockets `farewell` and disconnect them here, and have every other process do the same."""
        _end_room_here(self, room, farewell)
        self._publish(
            {
                "method": "emit",
                "event": END_SESSION,
                "data": list(farewell) if farewell else [],
                "namespace": NAMESPACE,
                "room": room,
                "host_id": self.host_id,
            }
        )

    def _handle_emit(self, message):
        if message.get("event") == FEED:
            self.deliver(message["data"])
            return None
        if message.get("event") == END_SESSION:
            _end_room_here(self, message.get("room"), tuple(message.get("data") or ()) or None)
            return None
        return super()._handle_emit(message)
