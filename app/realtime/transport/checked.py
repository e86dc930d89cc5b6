"""eventlet's WebSocket endpoint with each client frame read and checked by FrameReader.

eventlet's own reader lets through what RFC 6455 forbids: RSV2 and RSV3 set, text whose bad
UTF-8 sits in a fragment, messages over the size limit when fragmented, close reasons that
are not UTF-8 (answered 1002, not 1007), and handshakes of the 2010 draft protocol. Here the
sockets python-engineio serves itself (every socket with DIRECT_WEBSOCKET_WRITES=0, and
sockets that upgrade from long-polling in either mode) read through app/realtime/transport/frames.py,
like the direct wire's, by the loop gevent's endpoint shares (checking.py). python-engineio
decodes each message outside its error handling, so a message that is no Engine.IO packet
is stopped there, quietly, before it sees it.
"""

from engineio.async_drivers.eventlet import WebSocketWSGI
from eventlet.websocket import RFC6455WebSocket

from app.realtime.transport.checking import CheckedReading, sender


class CheckedWebSocket(CheckedReading, RFC6455WebSocket):
    """One WebSocket whose incoming frames go through FrameReader (checking.py)."""

    def __init__(self, ws: RFC6455WebSocket, limit: int, sid: str) -> None:
        super().__init__(ws.socket, ws.environ, ws.version, protocol=ws.protocol, max_frame_length=limit)
        # eventlet's frame iterators (never used here) hold their WebSocket: reference cycles.
        ws.iterator = self.iterator = None
        self._read_through(limit, sender(self.socket, self._sendlock))
        self.sid = sid

    def _over(self) -> bool:
        return self.websocket_closed

    def _send_closing_frame(self, ignore_send_errors=False, close_data=None) -> None:
        # python-engineio's writer closes the socket once the packets before the end are sent.
        super()._send_closing_frame(ignore_send_errors, close_data or (self.answer and (self.answer, "")))


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
