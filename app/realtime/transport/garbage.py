"""Messages that are no Engine.IO or Socket.IO packet: their connection is closed quietly and counted.

Anyone can open a WebSocket and send anything before signing in; python-engineio and
python-socketio would log each such message as an ERROR with a traceback.
"""

import logging
import socket

from engineio import packet

from app.realtime import metrics
from app.realtime.transport.frames import POLICY_VIOLATION

log = logging.getLogger(__name__)


def _refused(sender: object, error: Exception) -> None:
    log.info("a socket (%s) sent a message that is no packet (%s); closing it", sender, error)
    metrics.garbage_packet()


def engineio_packet(message: str | bytes, sender: object) -> packet.Packet | None:
    """The Engine.IO packet a message holds; None (logged, counted) when it holds none."""
    try:
        return packet.Packet(encoded_packet=message)
    except (ValueError, RecursionError) as error:  # RecursionError: JSON nested thousands deep
        _refused(sender, error)
        return None


def refuse_garbage(sio) -> None:
    """Have python-socketio disconnect a socket whose message is no Socket.IO packet, instead of logging an error.

    python-socketio raises ValueError while decoding (and for packets out of place),
    RecursionError for JSON nested thousands deep and TypeError for an event without its
    name (`42`); an event named by anything but a string (`42[{"a":1}]`, `42[]`) is refused here the
    same way, before python-socketio looks its name up among the handlers on a greenthread of
    its own, where the name's TypeError (unhashable) was a traceback in the log. Event handlers
    run on greenthreads of their own, so their errors never come this way; the connect
    handler's would (it runs inline), and would be taken for garbage.
    """
    handle = sio._handle_eio_message
    handle_event = sio._handle_event

    def handle_named_event(eio_sid, namespace, id, data) -> None:  # noqa: A002 - python-socketio's names
        if not data or not isinstance(data[0], str):
            raise TypeError("an event's name must be a string")
        handle_event(eio_sid, namespace, id, data)

    sio._handle_event = handle_named_event

    def handle_message(eio_sid, data) -> None:
        try:
            handle(eio_sid, data)
        except (ValueError, TypeError, RecursionError) as error:
            _refused(eio_sid, error)
            sio.eio.disconnect(eio_sid)

    sio.eio.on("message", handle_message)


def refuse_garbage_under_gevent(eio) -> None:
    """Under gevent, close (1008) a WebSocket whose message is no Engine.IO packet before python-engineio sees it.

    python-engineio decodes WebSocket messages outside its error handling: under gevent the
    error would end the request with a traceback and an HTTP 500 written into the WebSocket.
    (Under eventlet app/realtime/transport/checked.py and reading.py do the same.)

    A WebSocket the server closes (a disconnect, a session that did not sign in in time) ends
    its connection with the close frame, as eventlet's does: simple-websocket alone waits for
    the client's answering close, so a client that never answers kept the connection, its
    file and python-engineio's two greenlets for as long as it stayed silent.
    """
    from engineio.async_drivers.gevent import WebSocketWSGI

    class CheckedWebSocketWSGI(WebSocketWSGI):
        def wait(self):
            message = super().wait()
            if message is None or engineio_packet(message, self.ws.environ.get("REMOTE_ADDR")) is not None:
                return message
            if self.ws.connected:
                self.ws.close(reason=POLICY_VIOLATION)
                self._hang_up()
            return None

        def close(self):
            super().close()
            self._hang_up()

        def _hang_up(self) -> None:
            # After the close frame: simple-websocket's reader wakes, python-engineio's handler
            # returns, and gevent's WSGI server (which still holds the socket) reads no more of
            # it as HTTP.
            try:
                self.ws.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    eio._async = dict(eio._async, websocket=CheckedWebSocketWSGI)
