"""Quotes at the door from the floor's own history, as a host's evening goes: the wait each party is told."""

from datetime import timedelta

import pytest
from sqlalchemy import event, update

from app.extensions import db
from app.models import Floor, Party, PartyTable
from app.models.time import utcnow
from app.services import parties, status, tables
from app.services.quotes import suggest_quote
from app.services.sitting_times import forget_sitting_times, sitting_times


@pytest.fixture
def door(either_app):
    """An app context on either database."""
    with either_app.app_context():
        yield either_app
        db.session.remove()


def new_table(number: str, capacity: int = 4, floor: int = 1):
    return tables.create_table({"table_number": number, "floor": floor, "capacity": capacity}, by="manager")


def seated_ago(table, size: int, minutes: float, now):
    """A party of `size` seated at `table` `minutes` before `now`."""
    party = parties.add_party({"size": size}, by="host")
    parties.seat_party(party.id, [table.id], by="host")
    db.session.execute(
        update(PartyTable).where(PartyTable.party_id == party.id).values(seated_at=now - timedelta(minutes=minutes))
    )
    db.session.commit()
    return party


def history(table, size: int, minutes: list[float], now) -> None:
    """Parties of `size` who sat `minutes` each at `table` on earlier evenings of the last 30 days."""
    for day, sat in enumerate(minutes, start=1):
        seated_at = now - timedelta(days=day, hours=2)
        party = Party(
            size=size, state="seated", joined_at=seated_at, seated_at=seated_at, ended_at=seated_at,
            tags=[], updated_by="host", updated_at=seated_at,
        )  # fmt: skip
        cleared_at = seated_at + timedelta(minutes=sat)
        party.seatings = [PartyTable(table_id=table.id, seated_at=seated_at, cleared_at=cleared_at)]
        db.session.add(party)
    db.session.commit()
    forget_sitting_times()


def join(size: int, name: str) -> int:
    """A party joins the line; what the host is told to quote."""
    return parties.add_party({"size": size, "name": name}, by="host").quoted_minutes


def test_a_free_table_that_fits_means_no_wait(door):
    """A 4-top is free and nobody is in line: a party of 3 is seated now."""
    new_table("F-1", capacity=4)
    assert join(3, "Ahmed") == 0


def test_two_seated_four_tops_quote_the_line_in_turn(door):
    """Two 4-tops seated 30 and 50 minutes ago, parties of 4 sitting 60 minutes here: the first party of 4
    in line waits 10 minutes, the second 30, the third a whole sitting after the first."""
    now = utcnow()
    window, corner = new_table("A-1"), new_table("A-2")
    history(window, 4, [55, 58, 60, 62, 65], now)
    seated_ago(window, 4, 30, now)
    seated_ago(corner, 4, 50, now)
    assert join(4, "Smith") == 10
    assert join(4, "Jones") == 30
    assert join(4, "Patel") == 70


def test_a_smaller_party_ahead_on_its_own_table_does_not_push_back(door):
    """A party of 2 ahead takes the free 2-top; the party of 4 behind still waits for the 4-top alone."""
    now = utcnow()
    new_table("B-1", capacity=2)
    four = new_table("B-2", capacity=4)
    history(four, 4, [60] * 5, now)
    seated_ago(four, 4, 45, now)
    assert join(2, "Lee") == 0
    assert join(4, "Garcia") == 15


def test_sittings_of_that_size_first_then_the_size_band(door):
    """Parties of 6 have their own history (90); a party of 5 has too few sittings, so it borrows the band 5-6."""
    now = utcnow()
    six = new_table("S-1", capacity=6)
    history(six, 6, [88, 90, 92, 95, 85], now)
    history(six, 5, [40, 40], now)
    times = sitting_times(now)
    assert times.minutes(1, 6) == 90
    assert times.minutes(1, 5) == 88  # the median of all seven sittings of 5 and 6
    assert times.for_page() == {"1": {"5": 88, "6": 90}}


def test_without_history_the_floors_turn_time(door):
    """A new restaurant: a seated 4-top frees after the floor's turn time (75 here), counted from when it sat."""
    now = utcnow()
    db.session.execute(update(Floor).where(Floor.number == 1).values(turn_minutes=75))
    only = new_table("N-1")
    seated_ago(only, 4, 15, now)
    forget_sitting_times()
    assert join(4, "Okafor") == 60


def test_history_older_than_30_days_is_not_counted(door):
    """Sittings of two months ago do not speak for tonight: the turn time does."""
    now = utcnow()
    old = new_table("O-1")
    history(old, 4, [30] * 5, now - timedelta(days=45))
    seated_ago(old, 4, 10, now)
    assert join(4, "Novak") == 80


def test_a_party_of_nine_waits_for_tables_to_put_together(door):
    """No table seats 9: it waits until three 4-tops on one floor are free together (the last in 20 minutes)."""
    now = utcnow()
    first, _, third = new_table("C-1"), new_table("C-2"), new_table("C-3")
    history(first, 4, [60] * 5, now)
    seated_ago(third, 4, 40, now)
    assert join(9, "Wedding") == 20


def test_a_party_no_floor_can_seat_is_quoted_the_turn_time(door):
    """A party of 40 in a room of 12 seats: the host decides; the quote falls back to the turn time."""
    for number in ("D-1", "D-2", "D-3"):
        new_table(number)
    assert join(40, "Coach trip") == 90


def test_held_and_broken_tables_are_not_promised(door):
    """A reserved 4-top and one under repair are left out: the party of 4 waits for the seated one."""
    now = utcnow()
    held, broken, seated = new_table("H-1"), new_table("H-2"), new_table("H-3")
    status.change_status(held.id, "reserved", by="host")
    status.change_status(broken.id, "maintenance", by="host")
    seated_ago(seated, 4, 60, now)
    assert join(4, "Rossi") == 30


def test_a_quote_reads_a_bounded_number_of_statements(door):
    """However long the line and the floor, a quote is two reads, plus the history's two once a minute."""
    now = utcnow()
    for number in range(12):
        table = new_table(f"Q-{number}", capacity=2 + number % 4 * 2)
        if number % 2:
            seated_ago(table, 2, number * 5, now)
    for size in range(1, 9):
        parties.add_party({"size": size}, by="host")
    statements = []

    def count(*args):
        statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        forget_sitting_times()
        suggest_quote(4, utcnow())
        cold = len(statements)
        statements.clear()
        suggest_quote(4, utcnow())
        warm = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert (cold, warm) == (4, 2)
