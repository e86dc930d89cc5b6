"""WebSocket frames (RFC 6455) as Tableside's wire sends and reads them.

Sending: one unmasked text or binary frame per Engine.IO packet, built once per packet.
Reading: a client's masked frames, from one buffer filled by as few `recv` calls as the
kernel allows (eventlet's reader makes three per frame and unmasks byte by byte in Python,
which 5,000 sockets answering pings every 2 s make the largest idle cost).
No extension is ever agreed (the offer is dropped), so reserved bits must be zero.
"""

CLOSE, PING, PONG = 0x8, 0x9, 0xA
TEXT, BINARY, CONTINUATION = 0x1, 0x2, 0x0
PROTOCOL_ERROR, NOT_UTF8, TOO_BIG = 1002, 1007, 1009
READ_SIZE = 16384


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
    """Messages from one client socket; control frames are answered through `reply`."""

    def __init__(self, sock, limit: int, reply) -> None:
        self.sock = sock
        self.limit = limit
        self.reply = reply
        self.buffer = bytearray()

    def messages(self):
        """Each whole text (str) or binary (bytes) message, until the client closes or breaks the rules."""
        kind, parts, size = None, [], 0
        while True:
            frame = self._frame()
            if frame is None:
                return
            final, opcode, payload = frame
            if opcode & 0x8:
                if opcode == CLOSE:
                    return
                if opcode == PING:
                    self.reply(websocket_frame(payload, PONG))
                elif opcode != PONG:
                    raise ProtocolError(PROTOCOL_ERROR, "unknown control frame")
                continue
            if (opcode == CONTINUATION) != (kind is not None):
                raise ProtocolError(PROTOCOL_ERROR, "fragments out of order")
            if opcode not in (TEXT, BINARY, CONTINUATION):
                raise ProtocolError(PROTOCOL_ERROR, "unknown opcode")
            kind = kind or opcode
            size += len(payload)
            if size > self.limit:
                raise ProtocolError(TOO_BIG, "message too large")
            parts.append(payload)
            if final:
                data = parts[0] if len(parts) == 1 else b"".join(parts)
                if kind == TEXT:
                    try:
                        data = data.decode()
                    except UnicodeDecodeError:
                        raise ProtocolError(NOT_UTF8, "text is not UTF-8") from None
                kind, parts, size = None, [], 0
                yield data

    def _frame(self) -> tuple[bool, int, bytes] | None:
        """The next frame (final?, opcode, unmasked payload), or None at the end of the stream."""
        buffer = self.buffer
        while True:
            frame = self._parse(buffer)
            if frame is not None:
                return frame
            data = self.sock.recv(READ_SIZE)
            if not data:
                return None
            buffer += data

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
