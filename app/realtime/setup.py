"""Binding Socket.IO to the app, and broadcasting after commit."""

import logging
import time
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.async_mode import serving_mode
from app.extensions import socketio

# Imported before any init_app: Flask-SocketIO keeps handlers for every later app only if
# they are registered while no server exists yet (tests build many apps in one process).
from app.realtime import (
    admission,
    connections,
    handlers,  # noqa: F401, I001
    metrics,
)
from app.realtime.broadcast import Broadcaster
from app.realtime.direct import garbage
from app.realtime.managers import FEED, LocalManager, QueueManager
from app.services.commit_order import end_change
from app.services.event_log import discard_pending, take_pending

log = logging.getLogger(__name__)
_broadcaster: Broadcaster | None = None


def queue_channel(config) -> str:
    """The Redis channel of this deployment: SOCKETIO_CHANNEL, or one per Redis database."""
    if config.get("SOCKETIO_CHANNEL"):
        return config["SOCKETIO_CHANNEL"]
    database = urlsplit(config["REDIS_URL"]).path.strip("/") or "0"
    return f"tableside-db{database}"


def init_realtime(app: Flask) -> None:
    """Bind the shared `socketio` with the queue, origins, liveness and size limits."""
    global _broadcaster
    config = app.config
    mode = serving_mode(config["ASYNC_MODE"])
    serving = mode != "threading" or config.get("TESTING")
    manager = (
        QueueManager(config["REDIS_URL"], channel=queue_channel(config), write_only=not serving)
        if config["REDIS_URL"]
        else LocalManager()
    )
    socketio.init_app(
        app,
        async_mode=mode,
        client_manager=manager,
        cors_allowed_origins=config["ALLOWED_ORIGINS"],
        ping_interval=config["PING_INTERVAL"],
        ping_timeout=config["PING_TIMEOUT"],
        max_http_buffer_size=config["MAX_SOCKET_MESSAGE_BYTES"],
        always_connect=False,
        logger=False,
        engineio_logger=False,
    )
    garbage.refuse_garbage(socketio.server)
    if mode == "eventlet" and config["DIRECT_WEBSOCKET_WRITES"]:
        from app.realtime.direct import wire

        wire.install(socketio.server.eio, config["MAX_SOCKET_BACKLOG_BYTES"], config["SOCKET_SEND_BUFFER_BYTES"])
    elif mode == "eventlet":
        from app.realtime.direct import checked

        checked.install(socketio.server.eio)
    elif mode == "gevent":
        garbage.refuse_garbage_under_gevent(socketio.server.eio)
    admission.install(socketio.server.eio, config, connections.count)
    _broadcaster = Broadcaster(
        socketio, config["BATCH_WINDOW_MS"], timers=bool(serving), app=app if config["REDIS_URL"] else None
    )
    _install_commit_hooks()


_hooks_installed = False


def _install_commit_hooks() -> None:
    global _hooks_installed
    if _hooks_installed:
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    _hooks_installed = True


def local_broadcaster() -> Broadcaster | None:
    """This process's Broadcaster (the feed hands it every committed event)."""
    return _broadcaster


def _after_commit(session: Session) -> None:
    """Publish the committed events while the commit-order lock is still held."""
    items = take_pending(session)
    if not items:
        return
    committed_at = time.time()
    for item in items:
        item["committedAt"] = committed_at
    try:
        socketio.emit(FEED, items)
    except Exception:  # noqa: BLE001 - the change is committed; clients catch up by sync
        log.exception("publishing %d committed events failed", len(items))
        metrics.delivery_failed()


def _after_rollback(session: Session) -> None:
    discard_pending(session)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        end_change(session)
