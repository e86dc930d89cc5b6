"""How long parties sit, from the floor's own history: what quotes and "likely free ~20:40" are made of.

A sitting is a party's first table (`party_tables.position` 0), from `seated_at` to
`cleared_at`, on that table's floor; a party at several tables counts once. The median over
the last 30 days is kept per floor and party size when a size has at least MIN_SITTINGS
sittings there; otherwise per floor and size band (1-2, 3-4, 5-6, ...: the parties that take
the same kind of table, so a rare party of 7 borrows the 8s' history rather than the 2s');
otherwise the floor's turn time (`floors.turn_minutes`), which a manager sets.

The medians are read with two queries and kept per app for up to FRESH_FOR, so a quote costs
no more than its own reads; a floor's new turn time or the last minute's sittings count
within a minute. The pages get the medians in their state, once per page load.
"""

import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Floor, Party, PartyTable, Table
from app.models.floor import DEFAULT_TURN_MINUTES
from app.models.time import as_utc

HISTORY = timedelta(days=30)
MIN_SITTINGS = 5
# A table seated by mistake and cleared at once is not a sitting.
SHORTEST_SITTING = timedelta(minutes=1)
FRESH_FOR = timedelta(seconds=60)
_CACHE_KEY = "tableside.sitting_times"


def size_band(size: int) -> int:
    """The band of a party size: 1-2 is 1, 3-4 is 2, 5-6 is 3, 7-8 is 4, ..."""
    return (size + 1) // 2


@dataclass(frozen=True)
class SittingTimes:
    """Median minutes parties sat on each floor, by size and by size band, and each floor's turn time."""

    by_size: dict[tuple[int, int], float]
    by_band: dict[tuple[int, int], float]
    turns: dict[int, int]

    def minutes(self, floor: int, size: int) -> float:
        """How long a party of `size` is expected to sit on `floor`."""
        found = self.by_size.get((floor, size))
        if found is None:
            found = self.by_band.get((floor, size_band(size)))
        if found is None:
            found = self.turns.get(floor, DEFAULT_TURN_MINUTES)
        return found

    def for_page(self) -> dict[str, dict[str, float]]:
        """{floor: {size: minutes}} for every size the history answers for (by size or band), rounded
        to the minute; a size left out sits the floor's turn time, which the page already has."""
        page: dict[str, dict[str, float]] = {}
        sizes = {(floor, size) for floor, size in self.by_size}
        sizes |= {(floor, size) for floor, band in self.by_band for size in (2 * band - 1, 2 * band)}
        for floor, size in sorted(sizes):
            page.setdefault(str(floor), {})[str(size)] = round(self.minutes(floor, size))
        return page


def _medians(samples: dict[tuple[int, int], list[float]]) -> dict[tuple[int, int], float]:
    return {key: statistics.median(values) for key, values in samples.items() if len(values) >= MIN_SITTINGS}


def read_sitting_times(at: datetime) -> SittingTimes:
    """The medians of the 30 days before `at`, from the database (two queries)."""
    rows = db.session.execute(
        select(Table.floor, Party.size, PartyTable.seated_at, PartyTable.cleared_at)
        .join(Party, Party.id == PartyTable.party_id)
        .join(Table, Table.id == PartyTable.table_id)
        # parties.ended_at is indexed and is seated_at for a seated party: it bounds the scan.
        .where(Party.state == "seated", Party.ended_at >= at - HISTORY, Party.ended_at < at)
        .where(PartyTable.position == 0, PartyTable.cleared_at.is_not(None), PartyTable.cleared_at <= at)
    )
    by_size: dict[tuple[int, int], list[float]] = {}
    by_band: dict[tuple[int, int], list[float]] = {}
    for floor, size, seated_at, cleared_at in rows:
        sat = as_utc(cleared_at) - as_utc(seated_at)
        if sat < SHORTEST_SITTING:
            continue
        by_size.setdefault((floor, size), []).append(sat / timedelta(minutes=1))
        by_band.setdefault((floor, size_band(size)), []).append(sat / timedelta(minutes=1))
    turns = dict(db.session.execute(select(Floor.number, Floor.turn_minutes)).tuples().all())
    return SittingTimes(_medians(by_size), _medians(by_band), turns)


def sitting_times(at: datetime) -> SittingTimes:
    """The medians for `at`, read again when the kept ones are older than FRESH_FOR or were read for
    another moment (a quote for another time, a bench's clock)."""
    kept = current_app.extensions.get(_CACHE_KEY)
    fresh = FRESH_FOR.total_seconds()
    if kept is not None:
        read_when, read_for, times = kept
        if time.monotonic() - read_when < fresh and abs((at - read_for).total_seconds()) < fresh:
            return times
    times = read_sitting_times(at)
    current_app.extensions[_CACHE_KEY] = (time.monotonic(), at, times)
    return times


def forget_sitting_times() -> None:
    """Drop the kept medians (a test that writes history between two quotes)."""
    current_app.extensions.pop(_CACHE_KEY, None)
