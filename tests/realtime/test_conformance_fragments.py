"""RFC 6455 conformance at `/socket.io/`, part two: fragments, control frames, pings and UTF-8.

Like Autobahn|Testsuite's cases 2, 3, 5 and 6, against a real server with direct writes on and
off. The probe is Engine.IO's upgrade packet `5...`, answered `6`.
"""

import pytest

from tests.support.raw_socket import FrameLink, client_frame

pytestmark = pytest.mark.live
PING, PONG, CONTINUATION = 0x9, 0xA, 0x0


@pytest.fixture
def link(each_mode_server):
    """A fresh WebSocket to the server, closed after the test."""
    opened = FrameLink(each_mode_server.url)
    yield opened
    opened.close()


def fragments(*parts: bytes, opcode: int = 0x1) -> list[bytes]:
    """One message as a first frame and continuations, the last one final."""
    return [
        client_frame(part, opcode=opcode if n == 0 else CONTINUATION, final=n == len(parts) - 1)
        for n, part in enumerate(parts)
    ]


@pytest.mark.parametrize("size", [0, 1, 125])
def test_a_ping_is_answered_with_a_pong_carrying_its_payload(link, size):
    payload = bytes(range(size))
    link.send(client_frame(payload, opcode=PING))
    pong = link.next_frame()
    assert (pong.final, pong.opcode, pong.payload) == (True, PONG, payload)


def test_a_ping_of_126_bytes_is_refused_with_1002(link):
    link.send(client_frame(b"p" * 126, opcode=PING))
    assert link.closing().close_code == 1002


def test_an_unasked_pong_is_ignored(link):
    link.send(client_frame(b"hello", opcode=PONG), client_frame(b"5"))
    assert link.texts(1) == ["6"]


def test_a_fragmented_ping_is_refused_with_1002(link):
    link.send(client_frame(b"pi", opcode=PING, final=False), client_frame(b"ng", opcode=CONTINUATION))
    assert link.closing().close_code == 1002


@pytest.mark.parametrize("count", [2, 3, 20])
def test_a_message_in_fragments_is_taken_whole(link, count):
    link.send(*fragments(b"5", *([b"x"] * (count - 1))))
    assert link.texts(1) == ["6"]


def test_empty_fragments_are_taken(link):
    link.send(*fragments(b"", b"5", b"", b""))
    assert link.texts(1) == ["6"]


def test_pings_between_fragments_are_answered_while_the_message_is_incomplete(link):
    first, middle, last = fragments(b"5a", b"b", b"c")
    link.send(first, client_frame(b"one", opcode=PING), middle, client_frame(b"two", opcode=PING))
    assert [(frame.opcode, frame.payload) for frame in (link.next_frame(), link.next_frame())] == [
        (PONG, b"one"),
        (PONG, b"two"),
    ]
    link.send(client_frame(b"x", opcode=PONG), last)
    assert link.texts(1) == ["6"]


def test_fragments_sent_one_by_one_make_one_message(link):
    for frame in fragments(b"5", b"ab", b"cd"):
        link.send_byte_by_byte(frame)
    assert link.texts(1) == ["6"]


@pytest.mark.parametrize("final", [True, False], ids=["final", "not-final"])
def test_a_continuation_without_a_start_is_refused_with_1002(link, final):
    link.send(client_frame(b"5", opcode=CONTINUATION, final=final))
    assert link.closing().close_code == 1002


@pytest.mark.parametrize("opcode", [0x1, 0x2])
def test_a_new_message_inside_a_fragmented_one_is_refused_with_1002(link, opcode):
    link.send(client_frame(b"5", final=False), client_frame(b"x", opcode=opcode))
    assert link.closing().close_code == 1002


@pytest.mark.parametrize(
    "parts",
    [
        ["κόσμε".encode()],
        ["κόσμε".encode()[:3], "κόσμε".encode()[3:]],  # split inside a character
        [bytes((byte,)) for byte in "κόσμε ✓ 𝄞".encode()],  # one byte a fragment
        ["\U0010ffff\ud7ff\ue000".encode()],  # the edges of valid code points
    ],
    ids=["whole", "split-in-a-character", "byte-per-fragment", "edge-code-points"],
)
def test_valid_utf8_is_taken_however_it_is_fragmented(link, parts):
    link.send(*fragments(b"5", *parts))
    assert link.texts(1) == ["6"]


@pytest.mark.parametrize(
    "bad",
    [
        b"\xce\xba\xe1\xbd",  # a character cut off at the end of the message
        b"\xed\xa0\x80",  # a UTF-16 surrogate
        b"\xc0\xaf",  # an overlong encoding
        b"\xf4\x90\x80\x80",  # past U+10FFFF
        b"\xff",
        b"\x80",  # a continuation byte alone
    ],
)
@pytest.mark.parametrize("fragmented", [False, True], ids=["one-frame", "fragmented"])
def test_invalid_utf8_is_refused_with_1007(link, bad, fragmented):
    if fragmented:
        link.send(*fragments(b"5ok", bad[:1], bad[1:]))
    else:
        link.send(client_frame(b"5ok" + bad))
    assert link.closing().close_code == 1007


def test_invalid_utf8_in_an_unfinished_message_fails_before_the_message_ends(link):
    first, second, _ = fragments(b"5ok", b"\xed\xa0\x80", b"never sent")
    link.send(first, second)
    assert link.closing().close_code == 1007


def test_invalid_utf8_in_an_unfinished_frame_fails_before_the_frame_ends(link):
    arrived = b"5" + "κόσμε".encode() * 20 + b"\xf4\x90\x80\x80"
    frame = client_frame(arrived + b"never sent" * 100)
    link.send(frame[: 2 + 2 + 4 + len(arrived)])  # the head, a 16-bit length, the mask, then what arrived
    assert link.closing().close_code == 1007
