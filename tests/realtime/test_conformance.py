"""RFC 6455 conformance at `/socket.io/`: what Autobahn|Testsuite checks of a server, by raw frames.

Against real servers, one with DIRECT_WEBSOCKET_WRITES=1 and one with =0, under eventlet or,
in a gevent run (`make test-modes`), under gevent; all must pass all of it. All read frames
through app/realtime/transport/frames.py.

Frame lengths (7, 16 and 64-bit, the 64 KiB limit and just over it), many frames in one
segment and one frame byte by byte; reserved bits and opcodes; fragments with control frames
between them; pings and pongs; UTF-8 across fragment boundaries; the closing handshake
(section 7.4). The probe is Engine.IO's upgrade packet: `5` (padded to any size) is answered
`6`. A client breaking the rules gets a close frame with the RFC's code, then the connection
ends; a valid close is answered with its own code. A Socket.IO event sent before the bad
frame or the close (its handler runs on a greenthread of its own) is answered first: its
reply and its acknowledgement, then the close.
"""

import json

import pytest

from tests.support.api import StaffApi
from tests.support.raw_socket import FrameLink, client_frame, close_payload

pytestmark = pytest.mark.live
LIMIT = 64 * 1024  # MAX_SOCKET_MESSAGE_BYTES
CLOSE, PING, PONG, CONTINUATION = 0x8, 0x9, 0xA, 0x0
SENDABLE = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
NEVER_SENT = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]


@pytest.fixture
def link(each_mode_server):
    """A fresh WebSocket to the server, closed after the test."""
    opened = FrameLink(each_mode_server.url)
    yield opened
    opened.close()


def probe(size: int) -> bytes:
    """An Engine.IO upgrade packet of exactly `size` bytes."""
    return b"5" + b"x" * (size - 1)


@pytest.mark.parametrize("size", [1, 125, 126, 127, 65535, LIMIT])
def test_a_message_is_taken_with_a_7_16_or_64_bit_length_up_to_the_limit(link, size):
    link.send(client_frame(probe(size)))
    assert link.texts(1) == ["6"]


def test_a_message_fragmented_up_to_the_limit_is_taken(link):
    link.send(client_frame(probe(40000), final=False), client_frame(b"x" * (LIMIT - 40000), opcode=0))
    assert link.texts(1) == ["6"]


def test_a_frame_one_byte_over_the_limit_is_refused_with_1009(link):
    link.send(client_frame(probe(LIMIT + 1)))
    assert link.closing().close_code == 1009


def test_a_frame_announcing_a_huge_length_is_refused_before_its_payload(link):
    link.send(bytes((0x81, 0x80 | 127)) + (1 << 62).to_bytes(8, "big") + b"mask")
    assert link.closing().close_code == 1009


def test_fragments_adding_up_to_one_byte_over_the_limit_are_refused_with_1009(link):
    link.send(client_frame(probe(40000), final=False), client_frame(b"x" * (LIMIT - 39999), opcode=0))
    assert link.closing().close_code == 1009


def answers(link: FrameLink, count: int) -> list[tuple[int, bytes]]:
    """The next `count` frames as (opcode, payload), sorted: a pong may overtake Engine.IO's answers."""
    frames = [link.next_frame() for _ in range(count)]
    assert None not in frames, frames
    return sorted((frame.opcode, frame.payload) for frame in frames)


def test_many_frames_in_one_segment_are_each_answered(link):
    link.send(*(client_frame(probe(size)) for size in range(1, 31)), client_frame(b"ping!", opcode=PING))
    assert answers(link, 31) == [(0x1, b"6")] * 30 + [(PONG, b"ping!")]


@pytest.mark.parametrize("size", [10, 200])
def test_a_frame_sent_byte_by_byte_is_taken(link, size):
    link.send_byte_by_byte(client_frame(probe(size)))
    assert link.texts(1) == ["6"]


def test_a_frame_without_a_mask_is_refused_with_1002(link):
    link.send(bytes((0x81, 0x01)) + b"5")
    assert link.closing().close_code == 1002


@pytest.mark.parametrize("bits", [0x40, 0x20, 0x10, 0x70], ids=["rsv1", "rsv2", "rsv3", "all"])
def test_a_reserved_bit_is_refused_with_1002(link, bits):
    frame = client_frame(probe(3))
    link.send(bytes((frame[0] | bits,)) + frame[1:])
    assert link.closing().close_code == 1002


@pytest.mark.parametrize("opcode", [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF])
def test_a_reserved_opcode_is_refused_with_1002(link, opcode):
    link.send(client_frame(probe(3), opcode=opcode))
    assert link.closing().close_code == 1002


@pytest.mark.parametrize(
    "bad_frame",
    [bytes((0xF1,)) + client_frame(b"5")[1:], client_frame(b"5", opcode=0x3), client_frame(b"5", opcode=0xB)],
    ids=["reserved-bits", "reserved-opcode", "reserved-control-opcode"],
)
def test_good_messages_before_a_bad_frame_in_the_same_segment_are_handled_first(link, bad_frame):
    link.send(client_frame(probe(2)), client_frame(b"ping", opcode=PING), client_frame(probe(9)), bad_frame)
    assert answers(link, 3) == [(0x1, b"6"), (0x1, b"6"), (PONG, b"ping")]
    assert link.closing().close_code == 1002


def test_a_socket_io_connect_before_a_bad_frame_is_answered_before_the_close(link):
    link.send(client_frame(b"40"), bytes((0xC1,)) + client_frame(b"5")[1:])
    answer = link.texts(1)[0]
    assert answer.startswith("44"), answer  # no token: the connect is refused, but it was handled
    assert link.closing().close_code == 1002


def signed_in(link: FrameLink, url: str) -> FrameLink:
    """The link after a viewer's Socket.IO connect, its `40` and `tables:connected` read."""
    link.send(client_frame(b"40" + json.dumps({"token": StaffApi(url, "viewer").token}).encode()))
    # The handler's `tables:connected` goes out ahead of the connect's own answer.
    greeting, connected = link.texts(2)
    assert greeting.startswith('42["tables:connected"') and connected.startswith("40"), (greeting, connected)
    return link


@pytest.mark.parametrize(
    ("bad_frame", "code"),
    [
        (bytes((0xC1,)) + client_frame(b"5")[1:], 1002),
        (client_frame(b"5", opcode=0x3), 1002),
        (client_frame(b"5", opcode=0xB), 1002),
        (client_frame(b"no packet"), 1008),
    ],
    ids=["reserved-bit", "reserved-opcode", "reserved-control-opcode", "no-engine-io-packet"],
)
def test_an_event_before_a_bad_frame_gets_its_reply_and_acknowledgement_before_the_close(
    link, each_mode_server, bad_frame, code
):
    """`tables:sync` with ack 7, then a bad frame in the same segment: the sync's reply and ack, then the close."""
    signed_in(link, each_mode_server.url)
    sync = b"427" + json.dumps(["tables:sync", {"lastEventId": None}]).encode()
    link.send(client_frame(sync), bad_frame)
    reply, ack = link.texts(2)
    assert reply.startswith('42["tables:sync_response"'), reply
    assert ack.startswith("437[") and json.loads(ack[3:])[0]["ok"] is True, ack
    assert link.closing().close_code == code


def test_an_event_before_a_close_gets_its_acknowledgement_before_the_answering_close(link, each_mode_server):
    """`tables:join` with ack 3, then the client's close in the same segment: the ack, then the close answered."""
    signed_in(link, each_mode_server.url)
    join = b"423" + json.dumps(["tables:join", {"floor": 1}]).encode()
    link.send(client_frame(join), client_frame(close_payload(4000), opcode=CLOSE))
    (ack,) = link.texts(1)
    assert ack.startswith("433[") and json.loads(ack[3:])[0]["ok"] is True, ack
    assert link.closing().close_code == 4000


# Fragments, control frames, pings and UTF-8.


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


# The closing handshake.


@pytest.mark.parametrize("code", SENDABLE)
def test_a_close_with_a_valid_code_is_answered_with_the_same_code(link, code):
    link.send(client_frame(close_payload(code), opcode=CLOSE))
    assert link.closing().close_code == code


def test_a_close_without_a_code_is_answered_with_1000(link):
    link.send(client_frame(b"", opcode=CLOSE))
    assert link.closing().close_code == 1000


@pytest.mark.parametrize("reason", [b"bye", "fermé: à demain".encode(), b"r" * 123])
def test_a_close_with_a_utf8_reason_is_answered_with_its_code(link, reason):
    link.send(client_frame(close_payload(1001, reason), opcode=CLOSE))
    assert link.closing().close_code == 1001


@pytest.mark.parametrize("code", NEVER_SENT)
def test_a_close_with_a_code_nobody_may_send_fails_with_1002(link, code):
    link.send(client_frame(close_payload(code), opcode=CLOSE))
    assert link.closing().close_code == 1002


def test_a_close_with_a_one_byte_payload_fails_with_1002(link):
    link.send(client_frame(b"\x03", opcode=CLOSE))
    assert link.closing().close_code == 1002


def test_a_close_over_125_bytes_fails_with_1002(link):
    link.send(client_frame(close_payload(1000, b"r" * 124), opcode=CLOSE))
    assert link.closing().close_code == 1002


@pytest.mark.parametrize("reason", [b"\xce\xba\xe1\xbd", b"\xed\xa0\x80", b"ok\xff"])
def test_a_close_whose_reason_is_not_utf8_fails_with_1007(link, reason):
    link.send(client_frame(close_payload(1000, reason), opcode=CLOSE))
    assert link.closing().close_code == 1007


def test_nothing_after_a_close_is_read(link):
    link.send(client_frame(close_payload(1000), opcode=CLOSE), client_frame(b"5"), client_frame(b"p", opcode=PING))
    assert link.closing().close_code == 1000


def test_a_close_between_fragments_is_answered(link):
    link.send(client_frame(b"5", final=False), client_frame(close_payload(1001), opcode=CLOSE))
    assert link.closing().close_code == 1001


def test_messages_before_a_close_are_answered_before_it(link):
    link.send(client_frame(b"5"), client_frame(b"5"), client_frame(close_payload(4000), opcode=CLOSE))
    assert link.texts(2) == ["6", "6"]
    assert link.closing().close_code == 4000
