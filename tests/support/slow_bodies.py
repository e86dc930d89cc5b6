"""Clients that send a request's headers at once and then its body one byte now and then.

Each of `SlowBodies`' senders keeps one such request going: when the server answers or hangs
up, it notes how and when, and starts the next at once, as an attacker would. `Attempt`s are
the requests sent; one with `ended_at` unset is still waiting for its body to be taken, and
one still waiting when the senders stop ends then, answered STILL_WAITING.
"""

import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.support.sockets import USER_AGENT

STILL_WAITING = "still waiting"


@dataclass
class Attempt:
    """One slow request: when its headers were sent, and when and how it ended."""

    headers_sent_at: float
    ended_at: float | None = None
    answer: str | None = None  # the status code the server sent, "closed" when it hung up first, or STILL_WAITING

    @property
    def lasted(self) -> float:
        return (self.ended_at or time.monotonic()) - self.headers_sent_at


def slow_request_head(url: str, method: str, path: str, declared: int, headers: dict[str, str]) -> bytes:
    """A request line and headers announcing a body of `declared` bytes (a form's, unless `headers` say)."""
    address = urlsplit(url)
    fields = {
        "Host": address.netloc,
        "User-Agent": USER_AGENT,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(declared),
        **headers,
    }
    lines = [f"{method} {path} HTTP/1.1", *(f"{name}: {value}" for name, value in fields.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class SlowBodies:
    """`count` senders, each keeping one slow request to `path` going until `stop()`."""

    def __init__(
        self,
        url: str,
        path: str,
        count: int,
        headers: dict[str, str] | None = None,
        method: str = "POST",
        declared: int = 100,
        pause: float = 1.0,
    ) -> None:
        address = urlsplit(url)
        self.address = (address.hostname, address.port)
        self.head = slow_request_head(url, method, path, declared, headers or {})
        self.declared = declared
        self.pause = pause
        self.count = count
        self.attempts: list[Attempt] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> "SlowBodies":
        for _ in range(self.count):
            thread = threading.Thread(target=self._keep_sending, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=self.pause + 10)

    def waiting(self) -> int:
        """Requests whose headers are sent and which the server has neither answered nor hung up on."""
        with self._lock:
            return sum(attempt.ended_at is None for attempt in self.attempts)

    def cut(self) -> list[Attempt]:
        """The requests the server answered or hung up on, in the order they were sent."""
        with self._lock:
            return [attempt for attempt in self.attempts if attempt.ended_at and attempt.answer != STILL_WAITING]

    def _keep_sending(self) -> None:
        while not self._stopping.is_set():
            try:
                link = socket.create_connection(self.address, timeout=self.pause)
            except OSError:
                time.sleep(self.pause)
                continue
            try:
                self._send_one(link)
            finally:
                link.close()

    def _send_one(self, link: socket.socket) -> None:
        link.sendall(self.head)
        attempt = Attempt(time.monotonic())
        with self._lock:
            self.attempts.append(attempt)
        sent = 0
        answer = None
        while answer is None and not self._stopping.is_set():
            try:
                received = link.recv(65536)
                answer = received.split(b" ", 2)[1].decode() if received else "closed"
            except TimeoutError:
                if sent < self.declared:
                    try:
                        link.sendall(b"a")
                    except OSError:
                        answer = "closed"
                    sent += 1
            except OSError:
                answer = "closed"
        with self._lock:
            attempt.ended_at, attempt.answer = time.monotonic(), answer or STILL_WAITING
