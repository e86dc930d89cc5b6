"""The transport: the socket libraries behind the few verbs the rest of the app needs.

Everything outside this package speaks of sockets (python-socketio's `sid`), rooms and
accounts; the Engine.IO session under a socket, the library objects and their internals
are known here only (tests/test_structure.py holds that edge).

- `install(server, app, mode, authenticated)` puts Tableside's serving in place on a
  python-socketio server: admission before every new session (admission.py, through
  gate.py), garbage refused quietly, frames read by FrameReader, a link its client breaks
  closed only after the events before were answered (answers.py), under gevent WebSockets
  read the same way (gevent_endpoint.py, served by gevent_server.py), and under eventlet with
  DIRECT_WEBSOCKET_WRITES the direct path (wire.py, reading.py, handoff.py, liveness.py);
- `start_jobs(server)` starts the transport's own background work (closing the sessions
  that did not sign in in time);
- `emit(server, event, payload, to)` sends one event to a room, a socket or a list of
  sockets of this process, framed once and written straight to each wire when the direct
  path is installed; `answer(server, sid, event, payload)` sends one to a socket whose
  handler is running, in the same write as the acknowledgement that follows it;
  `publish(server, event, payload, to)` sends one to a room's members in every process,
  through the message queue (presence). These three are every write of the app to its sockets;
- `end(server, sid)` disconnects a socket of this process;
- `gone(server, sid)` whether a socket's client hung up or stopped answering pings;
- `signed_in(server, sid)` and `waits_to_sign_in(server, sid, environ)` tell admission
  that a socket's session stopped, or started again, waiting to sign in;
- `enter(server, sid, room)`, `leave(server, sid, room)` and `rooms_of(server, sid)`: a
  socket's rooms; `rooms(server)` the rooms of the default namespace and their members;
- `http_protocol(server, idle, head)` eventlet's HTTP connection handler for serve.py (gevent's
  server, with the same deadlines, is gevent_server.py's `PatientServer`),
  `hands_off(server)` whether it hands WebSockets off to the direct path, and
  `close_all_sessions(server)` for the drain (under eventlet and gevent).

The transport keeps its own state in its own structures, keyed by the library's objects or
their ids, never as attributes set on them: each WebSocket-first socket's wire and each
engine.io server's wire settings (wires.py), admission's sessions (admission.py), each
socket's rooms (room_index.py), and what it serves of each python-socketio server (`Served`
below). What it does put on library objects is only what the libraries call: a wired
socket's `send`, `close`, `queue` and `schedule_ping`, and the server's driver table and
`handle_request` (listed below).

Whether a server writes to its WebSockets directly (eventlet with DIRECT_WEBSOCKET_WRITES)
or through engine.io's own writer (DIRECT_WEBSOCKET_WRITES=0, and gevent) is decided once,
in `install`; every verb follows what it decided.

Library internals used, checked at eventlet 0.41.3, gevent 26.9.0, python-engineio 4.15.1,
python-socketio 5.18.1 and Flask-SocketIO 5.7.0 (requirements.txt); each has a canary in
tests/realtime/test_library_edges.py, so an upgrade that changes one fails there, once,
with the name of what changed:

eventlet
- `eventlet.wsgi.HttpProtocol`: subclassed; `_read_request_line` and `parse_request`
  bounded in time, `get_environ` and `finish` overridden, `close_connection` set to end a
  connection with its answer, `conn_state[1]` (the connection's socket) replaced when a
  WebSocket is handed off (http_server.py, handoff.py);
  the environ keys `eventlet.input`, `eventlet.set_idle`, `eventlet.posthooks`, `headers_raw`;
- `eventlet.websocket.RFC6455WebSocket`: subclassed; its constructor's arguments, `socket`,
  `environ`, `version`, `protocol`, `_sendlock`, `iterator`, `websocket_closed`,
  `_send_closing_frame` (checked.py, handoff.py);
- `eventlet.greenio.GreenSocket.fd`, the non-blocking socket under a green one (wire.py,
  reading.py);
- the hub's `add(READ, fileno, cb, tb, mark_as_closed)` and `remove(listener)` (reading.py),
  and `schedule_call_global(seconds, cb)` (wire.py).

gevent (26.9.0)
- `pywsgi.WSGIServer`: subclassed, made on a listening socket, its `do_read` wrapped, `started`,
  `start_accepting`, `stop_accepting`, `close`, `closed` and `stop(timeout)` (joining the handlers'
  pool, then killing it), `pywsgi.WSGIHandler.get_environ`, `read_requestline` and
  `read_request` (bounded in time by `gevent.Timeout`), `handle_one_request` (None ends the
  connection unanswered), `start_response`, `socket` and `close_connection`, and the rest of an
  unread body read after the answer, ended by the end of the socket's input (gevent_server.py); an
  `Upgrade` request's `wsgi.input` being a buffered reader over the socket, and pywsgi
  writing nothing for an application that returns without starting a response
  (gevent_endpoint.py);
- gunicorn's gevent worker (gunicorn 27.0.1): the environ's `gunicorn.socket`, and a
  StopIteration from the application closing the connection without a response
  (gevent_endpoint.py).

python-engineio
- `engineio.async_drivers.eventlet.WebSocketWSGI`: subclassed;
  `_handle_hybi_request`, `support_legacy_versions`, `max_frame_length`, and `handler`,
  which engine.io sets to the bound `Socket._websocket_handler` (its `__self__` is the
  socket) (checked.py, wire.py); under gevent the driver table's `websocket` is replaced by
  an endpoint of our own, made as `websocket(handler, server)` and called as a WSGI
  application, whose `wait`, `send`, `close` and `socket` python-engineio uses
  (gevent_endpoint.py; simple-websocket is no longer used);
- `Server._async` (the driver table whose `websocket` entry is replaced),
  `start_service_task`, `sockets`, `handlers`, `handle_request`, `reason` (checked.py,
  wire.py, liveness.py, gate.py, admission.py, `close_all_sessions`);
- each `socket.Socket`'s `send`, `close(wait, abort, reason)`, `queue` (get_nowait,
  task_done, empty), `schedule_ping`, `last_ping`, `check_ping_timeout`, `receive`,
  `connected`, `upgraded`, `closing`, `closed`, `server`, `sid` (wire.py, liveness.py, reading.py,
  gate.py).

python-socketio
- `Server._handle_eio_message` (garbage.py), `Server.packet_class` (here, in `emit`);
- `Server._handle_event(eio_sid, namespace, id, data)`, replaced on each server to refuse an
  event not named by a string before it runs (garbage.py), and which starts each event's handler with
  `self.start_background_task(self._handle_event_internal, self, sid, eio_sid, ...)`, the
  acknowledgement sent when it returns (answers.py wraps the server's `start_background_task`);
- `manager.rooms` (here; metrics, heads and the broadcaster read it through `rooms`),
  `manager.eio_sid_from_sid` and `get_participants` (here);
- `PubSubManager._publish` and `_handle_emit`, its documented extension points
  (managers.py);
- `BaseManager.rooms`, `callbacks`, `pending_connect` and `pending_disconnect`, and its
  `basic_enter_room`, `basic_leave_room`, `basic_disconnect` and `get_rooms`, replaced with
  the same effect by an index of each socket's rooms (room_index.py; its own canary is
  tests/realtime/test_room_index.py).

Nothing else in app/ imports a library's modules below its public surface, nor reads or
assigns `eio`, `eio_sid` or `eio_socket`, nor reads `__dict__` of or `setattr`s on a
library object (tests/test_structure.py).
"""

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from engineio import packet as engineio_packet
from flask import Flask
from socketio import packet as socketio_packet

from app.realtime.transport import admission, garbage, wires
from app.realtime.transport.frames import websocket_frame

log = logging.getLogger(__name__)
# The versions every internal above was checked at (tests/realtime/test_library_edges.py).
CHECKED_AT = {
    "eventlet": "0.41.3",
    "gevent": "26.9.0",
    "python-engineio": "4.15.1",
    "python-socketio": "5.18.1",
    "Flask-SocketIO": "5.7.0",
}
NAMESPACE = "/"


@dataclass
class Served:
    """What the transport keeps of one python-socketio server it serves."""

    admission: admission.Admission
    # The direct path's fan-out, when this server's WebSocket-first sockets are on wires.
    fan_out: Callable | None = None


_served: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def install(server, app: Flask, mode: str, authenticated: Callable[[], int]) -> None:
    """Serve this python-socketio server's sessions Tableside's way, for the async mode.

    `authenticated()` counts the signed-in sockets, which admission weighs new sessions against.
    """
    config = app.config
    garbage.refuse_garbage(server)
    eio = server.eio
    fan_out = None
    if mode in ("eventlet", "gevent"):
        from app.realtime.transport.answers import count_answers

        count_answers(server)
    if mode == "eventlet" and config["DIRECT_WEBSOCKET_WRITES"]:
        from app.realtime.transport import wire

        wire.install(eio, config["MAX_SOCKET_BACKLOG_BYTES"], config["SOCKET_SEND_BUFFER_BYTES"])
        fan_out = wire.fan_out
    elif mode == "eventlet":
        from app.realtime.transport import checked

        checked.install(eio)
    elif mode == "gevent":
        from app.realtime.transport import gevent_endpoint

        gevent_endpoint.install(eio)
    _served[server] = Served(admission.install(app, eio, authenticated), fan_out)


def start_jobs(server) -> None:
    """Start the transport's background work: closing the sessions that did not sign in in time."""
    server.start_background_task(_served[server].admission.run)


def emit(server, event: str, payload: object, to: str | list[str]) -> None:
    """Send one event to the local members of a room, or to a list of sockets, in this process only."""
    served = _served.get(server)
    fan_out = served.fan_out if served is not None else None
    if fan_out is None:
        server.manager.emit(event, payload, namespace=NAMESPACE, room=to, ignore_queue=True)
        return
    encoded = server.packet_class(socketio_packet.EVENT, namespace=NAMESPACE, data=[event, payload]).encode()
    recipients = (eio_sid for _, eio_sid in server.manager.get_participants(NAMESPACE, to))
    fan_out(server.eio, recipients, engineio_packet.Packet(engineio_packet.MESSAGE, encoded))


def publish(server, event: str, payload: object, to: str) -> None:
    """Send one event to a room's members in every process: through the message queue when there is
    one (each process then writes to its own members), straight to this process's otherwise. For
    news no log orders (presence); a logged change goes out through the ordered feed instead."""
    server.emit(event, payload, to=to, namespace=NAMESPACE)


def _session_of(server, sid: str):
    """The Engine.IO session object under a socket of the default namespace, or None."""
    return server.eio.sockets.get(server.manager.eio_sid_from_sid(sid, NAMESPACE))


def answer(server, sid: str, event: str, payload: object) -> None:
    """Send one event to a socket of this process whose handler is running.

    What goes to the socket until the hub's turn ends (this event and the acknowledgement
    the handler returns) goes out in one write, if it is on a wire: two frames, one
    `send(2)`, one wake-up of the client.
    """
    if hands_off(server):
        eio_socket = _session_of(server, sid)
        wire = wires.wire_of(eio_socket) if eio_socket is not None else None
        if wire is not None:
            wire.gather()
    emit(server, event, payload, sid)


def end(server, sid: str) -> None:
    """Disconnect a socket of this process (its client is told, its disconnect handler runs)."""
    server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)


def hands_off(server) -> bool:
    """Whether this server's WebSocket-first sockets are written directly (decided by `install`)."""
    served = _served.get(server)
    return served is not None and served.fan_out is not None


def gone(server, sid: str) -> bool:
    """Whether the client of this socket has hung up or stopped answering pings."""
    eio_socket = _session_of(server, sid)
    if eio_socket is None:
        return True
    settings = wires.settings_of(server.eio)
    return settings.liveness.gone(eio_socket) if settings is not None else eio_socket.closed


def signed_in(server, sid: str) -> None:
    """The socket signed in: admission stops counting its session as waiting."""
    _served[server].admission.settled(server.manager.eio_sid_from_sid(sid, NAMESPACE))


def waits_to_sign_in(server, sid: str, environ: dict) -> None:
    """The socket left the namespace but its session stays: admission counts it waiting again."""
    _served[server].admission.opened(server.manager.eio_sid_from_sid(sid, NAMESPACE), environ)


def enter(server, sid: str, room: str) -> None:
    """Put a socket of this process in a room."""
    server.enter_room(sid, room, namespace=NAMESPACE)


def leave(server, sid: str, room: str) -> None:
    """Take a socket of this process out of a room."""
    server.leave_room(sid, room, namespace=NAMESPACE)


def rooms_of(server, sid: str) -> list[str]:
    """The rooms a socket of this process is in."""
    return server.rooms(sid, namespace=NAMESPACE)


def rooms(server) -> dict:
    """The rooms of the default namespace in this process: room name -> its sockets."""
    return server.manager.rooms.get(NAMESPACE, {})


def http_protocol(server, idle_seconds: float, head_seconds: float) -> type:
    """eventlet's HTTP connection handler with deadlines; one that hands WebSockets off when `server`'s are
    written directly."""
    from app.realtime.transport.http_server import TimedProtocol, with_deadlines

    protocol = TimedProtocol
    if hands_off(server):
        from app.realtime.transport.handoff import Protocol as protocol
    return with_deadlines(protocol, idle_seconds, head_seconds)


def close_all_sessions(server) -> int:
    """Close every Engine.IO session of a process about to exit, waiting on none; return how many.

    Every client on a direct wire is first sent its close and hung up, a few microseconds each,
    so that all of them reconnect at once (to another process, or to this one's successor).
    Their server-side clean-up (the disconnect handlers) is left to each reader as it sees the
    end, should the process live that long: nothing of it outlives the process. Closing them
    one by one through engine.io, handlers and all, took 1.4 s for 2,000 sockets, and a deploy
    that stops a process before starting the next waited for it. Sockets on engine.io's own
    writer (polling, DIRECT_WEBSOCKET_WRITES=0, gevent) are closed through engine.io as before: each
    gets its close from its writer, which then ends the WebSocket (gevent_endpoint.py) or the long-poll.
    """
    eio = server.eio
    sessions = list(eio.sockets.values())
    # Framed here, not by wire.py, which imports eventlet: under gevent no socket has a wire.
    closing = websocket_frame(engineio_packet.Packet(engineio_packet.CLOSE).encode())
    for eio_socket in sessions:
        try:
            wire = wires.wire_of(eio_socket)
            if wire is not None:
                wire.write(closing)
                wire.hang_up()
                wires.forget(eio_socket)
            else:
                # wait=False: a session nobody polls would otherwise block here on its queue for ever.
                eio_socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
        except Exception:  # noqa: BLE001 - one socket's failure must not stop the others' closing
            log.exception("closing a socket while draining failed")
    eio.sockets.clear()
    return len(sessions)
