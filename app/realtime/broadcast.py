"""Delivering committed changes to this process's sockets, batching bursts of status changes.

Every process receives every committed event exactly once and in commit order (through
Redis, or directly without it) and hands it to its Broadcaster, which emits to its own
sockets only. The first status change after a quiet window goes out at once as
`table:status_changed` (with the rest of its commit, as one batch); the ones that follow it
within the batch window are held and go out together at its end as one
`tables:batch_update` (a single one as `table:status_changed`), and the window goes on while
changes keep coming. Any other event first flushes what is held, so each socket sees event
ids in increasing order. A socket in `all_tables` gets every status change through that room
only, never twice.

The door's events (party:*) go to `staff`, which every staff socket is in: they flush held
status changes first like any other event. A party's own room (`party:<id>`, its guest's
page) never gets a staff payload: a registered guest view (`register_guest_view`) says what,
if anything, the guest is told of each of them.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext

from app.models.event import EventType
from app.realtime import metrics, transport
from app.realtime.rooms import ALL_TABLES, floor_room, party_room, rooms_for_floors
from app.shapes.events import AT_THE_DOOR, BatchItem, BatchUpdate

log = logging.getLogger(__name__)
STATUS_CHANGED = EventType.STATUS_CHANGED
BATCH = "tables:batch_update"
# (event name, staff message) -> [(partyId, event name, payload)] for guests' own rooms; empty tells nobody.
# Run in an app context (the database may be read), after the event went to the staff.
GuestView = Callable[[str, dict], Iterable[tuple[int, str, dict]]]
_guest_views: list[GuestView] = []


def register_guest_view(view: GuestView) -> None:
    """Have `view` say what a party's guest page is told of each of the door's events (once, at start-up)."""
    if view not in _guest_views:
        _guest_views.append(view)


def batch_update(items: list[dict]) -> list[dict]:
    """Held status changes as the payload of one `tables:batch_update`."""
    return BatchUpdate([BatchItem.of(item["message"]) for item in items]).wire()


class Broadcaster:
    """Emits committed events to the local members of `floor:N` and `all_tables`."""

    def __init__(self, socketio, window_ms: int, timers: bool, app=None, fill_gaps: bool = False) -> None:
        self.socketio = socketio
        # Guest views read the database in this app's context.
        self.app = app
        # With Redis, a publish lost while Redis was away leaves a hole in the feed; the next
        # event shows it, and the missing ones are read back from the log (see fill_gap).
        self.fill_gaps = fill_gaps and app is not None
        self.last_delivered: int | None = None
        self.window = window_ms / 1000
        # Without a server loop (CLI, in-process tests off) there is nobody to wait for.
        self.timers = timers and window_ms > 0
        self.pending: dict[str, list[dict]] = {}
        # A window is open from a status change sent at once until a window passes with nothing held.
        self.window_open = False
        # Held while emitting too, so a timer's flush and a new event cannot overtake each other.
        self.lock = threading.RLock()

    def deliver(self, items: list[dict]) -> None:
        """Take the events of one commit, in commit order, and emit or batch them."""
        with self.lock:
            items = self.fill_gap(items)
            opened = False
            for item in items:
                if item["event"] == STATUS_CHANGED:
                    opened = self._hold(item) or opened
                else:
                    self.flush()
                    self._emit(item["event"], item["message"], rooms_for_floors(item["floors"]))
                    if item["event"] in AT_THE_DOOR:
                        self._tell_the_guest(item)
                    self._count([item])
            # A commit that opened a window goes out at once, its status changes as one frame.
            if opened or not self.timers:
                self.flush()

    def fill_gap(self, items: list[dict]) -> list[dict]:
        """These items preceded by any committed events the feed skipped, without repeats.

        Writers commit and publish one at a time, so an event id missing between the last one
        delivered and this one was committed but its publish failed (Redis down); without it
        here, clients that get the later event live would never notice theirs was missed.
        """
        last = self.last_delivered
        fresh = [item for item in items if last is None or int(item["message"]["eventId"]) > last]
        if not fresh:
            return []
        first = int(fresh[0]["message"]["eventId"])
        self.last_delivered = int(fresh[-1]["message"]["eventId"])
        if not self.fill_gaps or last is None or first <= last + 1:
            return fresh
        try:
            return missed_events(self.app, last, first) + fresh
        except Exception:  # noqa: BLE001 - the database may be away too; heads and sync remain
            log.exception("reading events %d-%d missed by the feed failed", last + 1, first - 1)
            return fresh

    def _tell_the_guest(self, item: dict) -> None:
        """What each guest view makes of a door event, each payload sent to its party's own room only."""
        for view in _guest_views:
            try:
                with self._context():
                    told = list(view(item["event"], item["message"]))
            except Exception:  # noqa: BLE001 - the staff have their event; the guest catches up on reconnect
                log.exception("the guest view of %s failed", item["event"])
                continue
            for party_id, event, payload in told:
                self._emit(event, payload, party_room(party_id))

    def _context(self):
        """An app context of its own for a guest view, its database session removed after."""
        if self.app is None:
            return nullcontext()
        return _session_of(self.app)

    def _hold(self, item: dict) -> bool:
        """Hold a status change; True when it opens a window, to be sent at once by its commit."""
        for room in (floor_room(item["message"]["floor"]), ALL_TABLES):
            self.pending.setdefault(room, []).append(item)
        if not self.timers or self.window_open:
            return False
        self.window_open = True
        self.socketio.start_background_task(self._flush_later)
        return True

    def _flush_later(self) -> None:
        """At each window's end send what it held; a window that held nothing closes."""
        try:
            while True:
                self.socketio.sleep(self.window)
                with self.lock:
                    if not self.pending:
                        return
                    self.flush()
        finally:
            # Closed under the lock, so a change arriving now opens a window of its own.
            with self.lock:
                self.window_open = False
                self.flush()

    def flush(self) -> None:
        """Send every held status change now, each socket getting its changes once and in order.

        One window for all rooms, so no room's batch can overtake another's. A socket in
        all_tables gets the all_tables batch; a socket in one floor room that floor's batch;
        a socket in several floor rooms (a floor-limited list view) one batch of its own.
        """
        with self.lock:
            pending, self.pending = self.pending, {}
            if not pending:
                return
            rooms = transport.rooms(self.socketio.server)
            everything = set(rooms.get(ALL_TABLES, {}))
            floors = {room: batch for room, batch in pending.items() if room != ALL_TABLES}
            several = _in_several(floors, rooms, everything) if len(floors) > 1 else {}
            if everything and ALL_TABLES in pending:
                self._emit_batch(pending[ALL_TABLES], ALL_TABLES)
            for room, batch in floors.items():
                members = rooms.get(room, {})
                if not everything and not several:
                    self._emit_batch(batch, room)
                    continue
                only_here = [sid for sid in members if sid not in everything and sid not in several]
                if only_here:
                    self._emit_batch(batch, only_here)
            for sid, held in several.items():
                merged = sorted({id(item): item for room in held for item in floors[room]}.values(), key=_event_id)
                self._emit_batch(merged, sid)
            # Every held change is in the all_tables list, whoever received it.
            self._count(pending.get(ALL_TABLES, []))

    def _emit_batch(self, batch: list[dict], to: str | list[str]) -> None:
        if len(batch) == 1:
            self._emit(STATUS_CHANGED, batch[0]["message"], to)
        else:
            self._emit(BATCH, batch_update(batch), to)

    def _emit(self, event: str, payload: object, to: str | list[str]) -> None:
        try:
            transport.emit(self.socketio.server, event, payload, to)
        except Exception:  # noqa: BLE001 - a failed emit must not fail the committed change
            log.exception("broadcast of %s failed", event)
            metrics.delivery_failed()

    @staticmethod
    def _count(items: list[dict]) -> None:
        """Record each delivered event once, with its time from commit to emit."""
        now = time.time()
        for item in items:
            metrics.event_broadcast(item["event"], now - item["committedAt"])


def _in_several(floors: dict[str, list[dict]], rooms: dict, everything: set) -> dict[str, list[str]]:
    """The sockets outside all_tables that are in more than one of these floor rooms, with those rooms.

    Only asked when changes are held for several floors: with one, no socket can be in two of them, and
    the walk over every member of the room is not made before its fan-out.
    """
    seen: dict[str, list[str]] = {}
    for room in floors:
        for sid in rooms.get(room, {}):
            if sid not in everything:
                seen.setdefault(sid, []).append(room)
    return {sid: held for sid, held in seen.items() if len(held) > 1}


def _event_id(item: dict) -> int:
    return int(item["message"]["eventId"])


def missed_events(app, after: int, before: int) -> list[dict]:
    """Logged events strictly between two ids, as feed items."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Event
    from app.services.event_log import floors_of

    with app.app_context():
        try:
            query = select(Event).where(Event.id > after, Event.id < before).order_by(Event.id)
            now = time.time()
            return [
                {"event": event.type, "message": event.message(), "floors": floors_of(event), "committedAt": now}
                for event in db.session.scalars(query)
            ]
        finally:
            db.session.remove()


@contextmanager
def _session_of(app):
    """The app's context for a while, its database session removed when it ends."""
    from app.extensions import db

    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
