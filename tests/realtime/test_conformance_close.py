"""RFC 6455 conformance at `/socket.io/`, part three: the closing handshake (section 7.4).

Like Autobahn|Testsuite's cases 7, against a real server with direct writes on and off: a
valid close is answered with a close carrying the same code and the connection ends; a close
with a code nobody may send, a 1-byte payload or a payload over 125 bytes fails with 1002,
and one whose reason is not UTF-8 with 1007.
"""

import pytest

from tests.support.raw_socket import FrameLink, client_frame, close_payload

pytestmark = pytest.mark.live
CLOSE = 0x8
SENDABLE = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
NEVER_SENT = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]


@pytest.fixture
def link(each_mode_server):
    """A fresh WebSocket to the server, closed after the test."""
    opened = FrameLink(each_mode_server.url)
    yield opened
    opened.close()


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
    link.send(client_frame(close_payload(1000), opcode=CLOSE), client_frame(b"5"), client_frame(b"p", opcode=0x9))
    assert link.closing().close_code == 1000


def test_a_close_between_fragments_is_answered(link):
    link.send(client_frame(b"5", final=False), client_frame(close_payload(1001), opcode=CLOSE))
    assert link.closing().close_code == 1001


def test_messages_before_a_close_are_answered_before_it(link):
    link.send(client_frame(b"5"), client_frame(b"5"), client_frame(close_payload(4000), opcode=CLOSE))
    assert link.texts(2) == ["6", "6"]
    assert link.closing().close_code == 4000
