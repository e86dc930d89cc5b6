"""eventlet's HTTP server as Tableside runs it: one owner per port, an accept loop that never
gives up, and request heads that must arrive in time.

- `PatientListener` wraps the listening socket for eventlet.wsgi.server, whose loop ends on the
  first accept error it does not expect (EMFILE at the open-file limit, ENOBUFS, ENOMEM, even
  ECONNRESET): here accept errors are logged, waited out, and accepting goes on (accepting.py,
  as gevent's server does too).
- `PatientListener` also takes at most ACCEPTS_PER_TURN connections per turn of eventlet's hub.
  A green accept returns at once while connections wait, so after a restart the server loop
  took thousands in one go and their handshakes all ran in the same turn: the pinger waited
  seconds for its turn, clients gave up for want of pings and reconnected into the same queue
  (issue 15). Paced, the waiting clients wait in the kernel's accept queue, costing nothing,
  and every turn still pings and reads the sockets already open.
- `TimedProtocol` drops a connection that does not send its request line within
  KEEPALIVE_IDLE_SECONDS of opening (or of its previous response), or its headers within
  REQUEST_HEADER_TIMEOUT_SECONDS after that: unfinished heads cannot hold the pool's places.
  Bodies have their deadline in app/request_body.py, which reads them before the app runs;
  it calls the environ's HANG_UP when the connection must end with its answer (a body too
  slow or too large), so that eventlet neither keeps the connection nor reads the rest of
  the body, for as long as the client likes, to reuse it.

eventlet internals used (checked at eventlet 0.41.3): `HttpProtocol._read_request_line`, the
method that waits for and reads a request line; `close_connection`, which when set before the
answer is written makes it say `Connection: close`, skips reading the rest of an unread body
and ends the connection after it; and the fact that `eventlet.wsgi.server` calls only
`accept`, `getsockname`, `close` and `family` on the listening socket.
"""

import eventlet
import eventlet.wsgi

from app.async_mode import before_deadline
from app.realtime.transport.accepting import Backoff
from app.request_body import HANG_UP

ACCEPTS_PER_TURN = 8


class PatientListener:
    """The listening socket, as eventlet.wsgi.server sees it: `accept` returns a connection or waits."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.closing = False
        self.family = sock.family
        self.taken_this_turn = 0

    def accept(self):
        self.taken_this_turn += 1
        if self.taken_this_turn > ACCEPTS_PER_TURN:
            self.taken_this_turn = 1
            eventlet.sleep(0)  # the rest of the hub's turn first: pings, reads, handshakes begun
        backoff = Backoff()
        while True:
            try:
                return self.sock.accept()
            except OSError as error:
                if self.closing:
                    raise
                wait = backoff.failed(error)
                if wait is not None:
                    eventlet.sleep(wait)

    def getsockname(self):
        return self.sock.getsockname()

    def close(self) -> None:
        """Stop accepting for good (the drain): the waiting accept ends with an error."""
        self.closing = True
        self.sock.close()


class TimedProtocol(eventlet.wsgi.HttpProtocol):
    """eventlet's HTTP connection handler, with deadlines for the request line and the headers."""

    idle_seconds = 30.0
    head_seconds = 10.0

    def _read_request_line(self):
        line = before_deadline(eventlet.Timeout, self.idle_seconds, super()._read_request_line)
        if line is None:
            self.close_connection = 1
            return ""
        return line

    def parse_request(self):
        parsed = before_deadline(eventlet.Timeout, self.head_seconds, super().parse_request)
        if parsed is None:
            self.close_connection = 1
            return False
        return parsed

    def get_environ(self):
        environ = super().get_environ()
        environ[HANG_UP] = self._hang_up
        return environ

    def _hang_up(self) -> None:
        self.close_connection = 1


def with_deadlines(protocol: type[TimedProtocol], idle_seconds: float, head_seconds: float) -> type[TimedProtocol]:
    """`protocol` with this process's deadlines for request lines and headers."""
    return type(protocol.__name__, (protocol,), {"idle_seconds": idle_seconds, "head_seconds": head_seconds})
