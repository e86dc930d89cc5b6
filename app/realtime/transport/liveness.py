"""One greenthread per process that pings every WebSocket-first socket and closes the silent.

python-engineio sleeps a greenthread per socket between pings and walks every socket from
a service task with a sleep per socket; 5,000 sockets made that 5,000 timers a second.
Here sockets wait in one queue, in the order their pongs came (the interval is the same
for all), and a sweep once a second closes those whose pong is late.

A pong is late only if it is not waiting unread on the socket. While the process is busy (a
reconnect storm: thousands of handshakes at once) pongs wait in the kernel until the hub
gets round to reading them; closing those sockets for a "ping timeout" dropped clients that
were answering, which reconnected into the same queue (issue 15).
"""

import logging
import socket
import time
from collections import deque

from engineio import packet

from app.realtime.transport.wires import wire_of

log = logging.getLogger(__name__)
SWEEP_SECONDS = 1.0
PING = packet.Packet(packet.PING)
DATA, END, NOTHING = "data", "end", "nothing"


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

    def still_there(self, eio_socket) -> bool:
        """engine.io's `check_ping_timeout`, unless the late pong is already here, waiting to be read."""
        if self.pong_late(eio_socket) and _waiting(eio_socket) == DATA:
            return True
        return eio_socket.check_ping_timeout()

    def pong_late(self, eio_socket) -> bool:
        """A ping went out longer than the ping timeout ago and its pong has not been read."""
        last_ping = eio_socket.last_ping
        return bool(last_ping) and time.time() - last_ping > self.eio.ping_timeout

    def gone(self, eio_socket) -> bool:
        """The client hung up (its end of stream waits unread) or stopped answering pings."""
        if eio_socket.closed or eio_socket.closing:
            return True
        waiting = _waiting(eio_socket)
        return waiting == END or (waiting == NOTHING and self.pong_late(eio_socket))

    def run(self) -> None:
        swept = time.monotonic()
        while True:
            now = time.monotonic()
            self._ping_due(now)
            if now - swept >= SWEEP_SECONDS:
                self._sweep()
                swept = now
            wait = self.due[0][0] - now if self.due else SWEEP_SECONDS
            self.eio.sleep(min(max(wait, 0.01), SWEEP_SECONDS))

    def _ping_due(self, now: float) -> None:
        # A method of its own so that no local keeps the last socket alive while run() sleeps.
        while self.due and self.due[0][0] <= now:
            _, eio_socket = self.due.popleft()
            if not eio_socket.closing and not eio_socket.closed:
                eio_socket.last_ping = time.time()
                eio_socket.send(PING)

    def _sweep(self) -> None:
        """What engine.io's service task does, in one pass: close the silent, forget the closed."""
        sockets = self.eio.sockets
        for sid, eio_socket in list(sockets.items()):
            if eio_socket.closed:
                sockets.pop(sid, None)
            elif not eio_socket.closing:
                try:
                    self.still_there(eio_socket)
                except Exception:  # noqa: BLE001 - one socket's close must not stop the others'
                    log.exception("closing a silent socket failed")


def _waiting(eio_socket) -> str:
    """What the client sent that the process has not read yet: DATA, its END of stream, or NOTHING."""
    wire = wire_of(eio_socket)
    if wire is None:
        return NOTHING
    try:
        return DATA if wire.raw.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) else END
    except BlockingIOError:
        return NOTHING
    except OSError:
        return END
