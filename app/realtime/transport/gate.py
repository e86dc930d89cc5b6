"""The gate before python-engineio's sessions: what admission (app/realtime/transport/admission.py) needs of engine.io.

- `guard(eio, refusal, opened, closed)`: a request that would open a session (a GET without
  `sid`) is first shown to `refusal(environ)`; when that gives (HTTP status, message) the
  request is answered with it as JSON instead. Each session that opens is told to
  `opened(sid, environ)`, each that closes to `closed(sid)`, before python-socketio hears of it.
- `close_now(eio, sid)`: close one session, waiting on nothing; False if it was gone.
- `sockets_alive(eio)`: how many engine.io socket objects of the server are not yet freed, open
  or closed (a leak shows there).

python-engineio internals used (checked at the version in app/realtime/transport/__init__.py):
the `handlers` dict, whose 'connect' and 'disconnect' handlers (python-socketio's) are wrapped;
`handle_request`, replaced on the instance; `sockets`; and each socket's `close(wait, reason)`
and `closed`.
"""

import json
import weakref
from collections.abc import Callable
from urllib.parse import parse_qs

# engine.io server -> its socket objects not yet freed.
_alive: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def guard(
    eio,
    refusal: Callable[[dict], tuple[str, str] | None],
    opened: Callable[[str, dict], None],
    closed: Callable[[str], None],
) -> None:
    """Put `refusal` before every new session of this engine.io server, and tell `opened` and `closed`."""
    handle_request = eio.handle_request
    on_connect = eio.handlers["connect"]
    on_disconnect = eio.handlers["disconnect"]
    alive = _alive.setdefault(eio, weakref.WeakSet())

    def admit_then_handle(environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and "sid" not in parse_qs(environ.get("QUERY_STRING", "")):
            refused = refusal(environ)
            if refused is not None:
                status, message = refused
                body = json.dumps({"message": message}).encode()
                start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
                return [body]
        return handle_request(environ, start_response)

    def session_opened(sid, environ):
        opened(sid, environ)
        eio_socket = eio.sockets.get(sid)
        if eio_socket is not None:
            alive.add(eio_socket)
        return on_connect(sid, environ)

    def session_closed(sid, reason=None):
        closed(sid)
        return on_disconnect(sid, reason)

    eio.handle_request = admit_then_handle
    eio.on("connect", session_opened)
    eio.on("disconnect", session_closed)


def close_now(eio, sid: str) -> bool:
    """Close this session without waiting on its queue (nobody may be reading it); False if it was gone."""
    eio_socket = eio.sockets.pop(sid, None)
    if eio_socket is None or eio_socket.closed:
        return False
    eio_socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
    return True


def sockets_alive(eio) -> int:
    """How many of this server's engine.io socket objects are not yet freed, open or closed."""
    return len(_alive.get(eio, ()))
