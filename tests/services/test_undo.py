"""Undo keeps a party's seated time, on SQLite and PostgreSQL: a party that sat 20 minutes ago, moved and moved
back, or joined by a table taken off again, still sat 20 minutes ago on its table's timer, on the party and in
the servers panel; each undo is a new logged change, nothing is deleted from the history."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Party, PartyTable, Table
from app.models.time import as_utc, isoformat, utcnow
from app.services import history, moves, parties, rotation, sections, status, tables, users
from app.services.errors import Conflict


@pytest.fixture
def door(either_app):
    """An app context on either database, the shift begun three hours ago."""
    either_app.config["SHIFT_START_HOUR"] = (datetime.now().astimezone() - timedelta(hours=3)).hour
    with either_app.app_context():
        yield either_app
        db.session.remove()


def new_table(number: str, capacity: int = 4) -> Table:
    """A table in Window, the section Maria looks after."""
    return tables.create_table(
        {"table_number": number, "floor": 1, "capacity": capacity, "section": "Window"}, by="manager"
    )


def seated_20_minutes_ago(table: Table, size: int) -> tuple[Party, datetime]:
    """A party from the line seated at `table` 20 minutes ago; Maria looks after the table. Returns it and when."""
    maria = users.create_user("maria", "a long enough password", "viewer")
    section = next(s for s in sections.sections_on([1]) if s.name == "Window")
    sections.assign_section(section.id, maria.id, by="manager")
    party = parties.add_party({"size": size, "name": "Smith"}, by="host")
    parties.seat_party(party.id, [table.id], by="host")
    then = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    db.session.execute(update(Party).where(Party.id == party.id).values(seated_at=then, ended_at=then))
    db.session.execute(update(PartyTable).where(PartyTable.party_id == party.id).values(seated_at=then))
    db.session.execute(update(Table).where(Table.id == table.id).values(status_changed_at=then))
    db.session.commit()
    return parties.get_party(party.id), then


def seated_times(party_id: int, table_id: int) -> dict[str, str]:
    """When the party sat as each place shows it: its own seated time, its table's timer, the servers panel."""
    db.session.expire_all()
    maria = next(server for server in rotation.rotation(2, [1]).servers if server.name == "maria")
    return {
        "party": isoformat(parties.get_party(party_id).seated_at),
        "timer": isoformat(tables.get_table(table_id).status_changed_at),
        "last seated": isoformat(maria.last_seated_at),
    }


def changes_of(table_id: int) -> list[tuple[str, str]]:
    """(old status, new status) of each status change in the table's history, newest first."""
    entries = history.table_history(table_id, 10)
    return [(entry["oldStatus"], entry["newStatus"]) for entry in entries if entry["event"] == "table:status_changed"]


def test_a_move_undone_puts_the_party_back_with_the_time_it_sat(door):
    """Seated at A 20 minutes ago, moved to B, moved back (the undo): A's timer, the party and Maria's last
    seating all say 20 minutes ago, not the time of the undo; A's history shows the undo as a new change."""
    first, other = new_table("A"), new_table("B", capacity=6)
    party, then = seated_20_minutes_ago(first, 3)
    sat = {"party": isoformat(then), "timer": isoformat(then), "last seated": isoformat(then)}
    assert seated_times(party.id, first.id) == sat

    moved = moves.move_party(party.id, first.id, other.id, by="host")
    assert as_utc(tables.get_table(other.id).status_changed_at) == then
    moves.move_party(party.id, other.id, first.id, by="host", expected_version=moved.version)

    assert seated_times(party.id, first.id) == sat
    assert (tables.get_table(first.id).party_id, tables.get_table(other.id).status) == (party.id, "available")
    assert changes_of(first.id)[:3] == [("available", "occupied"), ("occupied", "available"), ("available", "occupied")]


def test_a_join_undone_leaves_the_party_with_the_time_it_sat(door):
    """Seated at A 20 minutes ago, B added then taken off (the undo), then B added again: the timers, the party
    and Maria's last seating all say 20 minutes ago."""
    first, second = new_table("A"), new_table("B")
    party, then = seated_20_minutes_ago(first, 7)
    sat = {"party": isoformat(then), "timer": isoformat(then), "last seated": isoformat(then)}

    joined = moves.add_table(party.id, second.id, by="host")
    assert as_utc(tables.get_table(second.id).status_changed_at) == then
    moves.take_table_off(party.id, second.id, by="host", expected_version=joined.version)
    assert seated_times(party.id, first.id) == sat
    assert (tables.get_table(first.id).covers, tables.get_table(second.id).status) == (7, "available")
    assert changes_of(second.id)[:2] == [("occupied", "available"), ("available", "occupied")]

    moves.add_table(party.id, second.id, by="host")
    assert seated_times(party.id, second.id) == sat


def test_a_clear_of_a_joined_party_undone_puts_it_back_at_both_tables_with_the_time_it_sat(door):
    """Seated at A 20 minutes ago and joined by B, cleared from A (both freed), the clear undone from A as the
    page sends it: both tables the party's again, covers 4 + 3 as after the join, both timers, the party and
    Maria's last seating at 20 minutes ago; each table's history shows the clear and the undo as new changes."""
    first, second = new_table("A"), new_table("B")
    party, then = seated_20_minutes_ago(first, 7)
    sat = {"party": isoformat(then), "timer": isoformat(then), "last seated": isoformat(then)}
    moves.add_table(party.id, second.id, by="host")
    status.change_status(first.id, "available", by="host", expected_status="occupied")
    assert [tables.get_table(one.id).status for one in (first, second)] == ["available", "available"]

    status.change_status(first.id, "occupied", by="host", expected_status="available", covers=4, party_back=party.id)
    assert seated_times(party.id, first.id) == sat
    assert seated_times(party.id, second.id) == sat
    back = [tables.get_table(one.id) for one in (first, second)]
    assert [(one.status, one.party_id, one.covers) for one in back] == [
        ("occupied", party.id, 4),
        ("occupied", party.id, 3),
    ]
    for table in (first, second):
        assert changes_of(table.id)[:2] == [("available", "occupied"), ("occupied", "available")]


def test_a_clear_of_a_joined_party_is_not_undone_when_another_party_took_one_of_its_tables(door):
    """Cleared from A; a walk-in seated at B meanwhile: the undo from A is a Conflict naming B, and A stays
    free, B keeps the walk-in, the party's timer and record are as the clear left them."""
    first, second = new_table("A"), new_table("B")
    party, then = seated_20_minutes_ago(first, 7)
    moves.add_table(party.id, second.id, by="host")
    status.change_status(first.id, "available", by="host")
    status.change_status(second.id, "occupied", by="manager", covers=2)
    walk_in = tables.get_table(second.id).party_id

    with pytest.raises(Conflict) as refused:
        status.change_status(
            first.id, "occupied", by="host", expected_status="available", covers=4, party_back=party.id
        )
    assert refused.value.message.startswith("Table B ")
    db.session.rollback()
    assert (tables.get_table(first.id).status, tables.get_table(first.id).party_id) == ("available", None)
    assert (tables.get_table(second.id).party_id, tables.get_table(second.id).covers) == (walk_in, 2)
    assert changes_of(first.id)[0] == ("occupied", "available")
