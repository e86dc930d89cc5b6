"""gevent's HTTP server as Tableside runs it (`python wsgi.py` with ASYNC_MODE=gevent).

gevent's WSGI server (pywsgi), as Flask-SocketIO would start it, with two differences:
- when `accept()` fails (EMFILE at the open-file limit, ENOBUFS, ENOMEM) it logs the one line
  eventlet's server logs (accepting.py) and waits before accepting again, where gevent's
  own loop printed a traceback for each failure: about 250 of them as a process at its
  file limit went on being asked for connections;
- each connection's socket is in the environ (`gevent_endpoint.SOCKET`), for the WebSocket
  endpoint, which then needs no internals of pywsgi to find it, with a way to end the
  connection once its WebSocket is over (`gevent_endpoint.OVER`).

gevent used (checked at gevent 26.9.0): `pywsgi.WSGIServer(listener, application, log,
handler_class)`, its `do_read` (one accept, returning the new connection or None), the
server's `started`, `start_accepting` and `stop_accepting`, and `pywsgi.WSGIHandler`'s
`get_environ`, `socket` and `close_connection` (when set during a response, no next
request is read).
"""

import weakref
from functools import partial

import gevent
from gevent import pywsgi

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


def serve(application, host: str, port: int) -> None:
    """Serve `application` on (host, port) until the process ends."""
    PatientServer((host, port), application, log=None, handler_class=Handler).serve_forever()
