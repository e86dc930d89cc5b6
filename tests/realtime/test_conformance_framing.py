"""RFC 6455 conformance at `/socket.io/`, part one: frame lengths, segments, reserved bits and opcodes.

Like Autobahn|Testsuite's cases for a server, run against a real server with direct writes on
and off. The probe is Engine.IO's upgrade packet: `5` (padded to any size) is answered `6`.
A client breaking the rules gets a close frame with the RFC's code, then the connection ends.
"""

import pytest

from tests.support.raw_socket import FrameLink, client_frame

pytestmark = pytest.mark.live
LIMIT = 64 * 1024  # MAX_SOCKET_MESSAGE_BYTES


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
    link.send(*(client_frame(probe(size)) for size in range(1, 31)), client_frame(b"ping!", opcode=0x9))
    assert answers(link, 31) == [(0x1, b"6")] * 30 + [(0xA, b"ping!")]


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
    link.send(client_frame(probe(2)), client_frame(b"ping", opcode=0x9), client_frame(probe(9)), bad_frame)
    assert answers(link, 3) == [(0x1, b"6"), (0x1, b"6"), (0xA, b"ping")]
    assert link.closing().close_code == 1002


def test_a_socket_io_connect_before_a_bad_frame_is_answered_before_the_close(link):
    link.send(client_frame(b"40"), bytes((0xC1,)) + client_frame(b"5")[1:])
    answer = link.texts(1)[0]
    assert answer.startswith("44"), answer  # no token: the connect is refused, but it was handled
    assert link.closing().close_code == 1002
