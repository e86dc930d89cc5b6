"""WebSocket frames (RFC 6455) as Tableside's wire sends and reads them.

Sending: one unmasked text or binary frame per Engine.IO packet, built once per packet.
Reading: a client's masked frames, parsed from whatever bytes one `recv` returned
(eventlet's reader makes three calls per frame and unmasks byte by byte in Python, which
5,000 sockets answering pings every 2 s made the largest idle cost).
No extension is ever agreed (the offer is dropped), so reserved bits must be zero.
A close frame is checked (section 7.4) and answered with the code it carried.
"""

import codecs

CLOSE, PING, PONG = 0x8, 0x9, 0xA
TEXT, BINARY, CONTINUATION = 0x1, 0x2, 0x0
NORMAL_CLOSURE, PROTOCOL_ERROR, NOT_UTF8, POLICY_VIOLATION, TOO_BIG = 1000, 1002, 1007, 1008, 1009
# Close codes a peer may send (RFC 6455 7.4 and IANA's registry); 1004-1006 and 1015 never go on the wire.
SENDABLE_CLOSE_CODES = frozenset((*range(1000, 1004), *range(1007, 1015), *range(3000, 5000)))


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


def close_code_of(payload: bytes) -> int:
    """The code to answer a client's close frame with: its own, or 1000 when it gave none."""
    if not payload:
        return NORMAL_CLOSURE
    code = int.from_bytes(payload[:2], "big")
    if len(payload) == 1 or code not in SENDABLE_CLOSE_CODES:
        raise ProtocolError(PROTOCOL_ERROR, "bad close code")
    try:
        payload[2:].decode()
    except UnicodeDecodeError:
        raise ProtocolError(NOT_UTF8, "close reason is not UTF-8") from None
    return code


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
        # The code to answer the client's close frame with, once it came.
        self.close_code: int | None = None
        # A message still arriving in fragments: its kind, its parts so far and their size. The
        # parts of a text are decoded as they come, so bad UTF-8 fails before the message ends.
        self.kind: int | None = None
        self.parts: list[str | bytes] = []
        self.size = 0
        self.text = codecs.getincrementaldecoder("utf-8")()
        # A text frame still arriving: how much of its payload was decoded ahead, and by what.
        self.checked = 0
        self.ahead = None

    def feed(self, data: bytes):
        """Take bytes from the socket; yield each whole text (str) or binary (bytes) message they finish.

        Messages come out in order, each before the next frame is read: a frame breaking the
        rules raises ProtocolError only once the messages before it were handled. After a close
        frame `closed` is true, `close_code` says how to answer, and nothing more is read.
        """
        self.buffer += data
        while not self.closed:
            try:
                frame = self._parse(self.buffer)
                if frame is None:
                    return
                message = self._take(*frame)
            except ProtocolError:
                self.closed = True
                raise
            if message is not None:
                yield message

    def _take(self, final: bool, opcode: int, payload: bytes) -> str | bytes | None:
        if opcode & 0x8:
            if opcode == CLOSE:
                self.close_code = close_code_of(payload)
                self.closed = True
            elif opcode == PING:
                self.reply(websocket_frame(payload, PONG))
            elif opcode != PONG:
                raise ProtocolError(PROTOCOL_ERROR, "unknown control frame")
            return None
        if opcode not in (TEXT, BINARY, CONTINUATION):
            raise ProtocolError(PROTOCOL_ERROR, "unknown opcode")
        if (opcode == CONTINUATION) != (self.kind is not None):
            raise ProtocolError(PROTOCOL_ERROR, "fragments out of order")
        self.size += len(payload)
        if self.size > self.limit:
            raise ProtocolError(TOO_BIG, "message too large")
        if final and self.kind is None:
            # A whole message in one frame, as nearly every message comes.
            self.size = 0
            return _text(payload) if opcode == TEXT else payload
        self.kind = self.kind or opcode
        if self.kind == TEXT:
            try:
                self.parts.append(self.text.decode(payload, final))
            except UnicodeDecodeError:
                raise ProtocolError(NOT_UTF8, "text is not UTF-8") from None
        else:
            self.parts.append(payload)
        if not final:
            return None
        parts, kind = self.parts, self.kind
        self.kind, self.parts, self.size = None, [], 0
        return "".join(parts) if kind == TEXT else b"".join(parts)

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
            if (opcode or self.kind) == TEXT:
                self._decode_ahead(buffer, start)
            return None
        if self.checked:
            self.checked, self.ahead = 0, None
        payload = unmask(bytes(buffer[start + 4 : end]), bytes(buffer[start : start + 4]))
        del buffer[:end]
        return bool(first & 0x80), opcode, payload

    def _decode_ahead(self, buffer: bytearray, start: int) -> None:
        """Decode what came of an unfinished text frame, so bad UTF-8 fails before the frame ends."""
        begin = start + 4 + self.checked
        if len(buffer) <= begin:
            return
        if not self.checked:
            self.ahead = codecs.getincrementaldecoder("utf-8")()
            self.ahead.setstate(self.text.getstate())
        shift = self.checked % 4
        key = bytes(buffer[start + shift : start + 4]) + bytes(buffer[start : start + shift])
        arrived = unmask(bytes(buffer[begin:]), key)
        self.checked += len(arrived)
        try:
            self.ahead.decode(arrived)
        except UnicodeDecodeError:
            raise ProtocolError(NOT_UTF8, "text is not UTF-8") from None


def _text(payload: bytes) -> str:
    try:
        return payload.decode()
    except UnicodeDecodeError:
        raise ProtocolError(NOT_UTF8, "text is not UTF-8") from None
