"""Move and join: a seated party moved to a free table, or given one more, in one transaction.

The party keeps its covers and its seated time: a table it moves to or joins takes the
`statusChangedAt` of the table it came from (of its first table, for a join), so the seated
timer the host saw goes on, one timer on however many tables (within milliseconds of the
party's `seatedAt`, stamped in the same seating). Each
table's change is its own `table:status_changed` (through app/services/status.py, row locked,
so a table not as the host saw it refuses the whole change, named with who changed it), and
the party's new tables are a `party:updated` with `tableIds`.

Undone (app/services/undo.py): a move by moving the party back, given the party's version the move
left (`expected_version`); a join by `take_table_off`. Either is refused when the party or one of
the tables changed since.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from app.extensions import db
from app.models import Party, Table
from app.models.time import utcnow
from app.services import outbox, seatings
from app.services.idempotency import IdempotencyKey, answered, claimed
from app.services.parties import describe, get_party, party_conflict
from app.services.status import change_status, stale
from app.services.tables import covers_over, get_table
from app.services.undo import refuse_if_changed
from app.shapes.events import PartyFieldsChanged, PartyUpdated
from app.shapes.parties import Party as PartyShape


def move_party(
    party_id: int,
    from_table_id: int,
    to_table_id: int,
    by: str,
    *,
    expected_status: str | None = None,
    expected_version: int | None = None,
    idempotency: IdempotencyKey | None = None,
) -> Party:
    """The party leaves `from_table_id` (available again) for `to_table_id` with the same covers and seated time.

    With `expected_version` (an undo moving the party back), refused when the party or either table changed since."""
    watched = (from_table_id, to_table_id)
    with _seated_change(party_id, by, idempotency, expected_version, watched) as party:
        source = get_table(from_table_id, for_update=True)
        if source.party_id != party.id:
            raise stale(source, f"is not {describe(party)}'s table now.")
        change_status(
            to_table_id,
            "occupied",
            by=by,
            expected_status=expected_status or "available",
            covers=source.covers,
            party=party,
            since=source.status_changed_at,
        )
        change_status(from_table_id, "available", by=by, together=False)
    return party


def add_table(
    party_id: int,
    table_id: int,
    by: str,
    *,
    expected_status: str | None = None,
    idempotency: IdempotencyKey | None = None,
) -> Party:
    """One more table for a seated party: same seated time, its covers split again over all its tables."""
    with _seated_change(party_id, by, idempotency) as party:
        tables = seatings.tables_of(party.id)
        if table_id in tables:
            raise stale(get_table(table_id), f"is {describe(party)}'s already.")
        since = get_table(tables[0]).status_changed_at
        tables.append(table_id)
        covers = covers_over(party.size, tables)
        change_status(
            table_id,
            "occupied",
            by=by,
            expected_status=expected_status or "available",
            covers=covers[table_id],
            party=party,
            since=since,
        )
        db.session.flush()  # the new table is the party's before its other tables' covers change
        _cover_again(tables[:-1], covers, by)
    return party


def take_table_off(
    party_id: int, table_id: int, by: str, *, expected_version: int, idempotency: IdempotencyKey | None = None
) -> Party:
    """Undo "Add a table": the table available again, the party's covers split again over the tables it keeps.

    Refused when the party or any of its tables changed since the version the join left."""
    with _seated_change(party_id, by, idempotency, expected_version, (table_id,)) as party:
        tables = seatings.tables_of(party.id)
        if table_id not in tables:
            raise stale(get_table(table_id), f"is not {describe(party)}'s table now.")
        if len(tables) == 1:
            raise party_conflict(party, f"{describe(party)} sits at no other table: clear the table instead.")
        change_status(table_id, "available", by=by, expected_status="occupied", together=False)
        kept = [one for one in tables if one != table_id]
        _cover_again(kept, covers_over(party.size, kept), by)
    return party


def _cover_again(tables: list[int], covers: dict[int, int | None], by: str) -> None:
    """Each of the party's `tables` whose covers differ from `covers` changes them (its own event)."""
    for other in db.session.scalars(select(Table).where(Table.id.in_(tables))):
        if other.covers != covers[other.id]:
            change_status(other.id, "occupied", by=by, expected_status="occupied", covers=covers[other.id])


@contextmanager
def _seated_change(
    party_id: int,
    by: str,
    idempotency: IdempotencyKey | None,
    expected_version: int | None = None,
    named: tuple[int, ...] = (),
) -> Iterator[Party]:
    """One change to a party seated at a table now (locked; otherwise a PartyConflict), its tables' changes
    made in the block; then `party:updated` with the tables it has sat at and its new version.

    With `expected_version` (an undo), first refused when the party, its tables or the `named` ones changed
    since (app/services/undo.py)."""
    with outbox.change() as change:
        record = claimed(idempotency)
        party = get_party(party_id, for_update=True)
        tables = seatings.tables_of(party.id)
        if party.state != "seated" or not tables:
            raise party_conflict(party, f"{describe(party)} is not seated at a table now.")
        if expected_version is not None:
            refuse_if_changed(party, expected_version, {*tables, *named})
        yield party
        now = utcnow()
        party.version += 1
        party.updated_by, party.updated_at = by, now
        changes = PartyFieldsChanged(table_ids=party.table_ids, version=party.version)
        change.record(PartyUpdated(party_id=party.id, changes=changes, updated_by=by, updated_at=now), by)
        answered(record, PartyShape.of(party).wire())
