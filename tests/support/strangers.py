"""Clients that never sign in: raw Engine.IO sessions that open and then say nothing.

`Strangers` opens many WebSocket sessions at once without a thread per socket, and reads
them together to see which the server answered (101 and the `0` open packet) and which it
has since closed. A polling session is one `GET /socket.io/?EIO=4&transport=polling`.
"""

import base64
import json
import os
import selectors
import socket
import time
from urllib.parse import urlsplit

import requests

from tests.support.metrics import metric
from tests.support.sockets import USER_AGENT


def websocket_request(url: str, forwarded_for: str | None = None) -> bytes:
    """The HTTP request that opens a WebSocket-first Engine.IO session, as a browser sends it."""
    address = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    forwarded = f"X-Forwarded-For: {forwarded_for}\r\n" if forwarded_for else ""
    return (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {address.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {url}\r\nUser-Agent: {USER_AGENT}\r\n{forwarded}\r\n"
    ).encode()


class Strangers:
    """Many WebSocket sessions that never send the Socket.IO connect packet `40`."""

    def __init__(self, url: str) -> None:
        self.url = url
        address = urlsplit(url)
        self.address = (address.hostname, address.port)
        self.selector = selectors.DefaultSelector()
        self.received: dict[socket.socket, bytes] = {}
        self.answered = 0  # sessions the server opened (101 and the open packet)
        self.refused = 0  # handshakes the server answered with anything else (a 429 or 503)
        self.closed = 0  # sessions the server has closed since
        self.most_held = 0  # the most sessions open at one moment

    def open(self, count: int, forwarded_for: str | None = None, source: str | None = None) -> None:
        """Connect `count` sockets (from the local address `source`, if given) and send each its request.

        The kernel queues what the server has not accepted yet.
        """
        for _ in range(count):
            link = socket.create_connection(self.address, timeout=10, source_address=(source, 0) if source else None)
            link.sendall(websocket_request(self.url, forwarded_for))
            link.setblocking(False)
            self.received[link] = b""
            self.selector.register(link, selectors.EVENT_READ)

    @property
    def held(self) -> int:
        """Sessions answered and not yet closed."""
        return sum(1 for data in self.received.values() if _opened(data))

    def read(self, until, timeout: float) -> bool:
        """Read whatever arrives until `until(self)` holds or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        while not until(self) and time.monotonic() < deadline:
            for key, _ in self.selector.select(0.5):
                self._take(key.fileobj)
            self.most_held = max(self.most_held, self.held)
        return until(self)

    def _take(self, link: socket.socket) -> None:
        try:
            chunk = link.recv(65536)
        except BlockingIOError:
            return
        except ConnectionError:
            chunk = b""
        before = self.received[link]
        if chunk:
            self.received[link] = before + chunk
            if _opened(self.received[link]) and not _opened(before):
                self.answered += 1
            elif _refused(self.received[link]) and not _refused(before):
                self.refused += 1
            return
        self.selector.unregister(link)
        del self.received[link]
        link.close()
        self.closed += 1

    def close(self) -> None:
        for link in list(self.received):
            self.selector.unregister(link)
            link.close()
        self.received.clear()
        self.selector.close()


def _opened(data: bytes) -> bool:
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.startswith(b"HTTP/1.1 101") and b'"sid"' in rest


def _refused(data: bytes) -> bool:
    return b"\r\n\r\n" in data and not data.startswith(b"HTTP/1.1 101")


def open_polling_session(url: str, forwarded_for: str | None = None) -> requests.Response:
    """The first request of a long-polling Engine.IO session (the open packet, or a refusal)."""
    headers = {"User-Agent": USER_AGENT, **({"X-Forwarded-For": forwarded_for} if forwarded_for else {})}
    return requests.get(f"{url}/socket.io/?EIO=4&transport=polling", headers=headers, timeout=10)


def polling_sid(response: requests.Response) -> str:
    """The session id in a polling session's open packet."""
    assert response.status_code == 200 and response.text.startswith("0"), response.text
    return json.loads(response.text[1:].split("\x1e")[0])["sid"]


def wait_until_no_sessions(url: str, timeout: float = 20) -> None:
    """Wait until the server holds no session, signed in or waiting to, of an earlier test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not metric(url, "tableside_sessions_unauthenticated") and not metric(url, "tableside_ws_connections"):
            return
        time.sleep(0.2)
    raise AssertionError("sessions of an earlier test are still open")
