"""WebSocket frames as the wire builds and reads them, checked against RFC 6455 by hand."""

import os

import pytest

from app.realtime.transport.frames import (
    BINARY,
    CLOSE,
    PING,
    PONG,
    FrameReader,
    ProtocolError,
    close_code_of,
    close_frame,
    unmask,
    websocket_frame,
)
from tests.support.raw_socket import client_frame


def read_all(data: bytes, limit: int = 65536, step: int = 3) -> tuple[list, list[bytes]]:
    """Feed what a client sent a few bytes at a time, as the kernel may hand it over, until it closes."""
    replies: list[bytes] = []
    reader = FrameReader(limit, replies.append)
    messages = []
    for start in range(0, len(data), step):
        messages += reader.feed(data[start : start + step])
        if reader.closed:
            break
    return messages, replies


@pytest.mark.parametrize("size", [0, 5, 125, 126, 65535, 65536, 70000])
def test_a_server_frame_carries_its_length_in_the_short_medium_or_long_form(size):
    frame = websocket_frame("x" * size)
    assert frame[0] == 0x81
    if size < 126:
        assert frame[1] == size and frame[2:] == b"x" * size
    elif size < 65536:
        assert frame[1] == 126 and int.from_bytes(frame[2:4], "big") == size and len(frame) == 4 + size
    else:
        assert frame[1] == 127 and int.from_bytes(frame[2:10], "big") == size and len(frame) == 10 + size


def test_binary_data_goes_in_a_binary_frame_and_a_close_frame_carries_its_code():
    assert websocket_frame(b"\x00\x01")[:2] == bytes((0x80 | BINARY, 2))
    assert close_frame(1009) == bytes((0x80 | CLOSE, 2)) + (1009).to_bytes(2, "big")


def test_unmasking_matches_the_byte_by_byte_rule():
    payload, key = os.urandom(1001), b"\x01\x80\xff\x7e"
    assert unmask(payload, key) == bytes(byte ^ key[n % 4] for n, byte in enumerate(payload))
    assert unmask(b"", key) == b""


def test_messages_arrive_whole_however_the_bytes_are_split():
    join = b'420["tables:join",{"floor":1}]'
    stream = client_frame(join) + client_frame(b"3") + client_frame("é".encode() * 200)
    for step in (1, 2, 7, 4096):
        messages, _ = read_all(stream, step=step)
        assert messages == ['420["tables:join",{"floor":1}]', "3", "é" * 200]


def test_a_fragmented_message_is_joined_and_a_ping_in_between_is_answered():
    stream = (
        client_frame(b'42["a', final=False)
        + client_frame(b"hello", PING)
        + client_frame(b'bc"]', opcode=0)
        + client_frame(b"", CLOSE)
        + client_frame(b"never read")
    )
    messages, replies = read_all(stream)
    assert messages == ['42["abc"]']
    assert replies == [bytes((0x80 | PONG, 5)) + b"hello"]


@pytest.mark.parametrize(
    ("stream", "code"),
    [
        (bytes((0x81, 0x01)) + b"3", 1002),  # unmasked
        (client_frame(b"3", opcode=0x3), 1002),  # unknown opcode
        (bytes((0xC1,)) + client_frame(b"3")[1:], 1002),  # compressed without agreeing to it
        (client_frame(b"x", opcode=0), 1002),  # continuation of nothing
        (client_frame(b"\xff\xfe"), 1007),  # text that is not UTF-8
        (client_frame(b"x" * 200), 1009),  # over the limit
        (client_frame(b"x" * 60, final=False) + client_frame(b"x" * 60, opcode=0), 1009),
    ],
)
def test_a_client_that_breaks_the_rules_is_told_why(stream, code):
    with pytest.raises(ProtocolError) as refused:
        read_all(stream, limit=100)
    assert refused.value.code == code


def test_the_stream_ending_mid_frame_ends_the_messages():
    assert read_all(client_frame(b"complete") + client_frame(b"cut short")[:5]) == (["complete"], [])


@pytest.mark.parametrize(
    ("payload", "code"),
    [(b"", 1000), (b"\x03\xe9", 1001), (b"\x0f\xa0bye", 4000), (b"\x03\xf4" + "é".encode(), 1012)],
)
def test_a_close_frame_is_answered_with_its_own_code(payload, code):
    assert close_code_of(payload) == code


@pytest.mark.parametrize(
    ("payload", "code"),
    [(b"\x03", 1002), (b"\x03\xed", 1002), (b"\x03\xf7", 1002), (b"\x13\x88", 1002), (b"\x03\xe8\xff", 1007)],
    ids=["one-byte", "1005", "1015", "5000", "reason-not-utf8"],
)
def test_a_close_frame_breaking_section_7_4_is_refused(payload, code):
    with pytest.raises(ProtocolError) as refused:
        close_code_of(payload)
    assert refused.value.code == code


def test_messages_before_a_bad_frame_come_out_before_the_error():
    reader = FrameReader(100, [].append)
    arriving = reader.feed(client_frame(b"first") + client_frame(b"second") + bytes((0xF1,)) + client_frame(b"x")[1:])
    assert [next(arriving), next(arriving)] == ["first", "second"]
    with pytest.raises(ProtocolError):
        next(arriving)
    assert reader.closed


def test_bad_utf8_in_a_fragment_fails_before_the_message_ends():
    reader = FrameReader(100, [].append)
    with pytest.raises(ProtocolError) as refused:
        list(reader.feed(client_frame(b"ok", final=False) + client_frame(b"\xed\xa0\x80", opcode=0, final=False)))
    assert refused.value.code == 1007


def test_bad_utf8_in_a_frame_still_arriving_fails_at_once():
    frame = client_frame("é".encode() * 50 + b"\xf4\x90\x80\x80" + b"x" * 100)
    reader = FrameReader(1000, [].append)
    assert list(reader.feed(frame[:60])) == []
    with pytest.raises(ProtocolError) as refused:
        list(reader.feed(frame[60:112]))
    assert refused.value.code == 1007
