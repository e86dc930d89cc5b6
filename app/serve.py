"""Serving one process: raised limits, background jobs, and a graceful stop on SIGTERM.

On SIGTERM the process stops accepting, closes every Engine.IO transport (clients see a
transport close and reconnect at once, to another process where there is one, then sync),
lets in-flight requests finish for up to DRAIN_SECONDS, and exits.
"""

import logging
import resource
import signal

from flask import Flask

from app.extensions import socketio
from app.logs import configure_logging
from app.realtime.server import start_background_jobs

log = logging.getLogger("tableside.serve")
DRAIN_SECONDS = 10


def raise_open_file_limit() -> int:
    """Lift the soft limit on open files to the hard limit; each socket is one file."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def serve(app: Flask) -> None:
    """Serve HTTP and Socket.IO until SIGTERM or SIGINT."""
    configure_logging()
    files = raise_open_file_limit()
    start_background_jobs(app)
    host, port = app.config["HOST"], app.config["PORT"]
    log.info("serving", extra={"url": f"http://{host}:{port}", "async_mode": socketio.async_mode, "open_files": files})
    if socketio.async_mode == "eventlet":
        _serve_eventlet(app, host, port)
    else:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


def _serve_eventlet(app: Flask, host: str, port: int) -> None:
    import eventlet
    import eventlet.wsgi

    listener = eventlet.listen((host, port), backlog=2048)
    server = eventlet.spawn(
        eventlet.wsgi.server,
        listener,
        app,
        log_output=False,
        max_size=app.config["MAX_CONNECTIONS"],
        keepalive=True,
    )

    def drain() -> None:
        log.info("draining", extra={"connections": len(socketio.server.eio.sockets)})
        listener.close()
        socketio.server.eio.disconnect()
        # Requests still running get DRAIN_SECONDS; then the process ends regardless.
        eventlet.spawn_after(DRAIN_SECONDS, server.kill)
        server.kill()

    def on_signal(signum, _frame) -> None:
        eventlet.spawn_n(drain)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        server.wait()
    except BaseException:  # noqa: BLE001 - the killed server greenthread ends with GreenletExit
        pass
    log.info("stopped")
