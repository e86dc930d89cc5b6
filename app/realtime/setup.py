"""Binding Socket.IO to the app, and the publisher that takes committed changes to the sockets."""

import logging
import time

from flask import Flask

from app.async_mode import serving_mode
from app.config import queue_channel
from app.extensions import socketio

# Imported before any init_app: Flask-SocketIO keeps handlers for every later app only if
# they are registered while no server exists yet (tests build many apps in one process).
from app.realtime import (
    connections,
    handlers,  # noqa: I001
    metrics,
    presence,
    transport,
)
from app.realtime.broadcast import Broadcaster, register_guest_view
from app.realtime.guest_view import tell_guests
from app.realtime.managers import LocalManager, QueueManager
from app.realtime.sessions import end_sockets
from app.services import outbox

log = logging.getLogger(__name__)
_broadcaster: Broadcaster | None = None


def init_realtime(app: Flask) -> None:
    """Bind the shared `socketio` with the queue, origins, liveness and size limits; publish changes."""
    global _broadcaster
    metrics.start()
    config = app.config
    mode = serving_mode(config["ASYNC_MODE"])
    serving = mode != "threading" or config.get("TESTING")
    _broadcaster = Broadcaster(
        socketio, config["BATCH_WINDOW_MS"], timers=bool(serving), app=app, fill_gaps=bool(config["REDIS_URL"])
    )
    manager = (
        QueueManager(
            config["REDIS_URL"], channel=queue_channel(config), write_only=not serving, deliver=_broadcaster.deliver
        )
        if config["REDIS_URL"]
        else LocalManager(deliver=_broadcaster.deliver)
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
    handlers.register_socket_events(socketio.server, app)
    channel = queue_channel(config) if config["REDIS_URL"] else ""
    presence.install(config["REDIS_URL"], channel, config["PRESENCE_TTL_SECONDS"])
    transport.install(socketio.server, app, mode, connections.count)
    metrics.read_rooms_with(lambda: transport.rooms(socketio.server))
    metrics.read_connections_with(connections.count)
    outbox.register_publisher(publish_change)
    register_guest_view(tell_guests)


def publish_change(change: outbox.Change) -> None:
    """Send a committed change on: its events into the feed, then the ending of sockets it asked for."""
    manager = socketio.server.manager
    if change.events:
        committed_at = time.time()
        items = [{**item, "committedAt": committed_at} for item in change.events]
        try:
            manager.publish_feed(items)
        except Exception:  # noqa: BLE001 - the change is committed; clients catch up by sync
            log.exception("publishing %d committed events failed", len(items))
            metrics.delivery_failed()
    for ending in change.endings:
        end_sockets(ending)
