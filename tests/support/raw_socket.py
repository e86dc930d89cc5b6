"""WebSockets by hand: raw RFC 6455 frames, and a Socket.IO client read only when the test says so.

`FrameLink` does the handshake itself and then sends whatever bytes a test builds with
`client_frame`, reading the server's frames one by one: the conformance tests' client.
python-socketio's client reads its socket all the time; a tablet whose app hangs does not.
`RawSocket` speaks Engine.IO 4 / Socket.IO 5 itself (`0` open, `40` connect, `2`/`3` ping and
pong, `42` events, `43` acks) and touches its socket only inside `read_until`.

Both judge every Socket.IO event and acknowledgement they read against the AsyncAPI document
(tests/support/asyncapi.py); FrameLink knows which event an acknowledgement answers by reading
the events in the frames the test sent.
"""

import base64
import json
import os
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import websocket

from tests.support import asyncapi
from tests.support.sockets import USER_AGENT, event_ids_in

# A Socket.IO EVENT (2) or ACK (3) packet on the default namespace inside Engine.IO's message (4).
SOCKETIO_PACKET = re.compile(r"4([23])([0-9]*)(\[.*)", re.DOTALL)
EVENT, ACK = "2", "3"


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


def close_payload(code: int, reason: bytes = b"") -> bytes:
    """What a close frame carries: the status code in two bytes, then the reason."""
    return code.to_bytes(2, "big") + reason


@dataclass
class Frame:
    """One frame from the server (or, unmasked, from this client)."""

    final: bool
    opcode: int
    payload: bytes

    @property
    def close_code(self) -> int | None:
        return int.from_bytes(self.payload[:2], "big") if self.opcode == 0x8 and self.payload else None


def read_frame(data: bytes) -> tuple[Frame, bool, bytes] | None:
    """The first whole frame in `data`, unmasked, whether it was masked, and the bytes after it; None if incomplete."""
    if len(data) < 2:
        return None
    masked = bool(data[1] & 0x80)
    size, start = data[1] & 0x7F, 2
    if size == 126:
        size, start = int.from_bytes(data[2:4], "big"), 4
    elif size == 127:
        size, start = int.from_bytes(data[2:10], "big"), 10
    key, start = (data[start : start + 4], start + 4) if masked else (b"", start)
    if len(data) < start + size:
        return None
    payload = data[start : start + size]
    if masked:
        payload = bytes(byte ^ key[n % 4] for n, byte in enumerate(payload))
    return Frame(bool(data[0] & 0x80), data[0] & 0x0F, payload), masked, data[start + size :]


def socketio_packet(text: str) -> tuple[str, int | None, list] | None:
    """A Socket.IO event or acknowledgement packet as (EVENT or ACK, its id, its arguments); None for others."""
    found = SOCKETIO_PACKET.fullmatch(text)
    if found is None:
        return None
    try:
        arguments = json.loads(found[3])
    except (ValueError, RecursionError):  # the garbage tests send arrays nested 5,000 deep
        return None
    if not isinstance(arguments, list):
        return None
    return found[1], int(found[2]) if found[2] else None, arguments


class Judge:
    """Hands each event and acknowledgement a raw client reads to tests/support/asyncapi.py."""

    def __init__(self) -> None:
        self.asked: dict[int, str] = {}  # acknowledgement id -> the event it answers

    def sent(self, text: str) -> None:
        """Note an event this client sent with an acknowledgement id."""
        packet = socketio_packet(text)
        if packet is not None and packet[0] == EVENT and packet[1] is not None and packet[2]:
            self.asked[packet[1]] = packet[2][0]

    def read(self, text: str) -> tuple[str, int | None, list] | None:
        """Judge a packet the server sent; return it parsed (None when it is no event or acknowledgement)."""
        packet = socketio_packet(text)
        if packet is None:
            return None
        kind, number, arguments = packet
        if kind == EVENT:
            asyncapi.received(arguments[0] if arguments else None, arguments[1] if len(arguments) > 1 else None)
        else:
            asyncapi.answered(self.asked.pop(number, None), arguments[0] if arguments else None)
        return packet


class FrameLink:
    """A WebSocket to `/socket.io/` that has read the `0` open packet; the test sends raw frames.

    With `sid` it is instead the upgrade of that long-polling session (no open packet comes).
    """

    def __init__(self, url: str, timeout: float = 10, sid: str | None = None) -> None:
        address = urlsplit(url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /socket.io/?EIO=4&transport=websocket{f'&sid={sid}' if sid else ''} HTTP/1.1\r\n"
                f"Host: {address.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: {url}\r\nUser-Agent: {USER_AGENT}\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        self.judge = Judge()
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        if sid:
            return
        opening = self.next_frame()
        assert opening.opcode == 0x1 and opening.payload.startswith(b"0"), opening

    def send(self, *frames: bytes) -> None:
        """Send frames in one write (one TCP segment, as far as the kernel allows)."""
        self._note_events(frames)
        self.sock.sendall(b"".join(frames))

    def _note_events(self, frames: tuple[bytes, ...]) -> None:
        """Remember the events among whole text frames sent, to know what their acknowledgements answer."""
        for data in frames:
            while (read := read_frame(data)) is not None:
                frame, _, data = read
                if frame.final and frame.opcode == 0x1:
                    self.judge.sent(frame.payload.decode(errors="replace"))

    def send_byte_by_byte(self, data: bytes) -> None:
        """Send each byte in a write of its own, as separate segments."""
        for byte in data:
            self.sock.sendall(bytes((byte,)))
            time.sleep(0.002)

    def next_frame(self) -> Frame | None:
        """The server's next frame other than an Engine.IO ping; None if the connection ended first."""
        while True:
            frame = self._frame()
            if frame is not None and frame.final and frame.opcode == 0x1:
                self.judge.read(frame.payload.decode(errors="replace"))
            if frame is None or frame.opcode != 0x1 or frame.payload != b"2":
                return frame

    def texts(self, count: int) -> list[str]:
        """The next `count` frames, which must be text frames."""
        frames = [self.next_frame() for _ in range(count)]
        assert all(frame is not None and frame.opcode == 0x1 for frame in frames), frames
        return [frame.payload.decode() for frame in frames]

    def closing(self) -> Frame:
        """The server's close frame, after which it must end the TCP connection."""
        frame = self.next_frame()
        assert frame is not None and frame.opcode == 0x8, frame
        assert self.ended(), "the server kept the connection open after its close frame"
        return frame

    def close_code_for(self, *frames: bytes) -> int:
        """Send frames the server must refuse; the code of its close frame (this end is closed after)."""
        try:
            self.send(*frames)
            return self.closing().close_code
        finally:
            self.close()

    def ended(self) -> bool:
        """Whether the server ends the TCP connection (without sending anything more)."""
        try:
            return self._receive() == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()

    def _frame(self) -> Frame | None:
        while True:
            frame = self._parse()
            if frame is not None:
                return frame
            try:
                if not self._receive():
                    return None
            except ConnectionResetError:
                return None

    def _parse(self) -> Frame | None:
        read = read_frame(self.buffer)
        if read is None:
            return None
        frame, masked, self.buffer = read
        assert not masked, "server frames are never masked"
        return frame

    def _receive(self) -> bytes:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return chunk


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
        self.judge = Judge()
        self.joined_namespace = False
        assert self.ws.recv().startswith("0")
        self.ws.send("40" + json.dumps({"token": token}))
        assert self.read_until(lambda: self.joined_namespace, 10), self.events

    def call(self, event: str, data: object, timeout: float = 10) -> object:
        """Emit with an acknowledgement and read until it comes (keeping what arrives first)."""
        ack = self._next_ack
        self._next_ack += 1
        packet = f"42{ack}" + json.dumps([event, data])
        self.judge.sent(packet)
        self.ws.send(packet)
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
        elif (packet := self.judge.read(frame)) is not None:
            kind, number, arguments = packet
            if kind == EVENT:
                name, *data = arguments
                self.events.append((name, data[0] if data else None))
            else:
                self._acks[number] = arguments[0]
        elif frame.startswith("40"):
            self.joined_namespace = True
        elif frame.startswith("1") or frame.startswith("41") or frame.startswith("44"):
            self.closed = True

    def table_event_ids(self) -> list[int]:
        return [event_id for name, data in self.events for event_id in event_ids_in(name, data)]

    def close(self) -> None:
        self.ws.close()
