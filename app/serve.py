"""Serving one process: raised limits, background jobs, and a graceful stop on SIGTERM.

On SIGTERM the process stops accepting, closes every Engine.IO transport (clients see a
transport close and reconnect at once, to another process where there is one, then sync),
lets in-flight requests finish for up to DRAIN_SECONDS, and exits: whatever its clients do,
it is gone DRAIN_SECONDS after the signal (a few seconds more only if its hub is stuck).
Should the serving loop end any other way, the process exits with code 1. The same drain
(`Drain`) stops eventlet's server and gevent's (`ASYNC_MODE=gevent python wsgi.py`); under
`gunicorn -k gevent`, gunicorn handles SIGTERM itself and none of this runs.

The cyclic garbage collector is tamed here too (app/collector.py).
"""

import logging
import os
import resource
import signal
import sys

from flask import Flask

from app.collector import tame_garbage_collector
from app.extensions import socketio
from app.logs import configure_logging
from app.realtime import transport
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


def prepare_process(app: Flask) -> int:
    """Set up a serving process: JSON logs, open-file limit, background jobs, the collector."""
    configure_logging()
    files = raise_open_file_limit()
    start_background_jobs(app)
    tame_garbage_collector(app.config["GC_THAW_SECONDS"])
    return files


def serve(app: Flask, sock) -> None:
    """Serve HTTP and Socket.IO until SIGTERM or SIGINT.

    `sock`: under eventlet and gevent, the port as `app.listening.listen_then_patch` bound it
    before the app loaded; None in the threading mode, where Flask-SocketIO's runner binds it.
    """
    configure_logging()
    host, port = app.config["HOST"], app.config["PORT"]
    files = prepare_process(app)
    log.info("serving", extra={"url": f"http://{host}:{port}", "async_mode": socketio.async_mode, "open_files": files})
    if sock is None:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
    elif socketio.async_mode == "gevent":
        _serve_gevent(app, sock)
    else:
        _serve_eventlet(app, sock)


class Drain:
    """The graceful stop on SIGTERM or SIGINT, the same under eventlet and gevent.

    Each server gives it its own ways to run a green thread (`spawn`), to call one later
    (`call_later`), to stop accepting, and to let the requests in flight finish.
    """

    def __init__(self, drain_seconds: float, spawn, call_later, stop_accepting, finish_requests) -> None:
        self.drain_seconds = drain_seconds
        self.spawn, self.call_later = spawn, call_later
        self.stop_accepting, self.finish_requests = stop_accepting, finish_requests
        self.started = False

    def on_signal(self, *_signal) -> None:
        """The signal handler: the first SIGTERM or SIGINT starts the drain; the next ones change nothing."""
        if not self.started:
            self.started = True
            self.spawn(self._run)

    def _run(self) -> None:
        """Stop accepting, close every Engine.IO session without waiting, let requests finish."""
        log.info("draining", extra={"drain_seconds": self.drain_seconds})
        # The watchdog first: nothing below may keep the process alive past the deadline.
        self.call_later(self.drain_seconds, _drain_overran, self.drain_seconds)
        # And should the hub itself be stuck, the kernel ends the process a little later.
        signal.alarm(int(self.drain_seconds) + HARD_STOP_GRACE_SECONDS)
        self.stop_accepting()
        closed = transport.close_all_sessions(socketio.server)
        log.info("closed every session", extra={"connections": closed})
        self.finish_requests()

    def serve(self, wait) -> None:
        """Run `wait`, which returns (or raises) once serving is over; exit 1 if no drain ended it."""
        try:
            wait()
        except BaseException as error:  # noqa: BLE001 - under eventlet the drain ends the server with GreenletExit
            ended_by = repr(error)
        else:
            ended_by = "returned"
        if not self.started:
            # A supervisor must see a crash as one: exit code 0 reads as a deliberate stop.
            log.error("the serving loop ended unexpectedly; exiting", extra={"ended_by": ended_by})
            _exit_now(1)
        log.info("stopped")


def _serve_eventlet(app: Flask, sock) -> None:
    # Imported only here: under gevent, eventlet is never loaded (nor its deprecation warning logged).
    import eventlet
    import eventlet.wsgi

    from app.realtime.transport import http_server

    config = app.config
    listener = http_server.PatientListener(sock)
    handing_off = transport.hands_off(socketio.server)
    # Each WebSocket served by engine.io's own writer holds a place in the pool for its life;
    # handed-off ones leave it. Either way MAX_CONNECTIONS requests can be served besides them.
    pool_size = config["MAX_CONNECTIONS"] if handing_off else 2 * config["MAX_CONNECTIONS"]
    idle = config["KEEPALIVE_IDLE_SECONDS"]
    server = eventlet.spawn(
        eventlet.wsgi.server,
        listener,
        app,
        log_output=False,
        max_size=pool_size,
        keepalive=idle,
        protocol=transport.http_protocol(socketio.server, idle, config["REQUEST_HEADER_TIMEOUT_SECONDS"]),
    )
    # Killed where it waits to accept, the server shuts its idle connections and waits for the
    # requests in flight, then ends (with GreenletExit).
    drain = Drain(config["DRAIN_SECONDS"], eventlet.spawn_n, eventlet.spawn_after, listener.close, server.kill)
    signal.signal(signal.SIGTERM, drain.on_signal)
    signal.signal(signal.SIGINT, drain.on_signal)
    drain.serve(server.wait)


def _serve_gevent(app: Flask, sock) -> None:
    import gevent

    from app.realtime.transport import gevent_server

    config = app.config
    drain_seconds = config["DRAIN_SECONDS"]
    server = gevent_server.PatientServer.on(
        sock, app, config["KEEPALIVE_IDLE_SECONDS"], config["REQUEST_HEADER_TIMEOUT_SECONDS"]
    )
    drain = Drain(
        drain_seconds,
        gevent.spawn,
        gevent.spawn_later,
        server.drain,
        # Waits for the handlers still running (the idle kept-alive connections are let go).
        lambda: server.stop(timeout=drain_seconds),
    )
    # gevent runs these in a greenlet of their own, not wherever the main greenlet was interrupted.
    gevent.signal_handler(signal.SIGTERM, drain.on_signal)
    gevent.signal_handler(signal.SIGINT, drain.on_signal)
    drain.serve(server.serve_until_stopped)


def _drain_overran(drain_seconds: float) -> None:
    log.warning("requests still running after the drain deadline; exiting now", extra={"drain_seconds": drain_seconds})
    _exit_now(0)


def _exit_now(code: int) -> None:
    """End the process at once, whatever greenthreads or sockets remain."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
