"""The serving port, bound before eventlet or gevent and the application load.

After a deploy or a crash every screen reconnects at once. While nothing listens on the port
each attempt is refused and the client backs off (about 0.25 s, then 0.5, 1 and 2 s), so a
process that loads for a second before it binds keeps most screens waiting for their third
or fourth try (issue 15). Bound first, with the standard library's socket 0.05 s after the
process starts, the kernel completes the screens' connections and holds them in the accept
queue (BACKLOG) while eventlet and the application load; the process takes them the moment
it serves. Binding first also means a second server on a busy port exits before it loads
anything.

Only Tableside's own servers (`python wsgi.py` and `python app.py`, under eventlet and gevent)
are bound here; gunicorn binds for its workers, and Flask-SocketIO's runner in the threading mode.
The socket is made with the standard library before the monkey-patching, which by then has
imported only the standard library (as app/async_mode.py needs), and is rebuilt on the same file by
the patched socket class after it (`green`).
"""

import errno
import logging
import socket

from app.async_mode import configured_mode, patch_for_server

log = logging.getLogger("tableside.serve")
# Connections the kernel holds for the process (capped by net.core.somaxconn).
BACKLOG = 8192


class PortTakenError(RuntimeError):
    """Another process already listens on the address."""


def listen(host: str, port: int, backlog: int = BACKLOG) -> socket.socket:
    """A listening socket on (host, port) that no other process may share.

    SO_REUSEADDR (a restart need not wait for the old connections' TIME_WAIT) but not
    SO_REUSEPORT: a second server on a busy port would otherwise silently take half of the
    first one's clients. A plain socket: `green` makes it cooperative once eventlet is loaded.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortTakenError(f"{host}:{port} is already in use by another process") from error
        raise
    return sock


def listen_or_exit(host: str, port: int) -> socket.socket:
    """`listen`, or exit with code 1 (logged) when the port is taken."""
    try:
        return listen(host, port)
    except PortTakenError as error:
        log.error("not serving: %s (is another server running?)", error)
        raise SystemExit(1) from error


def green(sock: socket.socket) -> socket.socket:
    """The listening socket as eventlet's or gevent's server takes it (non-blocking, waits yield).

    Called once eventlet or gevent has patched the socket module: the socket is rebuilt on the
    same file by the patched class.
    """
    return socket.socket(sock.family, sock.type, fileno=sock.detach())


def listen_then_patch():
    """Bind the configured HOST:PORT under eventlet or gevent, then patch for serving; the green socket or None.

    None in the threading mode, which binds where it serves.
    """
    sock = None
    if configured_mode() in ("eventlet", "gevent"):
        from app.config import config_for_environment

        config = config_for_environment()
        sock = listen_or_exit(config.HOST, config.PORT)
    patch_for_server()
    return green(sock) if sock is not None else None
