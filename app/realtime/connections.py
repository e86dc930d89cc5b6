"""Who each socket of this process belongs to, and per-connection rate limits."""

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from limits import parse
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.realtime import accounts


@dataclass
class Connection:
    """A socket's owner, fixed at handshake and re-checked on every message."""

    sid: str
    user_id: int
    username: str
    generation: int
    opened_at: float = field(default=0.0)
    # When this socket's recent events happened, per limit (SOCKET_RATE_LIMIT's window, ...).
    recent: dict[str, deque] = field(default_factory=dict)


_lock = threading.Lock()
_connections: dict[str, Connection] = {}
_per_user: dict[int, int] = {}


def count() -> int:
    """Sockets open in this process."""
    return len(_connections)


def register(connection: Connection, max_per_user: int) -> bool:
    """Record a new socket; False when the user already holds too many here."""
    with _lock:
        if _per_user.get(connection.user_id, 0) >= max_per_user:
            return False
        _connections[connection.sid] = connection
        _per_user[connection.user_id] = _per_user.get(connection.user_id, 0) + 1
        return True


def dead_sockets_of(user_id: int, gone: Callable[[str], bool]) -> list[str]:
    """The user's sockets here whose client has hung up or stopped answering (`gone(sid)`)."""
    with _lock:
        theirs = [sid for sid, connection in _connections.items() if connection.user_id == user_id]
    return [sid for sid in theirs if gone(sid)]


def forget(sid: str) -> Connection | None:
    """Drop a closed socket."""
    with _lock:
        connection = _connections.pop(sid, None)
        if connection is not None:
            _per_user[connection.user_id] -= 1
            if not _per_user[connection.user_id]:
                del _per_user[connection.user_id]
        return connection


def current_user_of(sid: str) -> accounts.Account | None:
    """The socket's account if still active with the same session generation, else None."""
    connection = _connections.get(sid)
    if connection is None:
        return None
    user = accounts.account(connection.user_id)
    if user is None or not user.active or user.session_generation != connection.generation:
        return None
    return user


def stale_connections() -> list[Connection]:
    """Sockets of this process whose user is gone, switched off, or signed out everywhere."""
    with _lock:
        open_now = list(_connections.values())
    if not open_now:
        return []
    rows = db.session.execute(
        select(User.id, User.active, User.session_generation).where(
            User.id.in_({connection.user_id for connection in open_now})
        )
    )
    generation = {row.id: row.session_generation for row in rows if row.active}
    return [connection for connection in open_now if generation.get(connection.user_id) != connection.generation]


@lru_cache(maxsize=8)
def _limit(text: str) -> tuple[int, float]:
    item = parse(text)
    return item.amount, float(item.get_expiry())


def within_limit(sid: str, setting: str = "SOCKET_RATE_LIMIT") -> bool:
    """Count one event of this connection against the limit `setting` names (a moving window):
    joins, leaves and syncs against SOCKET_RATE_LIMIT, presence against PRESENCE_RATE_LIMIT.

    A connection lives in one process, so its count is kept with it: no shared storage to
    ask (or to find away), and nothing to expire for thousands of idle sockets.
    """
    connection = _connections.get(sid)
    if connection is None:
        return True
    amount, window = _limit(current_app.config[setting])
    now = time.monotonic()
    recent = connection.recent.setdefault(setting, deque())
    while recent and recent[0] <= now - window:
        recent.popleft()
    if len(recent) >= amount:
        return False
    recent.append(now)
    return True
