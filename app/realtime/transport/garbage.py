"""Messages that are no Engine.IO or Socket.IO packet: their connection is closed quietly and counted.

Anyone can open a WebSocket and send anything before signing in; python-engineio and
python-socketio would log each such message as an ERROR with a traceback.
"""

import logging

from engineio import packet

from app.realtime import metrics

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
