"""The canary over the socket libraries' internals listed in app/realtime/transport/__init__.py.

`test_every_library_internal_we_use_is_still_there` checks each internal, at the versions
pinned in requirements.txt, and fails once, naming everything that changed: an upgrade
shows here before it shows as a socket that silently stops receiving.
"""

import importlib.metadata
import inspect
import re
import socket
from pathlib import Path

import engineio
import engineio.socket
import eventlet.green.socket
import eventlet.websocket
import eventlet.wsgi
import socketio
from eventlet.hubs import get_hub

from app.extensions import socketio as shared_socketio
from app.realtime import transport
from app.realtime.transport.admission import client_address
from app.realtime.transport.http_server import TimedProtocol

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def _source_has(function, text: str) -> bool:
    return text in inspect.getsource(function)


def _checks():
    """(what we rely on, a check that is true while it holds); each check runs on its own."""
    from engineio.async_drivers import eventlet as engineio_eventlet

    http = eventlet.wsgi.HttpProtocol
    rfc6455 = eventlet.websocket.RFC6455WebSocket
    eio_socket = engineio.socket.Socket
    pubsub = socketio.PubSubManager

    def a_websocket():
        near, far = socket.socketpair()
        try:
            return vars(rfc6455(near, {}, 13))
        finally:
            near.close()
            far.close()

    def an_engineio_server():
        return engineio.Server(async_mode="eventlet")

    def an_engineio_socket():
        return vars(eio_socket(an_engineio_server(), "canary"))

    def a_green_socket_fd():
        green = eventlet.green.socket.socket()
        try:
            # eventlet's own copy of the socket module: a socket.socket, though not this module's.
            return type(green.fd).__name__ == "socket" and green.fd.getblocking() is False
        finally:
            green.close()

    return [
        # eventlet: the HTTP server (http_server.py, handoff.py)
        ("eventlet HttpProtocol._read_request_line()", lambda: _parameters(http._read_request_line) == ["self"]),
        ("eventlet HttpProtocol.parse_request()", lambda: _parameters(http.parse_request) == ["self"]),
        ("eventlet HttpProtocol.get_environ()", lambda: _parameters(http.get_environ) == ["self"]),
        ("eventlet HttpProtocol.finish()", lambda: _parameters(http.finish) == ["self"]),
        (
            "eventlet HttpProtocol.close_connection, set before the answer: no reading the rest of the body",
            lambda: (
                _source_has(http.handle_one_response, "if self.close_connection == 0 and")
                and _source_has(http.handle_one_response, "if self.close_connection == 0:\n")
                and _source_has(http.handle_one_response, "request_input.discard()")
            ),
        ),
        (
            "eventlet HttpProtocol(conn_state, server) keeps self.conn_state, socket at [1]",
            lambda: (
                _parameters(http.__init__) == ["self", "conn_state", "server"]
                and _source_has(http.__init__, "self.request = conn_state[1]")
                and _source_has(http.__init__, "self.conn_state = conn_state")
            ),
        ),
        (
            "eventlet's environ keys eventlet.input, eventlet.set_idle, eventlet.posthooks, headers_raw",
            lambda: all(
                _source_has(http.get_environ, key)
                for key in ("'eventlet.input'", "'eventlet.set_idle'", "'eventlet.posthooks'", "'headers_raw'")
            ),
        ),
        (
            "eventlet.wsgi.server(sock, site, log_output, max_size, keepalive, protocol)",
            lambda: (
                {"sock", "site", "log_output", "max_size", "keepalive", "protocol"}
                <= set(_parameters(eventlet.wsgi.server))
            ),
        ),
        # eventlet: WebSockets (checked.py, handoff.py)
        (
            "eventlet RFC6455WebSocket(sock, environ, version, protocol, ..., max_frame_length)",
            lambda: (
                _parameters(rfc6455.__init__)[:5] == ["self", "sock", "environ", "version", "protocol"]
                and "max_frame_length" in _parameters(rfc6455.__init__)
            ),
        ),
        (
            "eventlet RFC6455WebSocket keeps socket, environ, version, protocol, _sendlock, iterator, websocket_closed",
            lambda: (
                {"socket", "environ", "version", "protocol", "_sendlock", "iterator", "websocket_closed"}
                <= set(a_websocket())
            ),
        ),
        (
            "eventlet RFC6455WebSocket._send_closing_frame(ignore_send_errors, close_data)",
            lambda: _parameters(rfc6455._send_closing_frame) == ["self", "ignore_send_errors", "close_data"],
        ),
        (
            "eventlet WebSocketWSGI._handle_hybi_request(environ), support_legacy_versions, max_frame_length",
            lambda: (
                _parameters(eventlet.websocket.WebSocketWSGI._handle_hybi_request) == ["self", "environ"]
                and _source_has(eventlet.websocket.WebSocketWSGI.__init__, "self.support_legacy_versions")
                and _source_has(eventlet.websocket.WebSocketWSGI.__init__, "self.max_frame_length")
            ),
        ),
        # eventlet: sockets and the hub (wire.py, reading.py)
        ("eventlet GreenSocket.fd is the non-blocking socket beneath", a_green_socket_fd),
        (
            "eventlet hub.add(READ, fileno, cb, tb, mark_as_closed) and hub.remove(listener)",
            lambda: (
                len(_parameters(get_hub().add)) == 5
                and len(_parameters(get_hub().remove)) == 1
                and get_hub().READ == "read"
            ),
        ),
        (
            "eventlet hub.schedule_call_global(seconds, cb, *args)",
            lambda: _parameters(get_hub().schedule_call_global)[:2] == ["seconds", "cb"],
        ),
        # python-engineio: drivers (checked.py, wire.py, garbage.py)
        (
            "engineio.async_drivers.eventlet.WebSocketWSGI(handler, server), an eventlet WebSocketWSGI",
            lambda: (
                issubclass(engineio_eventlet.WebSocketWSGI, eventlet.websocket.WebSocketWSGI)
                and _parameters(engineio_eventlet.WebSocketWSGI.__init__) == ["self", "handler", "server"]
            ),
        ),
        (
            "engineio Socket._upgrade_websocket hands _async['websocket'] the bound _websocket_handler",
            lambda: _source_has(eio_socket._upgrade_websocket, "self._websocket_handler, self.server"),
        ),
        (
            "engineio Socket._websocket_handler times out ws.socket and uses ws.wait(), ws.send(), ws.close() "
            "(gevent_endpoint.py)",
            lambda: all(
                _source_has(eio_socket._websocket_handler, text)
                for text in ("'socket'", "settimeout", "ws.wait()", "ws.send(", "ws.close()")
            ),
        ),
        # gevent: the HTTP server (gevent_server.py, gevent_endpoint.py)
        (
            "gevent WSGIServer.do_read(), started, start_accepting(), stop_accepting(); WSGIHandler.get_environ(), "
            "socket, close_connection; an Upgrade request's wsgi.input is the socket's reader; "
            "no response unless one was started",
            lambda: _gevent_edges(),
        ),
        (
            "gevent's drain (gevent_server.py, serve.py): WSGIHandler.read_requestline() reads each request's "
            "line, an empty one ends the connection; close(), closed; stop(timeout) joins the pool, then kills "
            "it; gevent.signal_handler",
            lambda: _gevent_drain_edges(),
        ),
        (
            "gevent's deadlines (gevent_server.py): WSGIServer takes a listening socket; Timeout; "
            "WSGIHandler.read_request(raw_requestline), a false value answered 400; handle_one_request() None "
            "ends the connection unanswered; start_response(status, headers, exc_info) is the application's; "
            "an unread body's rest read after the answer, its end of input a socket error that is let pass",
            lambda: _gevent_deadline_edges(),
        ),
        (
            "gunicorn's gevent worker: environ['gunicorn.socket'], StopIteration closes the connection unanswered",
            lambda: _gunicorn_edges(),
        ),
        # python-engineio: the server (wire.py, liveness.py, gate.py, the drain)
        (
            "engineio Server._async['websocket'], start_service_task, sockets, handlers",
            lambda: (
                "websocket" in an_engineio_server()._async
                and {"start_service_task", "sockets", "handlers"} <= set(vars(an_engineio_server()))
            ),
        ),
        (
            "engineio Server.handle_request(environ, start_response), on(), sleep(), start_background_task()",
            lambda: (
                _parameters(engineio.Server.handle_request) == ["self", "environ", "start_response"]
                and all(hasattr(engineio.Server, name) for name in ("on", "sleep", "start_background_task"))
            ),
        ),
        (
            "engineio Server.reason.SERVER_DISCONNECT and TRANSPORT_CLOSE",
            lambda: (
                hasattr(engineio.Server.reason, "SERVER_DISCONNECT")
                and hasattr(engineio.Server.reason, "TRANSPORT_CLOSE")
            ),
        ),
        # python-engineio: each socket (wire.py, liveness.py, reading.py)
        (
            "engineio Socket keeps queue, last_ping, connected, upgraded, closing, closed, server, sid",
            lambda: (
                {"queue", "last_ping", "connected", "upgraded", "closing", "closed", "server", "sid"}
                <= set(an_engineio_socket())
            ),
        ),
        (
            "engineio Socket.send(pkt) writes through self.queue.put (replaced on a wired socket)",
            lambda: (
                _parameters(eio_socket.send) == ["self", "pkt"] and _source_has(eio_socket.send, "self.queue.put(pkt)")
            ),
        ),
        (
            "engineio Socket.close(wait, abort, reason) puts only None on the queue",
            lambda: (
                _parameters(eio_socket.close) == ["self", "wait", "abort", "reason"]
                and re.findall(r"queue\.put\((.*?)\)", inspect.getsource(eio_socket.close)) == ["None"]
            ),
        ),
        (
            "engineio Socket.schedule_ping(), check_ping_timeout(), receive(pkt)",
            lambda: (
                _parameters(eio_socket.schedule_ping) == ["self"]
                and _parameters(eio_socket.check_ping_timeout) == ["self"]
                and _parameters(eio_socket.receive) == ["self", "pkt"]
            ),
        ),
        (
            "engineio Socket's queue offers get_nowait, task_done, empty",
            lambda: all(hasattr(an_engineio_socket()["queue"], name) for name in ("get_nowait", "task_done", "empty")),
        ),
        (
            "engineio.exceptions UnknownPacketError and SocketIsClosedError",
            lambda: (
                hasattr(engineio.exceptions, "UnknownPacketError")
                and hasattr(engineio.exceptions, "SocketIsClosedError")
            ),
        ),
        (
            "engineio.packet.Packet(packet_type, data, encoded_packet) and PING, MESSAGE",
            lambda: (
                _parameters(engineio.packet.Packet.__init__)[:4] == ["self", "packet_type", "data", "encoded_packet"]
                and hasattr(engineio.packet, "PING")
                and hasattr(engineio.packet, "MESSAGE")
            ),
        ),
        # python-socketio (garbage.py, the transport's emit, rooms, gone and signed_in, managers.py)
        (
            "socketio Server._handle_eio_message(eio_sid, data)",
            lambda: _parameters(socketio.Server._handle_eio_message) == ["self", "eio_sid", "data"],
        ),
        (
            "socketio Server.packet_class(packet_type, data, namespace).encode() and packet.EVENT",
            lambda: (
                {"packet_type", "data", "namespace"} <= set(_parameters(socketio.Server().packet_class.__init__))
                and hasattr(socketio.Server().packet_class, "encode")
                and hasattr(socketio.packet, "EVENT")
            ),
        ),
        (
            "socketio Manager.rooms[namespace][room] -> {sid: eio_sid}, get_participants, eio_sid_from_sid",
            lambda: (
                _source_has(socketio.Manager.__init__, "self.rooms = {}")
                and _parameters(socketio.Manager.get_participants) == ["self", "namespace", "room"]
                and _parameters(socketio.Manager.eio_sid_from_sid) == ["self", "sid", "namespace"]
            ),
        ),
        (
            "socketio PubSubManager._publish(data), _handle_emit(message), emits dispatched unless from this host",
            lambda: (
                _parameters(pubsub._publish) == ["self", "data"]
                and _parameters(pubsub._handle_emit) == ["self", "message"]
                and _source_has(pubsub._thread, "data.get('host_id') != self.host_id")
            ),
        ),
        ("socketio Server.reason.CLIENT_DISCONNECT", lambda: hasattr(socketio.Server.reason, "CLIENT_DISCONNECT")),
        (
            "socketio Server._handle_event(eio_sid, namespace, id, data), called as self._handle_event (garbage.py), "
            "starts start_background_task(self._handle_event_internal, self, sid, eio_sid, data, namespace, id), "
            "which sends the ACK (answers.py)",
            lambda: (
                _parameters(socketio.Server._handle_event) == ["self", "eio_sid", "namespace", "id", "data"]
                and _source_has(socketio.Server._handle_eio_message, "self._handle_event(eio_sid, pkt.namespace")
                and _source_has(
                    socketio.Server._handle_event, "self.start_background_task(self._handle_event_internal, self, sid,"
                )
                and _parameters(socketio.Server._handle_event_internal)
                == ["self", "server", "sid", "eio_sid", "data", "namespace", "id"]
                and _source_has(socketio.Server._handle_event_internal, "packet.ACK")
            ),
        ),
    ]


def _gevent_edges() -> bool:
    from gevent import pywsgi

    server, handler = pywsgi.WSGIServer, pywsgi.WSGIHandler
    return (
        _parameters(server.do_read) == ["self"]
        and all(hasattr(server, name) for name in ("started", "start_accepting", "stop_accepting"))
        and _parameters(handler.get_environ) == ["self"]
        and _source_has(handler.__init__, "self.socket = sock")
        and _source_has(handler.get_environ, "env['wsgi.input'] = self.wsgi_input if handling_reads else self.rfile")
        and _source_has(handler.process_result, "if self.status and not self.headers_sent:")
        and _source_has(handler.handle_one_request, "self.handle_one_response()\n\n        if self.close_connection:")
    )


def _gevent_drain_edges() -> bool:
    import gevent
    from gevent import baseserver, pywsgi

    handler, server = pywsgi.WSGIHandler, baseserver.BaseServer
    return (
        _parameters(handler.read_requestline) == ["self"]
        and _source_has(handler.handle_one_request, "self.requestline = self.read_requestline()")
        and _source_has(handler.handle_one_request, "if not self.requestline:\n            return")
        and _parameters(server.close) == ["self"]
        and isinstance(server.closed, property)
        and _parameters(server.stop) == ["self", "timeout"]
        and _source_has(server.stop, "self.pool.join(timeout=timeout)\n            self.pool.kill(")
        and callable(gevent.signal_handler)
    )


def _gevent_deadline_edges() -> bool:
    import io

    import gevent
    from gevent import baseserver, pywsgi

    handler = pywsgi.WSGIHandler

    def an_unread_body_at_its_end_of_input_raises_a_socket_error() -> bool:
        body = pywsgi.Input(io.BufferedReader(io.BytesIO(b"{")), 10)
        try:
            body._discard()
        except OSError as error:
            return type(error) is OSError
        return False

    return (
        _source_has(baseserver.BaseServer.set_listener, "self.socket = listener")
        and issubclass(gevent.Timeout, BaseException)
        and _parameters(handler.read_request) == ["self", "raw_requestline"]
        and _source_has(handler.handle_one_request, "if not self.read_request(self.requestline):\n")
        and _source_has(handler.handle_one_request, "    return ('400', _BAD_REQUEST_RESPONSE)")
        and _source_has(handler.handle, "result = self.handle_one_request()\n                if result is None:\n")
        and _parameters(handler.start_response) == ["self", "status", "headers", "exc_info"]
        and _source_has(handler.run_application, "self.application(self.environ, self.start_response)")
        and _source_has(handler.handle_one_response, "self.wsgi_input._discard()")
        and _source_has(handler.handle_one_response, "except socket.error:\n                    # Don't let socket")
        and an_unread_body_at_its_end_of_input_raises_a_socket_error()
    )


def _gunicorn_edges() -> bool:
    from gunicorn.http import wsgi
    from gunicorn.workers import base_async

    return (
        _source_has(wsgi.default_environ, '"gunicorn.socket": sock')
        and _source_has(base_async.AsyncWorker.handle, "except StopIteration")
        and _source_has(base_async.AsyncWorker.handle_request, "except StopIteration:\n            raise")
    )


def _pinned() -> dict[str, str]:
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        name, _, version = line.partition("==")
        if version:
            pins[name.strip().lower()] = version.split(";")[0].strip()
    return pins


def test_every_library_internal_we_use_is_still_there():
    """Each internal listed in app/realtime/transport/__init__.py holds, at the versions it was checked at."""
    problems = []
    pins = _pinned()
    for package, checked in transport.CHECKED_AT.items():
        installed = importlib.metadata.version(package)
        if installed != checked or pins.get(package.lower()) != checked:
            problems.append(
                f"{package} is {installed} (requirements.txt pins {pins.get(package.lower())}), checked at {checked}"
            )
    for what, holds in _checks():
        try:
            if not holds():
                problems.append(what)
        except Exception as error:  # noqa: BLE001 - a missing name is exactly what this reports
            problems.append(f"{what}: {type(error).__name__}: {error}")
    assert not problems, (
        "The socket libraries changed under app/realtime/transport/ (re-check each item there, then update "
        "its list and CHECKED_AT):\n- " + "\n- ".join(problems)
    )


def test_eventlet_still_reads_request_lines_in_the_method_timed_protocol_bounds():
    """TimedProtocol overrides eventlet's `_read_request_line`; a rename would silently drop the deadline."""
    assert "_read_request_line" in vars(eventlet.wsgi.HttpProtocol)
    assert TimedProtocol._read_request_line is not eventlet.wsgi.HttpProtocol._read_request_line


def test_engineio_connect_and_disconnect_handlers_pass_through_admission(app):
    """Admission's gate wraps python-socketio's Engine.IO handlers and request entry point."""
    eio = shared_socketio.server.eio
    assert eio.handlers["connect"].__name__ == "session_opened"
    assert eio.handlers["disconnect"].__name__ == "session_closed"
    assert eio.handle_request.__name__ == "admit_then_handle"


def test_a_client_address_is_the_peer_unless_proxies_are_trusted():
    """Without PROXY_FIX_HOPS X-Forwarded-For is ignored; with it, the address that many hops back counts."""
    environ = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"}
    assert client_address(environ, 0) == "10.0.0.5"
    assert client_address(environ, 1) == "203.0.113.9"
    assert client_address(environ, 2) == "198.51.100.1"
    assert client_address(environ, 3) == "10.0.0.5"
    assert client_address({"REMOTE_ADDR": "10.0.0.5"}, 1) == "10.0.0.5"
