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
- what the server answers a socket's own message is gathered and written together
  (`gather`): a returning screen's connect, join and sync were answered in five frames,
  each a `send(2)` that woke the client, and in a reconnect storm those wake-ups cost more
  than the rest of the answer (issue 15). Gathered frames go out when the reader's batch
  ends or, at the latest, when the hub's turn ends: an answer waits for nothing else;
- a reader that stops reading gets at most MAX_SOCKET_BACKLOG_BYTES held for it, then
  its connection is cut: it reconnects and syncs, like any client that lost its link;
- a broadcast goes through `fan_out`: per socket, a lookup and a write of the one frame;
- one `Liveness` greenthread per process sends every ping and closes sockets whose pong
  is late, instead of a sleeping greenthread per socket and engine.io's service task
  (app/realtime/transport/liveness.py);
- after the handshake eventlet's HTTP server lets go of the socket (handoff.py), and it is
  read only when it has bytes, with no greenthread waiting on it (reading.py, frames.py).

Sockets that start on long-polling (and then upgrade) keep python-engineio's own path.
"""

import errno
import logging
import socket

from engineio import packet
from eventlet.hubs import get_hub

from app.realtime import metrics
from app.realtime.transport.checked import CheckedWebSocketWSGI
from app.realtime.transport.frames import NORMAL_CLOSURE, FrameReader, close_frame, websocket_frame
from app.realtime.transport.handoff import take_over
from app.realtime.transport.liveness import Liveness
from app.realtime.transport.reading import Reading
from app.realtime.transport.wires import Settings, configure, count, forget, keep, settings_of, wire_by_sid

log = logging.getLogger(__name__)


def frame_of(pkt: packet.Packet) -> bytes:
    """The packet's frame, encoded on its first use only."""
    frame = pkt.__dict__.get("wire_frame")
    if frame is None:
        frame = pkt.wire_frame = websocket_frame(pkt.encode())
    return frame


class Wire:
    """The sending side of one WebSocket: direct writes, then an ordered backlog."""

    def __init__(self, sock, spawn, max_backlog: int) -> None:
        self.green = sock
        self.raw = sock.fd
        self.spawn = spawn
        self.max_backlog = max_backlog
        self.allowance = max_backlog
        self.backlog = bytearray()
        self.draining = False
        self.broken = False
        # While gathering, frames collect here instead of going out one by one (b"" until the first).
        self.gathered: bytes | None = None

    def gather(self) -> None:
        """Collect what is written from now on, until `release` or the end of the hub's turn."""
        if self.gathered is None:
            self.gathered = b""

    def release(self) -> None:
        """Write what was gathered, in one `send(2)`, and write directly again."""
        gathered, self.gathered = self.gathered, None
        if gathered:
            self.write(gathered)

    def write(self, frame: bytes) -> None:
        if self.broken:
            return
        if self.gathered is not None:
            if not self.gathered:
                # Released when this turn of the hub ends, if nobody releases it sooner: the
                # greenthread that gathers has written its answer by then, or is waiting.
                get_hub().schedule_call_global(0, self.release)
            self.gathered += frame
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

    def hang_up(self, code: int = NORMAL_CLOSURE) -> None:
        """End the link: a close frame if the link still works and nothing waits, then close the socket."""
        self.release()
        if not self.broken and not self.draining:
            self.write(close_frame(code))
        self.broken = True
        self.backlog.clear()
        if self.green.fileno() != -1:
            self.green.close()

    def cut(self) -> None:
        """Give up on this link; its reader sees the end and closes the socket."""
        self.broken = True
        self.backlog.clear()
        self.gathered = None
        try:
            self.raw.shutdown(2)
        except OSError as error:
            if error.errno not in (errno.ENOTCONN, errno.EBADF):
                log.info("shutting a socket down failed: %s", error)


class _WireQueue:
    """engine.io's per-socket queue, for a socket whose packets all go straight to its wire.

    engine.io puts None here to stop a writer this socket does not have. A packet put here
    came by a path `_hand_over` did not replace (an engine.io change): it still goes out,
    and the log says so once, rather than vanishing.
    """

    __slots__ = ("wire",)
    warned = False

    def __init__(self, wire: "Wire") -> None:
        self.wire = wire

    def put(self, item) -> None:
        if item is None:
            return
        if not _WireQueue.warned:
            _WireQueue.warned = True
            log.warning("engine.io queued a packet past the wire's send; writing it directly (check its internals)")
        self.wire.write(frame_of(item))

    def join(self) -> None:
        pass

    def empty(self) -> bool:
        return True


class DirectWebSocket(CheckedWebSocketWSGI):
    """engine.io's eventlet WebSocket endpoint, serving WebSocket-first sockets over a Wire."""

    def __call__(self, environ, start_response):
        eio_socket = self.handler.__self__
        if not eio_socket.connected:

            def handler(ws) -> None:
                if take_over(environ, ws):
                    serve(eio_socket, ws.socket)
                else:
                    serve(eio_socket, ws.socket).ended.wait()

            self.handler = handler
        return super().__call__(environ, start_response)


def serve(eio_socket, sock) -> Reading:
    """Serve one WebSocket-first connection: sends over a Wire, reads whenever bytes arrive."""
    server = eio_socket.server
    settings = settings_of(server)
    wire = Wire(sock, server.start_background_task, settings.max_backlog)
    # Every write is a whole answer (gathered) or a broadcast: nothing is left for Nagle's
    # algorithm to merge, only frames to hold back until the client acknowledges the last
    # (Node's server sets no-delay too).
    wire.raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if settings.send_buffer:
        wire.raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, settings.send_buffer)
    eio_socket.connected = eio_socket.upgraded = True
    reading = Reading(eio_socket, sock, FrameReader(server.max_http_buffer_size, wire.write), wire)
    _hand_over(eio_socket, wire, reading)
    return reading


def _hand_over(eio_socket, wire: Wire, reading: Reading) -> None:
    """Route this socket's sends to the wire, after the packets queued before it existed."""
    queued = eio_socket.queue
    while not queued.empty():
        pkt = queued.get_nowait()
        queued.task_done()
        if pkt is not None:
            wire.write(frame_of(pkt))

    liveness = settings_of(eio_socket.server).liveness

    def send(pkt) -> None:
        if liveness.still_there(eio_socket):
            wire.write(frame_of(pkt))

    close = eio_socket.close

    def close_and_hang_up(wait=True, abort=False, reason=None) -> None:
        # Nobody reads the queue any more, so nobody could be waited for.
        close(wait=False, abort=abort, reason=reason)
        reading.stop()
        wire.hang_up()
        _let_go(eio_socket)

    keep(eio_socket, wire)
    eio_socket.queue = _WireQueue(wire)
    eio_socket.send = send
    eio_socket.close = close_and_hang_up
    eio_socket.schedule_ping = lambda: liveness.schedule(eio_socket)


def _let_go(eio_socket) -> None:
    """Drop what _hand_over gave a closed socket: its closures refer back to it.

    Freed by reference counting the moment it closes, a socket never waits for a full garbage
    collection, which app/serve.py makes rare (it freezes what survives one).
    """
    forget(eio_socket)
    for name in ("send", "close", "schedule_ping"):
        eio_socket.__dict__.pop(name, None)


def fan_out(eio, eio_sids, pkt: packet.Packet) -> None:
    """Send one packet to many sockets: each wire gets the one frame; any other socket, engine.io's send.

    A broadcast's inner loop. Sockets whose pong is late are left to the liveness sweep.
    """
    frame = frame_of(pkt)
    sockets = eio.sockets
    for eio_sid in eio_sids:
        eio_socket = sockets.get(eio_sid)
        if eio_socket is None or eio_socket.closed:
            continue
        wire = wire_by_sid(eio_sid)
        if wire is not None:
            wire.write(frame)
        else:
            eio_socket.send(pkt)


def install(eio, max_backlog: int, send_buffer: int = 0) -> None:
    """Serve this engine.io server's WebSocket-first sockets over wires, with one pinger."""
    liveness = Liveness(eio)
    eio._async = dict(eio._async, websocket=DirectWebSocket)
    eio.start_service_task = False
    configure(eio, Settings(liveness, max_backlog, send_buffer))
    metrics.read_wires_with(count)
    eio.start_background_task(liveness.run)
