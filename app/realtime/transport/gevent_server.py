"""gevent's HTTP server as Tableside runs it (`python wsgi.py` with ASYNC_MODE=gevent).

gevent's WSGI server (pywsgi), as Flask-SocketIO would start it, with two differences:
- when `accept()` fails (EMFILE at the open-file limit, ENOBUFS, ENOMEM) it logs the one line
  eventlet's server logs (accepting.py) and waits before accepting again, where gevent's
  own loop printed a traceback for each failure: about 250 of them as a process at its
  file limit went on being asked for connections;
- each connection's socket is in the environ (`gevent_endpoint.SOCKET`), for the WebSocket
  endpoint, which then needs no internals of pywsgi to find it.

gevent used (checked at gevent 26.9.0): `pywsgi.WSGIServer(listener, application, log,
handler_class)`, its `do_read` (one accept, returning the new connection or None), the
server's `started`, `start_accepting` and `stop_accepting`, and `pywsgi.WSGIHandler`'s
`get_environ` and `socket`.
"""

import gevent
from gevent import pywsgi

from app.realtime.transport.accepting import Backoff
from app.realtime.transport.gevent_endpoint import SOCKET


class Handler(pywsgi.WSGIHandler):
    """pywsgi's connection handler, with the connection's socket in the environ."""

    def get_environ(self):
        environ = super().get_environ()
        environ[SOCKET] = self.socket
        return environ


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
