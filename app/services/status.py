"""Changing a table's status: the one path for forms, API, CLI and the reservation worker."""

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Party, PartyTable, Table, User
from app.models.time import as_utc, utcnow
from app.services import outbox, seatings
from app.services.errors import Conflict
from app.services.history import table_history
from app.services.idempotency import AlreadyApplied, IdempotencyKey, claim, replay
from app.services.tables import covers_over, get_table
from app.services.tap_time import change_time
from app.shapes import tables as shapes
from app.shapes.events import StatusChanged

SYSTEM = "system"
HOLD_EXPIRED_NOTE = "Reservation hold expired"
_UNSET = object()
__all__ = ["AlreadyApplied", "IdempotencyKey", "change_status", "release_expired_holds"]


def change_status(
    table_id: int,
    status: str,
    *,
    by: str,
    notes: object = _UNSET,
    expected_status: str | None = None,
    reserved_until: object = _UNSET,
    covers: int | None = None,
    party: Party | None = None,
    idempotency: IdempotencyKey | None = None,
    seen_by: User | None = None,
    since: datetime | None = None,
    together: bool = True,
    tapped_at: datetime | None = None,
    party_back: int | None = None,
) -> shapes.Table:
    """Set a table's status, log `table:status_changed`, commit, and return the table as clients see it.

    `covers` is the party seated (occupied only); staying occupied without it keeps the
    party, leaving occupied clears it. `party` is the party seated (app/services/seatings.py:
    without one, covers seat a walk-in). `seen_by` is the user asking: the table must be on a
    floor they may see (app/services/tables.py `get_table`). `since` is when the new status
    began when not now (a moved or joined party keeps its seated time). Clearing a table to
    available clears every table its party sits at, each with its own event and this change's time (as `tapped_at`),
    unless `together` is False (a move leaves the party's other tables as they are). Raises Conflict when
    `expected_status` is given and the stored status differs, and AlreadyApplied when the
    Idempotency-Key was seen before. `tapped_at` is when a change queued offline was tapped: its
    time within the offline window (app/services/tap_time.py), the party's seated time too. `party_back`
    undoes a clear: that party, which the table's last change cleared, sits there again from its seated time,
    and at every other table that clear freed of it (unless `together` is False), each with its own event, the
    party's covers split over them as a join splits them; a Conflict, nothing undone, when any of those tables
    changed since or the party never sat there.

    The table is read once, with its section and assignee; the answer and the event are built
    from it before the commit, so nothing is read again after it.
    """
    with outbox.change() as change:
        table = get_table(table_id, for_update=True, seen_by=seen_by)
        if idempotency is not None:
            replay(idempotency)
            record = claim(idempotency)
        if expected_status is not None and table.status != expected_status:
            raise stale(table, f"is {table.status} now, not {expected_status}.")
        joined_back = {}  # an undone clear's other tables, with their covers
        if party_back is not None:
            party, since, freed = _back_at(table, party_back)
            if together and len(freed) > 1:
                # Back at all its tables, the party counts once, as after the join (the screen sent only
                # this table's covers as it showed them).
                joined_back = covers_over(party.size, freed)
                covers = joined_back.pop(table.id)
        old_status, old_covers, old_party = table.status, table.covers, table.party_id
        now = change_time(tapped_at, table.updated_at, utcnow())
        table.status = status
        if status != old_status:
            # The seated timer counts from the seating: a new party size or note does not restart it.
            table.status_changed_at = since or now
        if reserved_until is not _UNSET:
            table.reserved_until = reserved_until if status == "reserved" else None
        elif status != "reserved":
            table.reserved_until = None
        if notes is not _UNSET:
            table.notes = notes
        if status != "occupied":
            table.covers = None
        elif covers is not None or old_status != "occupied":
            table.covers = covers
        seatings.follow_status(table, old_status, old_covers, party=party, by=by, now=now)
        table.version += 1
        table.updated_at = now
        carried = {}
        if table.covers is not None:
            carried["covers"] = table.covers
        if table.party_id is not None:
            carried["party_id"] = table.party_id
        if table.reserved_until is not None:
            carried["reserved_until"] = table.reserved_until
        if notes is not _UNSET:
            carried["notes"] = notes  # null too: notes cleared reach every screen
        if since is not None and status != old_status:
            carried["status_changed_at"] = since
        change.record(
            StatusChanged(
                table_id=table.id,
                table_number=table.table_number,
                floor=table.floor,
                old_status=old_status,
                new_status=status,
                updated_by=by,
                updated_at=now,
                **carried,
            ),
            by,
        )
        answer = shapes.Table.of(table)
        # The party's other tables change with this one, at its time: an undone clear finds them by it.
        if together and old_party is not None and status == "available":
            for other_id in seatings.tables_of(old_party):
                change_status(other_id, "available", by=by, together=False, tapped_at=now)
        for other_id, share in joined_back.items():
            change_status(
                other_id,
                "occupied",
                by=by,
                expected_status="available",
                covers=share,
                party_back=party.id,
                together=False,
                tapped_at=now,
            )
        if idempotency is not None:
            record.body = answer.wire()
    return answer


def _back_at(table: Table, party_id: int) -> tuple[Party, datetime, list[int]]:
    """An undone clear: the party the table's last change cleared, when it sat (its timer goes on), and the
    tables that clear freed of it, this one among them, in the order the party sat at them."""
    # The party's record as stored (read afresh, as the table is): which tables the clear stamped.
    record = db.session.scalars(
        select(PartyTable)
        .where(PartyTable.party_id == party_id)
        .order_by(PartyTable.position)
        .execution_options(populate_existing=True)
    ).all()
    seating = next((one for one in record if one.table_id == table.id), None)
    if seating is None or seating.cleared_at is None or table.party_id is not None:
        raise stale(table, "did not have that party: nothing was undone.")
    # The clear stamped the party's record and the table with the same time: a later change moved the table on.
    cleared_at = as_utc(seating.cleared_at)
    if cleared_at != as_utc(table.updated_at):
        raise stale(table, "was changed since: nothing was undone.")
    freed = [one.table_id for one in record if one.cleared_at and as_utc(one.cleared_at) == cleared_at]
    return seating.party, seating.party.seated_at, freed


def stale(table: Table, saying: str) -> Conflict:
    """A refusal naming the table as it is now ("Table T-04 " + `saying`) and who last changed it."""
    current = shapes.Table.of(table).wire()
    latest = table_history(table.id, 1)
    return Conflict(
        f"Table {current['tableNumber']} {saying}", table=current, changedBy=latest[0]["by"] if latest else None
    )


def release_expired_holds(now: datetime | None = None) -> list[shapes.Table]:
    """Set every reserved table whose hold has passed back to available, as "system"."""
    now = now or utcnow()
    expired = db.session.scalars(
        select(Table.id).where(
            Table.status == "reserved", Table.reserved_until.is_not(None), Table.reserved_until <= now
        )
    ).all()
    released = []
    for table_id in expired:
        try:
            released.append(
                change_status(table_id, "available", by=SYSTEM, notes=HOLD_EXPIRED_NOTE, expected_status="reserved")
            )
        except Conflict:
            continue  # someone seated or changed it meanwhile: their change stands
    return released
