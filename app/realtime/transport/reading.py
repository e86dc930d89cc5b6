"""Reading a WebSocket only when it has bytes, without a greenthread waiting on each socket.

A greenthread blocked in `recv` keeps its stack and Python frames for the socket's life:
several KiB for each of thousands of idle sockets. Instead the socket is registered with
eventlet's hub; when it becomes readable a short greenthread reads what is there, hands
each whole message to engine.io, writes what was answered meanwhile in one go, and ends.
"""

import logging

import eventlet
from engineio import exceptions
from eventlet.event import Event
from eventlet.hubs import get_hub

from app.realtime.transport.answers import UNANSWERED
from app.realtime.transport.checking import READ_SIZE
from app.realtime.transport.frames import POLICY_VIOLATION, ProtocolError
from app.realtime.transport.garbage import engineio_packet

log = logging.getLogger(__name__)


def _unused(*_args) -> None:
    pass


class Reading:
    """The receiving side of one WebSocket; `ended` is sent once, when the link is over."""

    def __init__(self, eio_socket, sock, frames, wire) -> None:
        self.eio_socket = eio_socket
        self.raw = sock.fd
        self.frames = frames
        self.wire = wire
        self.busy = False
        self.ended = Event()
        hub = get_hub()
        self.listener = hub.add(hub.READ, sock.fileno(), self._readable, self._lost, _unused)

    def _readable(self, _fileno) -> None:
        # Called by the hub, which must never block: the reading happens on a greenthread.
        if not self.busy:
            self.busy = True
            eventlet.spawn_n(self._read)

    def _lost(self, _error) -> None:
        eventlet.spawn_n(self._end)

    def _read(self) -> None:
        try:
            self._take(self.raw.recv(READ_SIZE))
        except BlockingIOError:
            pass
        except OSError:
            self._end()
        finally:
            self.busy = False

    def _take(self, data: bytes) -> None:
        if not data:
            self._end()
            return
        # What this batch is answered with here (a handshake's replies) goes out together.
        self.wire.gather()
        try:
            for message in self.frames.feed(data):
                pkt = engineio_packet(message, self.eio_socket.sid)
                if pkt is None:
                    self._close_with(POLICY_VIOLATION)
                    return
                try:
                    self.eio_socket.receive(pkt)
                except exceptions.UnknownPacketError:
                    continue
        except ProtocolError as error:
            log.info("socket %s broke the WebSocket protocol: %s", self.eio_socket.sid, error)
            self._close_with(error.code)
        except exceptions.SocketIsClosedError:
            self._end()
        except Exception:  # noqa: BLE001 - a handler's failure closes its link, never the server
            log.exception("socket %s: receiving failed", self.eio_socket.sid)
            self._end()
        else:
            if self.frames.closed:
                # The client's close frame, answered with its own code.
                self._close_with(self.frames.close_code)
        finally:
            self.wire.release()

    def _close_with(self, code: int) -> None:
        """End the link with a close frame carrying `code`, after the answers to what the client sent before."""
        UNANSWERED.settle(self.eio_socket.sid)
        self.stop()
        self.wire.hang_up(code)
        self._end()

    def _end(self) -> None:
        """The client left, broke the rules or the link failed: close the socket the engine.io way."""
        self.eio_socket.close(wait=False, abort=True, reason=self.eio_socket.server.reason.TRANSPORT_CLOSE)
        self.stop()
        self.wire.hang_up()

    def stop(self) -> None:
        """Stop listening (before the socket is closed, so its number can be reused safely)."""
        if self.ended.ready():
            return
        get_hub().remove(self.listener)
        # The hub's listener calls back into this object: a cycle, freed late (see wire._let_go).
        self.listener = None
        self.ended.send(True)
