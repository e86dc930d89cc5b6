"""Reading the event log back for sync and history, and pruning it (services/outbox.py writes it).

The log serves two readers with different horizons: sync replays events after
`pruned_through` (its window, hours), and tables' history reads rows kept for days.
"""

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, func, or_, select

from app.extensions import db
from app.models import Event
from app.models.event import DOOR
from app.models.event_state import EventLogState
from app.models.time import utcnow


def floors_of(event: Event) -> list[int]:
    """The floors an event is news on: its own, and the one a moved table left (DOOR: every staff screen)."""
    return [event.floor] if event.old_floor is None else [event.floor, event.old_floor]


def _on(floors: Iterable[int]):
    """Events of these floors, and the door's, which every member of staff hears."""
    floors = [*floors, DOOR]
    return or_(Event.floor.in_(floors), Event.old_floor.in_(floors))


def latest_event_id(floors: Iterable[int] | None = None) -> int | None:
    """The newest event id in the log, for the given floors (and the door) or overall."""
    query = select(func.max(Event.id))
    if floors is not None:
        query = query.where(_on(floors))
    return db.session.scalar(query)


def log_mark() -> tuple[int, int]:
    """(newest event id, pruned through), read together: every answer about the log stands
    while both stay the same, as each change logs an event, ids follow commit order
    (services/commit_order.py) and retention moves the second."""
    newest = select(func.max(Event.id)).scalar_subquery()
    pruned = select(EventLogState.pruned_through).where(EventLogState.id == 1).scalar_subquery()
    row = db.session.execute(select(newest, pruned)).one()
    return row[0] or 0, row[1] or 0


def events_after(last_id: int, floors: Iterable[int] | None, limit: int) -> list[Event] | None:
    """The logged events after `last_id` for these floors and the door, oldest first.

    Returns None when the log can no longer prove it holds all of them: the id is past the
    newest event, older than what retention kept, or more than `limit` events were missed.
    """
    newest = db.session.scalar(select(func.max(Event.id))) or 0
    if last_id > newest or last_id < pruned_through():
        return None
    query = select(Event).where(Event.id > last_id).order_by(Event.id).limit(limit + 1)
    if floors is not None:
        query = query.where(_on(floors))
    events = list(db.session.scalars(query))
    if len(events) > limit:
        return None
    return events


def pruned_through() -> int:
    """The highest event id retention has deleted; events after it are all still logged."""
    state = db.session.get(EventLogState, 1)
    return state.pruned_through if state else 0


def prune_event_log(max_age_hours: int, max_rows: int, history_days: int) -> int:
    """Close sync's replay window on events older than its age or row limit; return how many.

    Sync replays only what the window still holds; older ids get a snapshot. The rows
    themselves stay for tables' history until they are `history_days` old, then go.
    """
    newest = db.session.scalar(select(func.max(Event.id))) or 0
    by_count = newest - max_rows
    by_age = (
        db.session.scalar(
            select(func.max(Event.id)).where(Event.created_at < utcnow() - timedelta(hours=max_age_hours))
        )
        or 0
    )
    before = pruned_through()
    cutoff = max(by_count, by_age, before)
    retired = db.session.scalar(select(func.count(Event.id)).where(Event.id > before, Event.id <= cutoff)) or 0
    history_starts = utcnow() - timedelta(days=history_days)
    # Only rows sync no longer replays may go, so a replay never meets a hole.
    db.session.execute(delete(Event).where(Event.id <= cutoff, Event.created_at < history_starts))
    if cutoff > before:
        state = db.session.get(EventLogState, 1) or EventLogState(id=1, pruned_through=0)
        state.pruned_through = cutoff
        db.session.add(state)
    db.session.commit()
    return retired
