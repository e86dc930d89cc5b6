"""Answering `tables:sync`: the missed events in order, or a snapshot when they are gone.

What a staff socket missed is its floors' events and the door's (party:*), which every staff
socket hears; a snapshot carries the line at the door beside its rooms' tables.

In a reconnect storm thousands of sockets ask the same question at once (the same floors, the
same last event id). Each still gets an answer read after it asked, as a read begun earlier
could miss a change whose broadcast the socket also missed, which is the very case sync and
the room head exist to catch. But what each socket reads is only the log's mark (newest event
id and how far retention pruned, one small query): a head or sync answer computed under the
same mark is the same answer, so it is computed once per mark and shared. Sockets asking while
a read runs (PostgreSQL yields while it waits) wait for it and share the next one
(app/realtime/shared_reads.py). Floors that exist are remembered for FLOORS_KEPT_SECONDS (a
join to a floor deleted meanwhile finds an empty room).
"""

import time

from flask import current_app

from app.extensions import db
from app.models import Floor
from app.realtime.rooms import ALL_TABLES
from app.realtime.shared_reads import SharedReads
from app.services.event_log import events_after, latest_event_id, log_mark
from app.services.floors import list_floors
from app.services.parties import parties_in
from app.services.presets import presets_of
from app.services.sections import sections_on
from app.services.tables import tables_on
from app.shapes import events
from app.shapes.floors import Floor as FloorShape
from app.shapes.parties import Party
from app.shapes.presets import ListedPreset
from app.shapes.sections import Section
from app.shapes.tables import Table

FLOORS_KEPT_SECONDS = 1.0
_answers = SharedReads()
_floors = SharedReads()
_heads = SharedReads()
_marks = SharedReads(gathered=True)
ANY_TIME = float("-inf")


def floor_exists(number: int) -> bool:
    """Whether floor `number` exists, read at most once every FLOORS_KEPT_SECONDS."""
    not_before = time.monotonic() - FLOORS_KEPT_SECONDS
    return _floors.get(number, lambda: db.session.get(Floor, number) is not None, not_before)


def current_mark() -> tuple[int, int]:
    """The log's mark from a read begun after the question was asked."""
    return _marks.get("log", log_mark, time.monotonic())


def room_head(floors: list[int] | None) -> int | None:
    """The newest event id on these floors as of now: computed once per mark of the log."""
    key = (current_mark(), None if floors is None else tuple(floors))
    return _heads.get(key, lambda: latest_event_id(floors), ANY_TIME)


def shared_sync_answers(last_event_id: object, floors: list[int] | None) -> tuple[dict, dict]:
    """`tables:sync_response` and the acknowledgement of `tables:sync` as of now: computed once per
    mark of the log and question, then shared."""
    key = (current_mark(), parse_event_id(last_event_id), None if floors is None else tuple(floors))
    return _answers.get(key, lambda: sync_answers(last_event_id, floors), ANY_TIME)


def sync_answers(last_event_id: object, floors: list[int] | None) -> tuple[dict, dict]:
    """The sync response, and the same answer as the acknowledgement says it (`ok: true` first)."""
    response = sync_shape(last_event_id, floors)
    given = {name: getattr(response, name) for name in response.model_fields_set}
    return response.wire(), events.Synced(ok=True, **given).wire()


def floors_of_rooms(rooms: list[str], user) -> list[int] | None:
    """The floors a socket's rooms cover; None means every floor."""
    if ALL_TABLES in rooms:
        return list(user.allowed_floors) if user.allowed_floors else None
    return sorted({int(room.split(":", 1)[1]) for room in rooms if room.startswith("floor:")})


def parse_event_id(value: object) -> int | None:
    """A client's lastEventId as an int; None for null or anything unusable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def sync_response(last_event_id: object, floors: list[int] | None) -> dict:
    """The contract's `tables:sync_response` for a socket covering `floors`."""
    return sync_shape(last_event_id, floors).wire()


def sync_shape(last_event_id: object, floors: list[int] | None) -> events.SyncResponse:
    """`tables:sync_response` for a socket covering `floors`, as its shape."""
    last = parse_event_id(last_event_id)
    missed = None
    if last is not None:
        missed = events_after(last, floors, current_app.config["SYNC_MAX_EVENTS"])
    if missed is not None:
        # With nothing missed the client keeps its own id: a head read here could pass an
        # event that commits meanwhile and whose broadcast is still on its way.
        return events.SyncResponse(
            recovered=True,
            last_event_id=missed[-1].event_id if missed else str(last),
            events=[events.LogEntry.of(event) for event in missed],
            tables=[],
        )
    # The head is read before the tables, so the snapshot is at least as new as it.
    head = latest_event_id()
    return events.SyncResponse(
        recovered=False,
        last_event_id=str(head) if head else None,
        events=[],
        tables=[Table.of(table) for table in tables_on(floors)],
        # What section and floor events would have told: names, colours, assignees, turn times.
        sections=[Section.of(section) for section in sections_on(floors)],
        # What preset events would have told: the sections screens' lists of presets.
        presets=[ListedPreset.of(preset) for preset in presets_of(floors)],
        floors=[
            FloorShape.of(floor, count)
            for floor, count in list_floors(floors)
            if floors is None or floor.number in floors
        ],
        # The door is every staff socket's, whatever its rooms: the line as it is now.
        parties=[Party.of(party) for party in parties_in()],
    )
