"""What a socket's account says, read from the database at most once every few seconds.

Every handshake, join and sync checks that the account is still active with the same session
generation. In a reconnect storm that was a user lookup per socket per message: thousands of
the same 40 rows read again within a second. Here the answers are kept for
ACCOUNT_CACHE_SECONDS, as plain snapshots (no ORM object outlives its session), and they come
from one read of the whole staff list (the roster, one query for every account): in a storm
the accounts of all the screens expire together, and reading them one by one was 45 reads at
once per process, each checking out (and on PostgreSQL pinging, opening and closing) a pooled
connection, a tenth of a process's time when 2 processes took back 4,000 screens (issue 15).
An account the roster does not hold (added since it was read, or gone), and every account when
the staff list is longer than ROSTER_MAX, is read alone.

A change made in this process (deactivation, role, floors, sign-out everywhere) forgets the
account at once (`forget`, called by sessions.end_user_sockets); one made by another process or
the CLI is seen within ACCOUNT_CACHE_SECONDS, and that account's sockets are closed by the
stale-account job as before.
"""

import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.auth.tokens import token_claims
from app.extensions import db
from app.models import User
from app.realtime.shared_reads import SharedReads

MAX_TOKENS_KEPT = 20000
ROSTER_MAX = 2000
ROSTER = "roster"


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
_roster = SharedReads()
# token -> (its expiry, user id, generation): a token is decoded and its signature checked once.
_tokens: dict[str, tuple[float, int, object]] = {}


def _snapshot(user) -> Account | None:
    """A User, or a row of the roster, as an Account."""
    if user is None:
        return None
    floors = list(user.allowed_floors) if user.allowed_floors else None
    return Account(user.id, user.username, user.role, user.active, user.session_generation, floors)


def _read_roster() -> dict[int, Account] | None:
    """Every account by id; None when there are more than ROSTER_MAX."""
    columns = (User.id, User.username, User.role, User.active, User.session_generation, User.allowed_floors)
    rows = db.session.execute(select(*columns).order_by(User.id).limit(ROSTER_MAX + 1)).all()
    if len(rows) > ROSTER_MAX:
        return None
    return {row.id: _snapshot(row) for row in rows}


def account(user_id: int) -> Account | None:
    """The account as read at most ACCOUNT_CACHE_SECONDS ago; None if it does not exist."""
    not_before = time.monotonic() - current_app.config["ACCOUNT_CACHE_SECONDS"]
    roster = _roster.get(ROSTER, _read_roster, not_before)
    found = roster.get(user_id) if roster is not None else None
    if found is not None:
        return found
    return _accounts.get(user_id, lambda: _snapshot(db.session.get(User, user_id)), not_before)


def forget(user_id: int) -> None:
    """Read this account afresh next time (it was changed in this process)."""
    _roster.forget(ROSTER)
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
