"""A client's WebSocket messages read through FrameReader by the greenthread that waits for them.

Shared by the two endpoints python-engineio serves itself, eventlet's (checked.py) and
gevent's (green_websocket.py): python-engineio calls `wait` for each message, and its writer
calls the endpoint's `close` once the packets before the end are sent. A frame breaking
RFC 6455, a message that is no Engine.IO packet (python-engineio decodes messages outside
its error handling) and the client's close frame all end the link the same way: once the
events the client sent before are answered (answers.py), with the close code the reason
calls for.
"""

import logging

from app.realtime.transport.answers import UNANSWERED
from app.realtime.transport.frames import POLICY_VIOLATION, FrameReader, ProtocolError
from app.realtime.transport.garbage import engineio_packet

log = logging.getLogger(__name__)
READ_SIZE = 16384


def sender(sock, lock):
    """Writes whole frames to `sock` under `lock`, without holding the WebSocket itself.

    A FrameReader whose `reply` were a method of its WebSocket would make a reference cycle
    with it: after the collector froze it, a closed socket stayed until the next thaw."""

    def send(frame: bytes) -> None:
        with lock:
            sock.sendall(frame)

    return send


class CheckedReading:
    """What an endpoint reads with; it provides `socket`, `environ`, `sid` and `_over()` (the link ended)."""

    def _read_through(self, limit: int, send) -> None:
        """Read this link's frames through a FrameReader of messages up to `limit` bytes; `send` writes its pongs."""
        self.frames = FrameReader(limit, send)
        self.arrived = iter(())
        # The close code to answer with, once the link is to end.
        self.answer: int | None = None

    def wait(self) -> str | bytes | None:
        """The next message, or None once the link is over (the close frame then waits for `close`)."""
        while self.answer is None and not self._over():
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
        self.answer = code

    def _over(self) -> bool:
        raise NotImplementedError
