"""Serving one process: raised limits, background jobs, and a graceful stop on SIGTERM.

On SIGTERM the process stops accepting, closes every Engine.IO transport (clients see a
transport close and reconnect at once, to another process where there is one, then sync),
lets in-flight requests finish for up to DRAIN_SECONDS, and exits: whatever its clients do,
it is gone DRAIN_SECONDS after the signal (a few seconds more only if its hub is stuck).
Should the serving loop end any other way, the process exits with code 1.

The cyclic garbage collector is tamed here too (see `tame_garbage_collector`).
"""

import gc
import logging
import os
import resource
import signal
import sys
import time

from flask import Flask

from app.extensions import socketio
from app.logs import configure_logging
from app.realtime.direct import http_server
from app.realtime.jobs import start_background_jobs

log = logging.getLogger("tableside.serve")
# After the drain deadline, how long the kernel waits (SIGALRM) should the process not have exited.
HARD_STOP_GRACE_SECONDS = 5


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
    configure_logging()
    host, port = app.config["HOST"], app.config["PORT"]
    # Bound before anything starts, so that a second server on a busy port starts nothing.
    sock = _listen_or_exit(host, port) if socketio.async_mode == "eventlet" else None
    files = prepare_process(app)
    log.info("serving", extra={"url": f"http://{host}:{port}", "async_mode": socketio.async_mode, "open_files": files})
    if sock is None:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
    else:
        _serve_eventlet(app, sock)


def _listen_or_exit(host: str, port: int):
    try:
        return http_server.listen(host, port)
    except http_server.PortTakenError as error:
        log.error("not serving: %s (is another server running?)", error)
        raise SystemExit(1) from error


def _serve_eventlet(app: Flask, sock) -> None:
    import eventlet
    import eventlet.wsgi

    config = app.config
    listener = http_server.PatientListener(sock)
    protocol = http_server.TimedProtocol
    # Each WebSocket served by engine.io's own writer holds a place in the pool for its life;
    # handed-off ones leave it. Either way MAX_CONNECTIONS requests can be served besides them.
    pool_size = 2 * config["MAX_CONNECTIONS"]
    if config["DIRECT_WEBSOCKET_WRITES"]:
        from app.realtime.direct.handoff import Protocol as protocol

        pool_size = config["MAX_CONNECTIONS"]
    idle, head = config["KEEPALIVE_IDLE_SECONDS"], config["REQUEST_HEADER_TIMEOUT_SECONDS"]
    server = eventlet.spawn(
        eventlet.wsgi.server,
        listener,
        app,
        log_output=False,
        max_size=pool_size,
        keepalive=idle,
        protocol=http_server.with_deadlines(protocol, idle, head),
    )
    draining: list[int] = []

    def on_signal(signum, _frame) -> None:
        if not draining:
            draining.append(signum)
            eventlet.spawn_n(_drain, listener, server, config["DRAIN_SECONDS"])

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        server.wait()
    except BaseException as error:  # noqa: BLE001 - the drain ends the server with GreenletExit
        ended_by = repr(error)
    else:
        ended_by = "returned"
    if not draining:
        # A supervisor must see a crash as one: exit code 0 reads as a deliberate stop.
        log.error("the serving loop ended unexpectedly; exiting", extra={"ended_by": ended_by})
        _exit_now(1)
    log.info("stopped")


def _drain(listener: http_server.PatientListener, server, drain_seconds: float) -> None:
    """Stop accepting, close every Engine.IO session without waiting, let requests finish, exit."""
    import eventlet

    eio = socketio.server.eio
    log.info("draining", extra={"connections": len(eio.sockets), "drain_seconds": drain_seconds})
    # The watchdog first: nothing below may keep the process alive past the deadline.
    eventlet.spawn_after(drain_seconds, _drain_overran, drain_seconds)
    # And should the hub itself be stuck, the kernel ends the process a little later.
    signal.alarm(int(drain_seconds) + HARD_STOP_GRACE_SECONDS)
    listener.close()
    for eio_socket in list(eio.sockets.values()):
        try:
            # wait=False: a session nobody polls would otherwise block here on its queue for ever.
            eio_socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
        except Exception:  # noqa: BLE001 - one socket's failure must not stop the drain
            log.exception("closing a socket while draining failed")
    eio.sockets.clear()
    # Raised where the server waits to accept; it then waits for the requests in flight.
    server.kill()


def _drain_overran(drain_seconds: float) -> None:
    log.warning("requests still running after the drain deadline; exiting now", extra={"drain_seconds": drain_seconds})
    _exit_now(0)


def _exit_now(code: int) -> None:
    """End the process at once, whatever greenthreads or sockets remain."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
