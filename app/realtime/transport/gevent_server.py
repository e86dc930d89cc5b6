"""gevent's HTTP server as Tableside runs it (`python wsgi.py` with ASYNC_MODE=gevent).

gevent's WSGI server (pywsgi), held to the same rules as eventlet's (http_server.py):
- it serves the port app/listening.py bound before the application loaded, so screens that
  reconnect while a process starts wait in its queue instead of being refused;
- when `accept()` fails (EMFILE at the open-file limit, ENOBUFS, ENOMEM) it logs the one line
  eventlet's server logs (accepting.py) and waits before accepting again, where gevent's
  own loop printed a traceback for each failure: about 250 of them as a process at its
  file limit went on being asked for connections;
- a connection that does not send its request line within KEEPALIVE_IDLE_SECONDS of opening
  (or of its previous response), or its headers within REQUEST_HEADER_TIMEOUT_SECONDS after
  that, is dropped without an answer, as under eventlet: unfinished heads cannot hold the
  server's places, and idle kept-alive connections are let go. Bodies have their deadline in
  app/request_body.py, which calls the environ's HANG_UP when the connection must end with
  its answer (a body too slow or too large): the answer then says `Connection: close`, and
  nothing more of the body is read (pywsgi read the rest of an announced body, for as long as
  the client liked, before it ended the connection);
- each connection's socket is in the environ (`gevent_endpoint.SOCKET`), for the WebSocket
  endpoint, which then needs no internals of pywsgi to find it, with a way to end the
  connection once its WebSocket is over (`gevent_endpoint.OVER`); a WebSocket or a long-poll
  is the application's answer, which no deadline above bounds;
- a drain (app/serve.py) can stop it as eventlet's server stops: `drain` stops accepting
  and closes the port, and shuts every connection waiting for a next request (a request
  already being read or answered goes on; its connection then reads no next one); `stop`
  then waits for the connections' handlers, which are kept in a pool for it.

gevent used (checked at gevent 26.9.0): `pywsgi.WSGIServer(listener, application, log,
handler_class, spawn)` with a listening socket as `listener`, its `do_read` (one accept,
returning the new connection or None), the server's `started`, `start_accepting`,
`stop_accepting`, `start`, `close`, `closed` and `stop(timeout)` (which, with a pool as
`spawn`, joins the pool, then kills what is left), `pool.Pool`, `Timeout`, and
`pywsgi.WSGIHandler`'s `get_environ`, `read_requestline` (reading the request line of each
request on a connection; an empty line ends the connection), `read_request(raw_requestline)`
(reading the headers; a false value is answered 400 and ends the connection),
`handle_one_request` (None ends the connection unanswered), `start_response(status, headers,
exc_info)` (the application's), `socket` and `close_connection` (when set during a response,
no next request is read), and the unread rest of a body being read by `wsgi.input` after the
answer, where the end of the socket's input (`shutdown(SHUT_RD)`) ends it.
"""

import socket
import weakref
from functools import partial

import gevent
from gevent import pywsgi
from gevent.event import Event
from gevent.pool import Pool

from app.async_mode import before_deadline
from app.realtime.transport.accepting import Backoff
from app.realtime.transport.gevent_endpoint import OVER, SOCKET, shut
from app.request_body import HANG_UP


class Handler(pywsgi.WSGIHandler):
    """pywsgi's connection handler, with deadlines for request lines and headers, the connection's socket
    in the environ, and ways to end it."""

    # The request's headers did not come in time: the connection is dropped, unanswered.
    head_late = False
    # The application's answer ends the connection, whose body is left unread (HANG_UP).
    hung_up = False

    def get_environ(self):
        environ = super().get_environ()
        environ[SOCKET] = self.socket
        # Weakly: the environ and its handler in a reference cycle would outlive every request
        # until the collector's next thaw (app/collector.py freezes what survives).
        handler = weakref.ref(self)
        environ[OVER] = partial(_last_response, handler, leave_body=False)
        environ[HANG_UP] = partial(_last_response, handler, leave_body=True)
        return environ

    def read_requestline(self):
        """The next request's line; none once the server is closed (a drain), or when none came within the
        idle deadline, as if the client hung up."""
        if self.server.closed:
            return ""
        self.server.waiting.add(self)
        try:
            line = before_deadline(gevent.Timeout, self.server.idle_seconds, super().read_requestline)
        finally:
            self.server.waiting.discard(self)
        return line if line is not None else ""

    def read_request(self, raw_requestline):
        """The request's headers, read within the head deadline."""
        read = partial(super().read_request, raw_requestline)
        parsed = before_deadline(gevent.Timeout, self.server.head_seconds, read)
        if parsed is None:
            self.head_late = True
            return False
        return parsed

    def handle_one_request(self):
        answered = super().handle_one_request()
        # Late headers are dropped, as eventlet's server drops them, not answered 400.
        return None if self.head_late else answered

    def start_response(self, status, headers, exc_info=None):
        if self.hung_up and not any(name.lower() == "connection" for name, _ in headers):
            headers = [*headers, ("Connection", "close")]
        return super().start_response(status, headers, exc_info)

    def end_after_response(self, leave_body: bool) -> None:
        """Read no next request after this response; with `leave_body`, nothing more of this one's body."""
        self.close_connection = True
        if leave_body:
            self.hung_up = True
            # pywsgi reads what is left of the body after the answer: it now finds its end at once.
            shut(self.socket, socket.SHUT_RD)

    def let_go(self) -> None:
        """Shut the connection, which waits for a request: its read ends, and then the handler."""
        shut(self.socket, socket.SHUT_RDWR)


def _last_response(handler: "weakref.ref[Handler]", leave_body: bool) -> None:
    """The environ's OVER (a WebSocket was served) and HANG_UP (the answer ends the connection)."""
    alive = handler()
    if alive is not None:
        alive.end_after_response(leave_body)


class PatientServer(pywsgi.WSGIServer):
    """pywsgi's server, whose accept errors are one log line and a wait, not a traceback each, and whose
    connections are held to deadlines (`Handler`)."""

    def __init__(self, *args, idle_seconds: float, head_seconds: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.idle_seconds, self.head_seconds = idle_seconds, head_seconds
        self.backoff = Backoff()
        # The connections whose handler waits for a next request (or a first one).
        self.waiting: weakref.WeakSet[Handler] = weakref.WeakSet()
        self.draining = False
        self.over = Event()

    @classmethod
    def on(cls, listener, application, idle_seconds: float, head_seconds: float) -> "PatientServer":
        """The server Tableside runs: on `listener` (a listening socket, or (host, port) to bind), with the
        deadlines for request lines and headers, each connection's handler in a pool `stop` waits for."""
        return cls(
            listener,
            application,
            log=None,
            handler_class=Handler,
            spawn=Pool(),
            idle_seconds=idle_seconds,
            head_seconds=head_seconds,
        )

    def serve_until_stopped(self) -> None:
        """Accept and serve until `stop` has returned, or until gevent closed the server itself."""
        self.start()
        self.over.wait()

    def drain(self) -> None:
        """Stop accepting for good, close the port, and let go of every connection waiting for a request."""
        self.draining = True
        self.close()
        for handler in list(self.waiting):
            handler.let_go()

    def close(self) -> None:
        super().close()
        if not self.draining:
            # gevent closes the server itself on an accept error it cannot go on after.
            self.over.set()

    def stop(self, timeout=None) -> None:
        """Close, wait up to `timeout` for every connection's handler to end, kill what is left."""
        try:
            super().stop(timeout)
        finally:
            self.over.set()

    def do_read(self):
        try:
            accepted = super().do_read()
        except OSError as error:
            wait = self.backoff.failed(error)
            if wait is not None:
                self.stop_accepting()
                gevent.spawn_later(wait, self._accept_again)
            return None
        if accepted is not None:
            self.backoff.succeeded()
        return accepted

    def _accept_again(self) -> None:
        if self.started:
            self.start_accepting()
