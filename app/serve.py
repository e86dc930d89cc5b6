"""Serving one process: raised limits, background jobs, and a graceful stop on SIGTERM.

On SIGTERM the process stops accepting, closes every Engine.IO transport (clients see a
transport close and reconnect at once, to another process where there is one, then sync),
lets in-flight requests finish for up to DRAIN_SECONDS, and exits.

The cyclic garbage collector is tamed here too (see `tame_garbage_collector`).
"""

import gc
import logging
import resource
import signal
import time

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


def tame_garbage_collector(thaw_seconds: float) -> None:
    """Make full collections walk only what is new: freeze the survivors after each one.

    A full collection walks every tracked object. With 1,000 sockets open that is about
    300,000 objects and stalled the whole process for 200-350 ms every few seconds, which
    whatever broadcast was in flight waited for (bench/README.md). Most of those objects
    live as long as their socket, so startup objects are frozen, and after every full
    collection its survivors are frozen too: Python still decides when to collect, but each
    full collection only walks objects that arrived since the previous one. Cycles left
    among frozen objects (a closed socket's) are freed every `thaw_seconds` by one
    collection of everything (about 200 ms per 1,000 open sockets). 0 leaves Python's
    collector as it is.
    """
    if thaw_seconds <= 0:
        return
    gc.collect()
    gc.freeze()
    gc.callbacks.append(_freeze_survivors)
    socketio.start_background_task(_thaw_forever, thaw_seconds)


def _freeze_survivors(phase: str, info: dict) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def _thaw_forever(interval: float) -> None:
    while True:
        socketio.sleep(interval)
        began = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        took_ms = round((time.perf_counter() - began) * 1000)
        log.info("full garbage collection", extra={"collected": found, "frozen": gc.get_freeze_count(), "ms": took_ms})


def prepare_process(app: Flask) -> int:
    """Set up a serving process: JSON logs, open-file limit, background jobs, the collector."""
    configure_logging()
    files = raise_open_file_limit()
    start_background_jobs(app)
    tame_garbage_collector(app.config["GC_THAW_SECONDS"])
    return files


def serve(app: Flask) -> None:
    """Serve HTTP and Socket.IO until SIGTERM or SIGINT."""
    files = prepare_process(app)
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
    protocol = eventlet.wsgi.HttpProtocol
    if app.config["DIRECT_WEBSOCKET_WRITES"]:
        from app.realtime.handoff import Protocol as protocol
    server = eventlet.spawn(
        eventlet.wsgi.server,
        listener,
        app,
        log_output=False,
        max_size=app.config["MAX_CONNECTIONS"],
        keepalive=True,
        protocol=protocol,
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
