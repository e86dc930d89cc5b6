"""Request bodies are read whole, within a deadline, before anything of the app runs.

Views, the CSRF check and the rate limiter read the body when they first need it, often after
the signed-in user was loaded: a client sending `Content-Length: 100` and then a byte now and
then held a pooled database connection for as long as it liked, and a few dozen such requests
emptied the pool for everyone (issue 23). `WholeBodies` sits outside the app and reads each body
to its end first, so nothing touches the database while one is still arriving; a body that
has not all come REQUEST_BODY_TIMEOUT_SECONDS after the headers is answered 408, and the
connection is closed, so it cannot hold a server place either.

The deadline needs a green timeout: under eventlet and gevent it holds; the threading server
(development and tests only) reads bodies whole without one. When the connection ends after
such an answer depends on the server: Tableside's own, under eventlet and gevent
(app/realtime/transport/http_server.py, gevent_server.py), hang up with the answer when the
environ's HANG_UP is called, reading nothing more of the body; one without HANG_UP (gunicorn's)
is told `Connection: close` on a refusal, and may read the rest of the announced body first,
which costs it a greenlet for as long as the client goes on, never a database connection.
"""

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from functools import partial

from app.async_mode import before_deadline

log = logging.getLogger("tableside.requests")
# Set by a server that can end the connection with this request's answer, reading no more of it
# (Tableside's own, under eventlet and gevent).
HANG_UP = "tableside.hang_up"
TIMED_OUT = ("408 Request Timeout", "request_timeout", "The request body did not arrive in time. Try again.")
BROKEN = ("400 Bad Request", "bad_request", "The request body's chunked framing is broken.")


class WholeBodies:
    """WSGI middleware: the body is in memory before `app` is called, or the request is answered 408."""

    def __init__(self, app: Callable, largest: int, deadline_seconds: float, green_timeout: type | None) -> None:
        self.app = app
        self.largest = largest
        self.deadline_seconds = deadline_seconds
        self.green_timeout = green_timeout

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        declared = _declared_length(environ)
        chunked = environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"
        if not chunked and not declared:
            return self.app(environ, start_response)
        if declared > self.largest:
            # The app refuses it (413) without reading it; nobody should read it afterwards either.
            _hang_up_after_answer(environ)
            return self.app(environ, start_response)
        started = time.monotonic()
        try:
            body = self._read_in_time(environ["wsgi.input"], declared if not chunked else self.largest + 1)
        except ValueError:  # eventlet's ChunkReadError: where this body ends, and the next request starts, is unknown
            return _refuse(environ, start_response, BROKEN)
        if body is None:
            log.info(
                "request body too slow",
                extra={
                    "method": environ.get("REQUEST_METHOD"),
                    "path": environ.get("PATH_INFO"),
                    "status": 408,
                    "duration_ms": round((time.monotonic() - started) * 1000, 2),
                    "remote": environ.get("REMOTE_ADDR"),
                },
            )
            return _refuse(environ, start_response, TIMED_OUT)
        if chunked and len(body) > self.largest:
            _hang_up_after_answer(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)

    def _read_in_time(self, stream, most: int) -> bytes | None:
        """Up to `most` bytes, reading until the client's body ends; None if the deadline passed first."""
        return before_deadline(self.green_timeout, self.deadline_seconds, partial(_read_up_to, stream, most))


def _refuse(environ: dict, start_response: Callable, answer: tuple[str, str, str]) -> list[bytes]:
    """Answer with the usual JSON error body, and end the connection with it."""
    status, code, message = answer
    body = json.dumps({"error": code, "message": message}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if HANG_UP not in environ:
        # Servers that read this header close the connection after the answer (gevent's does).
        headers.append(("Connection", "close"))
    _hang_up_after_answer(environ)
    start_response(status, headers)
    return [body]


def _declared_length(environ: dict) -> int:
    try:
        return max(0, int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _read_up_to(stream, most: int) -> bytes:
    """Read until `most` bytes or the end of the body, whichever comes first."""
    parts, held = [], 0
    while held < most:
        part = stream.read(most - held)
        if not part:
            break
        parts.append(part)
        held += len(part)
    return b"".join(parts)


def _hang_up_after_answer(environ: dict) -> None:
    hang_up = environ.get(HANG_UP)
    if hang_up is not None:
        hang_up()
