"""One writer at a time, from its first statement until its events are published (services/outbox.py).

Event ids must follow commit order, and every process must see the events in that order:
a client that has applied event 110 ignores a late 109. So a writer takes this lock before
its first statement and keeps it until its events are published (after commit) or the
transaction ends without them. In one process a green-thread-aware lock does it; across
processes on PostgreSQL a session-level advisory lock on a connection kept for the purpose
does too. Writes in a restaurant are a few per second and each holds the lock for
milliseconds, so serializing them costs nothing that matters.
"""

import threading
import weakref

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

_LOCK_KEY = 74_221_001
_process_lock = threading.Lock()
_lock_connections: "weakref.WeakKeyDictionary[Engine, Connection]" = weakref.WeakKeyDictionary()


def _cluster_connection(engine: Engine) -> Connection:
    connection = _lock_connections.get(engine)
    if connection is None or connection.closed or connection.invalidated:
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        _lock_connections[engine] = connection
    return connection


def _drop_cluster_connection(engine: Engine) -> None:
    """Forget a broken lock connection; PostgreSQL frees its locks when it closes."""
    connection = _lock_connections.pop(engine, None)
    if connection is not None:
        try:
            connection.invalidate()
            connection.close()
        except Exception:  # noqa: BLE001 - it is being thrown away
            pass


def acquire(engine: Engine) -> None:
    """Wait for the commit-order lock (this process's, and on PostgreSQL the cluster's)."""
    _process_lock.acquire()
    try:
        if engine.dialect.name == "postgresql":
            try:
                _cluster_connection(engine).execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            except DBAPIError:
                _drop_cluster_connection(engine)
                raise
    except BaseException:
        _process_lock.release()
        raise


def release(engine: Engine) -> None:
    """Let the next writer go, once this one's events are published or its change is over."""
    try:
        if engine.dialect.name == "postgresql":
            try:
                _cluster_connection(engine).execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            except DBAPIError:
                _drop_cluster_connection(engine)
    finally:
        _process_lock.release()
