"""gevent's WebSocket endpoint: the handshake answered here, each client frame read by FrameReader.

python-engineio's gevent driver serves WebSockets through simple-websocket, which reads
each one on a greenlet of its own through a duplicate of the connection's socket (two
files per WebSocket: a process at its open-file limit held half the sockets eventlet
holds) and, with wsproto, answers a client breaking the rules otherwise than eventlet:
a frame without a mask or text that is not UTF-8 got no close frame and the link hung
until the client gave up, a frame announcing more than MAX_SOCKET_MESSAGE_BYTES waited for
its payload (closed 1000 by the ping timeout, not refused 1009). Here, as under eventlet
(checked.py, through the loop both share in checking.py), the greenlet python-engineio
waits on reads the connection's own socket, RFC 6455 only and no extension, and refuses
what breaks the rules with the RFC's code; a WebSocket the server closes, or whose client
breaks the rules, ends its connection with its close frame, without waiting for the
client's answering close (a client that never answers would otherwise keep the
connection, its file and python-engineio's greenlets).

gevent internals used (checked at gevent 26.9.0): gevent's WSGI server (pywsgi) hands the
application an `Upgrade` request's connection as `wsgi.input`, a buffered reader whose
`raw._sock` is the socket (as simple-websocket finds it), unless the server puts it in the
environ itself: `SOCKET` (app/realtime/transport/gevent_server.py), or gunicorn's
`gunicorn.sock` (its pywsgi worker); after the application returns without starting a
response, pywsgi writes nothing and, its handler's `close_connection` set (through `OVER`),
reads no next request. gunicorn's own gevent worker (`-k gevent`) puts the socket in
`gunicorn.socket` and, when the application raises StopIteration, writes nothing and
closes the connection (gunicorn 27.0.1; simple-websocket relies on the same).
"""

import base64
import hashlib
import socket
import threading

from app.realtime.transport.checking import CheckedReading, sender
from app.realtime.transport.frames import NORMAL_CLOSURE, close_frame, websocket_frame

# Where gevent_server.py's connection handler puts the connection's socket in the environ, and
# what to call once the WebSocket is over: the server must then read nothing more of it as
# HTTP (a refused frame's unread bytes, still in the kernel after the shutdown, were taken
# for a request line and answered 400 into the closed socket, with a BrokenPipeError traceback).
SOCKET = "tableside.socket"
OVER = "tableside.websocket_over"
# RFC 6455 section 1.3: the key's answer is the SHA-1 of the key and this, in base64.
HANDSHAKE_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


# Where gunicorn's gevent worker (`gunicorn -k gevent`, which parses HTTP itself) puts it.
GUNICORN_SOCKET = "gunicorn.socket"


def _socket_of(environ: dict):
    sock = environ.get(SOCKET) or environ.get(GUNICORN_SOCKET) or environ.get("gunicorn.sock")
    if sock is None:
        reader = environ.get("wsgi.input")
        sock = getattr(getattr(reader, "raw", None), "_sock", None)
    return sock


def _nothing() -> None:
    pass


def _accept_key(environ: dict) -> bytes | None:
    """The Sec-WebSocket-Accept for a valid RFC 6455 handshake (version 13, a 16-byte key), else None."""
    key = environ.get("HTTP_SEC_WEBSOCKET_KEY", "").strip().encode()
    try:
        valid = len(base64.b64decode(key, validate=True)) == 16
    except ValueError:
        valid = False
    if not valid or environ.get("HTTP_SEC_WEBSOCKET_VERSION", "").strip() != "13":
        return None
    return base64.b64encode(hashlib.sha1(key + HANDSHAKE_GUID).digest())  # noqa: S324 - the RFC's hash


class CheckedGeventWebSocket(CheckedReading):
    """python-engineio's WebSocket endpoint under gevent (its driver table's `websocket`): one per socket.

    python-engineio calls it with the request, and it calls python-engineio's handler with
    itself as the WebSocket, whose `wait`, `send` and `close` python-engineio uses.
    """

    def __init__(self, handler, server) -> None:
        self.handler = handler
        self.limit = server.max_http_buffer_size
        # engine.io makes one endpoint per socket, handing it the socket's bound `_websocket_handler`.
        self.sid = handler.__self__.sid
        self.sending = threading.Lock()  # green under gevent's patching
        self.closed = False
        self.hung_up = False
        # python-engineio sets a timeout (ping interval + ping timeout) on `socket`, as on eventlet's.
        self.socket = None
        self.environ: dict = {}

    def __call__(self, environ, start_response):
        sock, accept = _socket_of(environ), _accept_key(environ)
        if sock is None or accept is None:
            start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Connection", "close")])
            return [b"Bad WebSocket handshake"]
        self.socket, self.environ = sock, environ
        self.write = sender(sock, self.sending)
        self._read_through(self.limit, self.write)
        self.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        try:
            self.handler(self)
        finally:
            self._hang_up()
            environ.get(OVER, _nothing)()
        if GUNICORN_SOCKET in environ:
            # gunicorn's worker then writes no response and closes the connection (as with simple-websocket).
            raise StopIteration
        return []

    def send(self, message: str | bytes) -> None:
        """One message to the client, in one frame."""
        if self.closed:
            raise OSError("the WebSocket is closed")
        self.write(websocket_frame(message))

    def close(self) -> None:
        """python-engineio's writer is done: the close frame (with the code the link ended for), then the end."""
        if self.closed:
            return
        self.closed = True
        try:
            self.write(close_frame(self.answer or NORMAL_CLOSURE))
        except OSError:
            pass
        self._hang_up()

    def _over(self) -> bool:
        return self.hung_up

    def _hang_up(self) -> None:
        # The reader (waiting in `recv`) wakes and python-engineio's handler returns; gevent's
        # WSGI server, which still holds the socket, then reads no more of it as HTTP.
        if self.hung_up:
            return
        self.hung_up = True
        shut(self.socket, socket.SHUT_RDWR)


def shut(sock, how: int) -> None:
    """End one or both directions of a connection; one that is closed or gone already needs nothing more."""
    try:
        sock.shutdown(how)
    except (AttributeError, OSError):
        pass


def install(eio) -> None:
    """Serve this engine.io server's WebSockets through CheckedGeventWebSocket."""
    eio._async = dict(eio._async, websocket=CheckedGeventWebSocket)
