"""The serving port, bound before the application loads.

After a deploy or a crash every screen reconnects at once. While nothing listens on the port
each attempt is refused and the client backs off (about 0.25 s, then 0.5, 1 and 2 s), so a
process that loads for a second before it binds keeps most screens waiting for their third
or fourth try (issue 15). Bound first, the kernel completes the screens' connections and
holds them in the accept queue (BACKLOG) while the application loads; the process takes
them the moment it serves. Binding first also means a second server on a busy port exits
before it loads anything.

Only eventlet's own server is bound here; gunicorn binds for its workers.
"""

import errno
import logging

log = logging.getLogger("tableside.serve")
# Connections the kernel holds for the process (capped by net.core.somaxconn).
BACKLOG = 8192


class PortTakenError(RuntimeError):
    """Another process already listens on the address."""


def listen(host: str, port: int, backlog: int = BACKLOG):
    """A listening green socket on (host, port) that no other process may share.

    Without SO_REUSEPORT, which eventlet.listen turns on by default: a second server on a busy
    port would otherwise silently take half of the first one's clients.
    """
    import eventlet

    try:
        return eventlet.listen((host, port), backlog=backlog, reuse_port=False)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortTakenError(f"{host}:{port} is already in use by another process") from error
        raise


def listen_or_exit(host: str, port: int):
    """`listen`, or exit with code 1 (logged) when the port is taken."""
    try:
        return listen(host, port)
    except PortTakenError as error:
        log.error("not serving: %s (is another server running?)", error)
        raise SystemExit(1) from error


def listen_before_loading(mode: str):
    """The configured HOST:PORT bound now, under eventlet (the mode patched for); None otherwise."""
    if mode != "eventlet":
        return None
    from app.config import config_for_environment

    config = config_for_environment()
    return listen_or_exit(config.HOST, config.PORT)
