"""What a socket's account says, read from the database at most once per account every few seconds.

Every handshake, join and sync checks that the account is still active with the same session
generation. In a reconnect storm that was a user lookup per socket per message: thousands of
the same 40 rows read again within a second. Here each account is read once and the answer
kept for ACCOUNT_CACHE_SECONDS, as a plain snapshot (no ORM object outlives its session).

A change made in this process (deactivation, role, floors, sign-out everywhere) forgets the
account at once (`forget`, called by sessions.end_user_sockets); one made by another process or
the CLI is seen within ACCOUNT_CACHE_SECONDS, and that account's sockets are closed by the
stale-account job as before.
"""

import threading
import time
from dataclasses import dataclass

from flask import current_app

from app.auth.tokens import token_claims
from app.extensions import db
from app.models import User
from app.realtime.shared_reads import SharedReads

MAX_TOKENS_KEPT = 20000


@dataclass(frozen=True)
class Account:
    """The parts of a User the socket handlers read."""

    id: int
    username: str
    role: str
    active: bool
    session_generation: int
    allowed_floors: list[int] | None

    may_see_floor = User.may_see_floor
    is_floor_limited = User.is_floor_limited


_lock = threading.Lock()
_accounts = SharedReads()
# token -> (its expiry, user id, generation): a token is decoded and its signature checked once.
_tokens: dict[str, tuple[float, int, object]] = {}


def _snapshot(user: User | None) -> Account | None:
    if user is None:
        return None
    floors = list(user.allowed_floors) if user.allowed_floors else None
    return Account(user.id, user.username, user.role, user.active, user.session_generation, floors)


def account(user_id: int) -> Account | None:
    """The account as read at most ACCOUNT_CACHE_SECONDS ago; None if it does not exist."""
    not_before = time.monotonic() - current_app.config["ACCOUNT_CACHE_SECONDS"]
    return _accounts.get(user_id, lambda: _snapshot(db.session.get(User, user_id)), not_before)


def forget(user_id: int) -> None:
    """Read this account afresh next time (it was changed in this process)."""
    _accounts.forget(user_id)


def account_from_token(token: object) -> Account | None:
    """The active account a valid, unexpired token names (as app.auth.tokens.user_from_token); else None."""
    claims = _tokens.get(token) if isinstance(token, str) else None
    if claims is None or claims[0] <= time.time():
        claims = token_claims(token)
        if claims is None:
            return None
        with _lock:
            if len(_tokens) >= MAX_TOKENS_KEPT:
                _tokens.clear()
            _tokens[token] = claims
    _, user_id, generation = claims
    found = account(user_id)
    if found is None or not found.active or generation != found.session_generation:
        return None
    return found
