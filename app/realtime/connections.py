"""Who each socket of this process belongs to, and per-connection rate limits."""

import logging
import threading
from dataclasses import dataclass, field

from flask import current_app
from limits import parse
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import User

log = logging.getLogger(__name__)


@dataclass
class Connection:
    """A socket's owner, fixed at handshake and re-checked on every message."""

    sid: str
    user_id: int
    username: str
    generation: int
    opened_at: float = field(default=0.0)


_lock = threading.Lock()
_connections: dict[str, Connection] = {}
_per_user: dict[int, int] = {}


def register(connection: Connection, max_per_user: int) -> bool:
    """Record a new socket; False when the user already holds too many here."""
    with _lock:
        if _per_user.get(connection.user_id, 0) >= max_per_user:
            return False
        _connections[connection.sid] = connection
        _per_user[connection.user_id] = _per_user.get(connection.user_id, 0) + 1
        return True


def forget(sid: str) -> Connection | None:
    """Drop a closed socket."""
    with _lock:
        connection = _connections.pop(sid, None)
        if connection is not None:
            _per_user[connection.user_id] -= 1
            if not _per_user[connection.user_id]:
                del _per_user[connection.user_id]
        return connection


def current_user_of(sid: str) -> User | None:
    """The socket's user if still active with the same session generation, else None."""
    connection = _connections.get(sid)
    if connection is None:
        return None
    user = db.session.get(User, connection.user_id)
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


def within_limit(sid: str) -> bool:
    """Count one join, leave or sync of this connection against SOCKET_RATE_LIMIT."""
    item = parse(current_app.config["SOCKET_RATE_LIMIT"])
    try:
        return limiter.limiter.hit(item, "socket", sid)
    except Exception:  # noqa: BLE001 - rate-limit storage (Redis) away: serve rather than fail
        log.warning("socket rate limit storage unavailable; allowing %s", sid)
        return True
