"""Changing a table's status: the one path for forms, API, CLI and the reservation worker."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import IdempotencyRecord, Table
from app.models.time import utcnow
from app.services import outbox
from app.services.errors import Conflict, ValidationError
from app.services.history import table_history
from app.services.tables import get_table
from app.shapes import tables as shapes
from app.shapes.events import StatusChanged

SYSTEM = "system"
HOLD_EXPIRED_NOTE = "Reservation hold expired"
_UNSET = object()


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's Idempotency-Key, scoped to its user and the request it came with."""

    user_id: int
    key: str
    request_hash: str

    @classmethod
    def for_request(cls, user_id: int, key: str, table_id: int, body: object) -> "IdempotencyKey":
        digest = hashlib.sha256(json.dumps([table_id, body], sort_keys=True, default=str).encode()).hexdigest()
        return cls(user_id, key, digest)


class AlreadyApplied(Exception):  # noqa: N818 - it is an outcome, not a failure
    """The request was applied before under the same Idempotency-Key; here is its reply."""

    def __init__(self, body: dict) -> None:
        super().__init__("already applied")
        self.body = body


def _replay(idempotency: IdempotencyKey) -> None:
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == idempotency.user_id, IdempotencyRecord.key == idempotency.key
        )
    )
    if record is None:
        return
    if record.request_hash != idempotency.request_hash:
        raise ValidationError(
            "This Idempotency-Key was already used for a different request.",
            fields={"Idempotency-Key": "Already used for a different request."},
        )
    raise AlreadyApplied(record.body)


def _claim(idempotency: IdempotencyKey) -> IdempotencyRecord:
    """Insert the key before changing anything, so a concurrent retry waits and replays."""
    record = IdempotencyRecord(
        user_id=idempotency.user_id,
        key=idempotency.key,
        request_hash=idempotency.request_hash,
        status_code=200,
        body={},
    )
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        _replay(idempotency)
        raise
    return record


def change_status(
    table_id: int,
    status: str,
    *,
    by: str,
    notes: object = _UNSET,
    expected_status: str | None = None,
    reserved_until: object = _UNSET,
    covers: int | None = None,
    idempotency: IdempotencyKey | None = None,
) -> Table:
    """Set a table's status, log `table:status_changed`, and commit.

    `covers` is the party seated (occupied only); staying occupied without it keeps the
    party, leaving occupied clears it. Raises Conflict when `expected_status` is given and
    the stored status differs, and AlreadyApplied when the Idempotency-Key was seen before.
    """
    with outbox.change() as change:
        if idempotency is not None:
            _replay(idempotency)
            record = _claim(idempotency)
        table = get_table(table_id, for_update=True)
        if expected_status is not None and table.status != expected_status:
            current = shapes.Table.of(table).wire()
            # Who made the change the person did not see, so the question can name them.
            latest = table_history(table.id, 1)
            raise Conflict(
                f"Table {current['tableNumber']} is {current['status']} now, not {expected_status}.",
                table=current,
                changedBy=latest[0]["by"] if latest else None,
            )
        old_status = table.status
        now = utcnow()
        table.status = status
        if status != old_status:
            # The seated timer counts from the seating: a new party size or note does not restart it.
            table.status_changed_at = now
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
        table.version += 1
        table.updated_at = now
        carried = {}
        if table.covers is not None:
            carried["covers"] = table.covers
        if table.reserved_until is not None:
            carried["reserved_until"] = table.reserved_until
        if notes is not _UNSET:
            carried["notes"] = notes  # null too: notes cleared reach every screen
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
        if idempotency is not None:
            record.body = shapes.Table.of(table).wire()
    return table


def release_expired_holds(now: datetime | None = None) -> list[Table]:
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
