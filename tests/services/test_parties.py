"""Parties and their tables in the services, on SQLite and PostgreSQL: the link follows the table's status."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Event, Party, PartyTable, Table
from app.services import parties, seatings, status, tables
from app.services.errors import Conflict


@pytest.fixture
def door(either_app):
    """An app context on either database."""
    with either_app.app_context():
        yield either_app
        db.session.remove()


def new_table(number: str, capacity: int = 4, floor: int = 1) -> Table:
    return tables.create_table({"table_number": number, "floor": floor, "capacity": capacity}, by="manager")


def seatings_of(party_id: int) -> list[tuple[int, bool]]:
    """(table id, cleared yet) for each table the party sat at, in order."""
    rows = db.session.scalars(select(PartyTable).where(PartyTable.party_id == party_id).order_by(PartyTable.position))
    return [(row.table_id, row.cleared_at is not None) for row in rows]


@pytest.mark.parametrize(
    ("size", "capacities", "covers"),
    [
        (4, [4], [4]),
        (7, [4, 4], [4, 3]),
        (10, [4, 4], [6, 4]),  # two chairs pulled up at the first table
        (2, [4, 4, 4], [2, None, None]),
        (1, [2], [1]),
    ],
)
def test_covers_are_split_so_the_party_counts_once(size, capacities, covers):
    """Each table filled to its seats in the order named; the rest at the first; the sum is the party."""
    assert seatings.split_covers(size, capacities) == covers
    assert sum(count or 0 for count in covers) == size


def test_clearing_any_way_ends_the_link_and_keeps_the_record(door):
    """A status change clears every table of the party; a manager's edit and a deletion each clear the
    table's party; each stamps when, and the party keeps its record of where it sat."""
    first, second, third = new_table("P-1"), new_table("P-2"), new_table("P-3")
    party = parties.add_party({"size": 10, "name": "Wedding"}, by="host")
    parties.seat_party(party.id, [first.id, second.id, third.id], by="host")
    assert [db.session.get(Table, table.id).party_id for table in (first, second, third)] == [party.id] * 3
    status.change_status(first.id, "available", by="host")
    db.session.expire_all()
    assert [db.session.get(Table, table.id).party_id for table in (first, second, third)] == [None] * 3
    assert seatings_of(party.id) == [(first.id, True), (second.id, True), (third.id, True)]
    kept = db.session.get(Party, party.id)
    assert kept.state == "seated" and kept.table_ids == [first.id, second.id, third.id]

    edited, deleted = new_table("P-4"), new_table("P-5")
    by_edit = parties.add_party({"size": 2, "name": "Edited"}, by="host")
    by_deletion = parties.add_party({"size": 2, "name": "Deleted"}, by="host")
    parties.seat_party(by_edit.id, [edited.id], by="host")
    parties.seat_party(by_deletion.id, [deleted.id], by="host")
    tables.update_table(edited.id, {"status": "maintenance"}, by="manager")
    tables.delete_table(deleted.id, by="manager")
    db.session.expire_all()
    assert db.session.get(Table, edited.id).party_id is None
    assert seatings_of(by_edit.id) == [(edited.id, True)] and seatings_of(by_deletion.id) == [(deleted.id, True)]
    edit = db.session.scalars(select(Event).where(Event.type == "table:updated").order_by(Event.id.desc())).first()
    assert edit.payload["changes"]["partyId"] is None


def test_a_refused_seating_changes_nothing(door):
    """The second table is occupied: the first stays free, the party in line, no event logged."""
    free, taken = new_table("R-1"), new_table("R-2")
    status.change_status(taken.id, "occupied", by="manager")
    party = parties.add_party({"size": 6}, by="host")
    newest = db.session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
    with pytest.raises(Conflict) as refused:
        parties.seat_party(party.id, [free.id, taken.id], by="host")
    assert refused.value.extra["changedBy"] == "manager" and "R-2" in refused.value.message
    db.session.expire_all()
    assert db.session.get(Table, free.id).status == "available"
    assert db.session.get(Party, party.id).state == "waiting" and seatings_of(party.id) == []
    assert db.session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) == newest


def test_party_events_are_logged_at_the_door(door):
    """party:* rows carry floor 0 (the door) and no table; the tables' changes carry the party's id."""
    spot = new_table("E-1", floor=2)
    party = parties.add_party({"size": 2}, by="host")
    parties.change_party(party.id, {}, by="host", state="notified")
    parties.seat_party(party.id, [spot.id], by="host")
    rows = db.session.scalars(select(Event).where(Event.id > 0).order_by(Event.id)).all()
    door_rows = [(row.type, row.floor, row.table_id) for row in rows if row.type.startswith("party:")]
    assert door_rows == [("party:created", 0, None), ("party:updated", 0, None), ("party:seated", 0, None)]
    seating = next(row for row in rows if row.type == "table:status_changed")
    assert (seating.floor, seating.payload["partyId"], seating.payload["covers"]) == (2, party.id, 2)


def test_a_walk_in_is_never_in_line_and_logs_no_party_event(door):
    """Seating with covers and no party makes a seated party of that size; only the table's change is logged."""
    spot = new_table("W-1")
    seated = status.change_status(spot.id, "occupied", by="host", covers=3)
    walk_in = db.session.get(Party, seated.party_id)
    assert (walk_in.size, walk_in.state, walk_in.quoted_minutes, walk_in.table_ids) == (3, "seated", None, [spot.id])
    assert parties.parties_in() == [] and parties.line_summary() == {"parties_waiting": 0, "covers_waiting": 0}
    kinds = db.session.scalars(select(Event.type).order_by(Event.id)).all()
    assert "party:created" not in kinds
