"""eventlet's WebSocket endpoint with each client frame read and checked by FrameReader.

eventlet's own reader lets through what RFC 6455 forbids: RSV2 and RSV3 set, text whose bad
UTF-8 sits in a fragment, messages over the size limit when fragmented, close reasons that
are not UTF-8 (answered 1002, not 1007), and handshakes of the 2010 draft protocol. Here the
sockets python-engineio serves itself (every socket with DIRECT_WEBSOCKET_WRITES=0, and
sockets that upgrade from long-polling in either mode) read through app/realtime/transport/frames.py,
like the direct wire's. python-engineio decodes each message outside its error handling, so
a message that is no Engine.IO packet is stopped here, quietly, before it sees it.
"""

import logging

from engineio.async_drivers.eventlet import WebSocketWSGI
from eventlet.websocket import RFC6455WebSocket

from app.realtime.transport.answers import UNANSWERED
from app.realtime.transport.frames import POLICY_VIOLATION, FrameReader, ProtocolError
from app.realtime.transport.garbage import engineio_packet
from app.realtime.transport.reading import READ_SIZE

log = logging.getLogger(__name__)


def _sender(sock, lock):
    """Writes whole frames under the WebSocket's send lock, without holding the WebSocket itself."""

    def send(frame: bytes) -> None:
        with lock:
            sock.sendall(frame)

    return send


class CheckedWebSocket(RFC6455WebSocket):
    """One WebSocket whose incoming frames go through FrameReader; it answers with `answer` when it closes."""

    def __init__(self, ws: RFC6455WebSocket, limit: int, sid: str) -> None:
        super().__init__(ws.socket, ws.environ, ws.version, protocol=ws.protocol, max_frame_length=limit)
        # eventlet's frame iterators (never used here) hold their WebSocket: reference cycles.
        ws.iterator = self.iterator = None
        self.frames = FrameReader(limit, _sender(self.socket, self._sendlock))
        self.arrived = iter(())
        self.answer: tuple[int, str] | None = None
        self.sid = sid

    def wait(self) -> str | bytes | None:
        """The next message, or None once the link is over (the close frame then waits for `close`)."""
        while self.answer is None and not self.websocket_closed:
            try:
                message = next(self.arrived, None)
            except ProtocolError as error:
                log.info("a socket broke the WebSocket protocol: %s", error)
                self._end_with(error.code)
                break
            if message is not None:
                if engineio_packet(message, self.environ.get("REMOTE_ADDR")) is None:
                    self._end_with(POLICY_VIOLATION)
                    break
                return message
            if self.frames.closed:
                self._end_with(self.frames.close_code)
                break
            data = self.socket.recv(READ_SIZE)
            if not data:
                break
            self.arrived = self.frames.feed(data)
        return None

    def _end_with(self, code: int) -> None:
        """Close with `code` once what the client sent before is answered (engine.io's writer sends the close last)."""
        UNANSWERED.settle(self.sid)
        self.answer = (code, "")

    def _send_closing_frame(self, ignore_send_errors=False, close_data=None) -> None:
        # python-engineio's writer closes the socket once the packets before the end are sent.
        super()._send_closing_frame(ignore_send_errors, close_data or self.answer)


class CheckedWebSocketWSGI(WebSocketWSGI):
    """python-engineio's eventlet WebSocket endpoint: RFC 6455 only, no extension, frames read by FrameReader."""

    def __init__(self, handler, server) -> None:
        super().__init__(handler, server)
        self.support_legacy_versions = False
        # engine.io makes one endpoint per socket, handing it the socket's bound `_websocket_handler`.
        self.sid = handler.__self__.sid

    def __call__(self, environ, start_response):
        # Extensions are never agreed, so a reserved bit set in a frame is always an error.
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return super().__call__(environ, start_response)

    def _handle_hybi_request(self, environ) -> CheckedWebSocket:
        return CheckedWebSocket(super()._handle_hybi_request(environ), self.max_frame_length, self.sid)


def install(eio) -> None:
    """Serve this engine.io server's WebSockets through CheckedWebSocketWSGI."""
    eio._async = dict(eio._async, websocket=CheckedWebSocketWSGI)
