"""A Socket.IO client by hand over one WebSocket, read only when the test says so.

python-socketio's client reads its socket all the time; a tablet whose app hangs does not.
This one speaks Engine.IO 4 / Socket.IO 5 itself (`0` open, `40` connect, `2`/`3` ping and
pong, `42` events, `43` acks) and touches its socket only inside `read_until`.
"""

import json
import socket
import time
from urllib.parse import urlsplit

import websocket

from tests.support.sockets import USER_AGENT, event_ids_in


def client_frame(payload: bytes, opcode: int = 0x1, final: bool = True, key: bytes = b"\x37\xfa\x21\x3d") -> bytes:
    """A masked frame as a browser sends it (RFC 6455 section 5.2), masked byte by byte."""
    size = len(payload)
    first = (0x80 if final else 0) | opcode
    if size < 126:
        header = bytes((first, 0x80 | size))
    elif size < 1 << 16:
        header = bytes((first, 0x80 | 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((first, 0x80 | 127)) + size.to_bytes(8, "big")
    return header + key + bytes(byte ^ key[n % 4] for n, byte in enumerate(payload))


class RawSocket:
    """One WebSocket-first Socket.IO connection with a small kernel receive buffer."""

    def __init__(self, url: str, token: str, receive_buffer: int = 4096) -> None:
        address = urlsplit(url)
        self.ws = websocket.create_connection(
            f"ws://{address.netloc}/socket.io/?EIO=4&transport=websocket",
            header=[f"User-Agent: {USER_AGENT}"],
            origin=url,
            sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer),),
            timeout=10,
        )
        self.events: list[tuple[str, object]] = []
        self.closed = False
        self._acks: dict[int, object] = {}
        self._next_ack = 0
        self.joined_namespace = False
        assert self.ws.recv().startswith("0")
        self.ws.send("40" + json.dumps({"token": token}))
        assert self.read_until(lambda: self.joined_namespace, 10), self.events

    def call(self, event: str, data: object, timeout: float = 10) -> object:
        """Emit with an acknowledgement and read until it comes (keeping what arrives first)."""
        ack = self._next_ack
        self._next_ack += 1
        self.ws.send(f"42{ack}" + json.dumps([event, data]))
        self.read_until(lambda: ack in self._acks, timeout)
        return self._acks.pop(ack)

    def read_until(self, done, timeout: float) -> bool:
        """Read frames (answering pings) until `done()` or the connection ends or time runs out."""
        deadline = time.monotonic() + timeout
        while not done() and not self.closed and time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                self._take(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            except (websocket.WebSocketConnectionClosedException, ConnectionError):
                self.closed = True
        return done()

    def _take(self, frame: str) -> None:
        if frame == "":
            self.closed = True
        elif frame == "2":
            self.ws.send("3")
        elif frame.startswith("42"):
            name, *data = json.loads(frame[2:])
            self.events.append((name, data[0] if data else None))
        elif frame.startswith("43"):
            body = frame[2:]
            split = body.index("[")
            self._acks[int(body[:split])] = json.loads(body[split:])[0]
        elif frame.startswith("40"):
            self.joined_namespace = True
        elif frame.startswith("1") or frame.startswith("41") or frame.startswith("44"):
            self.closed = True

    def table_event_ids(self) -> list[int]:
        return [event_id for name, data in self.events for event_id in event_ids_in(name, data)]

    def close(self) -> None:
        self.ws.close()
