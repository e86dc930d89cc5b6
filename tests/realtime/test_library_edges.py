"""Canaries for the library internals app/realtime/direct/http_server.py and app/realtime/admission.py rely on,
and the client address admission counts sessions by."""

import eventlet.wsgi

from app.extensions import socketio
from app.realtime.admission import client_address
from app.realtime.direct.http_server import TimedProtocol


def test_eventlet_still_reads_request_lines_in_the_method_timed_protocol_bounds():
    """TimedProtocol overrides eventlet's `_read_request_line`; a rename would silently drop the deadline."""
    assert "_read_request_line" in vars(eventlet.wsgi.HttpProtocol)
    assert TimedProtocol._read_request_line is not eventlet.wsgi.HttpProtocol._read_request_line


def test_engineio_connect_and_disconnect_handlers_pass_through_admission(app):
    """Admission wraps python-socketio's Engine.IO handlers and request entry point."""
    eio = socketio.server.eio
    assert eio.handlers["connect"].__name__ == "opened"
    assert eio.handlers["disconnect"].__name__ == "closed"
    assert eio.handle_request.__name__ == "admit_then_handle"


def test_a_client_address_is_the_peer_unless_proxies_are_trusted():
    """Without PROXY_FIX_HOPS X-Forwarded-For is ignored; with it, the address that many hops back counts."""
    environ = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"}
    assert client_address(environ, 0) == "10.0.0.5"
    assert client_address(environ, 1) == "203.0.113.9"
    assert client_address(environ, 2) == "198.51.100.1"
    assert client_address(environ, 3) == "10.0.0.5"
    assert client_address({"REMOTE_ADDR": "10.0.0.5"}, 1) == "10.0.0.5"
