"""The door over JSON: the line, adding a party, moving it, and seating it at tables; and their undo."""

from collections.abc import Callable

from flask_login import current_user

from app.api import bp
from app.api.idempotency import idempotency_key
from app.api.tables import status_limit, status_limit_key, visible_table
from app.auth.permissions import role_required
from app.extensions import limiter
from app.models import Party as PartyRow
from app.openapi import operation
from app.services import moves, undo
from app.services import parties as party_service
from app.services.idempotency import AlreadyApplied
from app.shapes.errors import PartyConflict, SeatingConflict
from app.shapes.parties import (
    NewParty,
    PartiesQuery,
    Party,
    PartyChanges,
    PartyMove,
    Seating,
    TableAdded,
    TableTakenOff,
    Unseating,
)
from app.shapes.tables import StatusHeaders

# Party changes are counted per user like status changes, in a bucket of their own.
PARTY_CHANGES = {"key_func": status_limit_key, "scope": "party-change"}
# What every change at the door may carry and be refused with, in /api/openapi.json.
WRITES = {"headers": StatusHeaders, "refusals": (400, 401, 403, 404, 413, 422, 429), "tag": "door"}


def _once(change: Callable[[], PartyRow], status: int = 200) -> tuple[dict, int]:
    """Make a change and answer with its party; a retry under the same Idempotency-Key gets the first answer."""
    try:
        party = change()
    except AlreadyApplied as replay:
        return replay.body, replay.status_code
    return Party.of(party).wire(), status


@bp.get("/parties")
@role_required("viewer")
@operation({200: list[Party]}, query=PartiesQuery, refusals=(400, 401), tag="door")
def list_parties(query: PartiesQuery):
    """The line in order (waiting and notified), or `?state=` one state; every floor's staff see the whole door."""
    return [Party.of(party).wire() for party in party_service.parties_in(query.state)]


@bp.get("/parties/<int:party_id>")
@role_required("viewer")
@operation({200: Party}, refusals=(401, 404), tag="door")
def get_party(party_id: int):
    """One party."""
    return Party.of(party_service.get_party(party_id)).wire()


@bp.post("/parties")
@role_required("host")
@limiter.limit(status_limit, **PARTY_CHANGES)
@operation({201: Party, 409: SeatingConflict}, body=NewParty, **WRITES)
def add_party(body: NewParty):
    """Add a party to the line with its quote and guest page (201); with `seatAt`, a walk-in seated at once.

    A walk-in's tables must be on floors the host may see (403), each available or as
    `expectedStatuses` says (409 naming the table and who changed it). Replays an Idempotency-Key.
    """
    key = idempotency_key("parties")
    if body.seat_at is None:
        return _once(
            lambda: party_service.add_party(
                body.values(), current_user.username, idempotency=key, tapped_at=body.tapped_at
            ),
            201,
        )
    for table_id in body.seat_at:
        visible_table(table_id)
    by, expected = current_user.username, body.expected_statuses
    return _once(
        lambda: party_service.seat_walk_in(
            body.values(), body.seat_at, by, expected_statuses=expected, idempotency=key, tapped_at=body.tapped_at
        ),
        201,
    )


@bp.patch("/parties/<int:party_id>")
@role_required("host")
@limiter.limit(status_limit, **PARTY_CHANGES)
@operation({200: Party, 409: PartyConflict}, body=PartyChanges, **WRITES)
def change_party(party_id: int, body: PartyChanges):
    """Edit a party and move it in line (`state`): 409 for a move its state does not allow, or a stale
    expectedState or expectedVersion. Replays an Idempotency-Key."""
    key = idempotency_key(["party", party_id])
    return _once(
        lambda: party_service.change_party(
            party_id,
            body.values(),
            current_user.username,
            state=body.state,
            expected_state=body.expected_state,
            expected_version=body.expected_version,
            idempotency=key,
        )
    )


@bp.post("/parties/<int:party_id>/seat")
@role_required("host")
@limiter.limit(status_limit, **PARTY_CHANGES)
@operation({200: Party, 409: SeatingConflict}, body=Seating, **WRITES)
def seat_party(party_id: int, body: Seating):
    """Seat a party in line at one or more tables in one transaction: each on a floor the host may see
    (403), available or as `expectedStatuses` says (409 naming the table and who changed it).
    Replays an Idempotency-Key."""
    for table_id in body.table_ids:
        visible_table(table_id)
    key = idempotency_key(["seat", party_id])
    by, expected = current_user.username, body.expected_statuses
    return _once(
        lambda: party_service.seat_party(
            party_id, body.table_ids, by, expected_statuses=expected, idempotency=key, tapped_at=body.tapped_at
        )
    )


@bp.post("/parties/<int:party_id>/move")
@role_required("host")
@limiter.limit(status_limit, **PARTY_CHANGES)
@operation({200: Party, 409: SeatingConflict}, body=PartyMove, **WRITES)
def move_party(party_id: int, body: PartyMove):
    """Move a seated party from one of its tables to a free one in one transaction: the party keeps its
    covers and seated time, the old table becomes available. Both tables on floors the host may see
    (403); 409 naming the table and who changed it when either is not as the host saw it. With
    `expectedVersion` (Undo: the party moved back), 409 when the party or a table changed since.
    Replays an Idempotency-Key."""
    for table_id in (body.from_table_id, body.to_table_id):
        visible_table(table_id)
    key = idempotency_key(["move", party_id])
    by, source, target = current_user.username, body.from_table_id, body.to_table_id
    expected = {"expected_status": body.expected_status, "expected_version": body.expected_version}
    return _once(lambda: moves.move_party(party_id, source, target, by, **expected, idempotency=key))


@bp.post("/parties/<int:party_id>/tables")
@role_required("host")
@limiter.limit(status_limit, **PARTY_CHANGES)
@operation({200: Party, 409: SeatingConflict}, body=TableAdded, **WRITES)
def add_table(party_id: int, body: TableAdded):
    """Add a table: join a free table to a seated party (one timer, its covers split again over its
    tables, counted once). On a floor the host may see (403); 409 naming the table and who changed it.
    Replays an Idempotency-Key."""
    visible_table(body.table_id)
    key = idempotency_key(["join", party_id])
    by = current_user.username
    return _once(
        lambda: moves.add_table(party_id, body.table_id, by, expected_status=body.expected_status, idempotency=key)
    )


@bp.post("/parties/<int:party_id>/unjoin")
@role_required("host")
@limiter.limit(status_limit, **PARTY_CHANGES)
@operation({200: Party, 409: SeatingConflict}, body=TableTakenOff, **WRITES)
def take_table_off(party_id: int, body: TableTakenOff):
    """Undo "Add a table": the table available again, the party's covers split again over its other tables.
    On a floor the host may see (403); 409 naming the table (or the party) and who changed it when either
    changed since `expectedVersion`. Replays an Idempotency-Key."""
    visible_table(body.table_id)
    key = idempotency_key(["unjoin", party_id])
    by, version = current_user.username, body.expected_version
    return _once(lambda: moves.take_table_off(party_id, body.table_id, by, expected_version=version, idempotency=key))


@bp.post("/parties/<int:party_id>/unseat")
@role_required("host")
@limiter.limit(status_limit, **PARTY_CHANGES)
@operation({200: Party, 409: SeatingConflict}, body=Unseating, **WRITES)
def unseat_party(party_id: int, body: Unseating):
    """Undo a seating from the line: its tables available again, the party back in line (waiting, or notified
    if it had been) with its place and quote. Its tables on floors the host may see (403); 409 naming the
    table (or the party) and who changed it when either changed since `expectedVersion`.
    Replays an Idempotency-Key."""
    for table_id in party_service.get_party(party_id).table_ids:
        visible_table(table_id)
    key = idempotency_key(["unseat", party_id])
    by, version = current_user.username, body.expected_version
    return _once(lambda: undo.unseat_party(party_id, by, expected_version=version, idempotency=key))
