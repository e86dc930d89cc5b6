"""The Idempotency-Key header of a change sent over JSON (app/services/idempotency.py keeps the answers)."""

from flask import request
from flask_login import current_user

from app.models import limits
from app.services.idempotency import IdempotencyKey
from app.services.validation import UNSTORABLE_TEXT, unstorable
from app.web import BadRequest


def idempotency_key(target: object) -> IdempotencyKey | None:
    """This request's Idempotency-Key for `target` (what it changes), or None; a 400 for a key that cannot be kept."""
    key = request.headers.get("Idempotency-Key")
    if not key:
        return None
    if len(key) > limits.IDEMPOTENCY_KEY_LENGTH:
        raise BadRequest(f"Idempotency-Key is longer than {limits.IDEMPOTENCY_KEY_LENGTH} characters.")
    if unstorable(key):  # a header may carry a NUL, and the key is stored
        raise BadRequest("Idempotency-Key cannot be saved.", fields={"Idempotency-Key": UNSTORABLE_TEXT})
    return IdempotencyKey.for_request(current_user.id, key, target, request.get_json())
