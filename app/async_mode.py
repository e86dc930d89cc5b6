"""Cooperative networking for the serving process, chosen in one place.

Only the process that serves sockets is patched (`python app.py`, `python wsgi.py`);
CLI commands and the worker run plain threads and reach browsers through the queue.
"""

import os
from collections.abc import Callable
from typing import TypeVar

_patched_mode: str | None = None
T = TypeVar("T")


def configured_mode() -> str:
    """ASYNC_MODE as configured: eventlet, gevent or threading."""
    return os.environ.get("ASYNC_MODE", "eventlet")


def patch_for_server() -> str:
    """Monkey-patch the standard library for ASYNC_MODE before anything else is imported."""
    global _patched_mode
    mode = configured_mode()
    if mode == "eventlet":
        import warnings

        # Deprecated upstream and known; gevent is the documented way off it.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        # Everything, including psycopg2 (eventlet's default set has it): PostgreSQL waits
        # become cooperative, so a slow query yields instead of freezing other connections.
        # Naming any module here would patch only the modules named.
        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
        _cooperative_psycopg_for_gevent()
    _patched_mode = mode
    return mode


def _cooperative_psycopg_for_gevent() -> None:
    """gevent does not know psycopg2 by itself; psycogreen makes its waits cooperative."""
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()


def patched_by_gevent_worker() -> bool:
    """True inside gunicorn's gevent worker, which patches before importing the app."""
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("socket")


def serving_mode(configured: str) -> str:
    """The async mode Socket.IO should use in this process: threading unless patched for it."""
    if _patched_mode == configured:
        return configured
    if configured == "gevent" and patched_by_gevent_worker():
        _cooperative_psycopg_for_gevent()
        return configured
    return "threading"


def green_timeout(mode: str) -> type | None:
    """The timeout that can interrupt a green wait in `mode` (as `with Timeout(seconds, False):`); None for threads."""
    if mode == "eventlet":
        import eventlet

        return eventlet.Timeout
    if mode == "gevent":
        import gevent

        return gevent.Timeout
    return None


def before_deadline(timeout: type | None, seconds: float, call: Callable[[], T]) -> T | None:
    """`call()`, or None if it has not returned `seconds` after it began (it must not return None itself).

    `timeout` is the mode's green timeout (`green_timeout`), which interrupts `call` where it
    waits; with None (threads), `call` runs without a deadline.
    """
    if timeout is None:
        return call()
    with timeout(seconds, False):
        return call()
    return None
