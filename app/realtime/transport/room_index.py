"""Each socket's rooms kept beside python-socketio's rooms, so leaving them all is not a walk of every room.

python-socketio finds a socket's rooms by walking every room of the namespace (`get_rooms`, and
`basic_disconnect` over a copy of them). Every socket has a room of its own, so with N sockets
each disconnect and each `rooms()` costs O(N): a reconnect storm of N screens costs O(N^2)
(at 2,000 sockets 11% of the server's samples went to `basic_disconnect` alone).

python-socketio internals used (checked at python-socketio 5.18.1): `BaseManager.rooms`,
`callbacks`, `pending_connect` and `pending_disconnect`, and the `basic_enter_room`,
`basic_leave_room`, `basic_disconnect` and `get_rooms` methods, replaced here with the same effect.
"""

from collections import defaultdict


class IndexedRooms:
    """A client manager mix-in: (namespace, sid) -> the rooms it is in, the sid's own room too."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rooms_of: defaultdict[tuple[str, str], set] = defaultdict(set)

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self.rooms_of[(namespace, sid)].add(room)

    def basic_leave_room(self, sid, namespace, room):
        super().basic_leave_room(sid, namespace, room)
        joined = self.rooms_of.get((namespace, sid))
        if joined is not None:
            joined.discard(room)
            if not joined:
                del self.rooms_of[(namespace, sid)]

    def get_rooms(self, sid, namespace):
        """The rooms a socket is in, its own room included (as python-socketio answers)."""
        return [room for room in self.rooms_of.get((namespace, sid), ()) if room is not None]

    def basic_disconnect(self, sid, namespace, **kwargs):
        if namespace not in self.rooms:
            return
        for room in list(self.rooms_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]
