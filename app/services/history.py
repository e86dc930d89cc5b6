"""A table's history and the floor's figures, read from the event log and the tables."""

from sqlalchemy import case, func, select

from app.extensions import db
from app.models import TABLE_STATUSES, Event, Table, limits
from app.shapes.service import HISTORY_FIELDS, HistoryEntry

HISTORY_DEFAULT = limits.HISTORY_DEFAULT


def table_history(table_id: int, limit: int = HISTORY_DEFAULT) -> list[dict]:
    """The newest `limit` events of one table, newest first (read through ix_events_table_id_id).

    Plain rows, not Event objects: the history is read often and never changed.
    """
    query = (
        select(Event.id, Event.type, Event.created_at, Event.actor, Event.payload)
        .where(Event.table_id == table_id)
        .order_by(Event.id.desc())
        .limit(limit)
    )
    entries = []
    for event_id, kind, at, actor, payload in db.session.execute(query):
        repeated = {name: payload[name] for name in HISTORY_FIELDS if name in payload}
        entry = HistoryEntry(event_id=str(event_id), event=kind, at=at, by=actor, **repeated)
        entries.append(entry.wire())
    return entries


def service_summary(floors: list[int] | None) -> dict:
    """Tables per status, seats, seats taken and covers on the given floors (all for None), by Summary's field names."""
    occupied = Table.status == "occupied"
    query = select(
        Table.status,
        func.count(Table.id),
        func.coalesce(func.sum(Table.capacity), 0),
        func.coalesce(func.sum(case((occupied, Table.capacity), else_=0)), 0),
        func.coalesce(func.sum(Table.covers), 0),
    ).group_by(Table.status)
    if floors is not None:
        query = query.where(Table.floor.in_(floors))
    summary = {"tables": dict.fromkeys(TABLE_STATUSES, 0), "seats": 0, "occupied_seats": 0, "covers": 0}
    for status, count, seats, occupied_seats, covers in db.session.execute(query):
        summary["tables"][status] = count
        summary["seats"] += int(seats)
        summary["occupied_seats"] += int(occupied_seats)
        summary["covers"] += int(covers)
    return summary
