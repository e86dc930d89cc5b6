"""A real python-socketio client over WebSocket that records everything it receives.

Every event it receives and every acknowledgement it gets is judged against the AsyncAPI
document (tests/support/asyncapi.py): one that drifts fails the test that received it.
"""

import socket
import threading
import time
from collections.abc import Callable

import requests
import socketio

from tests.support import asyncapi
from tests.support.live_server import PASSWORD

CONNECT_TIMEOUT = 5
# Flask-Login's strong session protection ties a session to its User-Agent, so the page's
# requests and its socket must present the same one, as one browser does.
USER_AGENT = "Mozilla/5.0 (Tableside live tests)"


class LiveSocket:
    """One browser tab's socket: connects like the page does and keeps every frame it gets."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        cookie: str | None = None,
        origin: str | None = None,
        receive_buffer: int | None = None,
        transports: tuple[str, ...] = ("websocket",),
        bearer: str | None = None,
        reconnection: bool = False,
    ):
        """`token` goes in the Socket.IO connect's `auth`, `bearer` in the handshake's Authorization header.

        With `reconnection` the client comes back by itself after losing its link, on
        python-socketio's own backoff (about 1 s, then 2, 4, 5 s), as a screen does.
        """
        self.url = url
        self.transports = list(transports)
        self.auth = {"token": token} if token else None
        self.headers = {
            "User-Agent": USER_AGENT,
            **({"Cookie": cookie} if cookie else {}),
            **({"Authorization": f"Bearer {bearer}"} if bearer else {}),
        }
        # Without an origin the client sends the server's own, as a page served by it would.
        options = {"origin": origin} if origin else {}
        if receive_buffer:
            # A small kernel buffer makes a client that stops reading back up into the server.
            options["sockopt"] = ((socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer),)
        self.sio = asyncapi.JudgedClient(reconnection=reconnection, websocket_extra_options=options)
        self.frames: list[tuple[str, object, float]] = []
        self.connect_error: object = None
        self.disconnected = threading.Event()
        self.disconnected_at: float | None = None
        self.connected_at: list[float] = []  # when each connect (the first, then each reconnect) was accepted
        self._changed = threading.Condition()
        # Called in the client's receiving thread the moment a frame arrives, before it is stored.
        self.on_frame: Callable[[str, object], None] | None = None
        self.sio.on("*", self._record)
        self.sio.on("connect", self._opened)
        self.sio.on("connect_error", self._refused)
        self.sio.on("disconnect", self._closed)

    def _record(self, event: str, data: object = None) -> None:
        if self.on_frame is not None:
            self.on_frame(event, data)
        with self._changed:
            self.frames.append((event, data, time.monotonic()))
            self._changed.notify_all()

    def _opened(self) -> None:
        with self._changed:
            self.connected_at.append(time.monotonic())
            self._changed.notify_all()

    def _refused(self, data: object) -> None:
        self.connect_error = data

    def _closed(self, reason: object = None) -> None:
        self.disconnected_at = time.monotonic()
        self.disconnected.set()

    def connect(self) -> "LiveSocket":
        """Open the socket (WebSocket only unless told); raises socketio.exceptions.ConnectionError."""
        self.sio.connect(
            self.url,
            auth=self.auth,
            headers=self.headers,
            transports=self.transports,
            wait_timeout=CONNECT_TIMEOUT,
        )
        return self

    @property
    def connected(self) -> bool:
        return self.sio.connected

    def lose_link(self) -> float:
        """Cut the WebSocket under the client, as a dropped Wi-Fi link does; when it was cut."""
        self.sio.eio.ws.sock.shutdown(socket.SHUT_RDWR)
        return time.monotonic()

    def connects_after(self, moment: float, timeout: float) -> float | None:
        """Seconds from `moment` to the client's next accepted connect, waiting up to `timeout`; None if none came."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                later = [at for at in self.connected_at if at > moment]
                if later:
                    return later[0] - moment
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)

    def call(self, event: str, data: object = None, timeout: float = 5) -> object:
        """Emit and wait for the server's acknowledgement."""
        return self.sio.call(event, data, timeout=timeout)

    def join(self, floor: int | None) -> dict:
        return self.call("tables:join", {"floor": floor})

    def leave(self, floor: int | None) -> dict:
        return self.call("tables:leave", {"floor": floor})

    def sync(self, last_event_id: str | None) -> dict:
        return self.call("tables:sync", {"lastEventId": last_event_id})

    def received(self, event: str) -> list:
        """Payloads of every frame of this event so far, oldest first."""
        with self._changed:
            return [data for name, data, _ in self.frames if name == event]

    def names(self, prefix: str | None = None) -> list[str]:
        """Names of the frames received so far: table events and batches, or those starting with `prefix`."""
        with self._changed:
            if prefix is not None:
                return [name for name, _, _ in self.frames if name.startswith(prefix)]
            return [name for name, _, _ in self.frames if name.startswith("table:") or name == "tables:batch_update"]

    def wait_for(self, event: str, match: Callable[[object], bool] = lambda _: True, timeout: float = 5) -> object:
        """The first payload of `event` that matches, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, data, _ in self.frames:
                    if name == event and match(data):
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {event} matching within {timeout}s; got {self.names('')}")
                self._changed.wait(left)

    def arrival_of(self, event: str, match: Callable[[object], bool] = lambda _: True) -> float:
        """When the first matching frame arrived (monotonic clock)."""
        self.wait_for(event, match)
        with self._changed:
            return next(at for name, data, at in self.frames if name == event and match(data))

    def clear(self) -> None:
        with self._changed:
            self.frames.clear()

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
        self.sio.shutdown() if hasattr(self.sio, "shutdown") else None


def refused_handshake(url: str, **options) -> object:
    """Try a handshake that must fail; return the connect_error the client was given."""
    socket = LiveSocket(url, **options)
    try:
        socket.connect()
    except socketio.exceptions.ConnectionError:
        return socket.connect_error or "connection error"
    finally:
        # A refused namespace can leave the transport open; close it like a browser tab would.
        socket.close()
    raise AssertionError("the handshake was accepted")


def event_ids_in(event: str, data: object) -> list[int]:
    """The event ids one frame carries: one for a table event, several for a batch."""
    if event == "tables:batch_update":
        return [int(item["eventId"]) for item in data]
    if event.startswith("table:"):
        return [int(data["eventId"])]
    return []


def table_event_ids(socket: LiveSocket) -> list[int]:
    """Every event id the socket has seen in table events and batches, in arrival order."""
    return [event_id for name, data, _ in list(socket.frames) for event_id in event_ids_in(name, data)]


def status_changes(socket: LiveSocket) -> list[dict]:
    """Every status change the socket has received, alone or inside a batch, oldest first."""
    changes = []
    for name, data, _ in list(socket.frames):
        if name == "table:status_changed":
            changes.append(data)
        elif name == "tables:batch_update":
            changes.extend(data)
    return changes


def eventually(condition: Callable[[], bool], timeout: float = 5, interval: float = 0.02) -> bool:
    """Poll until `condition()` holds or `timeout` passes; return its last value."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return condition()
        time.sleep(interval)
    return True


def quiet(seconds: float = 0.3) -> None:
    """Give broadcasts that should not happen a fair chance to arrive."""
    time.sleep(seconds)


def signed_in_cookie(url: str, username: str, password: str = PASSWORD) -> tuple[requests.Session, str]:
    """Sign in through the /login form like a browser; return the session and its Cookie header."""
    browser = requests.Session()
    browser.headers["User-Agent"] = USER_AGENT
    csrf = browser.get(f"{url}/api/auth/csrf").json()["csrfToken"]
    response = browser.post(
        f"{url}/login",
        data={"username": username, "password": password, "csrf_token": csrf},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text
    browser.headers["X-CSRFToken"] = browser.get(f"{url}/api/auth/csrf").json()["csrfToken"]
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    return browser, cookie
