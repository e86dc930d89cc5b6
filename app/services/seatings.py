"""Which party sits at which table, kept in step with the tables' statuses.

An occupied table names its party (`tables.party_id`), and the party keeps a `party_tables`
row for every table it sat at. Whatever takes a table out of occupied (a status change, a
manager's edit, a deletion) ends the link here and stamps when that table was cleared; the
party stays `seated`. A table seated with covers but no party (a status change from the
table's dialog, the CLI, the demo data) gets a walk-in party of that size, so every seated
table has its party. The status change that does it is the walk-in's news: it carries the
party's id (app/services/status.py), and no party event is logged for a party that never
stood in line.
"""

from datetime import datetime

from sqlalchemy import exists, select, update

from app.extensions import db
from app.models import Party, PartyTable, Table


def walk_in(size: int, by: str, now: datetime, **fields: object) -> Party:
    """A party seated as it arrives: never in line, so no quote; its tables are given by `seat`."""
    party = Party(
        size=size,
        state="seated",
        joined_at=now,
        seated_at=now,
        ended_at=now,
        tags=[],
        version=1,
        updated_by=by,
        updated_at=now,
        seatings=[],  # new: nothing to load before its first table is added
        **fields,
    )
    db.session.add(party)
    # Its id now, for the table; the table's own changes are written once, with its event.
    db.session.flush([party])
    return party


def seat(table: Table, party: Party, now: datetime) -> None:
    """`party` sits at `table` from now, or again from when it first sat there (its tables kept in the order
    they were seated)."""
    table.party_id = party.id
    earlier = next((seating for seating in party.seatings if seating.table_id == table.id), None)
    if earlier is None:
        party.seatings.append(PartyTable(table_id=table.id, position=len(party.seatings), seated_at=now))
    elif earlier.cleared_at is not None:
        # Back at a table it was moved from (a move undone, or taken back): it sat there when it first did,
        # as its timer says; from now would make the rotation and the sitting times count a new seating.
        earlier.cleared_at = None


def split_covers(size: int, capacities: list[int]) -> list[int | None]:
    """How a party sits at tables of these capacities, in the order named: each table filled up to its
    seats, anyone beyond every seat at the first table, and no covers at a table nobody sits at.
    Together they count the party once."""
    left, covers = size, []
    for capacity in capacities:
        here = min(capacity, left)
        covers.append(here or None)
        left -= here
    covers[0] += left
    return covers


def tables_of(party_id: int) -> list[int]:
    """The tables a party sits at now, in the order they were seated (locked rows are read afresh by the caller)."""
    return list(
        db.session.scalars(
            select(Table.id)
            .join(PartyTable, (PartyTable.table_id == Table.id) & (PartyTable.party_id == party_id))
            .where(Table.party_id == party_id)
            .order_by(PartyTable.position)
        )
    )


def clear(table: Table, now: datetime) -> None:
    """The table is no longer its party's: the party's record says when it was cleared (one statement)."""
    if table.party_id is None:
        return
    with db.session.no_autoflush:
        db.session.execute(
            update(PartyTable)
            .where(
                PartyTable.party_id == table.party_id, PartyTable.table_id == table.id, PartyTable.cleared_at.is_(None)
            )
            .values(cleared_at=now)
        )
    table.party_id = None


def follow_status(
    table: Table, old_status: str, old_covers: int | None, *, party: Party | None, by: str, now: datetime
) -> None:
    """After a status change: clear the table's party when it left occupied; seat `party` when given,
    or a walk-in of the table's covers when the table has none; new covers are its party's new size."""
    if table.status != "occupied":
        clear(table, now)
        return
    if party is not None:
        seat(table, party, now)
        return
    if table.party_id is None:
        if table.covers is not None:
            seat(table, walk_in(table.covers, by, now), now)
        return
    if old_status == "occupied" and table.covers is not None and table.covers != old_covers:
        _follow_covers(table, by, now)


def _follow_covers(table: Table, by: str, now: datetime) -> None:
    """New covers for a table its party has to itself are the party's true size (a walk-in miscounted).

    One statement, the party not loaded: a status change is the busiest write there is."""
    elsewhere = exists().where(PartyTable.party_id == table.party_id, PartyTable.table_id != table.id)
    with db.session.no_autoflush:
        db.session.execute(
            update(Party)
            .where(Party.id == table.party_id, Party.size != table.covers, ~elsewhere)
            .values(size=table.covers, version=Party.version + 1, updated_by=by, updated_at=now)
            .execution_options(synchronize_session=False)
        )
