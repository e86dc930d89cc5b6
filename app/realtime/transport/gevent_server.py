"""gevent's HTTP server as Tableside runs it (`python wsgi.py` with ASYNC_MODE=gevent).

gevent's WSGI server (pywsgi), as Flask-SocketIO would start it, with two differences:
- when `accept()` fails (EMFILE at the open-file limit, ENOBUFS, ENOMEM) it logs the one line
  eventlet's server logs (accepting.py) and waits before accepting again, where gevent's
  own loop printed a traceback for each failure: about 250 of them as a process at its
  file limit went on being asked for connections;
- each connection's socket is in the environ (`gevent_endpoint.SOCKET`), for the WebSocket
  endpoint, which then needs no internals of pywsgi to find it, with a way to end the
  connection once its WebSocket is over (`gevent_endpoint.OVER`);
- a drain (app/serve.py) can stop it as eventlet's server stops: `drain` stops accepting
  and closes the port, and shuts every connection waiting for a next request (a request
  already being read or answered goes on; its connection then reads no next one); `stop`
  then waits for the connections' handlers, which are kept in a pool for it.

gevent used (checked at gevent 26.9.0): `pywsgi.WSGIServer(listener, application, log,
handler_class, spawn)`, its `do_read` (one accept, returning the new connection or None), the
server's `started`, `start_accepting`, `stop_accepting`, `start`, `close`, `closed` and
`stop(timeout)` (which, with a pool as `spawn`, joins the pool, then kills what is left),
`pool.Pool`, and `pywsgi.WSGIHandler`'s `get_environ`, `read_requestline` (reading the
request line of each request on a connection; an empty line ends the connection), `socket`
and `close_connection` (when set during a response, no next request is read).
"""

import socket
import weakref
from functools import partial

import gevent
from gevent import pywsgi
from gevent.event import Event
from gevent.pool import Pool

from app.realtime.transport.accepting import Backoff
from app.realtime.transport.gevent_endpoint import OVER, SOCKET


class Handler(pywsgi.WSGIHandler):
    """pywsgi's connection handler, with the connection's socket in the environ, and a way to end it."""

    def get_environ(self):
        environ = super().get_environ()
        environ[SOCKET] = self.socket
        # Weakly: the environ and its handler in a reference cycle would outlive every request
        # until the collector's next thaw (app/collector.py freezes what survives).
        environ[OVER] = partial(_over, weakref.ref(self))
        return environ

    def read_requestline(self):
        """The next request's line; none once the server is closed (a drain), as if the client hung up."""
        if self.server.closed:
            return ""
        self.server.waiting.add(self)
        try:
            return super().read_requestline()
        finally:
            self.server.waiting.discard(self)

    def let_go(self) -> None:
        """Shut the connection, which waits for a request: its read ends, and then the handler."""
        try:
            self.socket.shutdown(socket.SHUT_RDWR)
        except (AttributeError, OSError):
            pass


def _over(handler: "weakref.ref[Handler]") -> None:
    """The connection served a WebSocket: after this response, no next request is read."""
    alive = handler()
    if alive is not None:
        alive.close_connection = True


class PatientServer(pywsgi.WSGIServer):
    """pywsgi's server, whose accept errors are one log line and a wait, not a traceback each."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.backoff = Backoff()
        # The connections whose handler waits for a next request (or a first one).
        self.waiting: weakref.WeakSet[Handler] = weakref.WeakSet()
        self.draining = False
        self.over = Event()

    @classmethod
    def at(cls, host: str, port: int, application) -> "PatientServer":
        """The server Tableside runs: on (host, port), each connection's handler in a pool `stop` waits for."""
        return cls((host, port), application, log=None, handler_class=Handler, spawn=Pool())

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
