"""WebSocket frames (RFC 6455) as Tableside's wire sends and reads them.

Sending: one unmasked text or binary frame per Engine.IO packet, built once per packet.
Reading: a client's masked frames, parsed from whatever bytes one `recv` returned
(eventlet's reader makes three calls per frame and unmasks byte by byte in Python, which
5,000 sockets answering pings every 2 s made the largest idle cost).
No extension is ever agreed (the offer is dropped), so reserved bits must be zero.
"""

CLOSE, PING, PONG = 0x8, 0x9, 0xA
TEXT, BINARY, CONTINUATION = 0x1, 0x2, 0x0
NORMAL_CLOSURE, PROTOCOL_ERROR, NOT_UTF8, TOO_BIG = 1000, 1002, 1007, 1009


class ProtocolError(Exception):
    """The client broke RFC 6455; `code` is the close status to answer with."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def websocket_frame(data: str | bytes, opcode: int | None = None) -> bytes:
    """One unmasked, final frame (server to client) holding `data`."""
    if isinstance(data, str):
        payload, opcode = data.encode(), opcode or TEXT
    else:
        payload, opcode = data, opcode or BINARY
    size = len(payload)
    if size < 126:
        header = bytes((0x80 | opcode, size))
    elif size < 1 << 16:
        header = bytes((0x80 | opcode, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 127)) + size.to_bytes(8, "big")
    return header + payload


def close_frame(code: int) -> bytes:
    return websocket_frame(code.to_bytes(2, "big"), CLOSE)


def unmask(payload: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte key, as one big-integer operation instead of a loop per byte."""
    size = len(payload)
    if not size:
        return payload
    keys = (key * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(keys, "big")).to_bytes(size, "big")


class FrameReader:
    """Messages from one client's bytes as they arrive; control frames are answered through `reply`."""

    def __init__(self, limit: int, reply) -> None:
        self.limit = limit
        self.reply = reply
        self.buffer = bytearray()
        self.closed = False
        # A message still arriving in fragments: its kind, its parts so far and their size.
        self.kind: int | None = None
        self.parts: list[bytes] = []
        self.size = 0

    def feed(self, data: bytes) -> list[str | bytes]:
        """Take bytes from the socket; return each whole text (str) or binary (bytes) message they finish.

        After a close frame `closed` is true and nothing more is read.
        """
        self.buffer += data
        messages = []
        while not self.closed:
            frame = self._parse(self.buffer)
            if frame is None:
                break
            message = self._take(*frame)
            if message is not None:
                messages.append(message)
        return messages

    def _take(self, final: bool, opcode: int, payload: bytes) -> str | bytes | None:
        if opcode & 0x8:
            if opcode == CLOSE:
                self.closed = True
            elif opcode == PING:
                self.reply(websocket_frame(payload, PONG))
            elif opcode != PONG:
                raise ProtocolError(PROTOCOL_ERROR, "unknown control frame")
            return None
        if (opcode == CONTINUATION) != (self.kind is not None):
            raise ProtocolError(PROTOCOL_ERROR, "fragments out of order")
        if opcode not in (TEXT, BINARY, CONTINUATION):
            raise ProtocolError(PROTOCOL_ERROR, "unknown opcode")
        self.kind = self.kind or opcode
        self.size += len(payload)
        if self.size > self.limit:
            raise ProtocolError(TOO_BIG, "message too large")
        self.parts.append(payload)
        if not final:
            return None
        data = self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)
        kind, self.kind, self.parts, self.size = self.kind, None, [], 0
        if kind == BINARY:
            return data
        try:
            return data.decode()
        except UnicodeDecodeError:
            raise ProtocolError(NOT_UTF8, "text is not UTF-8") from None

    def _parse(self, buffer: bytearray) -> tuple[bool, int, bytes] | None:
        if len(buffer) < 2:
            return None
        first, second = buffer[0], buffer[1]
        if first & 0x70:
            raise ProtocolError(PROTOCOL_ERROR, "reserved bits set")
        if not second & 0x80:
            raise ProtocolError(PROTOCOL_ERROR, "client frames must be masked")
        opcode, size, start = first & 0x0F, second & 0x7F, 2
        if size == 126:
            if len(buffer) < 4:
                return None
            size, start = int.from_bytes(buffer[2:4], "big"), 4
        elif size == 127:
            if len(buffer) < 10:
                return None
            size, start = int.from_bytes(buffer[2:10], "big"), 10
        if opcode & 0x8 and (size > 125 or not first & 0x80):
            raise ProtocolError(PROTOCOL_ERROR, "bad control frame")
        if size > self.limit:
            raise ProtocolError(TOO_BIG, "frame too large")
        end = start + 4 + size
        if len(buffer) < end:
            return None
        payload = unmask(bytes(buffer[start + 4 : end]), bytes(buffer[start : start + 4]))
        del buffer[:end]
        return bool(first & 0x80), opcode, payload
