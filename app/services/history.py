"""A table's history and the floor's figures, read from the event log and the tables."""

from sqlalchemy import case, func, select

from app.extensions import db
from app.models import TABLE_STATUSES, Event, Party, Table, limits
from app.shapes.parties import SeatedParty
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
    rows = db.session.execute(query).all()
    parties = _seated_parties({payload.get("partyId") for *_, payload in rows if payload.get("partyId")})
    entries = []
    for event_id, kind, at, actor, payload in rows:
        repeated = {name: payload[name] for name in HISTORY_FIELDS if name in payload}
        # The change that seated a party shows it; the table's later changes name only its id.
        if payload.get("partyId") in parties and payload.get("oldStatus") != "occupied":
            repeated["party"] = parties[payload["partyId"]]
        # A status change queued offline happened when it was tapped (app/services/tap_time.py).
        when = payload.get("updatedAt", at) if kind == "table:status_changed" else at
        entry = HistoryEntry(event_id=str(event_id), event=kind, at=when, by=actor, **repeated)
        entries.append(entry.wire())
    return entries


def _seated_parties(party_ids: set[int]) -> dict[int, SeatedParty]:
    """The parties a history names, as they are now (a name given later shows too): one query."""
    if not party_ids:
        return {}
    rows = db.session.execute(select(Party.id, Party.size, Party.name).where(Party.id.in_(party_ids)))
    return {party_id: SeatedParty(party_id=party_id, size=size, name=name) for party_id, size, name in rows}


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
