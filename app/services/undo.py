"""Undo at the door: a party's change taken back by a new change, refused when anything changed since.

An undo names the party's version its change left (`expected_version`). It is refused (409) when
the party is at another version now, or when any table the undo touches logged an event after the
party's own last one: the change being undone wrote its tables' events before its party event
(app/services/parties.py, app/services/moves.py), so a later one is someone else's change. Nothing
is deleted from the log: the undo logs its own events. A move is undone by moving the party back
and a join by taking the table off (app/services/moves.py); a seating from the line by
`unseat_party` here, which puts the party back in line.
"""

from collections.abc import Iterable

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Event, Party, PartyTable
from app.models.event import DOOR
from app.models.time import utcnow
from app.services import outbox, seatings
from app.services.idempotency import IdempotencyKey, answered, claimed
from app.services.parties import describe, get_party, party_conflict
from app.services.status import change_status, stale
from app.services.tables import get_table
from app.shapes.events import PartyUnseated
from app.shapes.parties import Party as PartyShape


def refuse_if_changed(party: Party, expected_version: int, table_ids: Iterable[int]) -> None:
    """A Conflict when `party` is not at `expected_version`, or one of `table_ids` changed after its last change."""
    if party.version != expected_version:
        raise party_conflict(party, f"{describe(party)} was changed by {party.updated_by} since: nothing was undone.")
    # The party's newest event: read newest first, so only the few events since are looked at.
    last = db.session.scalar(
        select(Event.id)
        .where(Event.floor == DOOR, Event.table_id.is_(None), Event.payload["partyId"].as_integer() == party.id)
        .order_by(Event.id.desc())
        .limit(1)
    )
    later = select(Event.table_id).where(Event.table_id.in_(list(table_ids)))
    if last is not None:
        later = later.where(Event.id > last)
    changed = db.session.scalar(later.order_by(Event.id.desc()).limit(1))
    if changed is not None:
        raise stale(get_table(changed), "was changed since: nothing was undone.")


def unseat_party(party_id: int, by: str, *, expected_version: int, idempotency: IdempotencyKey | None = None) -> Party:
    """Undo a seating from the line: its tables available again, the party back in line as it stood.

    It is `notified` again when it had been told its table was ready, `waiting` otherwise; its place
    (`joinedAt`) and quote are kept. Its `party_tables` rows go, so the rotation and the sitting
    times do not count a seating that did not happen; the log keeps both changes. Logs each table's
    `table:status_changed`, then `party:unseated` with the whole party.
    """
    with outbox.change() as change:
        record = claimed(idempotency)
        party = get_party(party_id, for_update=True)
        if party.state != "seated" or party.quoted_at is None:
            # A walk-in (never quoted) never stood in line: its table is cleared, not undone.
            raise party_conflict(party, f"{describe(party)} was not seated from the line: nothing was undone.")
        refuse_if_changed(party, expected_version, party.table_ids)
        for table_id in seatings.tables_of(party.id):
            change_status(table_id, "available", by=by, expected_status="occupied", together=False)
        db.session.execute(delete(PartyTable).where(PartyTable.party_id == party.id))
        db.session.expire(party, ["seatings"])
        now = utcnow()
        party.state = "notified" if party.notified_at is not None else "waiting"
        party.seated_at = party.ended_at = None
        party.version += 1
        party.updated_by, party.updated_at = by, now
        change.record(PartyUnseated.of(party, updated_by=by, updated_at=now), by)
        answered(record, PartyShape.of(party).wire())
    return party
