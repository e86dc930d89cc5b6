"""The background jobs of a serving process: room heads, the account check, admission, the worker."""

import logging

from flask import Flask

from app.extensions import socketio

log = logging.getLogger(__name__)


def _every(interval: float, job, app: Flask) -> None:
    """Run `job(app)` every `interval` seconds until the process stops; a failure skips one round."""
    while True:
        socketio.sleep(interval)
        try:
            job(app)
        except Exception:  # noqa: BLE001 - a database hiccup must not end the job
            log.exception("background job %s failed", job.__name__)


def start_background_jobs(app: Flask) -> None:
    """Start the transport's jobs, the room heads ticker, the account check and, in dev, the worker in-process."""
    from app.realtime import presence, transport
    from app.realtime.heads import announce_heads
    from app.realtime.sessions import end_stale_sockets

    interval = app.config["HEAD_INTERVAL_SECONDS"]
    transport.start_jobs(socketio.server)
    socketio.start_background_task(_every, interval, announce_heads, app)
    socketio.start_background_task(_every, interval, end_stale_sockets, app)
    socketio.start_background_task(_every, presence.beat_interval(), presence.beat, app)
    if app.config["RUN_WORKER_IN_PROCESS"] or not app.config["REDIS_URL"]:
        from app.worker import run_worker

        socketio.start_background_task(run_worker, app, socketio.sleep)
