"""The wait Tableside suggests to a party joining the line, in whole minutes, from the floor's own history.

Each table that could take a party is given the moment it is expected to be free: a free
table now; a seated one when its party has sat as long as parties of that size sat on that
floor over the last 30 days (app/services/sitting_times.py, falling back to the floor's turn
time). Then the line is played forward in order: each party ahead takes the table that fits it
and frees first (the smallest of those freeing together), and that table is expected free again
after that party's own sitting. The quote is when the first table that fits this party is free
after them. When every party ahead fits the same tables this is exactly "the k-th table that
fits frees", k being the party's place among them; a party of 2 ahead of a 6 that takes a
2-top does not push the 6 back.

- A party no table fits sits at tables put together on one floor: it waits until the tables
  freeing first on a floor seat it between them (at least its size in seats).
- Reserved and maintenance tables are left out: a held table is promised to a booking, which
  then sits a whole sitting; a table under repair has no time to be free.
- A party no floor could seat even with every table together is quoted the shortest turn
  time, as before: the host knows what they will do.
- An overdue table is expected free now, not in the past.

Costs two queries (the tables with their parties, the line) and the history's two when its
medians are older than a minute.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select

from app.extensions import db
from app.models import Party, PartyTable, Table, limits
from app.models.floor import DEFAULT_TURN_MINUTES
from app.models.time import as_utc
from app.services.sitting_times import SittingTimes, sitting_times

# The statuses of a table that will take a party from the line, now or once its party has gone.
TAKING_PARTIES = ("available", "occupied")


@dataclass
class Place:
    """A table as the replay sees it: where it is, what it seats, when it is expected free."""

    table_id: int
    floor: int
    capacity: int
    free_at: datetime


def suggest_quote(size: int, at: datetime) -> int:
    """Minutes a party of `size` joining the line at `at` is likely to wait."""
    times = sitting_times(at)
    places = expected_free(at, times)
    in_line = Party.state.in_(limits.IN_LINE)
    ahead = db.session.scalars(
        select(Party.size).where(in_line, Party.joined_at <= at).order_by(Party.joined_at, Party.id)
    )
    for party_size in ahead:
        seat_in_replay(party_size, places, at, times)
    start = first_seating(size, places, at)
    if start is None:
        turns = [times.turns[place.floor] for place in places if place.floor in times.turns]
        minutes = min(turns or times.turns.values() or [DEFAULT_TURN_MINUTES])
    else:
        minutes = math.ceil((start - at) / timedelta(minutes=1))
    return max(limits.QUOTE_MINUTES[0], min(minutes, limits.QUOTE_MINUTES[1]))


def expected_free(at: datetime, times: SittingTimes) -> list[Place]:
    """Every table that takes parties, with when it is expected free (one query)."""
    rows = db.session.execute(
        select(Table.id, Table.floor, Table.capacity, Table.status, Table.covers, Party.size, PartyTable.seated_at)
        .outerjoin(Party, Party.id == Table.party_id)
        .outerjoin(PartyTable, and_(PartyTable.party_id == Table.party_id, PartyTable.table_id == Table.id))
        .where(Table.status.in_(TAKING_PARTIES))
        .order_by(Table.id)
    )
    places = []
    for table_id, floor, capacity, status, covers, party_size, seated_at in rows:
        free_at = at
        if status == "occupied":
            sitting = times.minutes(floor, party_size or covers or capacity)
            # A table occupied before parties were kept has no seating: it is treated as seated now.
            since = as_utc(seated_at) if seated_at is not None else at
            free_at = max(at, since + timedelta(minutes=sitting))
        places.append(Place(table_id, floor, capacity, free_at))
    return places


def first_seating(size: int, places: list[Place], at: datetime) -> datetime | None:
    """When a party of `size` can first sit: at the first table that fits, else at tables put together."""
    return _take(size, places, at)[0]


def seat_in_replay(size: int, places: list[Place], at: datetime, times: SittingTimes) -> None:
    """A party ahead takes its tables in the replay; they are expected free again after its sitting."""
    start, taken = _take(size, places, at)
    if start is None:
        return  # no floor seats it: it takes nothing anyone else could have
    sitting = timedelta(minutes=times.minutes(taken[0].floor, size))
    for place in taken:
        place.free_at = start + sitting


def _take(size: int, places: list[Place], at: datetime) -> tuple[datetime | None, list[Place]]:
    fitting = [place for place in places if place.capacity >= size]
    if fitting:
        best = min(fitting, key=lambda place: (place.free_at, place.capacity, place.table_id))
        return max(at, best.free_at), [best]
    # Tables put together on one floor: the earliest moment the tables free by then seat the party.
    best_start, best_tables = None, []
    for floor in sorted({place.floor for place in places}):
        seats, together = 0, []
        for place in sorted((p for p in places if p.floor == floor), key=lambda p: (p.free_at, -p.capacity)):
            seats += place.capacity
            together.append(place)
            if seats >= size:
                if best_start is None or place.free_at < best_start:
                    best_start, best_tables = place.free_at, together
                break
    return (max(at, best_start), best_tables) if best_start is not None else (None, [])
