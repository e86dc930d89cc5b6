"""Handing a WebSocket over from eventlet's HTTP server to a greenthread of its own.

eventlet.wsgi serves a WebSocket on the greenthread that read its HTTP request, deep in
the WSGI call stack, holding the request's 8 KiB read and 16 KiB write buffers and its
parsing state for as long as the socket lives: about half of an idle socket's memory.
With `Protocol`, the WebSocket endpoint (app/realtime/transport/wire.py) instead answers the
handshake and releases the connection from the HTTP server, whose greenthread ends; the
socket is then read only when it has bytes (app/realtime/transport/reading.py). The HTTP server
no longer counts such sockets; app/realtime/transport/admission.py counts every session against
MAX_CONNECTIONS itself.
"""

import io

from app.realtime.transport.http_server import TimedProtocol
from app.request_body import HANG_UP

RELEASE = "tableside.release"
# What the HTTP server put in the environ for its own use; Socket.IO keeps the environ per socket.
SERVER_KEYS = ("eventlet.input", "eventlet.set_idle", "eventlet.posthooks", "headers_raw", HANG_UP)


class _Released:
    """Stands in for a socket the HTTP server no longer owns, so it does not close it."""

    def shutdown(self, *_args) -> None:
        pass

    def close(self) -> None:
        pass


class Protocol(TimedProtocol):
    """eventlet's HTTP connection handler, able to let go of a connection that became a WebSocket."""

    released = False

    def get_environ(self):
        environ = super().get_environ()
        environ[RELEASE] = self._release
        return environ

    def _release(self) -> None:
        self.released = True
        self.conn_state[1] = _Released()

    def finish(self) -> None:
        if not self.released:
            super().finish()
            return
        self.rfile.close()
        self.wfile.close()


def take_over(environ: dict, ws) -> bool:
    """Release this WebSocket, just past its handshake, from the HTTP server that accepted it.

    Called as eventlet's WebSocket handler. False when the server is not one that can let go:
    then the caller must serve the socket until it ends, before returning.
    """
    release = environ.pop(RELEASE, None)
    if release is None:
        return False
    release()
    for key in SERVER_KEYS:
        environ.pop(key, None)
    environ["wsgi.input"] = io.BytesIO()
    # eventlet sends a closing frame when the handler returns; this link is not closing. The
    # socket alone goes on: eventlet's WebSocket object (locks, queues) is left behind.
    ws.websocket_closed = True
    return True
