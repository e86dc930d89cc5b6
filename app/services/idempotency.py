"""Idempotency-Key: a retried request returns the first answer without applying its change twice.

A change that takes a key claims it inside its own transaction (`claim`), before changing
anything, and stores its answer there (`answered`): a retry finds the record and replays it; a
concurrent retry waits on the unique key and replays; a change refused or rolled back leaves
no record, so its retry is tried afresh.
"""

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import IdempotencyRecord
from app.services.errors import ValidationError


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's Idempotency-Key, scoped to its user and the request it came with."""

    user_id: int
    key: str
    request_hash: str

    @classmethod
    def for_request(cls, user_id: int, key: str, target: object, body: object) -> "IdempotencyKey":
        """The key of a request to `target` (a table id, or what else names what it changes) with `body`."""
        digest = hashlib.sha256(json.dumps([target, body], sort_keys=True, default=str).encode()).hexdigest()
        return cls(user_id, key, digest)


class AlreadyApplied(Exception):  # noqa: N818 - it is an outcome, not a failure
    """The request was applied before under the same Idempotency-Key; here is its reply."""

    def __init__(self, body: dict, status_code: int = 200) -> None:
        super().__init__("already applied")
        self.body = body
        self.status_code = status_code


def replay(idempotency: IdempotencyKey) -> None:
    """Raise AlreadyApplied with the first answer when this key was used before (a 422 for another request)."""
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
    raise AlreadyApplied(record.body, record.status_code)


def claim(idempotency: IdempotencyKey) -> IdempotencyRecord:
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
        replay(idempotency)
        raise
    return record


def claimed(idempotency: IdempotencyKey | None) -> IdempotencyRecord | None:
    """`replay`, then `claim`: the record to store this change's answer in (None without a key)."""
    if idempotency is None:
        return None
    replay(idempotency)
    return claim(idempotency)


def answered(record: IdempotencyRecord | None, body: dict, status_code: int = 200) -> None:
    """Keep the answer a retry under the claimed key will get."""
    if record is not None:
        record.body = body
        record.status_code = status_code
