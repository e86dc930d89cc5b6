"""The door: parties joining the line, moving in it, and seated at tables; each change logs its event.

A party in line is `waiting`, then `notified` (its table is ready; back to `waiting` if that
was a mistake), until it is seated or leaves the line as `left`, `cancelled` or `no_show`.
Seating goes through the tables' own status change (app/services/status.py), each table in
the same transaction, so a table that is not as the host saw it refuses the whole seating,
named with who changed it. Every change here is a `party:*` event at the door
(app/shapes/events.py), except a walk-in's arrival: see app/services/seatings.py.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Party, limits
from app.models.time import utcnow
from app.services import outbox, seatings
from app.services.errors import Conflict
from app.services.idempotency import IdempotencyKey, answered, claimed
from app.services.quotes import suggest_quote
from app.services.rows import row_or_missing
from app.services.status import change_status
from app.services.tables import covers_over
from app.services.tap_time import change_time
from app.shapes.events import PartyCreated, PartyFieldsChanged, PartySeated, PartyUpdated
from app.shapes.parties import Party as PartyShape

# Where a party in line may move (seating has its own call); nothing moves a party out of the line back in.
NEXT_STATES = {
    "waiting": ("notified", "left", "cancelled", "no_show"),
    "notified": ("waiting", "left", "cancelled", "no_show"),
}
# How far back a list of parties out of the line reaches: one service day.
ENDED_WITHIN = timedelta(hours=24)
# A party's own fields a host may change.
FIELDS = ("size", "name", "phone", "notes", "tags", "quoted_minutes")


def describe(party: Party) -> str:
    """How hosts name a party: "Smith (4)", or "The party of 4"."""
    return f"{party.name} ({party.size})" if party.name else f"The party of {party.size}"


def get_party(party_id: int, *, for_update: bool = False) -> Party:
    """Load a party or raise NotFound."""
    return row_or_missing(Party, party_id, f"Party {party_id} does not exist.", for_update=for_update)


def party_by_guest_token(token: str) -> Party | None:
    """The party whose guest page this token opens, or None."""
    return db.session.scalar(select(Party).where(Party.guest_token == token))


def parties_in(state: str | None = None, now: datetime | None = None) -> list[Party]:
    """The line (waiting and notified) in order, or the parties in one state; those out of the
    line only if they left it within ENDED_WITHIN."""
    query = select(Party).order_by(Party.joined_at, Party.id)
    if state is None:
        return list(db.session.scalars(query.where(Party.state.in_(limits.IN_LINE))))
    query = query.where(Party.state == state)
    if state not in limits.IN_LINE:
        query = query.where(Party.ended_at >= (now or utcnow()) - ENDED_WITHIN)
    return list(db.session.scalars(query))


def line_summary() -> dict:
    """Parties in line and the people in them, by Summary's field names."""
    count, people = db.session.execute(
        select(func.count(Party.id), func.coalesce(func.sum(Party.size), 0)).where(Party.state.in_(limits.IN_LINE))
    ).one()
    return {"parties_waiting": count, "covers_waiting": int(people)}


def _touch(party: Party, by: str, now: datetime) -> None:
    party.version += 1
    party.updated_by = by
    party.updated_at = now


def party_conflict(party: Party, message: str) -> Conflict:
    """A refusal naming the party as it is now and who changed it last."""
    return Conflict(message, party=PartyShape.of(party).wire(), changedBy=party.updated_by)


def add_party(
    fields: dict, by: str, *, idempotency: IdempotencyKey | None = None, tapped_at: datetime | None = None
) -> Party:
    """A party joins the line, quoted the host's minutes or the suggested wait; logs `party:created`.

    Added offline, it joined when it was tapped (`tapped_at`, app/services/tap_time.py)."""
    with outbox.change() as change:
        record = claimed(idempotency)
        now = change_time(tapped_at, None, utcnow())
        fields = {name: value for name, value in fields.items() if name in FIELDS}
        quoted = fields.pop("quoted_minutes", None)
        if quoted is None:
            quoted = suggest_quote(fields["size"], now)
        party = Party(
            **{"tags": [], **fields},
            state="waiting",
            joined_at=now,
            quoted_minutes=quoted,
            quoted_at=now,
            version=1,
            updated_by=by,
            updated_at=now,
        )
        db.session.add(party)
        db.session.flush()
        change.record(PartyCreated.of(party, updated_by=by, updated_at=now), by)
        answered(record, PartyShape.of(party).wire(), 201)
    return party


def seat_walk_in(
    fields: dict,
    table_ids: list[int],
    by: str,
    *,
    expected_statuses: dict | None = None,
    idempotency: IdempotencyKey | None = None,
    tapped_at: datetime | None = None,
) -> Party:
    """A party seated as it arrives, at these tables in one transaction (never in line); seated offline,
    when it was tapped (`tapped_at`)."""
    with outbox.change():
        record = claimed(idempotency)
        fields = {name: value for name, value in fields.items() if name in FIELDS and name != "quoted_minutes"}
        now = change_time(tapped_at, None, utcnow())
        party = seatings.walk_in(fields.pop("size"), by, now, **fields)
        _seat_at(party, table_ids, expected_statuses or {}, by, now if tapped_at else None)
        answered(record, PartyShape.of(party).wire(), 201)
    return party


def seat_party(
    party_id: int,
    table_ids: list[int],
    by: str,
    *,
    expected_statuses: dict | None = None,
    idempotency: IdempotencyKey | None = None,
    tapped_at: datetime | None = None,
) -> Party:
    """Seat a party in line at these tables in one transaction; logs each table's status change and `party:seated`.

    Each table must be available, or in the status `expected_statuses` gives for it (by tableId);
    otherwise nothing is seated and the Conflict names the table and who changed it. Seated
    offline, it sat when it was tapped (`tapped_at`), not before its own previous change.
    """
    with outbox.change() as change:
        record = claimed(idempotency)
        party = get_party(party_id, for_update=True)
        if not party.in_line:
            raise party_conflict(party, f"{describe(party)} is {_said(party.state)} now, no longer in line.")
        now = change_time(tapped_at, party.updated_at, utcnow())
        party.state = "seated"
        party.seated_at = party.ended_at = now
        _touch(party, by, now)
        _seat_at(party, table_ids, expected_statuses or {}, by, now if tapped_at else None)
        change.record(
            PartySeated(
                party_id=party.id,
                size=party.size,
                name=party.name,
                table_ids=party.table_ids,
                seated_at=now,
                version=party.version,
                updated_by=by,
                updated_at=now,
            ),
            by,
        )
        answered(record, PartyShape.of(party).wire())
    return party


def _seat_at(
    party: Party, table_ids: list[int], expected_statuses: dict, by: str, tapped_at: datetime | None = None
) -> None:
    """Each table seated through its own status change, its covers split: all in the caller's transaction.
    A seating tapped offline passes its time to each table (each kept after that table's previous change)."""
    covers = covers_over(party.size, table_ids)
    for table_id in table_ids:
        expected = expected_statuses.get(str(table_id), "available")
        change_status(
            table_id,
            "occupied",
            by=by,
            expected_status=expected,
            covers=covers[table_id],
            party=party,
            tapped_at=tapped_at,
        )


def _said(state: str) -> str:
    return state.replace("_", "-")


def change_party(
    party_id: int,
    fields: dict,
    by: str,
    *,
    state: str | None = None,
    expected_state: str | None = None,
    expected_version: int | None = None,
    idempotency: IdempotencyKey | None = None,
) -> Party:
    """Edit a party's fields and move it in line; logs `party:updated` with only what changed.

    A move its state does not allow, or a stale `expected_state` or `expected_version`, is a
    Conflict naming the party as it is and who changed it last.
    """
    with outbox.change() as change:
        record = claimed(idempotency)
        party = get_party(party_id, for_update=True)
        if expected_state is not None and party.state != expected_state:
            raise party_conflict(party, f"{describe(party)} is {_said(party.state)} now, not {_said(expected_state)}.")
        if expected_version is not None and party.version != expected_version:
            raise party_conflict(party, f"{describe(party)} was changed by {party.updated_by} meanwhile.")
        now = utcnow()
        changes = {name: value for name, value in fields.items() if name in FIELDS and getattr(party, name) != value}
        for name, value in changes.items():
            setattr(party, name, value)
        if "quoted_minutes" in changes:
            party.quoted_at = changes["quoted_at"] = now
        if state is not None and state != party.state:
            changes.update(_move(party, state, now))
        if changes:
            _touch(party, by, now)
            changes["version"] = party.version
            update = PartyUpdated(
                party_id=party.id, changes=PartyFieldsChanged(**changes), updated_by=by, updated_at=now
            )
            change.record(update, by)
        answered(record, PartyShape.of(party).wire())
    return party


def _move(party: Party, state: str, now: datetime) -> dict:
    """Move a party in line; return what changed with it."""
    if state not in NEXT_STATES.get(party.state, ()):
        raise party_conflict(party, f"{describe(party)} is {_said(party.state)} now: it cannot become {_said(state)}.")
    moved = {"state": state}
    if state == "notified":
        moved["notified_at"] = now
    elif state == "waiting":
        moved["notified_at"] = None
        if party.on_the_way_at is not None:
            moved["on_the_way_at"] = None
    else:
        moved["ended_at"] = now
    for name, value in moved.items():
        setattr(party, name, value)
    return moved


def mark_on_the_way(party_id: int, by: str) -> Party:
    """The guest answered "On my way" to being notified; logs `party:updated` with `onTheWayAt`.

    Only a notified party is awaited; said twice, the first time stands and nothing is logged.
    """
    with outbox.change() as change:
        party = get_party(party_id, for_update=True)
        if party.state != "notified":
            raise party_conflict(party, f"{describe(party)} is {_said(party.state)} now, not notified.")
        if party.on_the_way_at is None:
            now = utcnow()
            party.on_the_way_at = now
            _touch(party, by, now)
            changes = PartyFieldsChanged(on_the_way_at=now, version=party.version)
            change.record(PartyUpdated(party_id=party.id, changes=changes, updated_by=by, updated_at=now), by)
    return party
