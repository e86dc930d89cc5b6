"""Writing Engine.IO packets straight to WebSockets, under eventlet.

python-engineio gives every WebSocket a queue and a writer greenthread, and every ping a
greenthread of its own: a broadcast to 1,000 sockets costs 1,000 queue puts, 1,000 hub
switches and 1,000 frame encodings, and 5,000 idle sockets cost 2,500 timers a second.
Here a socket that connected WebSocket-first gets a `Wire` instead:

- a packet is framed once, whoever it goes to (the frame is kept on the packet, and
  python-socketio builds one packet per broadcast); permessage-deflate is not offered,
  as socket.io's Node server does not offer it by default, so every socket takes the
  same bytes;
- `send` writes the frame with one non-blocking `send(2)`; only what the kernel did not
  take waits, in arrival order, for a drainer greenthread that runs while it has bytes;
- a reader that stops reading gets at most MAX_SOCKET_BACKLOG_BYTES held for it, then
  its connection is cut: it reconnects and syncs, like any client that lost its link;
- one `Liveness` greenthread per process sends every ping and closes sockets whose pong
  is late, instead of a sleeping greenthread per socket and engine.io's service task.

Sockets that start on long-polling (and then upgrade) keep python-engineio's own path.
"""

import errno
import logging
import socket
import time
from collections import deque

from engineio import exceptions, packet
from engineio.async_drivers.eventlet import WebSocketWSGI

from app.realtime import metrics
from app.realtime.frames import FrameReader, ProtocolError, close_frame, websocket_frame

log = logging.getLogger(__name__)

SWEEP_SECONDS = 1.0
PING = packet.Packet(packet.PING)


def frame_of(pkt: packet.Packet) -> bytes:
    """The packet's frame, encoded on its first use only."""
    frame = pkt.__dict__.get("wire_frame")
    if frame is None:
        frame = pkt.wire_frame = websocket_frame(pkt.encode())
    return frame


class Wire:
    """The sending side of one WebSocket: direct writes, then an ordered backlog."""

    def __init__(self, ws, spawn, max_backlog: int) -> None:
        self.green = ws.socket
        self.raw = ws.socket.fd
        self.spawn = spawn
        self.max_backlog = max_backlog
        self.allowance = max_backlog
        self.backlog = bytearray()
        self.draining = False
        self.broken = False

    def write(self, frame: bytes) -> None:
        if self.broken:
            return
        if self.draining:
            self._hold(frame)
            return
        try:
            sent = self.raw.send(frame)
        except BlockingIOError:
            sent = 0
        except OSError:
            self.cut()
            return
        if sent < len(frame):
            metrics.socket_backlogged()
            self.draining = True
            self._hold(frame[sent:])
            self.spawn(self._drain)

    def _hold(self, data: bytes) -> None:
        # The frame that starts a backlog is held whatever its size (a sync reply can be large);
        # what follows it only up to the limit.
        if not self.backlog:
            self.allowance = len(data) + self.max_backlog
        elif len(self.backlog) + len(data) > self.allowance:
            log.info("a socket fell %d bytes behind; cutting it so it reconnects and syncs", len(self.backlog))
            metrics.slow_socket_cut()
            self.cut()
            return
        self.backlog += data

    def _drain(self) -> None:
        try:
            while self.backlog and not self.broken:
                chunk = bytes(self.backlog)
                del self.backlog[:]
                self.green.sendall(chunk)
        except OSError:
            self.cut()
        finally:
            self.draining = False

    def cut(self) -> None:
        """Give up on this link; its reader wakes with an error and closes the socket."""
        self.broken = True
        self.backlog.clear()
        try:
            self.raw.shutdown(2)
        except OSError as error:
            if error.errno not in (errno.ENOTCONN, errno.EBADF):
                log.info("shutting a socket down failed: %s", error)


class Liveness:
    """Every ping of this process, and the closing of sockets that stopped answering."""

    def __init__(self, eio) -> None:
        self.eio = eio
        self.due: deque = deque()

    def schedule(self, eio_socket) -> None:
        """Ping this socket one interval from now (engine.io's `schedule_ping`)."""
        if not eio_socket.last_ping:
            return
        eio_socket.last_ping = None
        self.due.append((time.monotonic() + self.eio.ping_interval, eio_socket))

    def run(self) -> None:
        swept = time.monotonic()
        while True:
            now = time.monotonic()
            while self.due and self.due[0][0] <= now:
                _, eio_socket = self.due.popleft()
                if not eio_socket.closing and not eio_socket.closed:
                    eio_socket.last_ping = time.time()
                    eio_socket.send(PING)
            if now - swept >= SWEEP_SECONDS:
                self._sweep()
                swept = now
            wait = self.due[0][0] - now if self.due else SWEEP_SECONDS
            self.eio.sleep(min(max(wait, 0.01), SWEEP_SECONDS))

    def _sweep(self) -> None:
        """What engine.io's service task does, in one pass: close the silent, forget the closed."""
        sockets = self.eio.sockets
        for sid, eio_socket in list(sockets.items()):
            if eio_socket.closed:
                sockets.pop(sid, None)
            elif not eio_socket.closing:
                try:
                    eio_socket.check_ping_timeout()
                except Exception:  # noqa: BLE001 - one socket's close must not stop the others'
                    log.exception("closing a silent socket failed")


class DirectWebSocket(WebSocketWSGI):
    """engine.io's eventlet WebSocket endpoint, serving WebSocket-first sockets over a Wire."""

    def __call__(self, environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        eio_socket = self.handler.__self__
        if not eio_socket.connected:
            self.handler = lambda ws: serve(eio_socket, ws)
        return super().__call__(environ, start_response)


def serve(eio_socket, ws) -> list:
    """Run one WebSocket-first connection: send over a Wire, read until the link ends."""
    server = eio_socket.server
    wire = Wire(ws, server.start_background_task, server.wire_max_backlog)
    if server.wire_send_buffer:
        wire.raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, server.wire_send_buffer)
    eio_socket.connected = eio_socket.upgraded = True
    _hand_over(eio_socket, wire, ws)
    reader = FrameReader(ws.socket, server.max_http_buffer_size, wire.write)
    try:
        for data in reader.messages():
            try:
                eio_socket.receive(packet.Packet(encoded_packet=data))
            except exceptions.UnknownPacketError:
                continue
    except ProtocolError as error:
        log.info("socket %s broke the WebSocket protocol: %s", eio_socket.sid, error)
        wire.write(close_frame(error.code))
        ws.websocket_closed = True
    except (OSError, exceptions.SocketIsClosedError):
        pass  # the link ended
    except Exception:  # noqa: BLE001 - a handler's failure closes its link, never the server
        log.exception("socket %s: receiving failed", eio_socket.sid)
    eio_socket.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
    return []


def _hand_over(eio_socket, wire: Wire, ws) -> None:
    """Route this socket's sends to the wire, after the packets queued before it existed."""
    queued = eio_socket.queue
    while not queued.empty():
        pkt = queued.get_nowait()
        queued.task_done()
        if pkt is not None:
            wire.write(frame_of(pkt))

    def send(pkt) -> None:
        if eio_socket.check_ping_timeout():
            wire.write(frame_of(pkt))

    close = eio_socket.close

    def close_and_hang_up(wait=True, abort=False, reason=None) -> None:
        # Nobody reads the queue any more, so nobody could be waited for.
        close(wait=False, abort=abort, reason=reason)
        if wire.broken:
            return
        if wire.draining:
            wire.cut()
        else:
            wire.broken = True
            ws.close()

    liveness = eio_socket.server.wire_liveness
    eio_socket.send = send
    eio_socket.close = close_and_hang_up
    eio_socket.schedule_ping = lambda: liveness.schedule(eio_socket)


def install(eio, max_backlog: int, send_buffer: int = 0) -> None:
    """Serve this engine.io server's WebSocket-first sockets over wires, with one pinger."""
    liveness = Liveness(eio)
    eio._async = dict(eio._async, websocket=DirectWebSocket)
    eio.start_service_task = False
    eio.wire_liveness = liveness
    eio.wire_max_backlog = max_backlog
    eio.wire_send_buffer = send_buffer
    eio.start_background_task(liveness.run)
