"""Messages that are no Engine.IO or Socket.IO packet, sent before signing in: closed quietly.

Against real servers under eventlet with direct writes on and off, and under gevent: the
connection ends, the log has one info line for it and no traceback, and `/metrics` counts it.
"""

import json

import pytest

from tests.support.api import StaffApi
from tests.support.metrics import scrape
from tests.support.raw_socket import FrameLink, client_frame
from tests.support.servers import start_sqlite_server

pytestmark = pytest.mark.live
NO_ENGINEIO_PACKET = pytest.mark.parametrize(
    "message",
    [b"", b"x", b"-1", b"bQQ", b"4" + b"[" * 5000],
    ids=["empty-text", "non-digit-type", "signed-type", "bad-base64", "json-nested-too-deep"],
)
NO_SOCKETIO_PACKET = pytest.mark.parametrize(
    ("message", "opcode"),
    [
        (b"4x", 0x1),
        (b"4", 0x1),
        (b"42", 0x1),
        (b'42["unfinished"', 0x1),
        (b"\x00", 0x2),
        (b"b%%%", 0x1),  # base64 of nothing: an empty binary message
        (b'42["tables:join",' + b"[" * 5000 + b"]" * 5000 + b"]", 0x1),
        (b'42[{"a":1}]', 0x1),
        (b"42[]", 0x1),
    ],
    ids=[
        "non-digit-type",
        "no-type",
        "event-without-name",
        "broken-json",
        "stray-binary",
        "empty-binary",
        "deep",
        "event-named-by-a-dict",
        "event-without-arguments",
    ],
)
# Events a signed-in client can send whose name is no string: python-socketio would look each
# name up among its handlers on a greenthread of its own and log the TypeError (unhashable).
NAMED_BY_NO_STRING = pytest.mark.parametrize("message", [b'42[{"a":1}]', b'421[["x"],{}]', b"42[5]", b"42[null]"])


@pytest.fixture(scope="module")
def gevent_server(tmp_path_factory):
    """One server under ASYNC_MODE=gevent for this module."""
    live = start_sqlite_server(tmp_path_factory.mktemp("gevent"), ASYNC_MODE="gevent", PING_INTERVAL="25")
    yield live
    live.stop()


def garbage_count(url: str) -> int:
    return int(scrape(url)["tableside_garbage_packets_total"])


def ends(link: FrameLink) -> list:
    """Every frame the server sends until it ends the connection."""
    frames = []
    while (frame := link.next_frame()) is not None:
        frames.append(frame)
    return frames


def engineio_refusal(server, message: bytes) -> int:
    """Send a message that is no Engine.IO packet; the close code it got (it must be counted once)."""
    before = garbage_count(server.url)
    code = FrameLink(server.url).close_code_for(client_frame(message))
    assert garbage_count(server.url) == before + 1
    return code


def socketio_refusal(server, message: bytes, opcode: int) -> list:
    """Send a message that is no Socket.IO packet; the frames up to the server's close (counted once)."""
    before = garbage_count(server.url)
    link = FrameLink(server.url)
    try:
        link.send(client_frame(message, opcode=opcode))
        frames = [link.next_frame()]
        while frames[-1] is not None and frames[-1].opcode != 0x8:
            frames.append(link.next_frame())
        assert link.ended()
    finally:
        link.close()
    assert garbage_count(server.url) == before + 1
    return [(frame.opcode, frame.payload) for frame in frames if frame is not None]


def signed_in_refusal(server, message: bytes) -> list:
    """A signed-in viewer sends an event named by no string; the frames up to the server's close (counted once)."""
    before = garbage_count(server.url)
    link = FrameLink(server.url)
    try:
        link.send(client_frame(b"40" + json.dumps({"token": StaffApi(server.url, "viewer").token}).encode()))
        link.texts(2)  # `tables:connected`, then the connect's answer
        link.send(client_frame(message))
        frames = ends(link)
    finally:
        link.close()
    assert garbage_count(server.url) == before + 1
    return [(frame.opcode, frame.payload) for frame in frames]


def assert_quiet_log(server) -> None:
    log = server.log()
    assert "Traceback" not in log
    assert '"level": "error"' not in log
    assert log.count("sent a message that is no packet") >= 3


@NO_ENGINEIO_PACKET
def test_a_message_that_is_no_engineio_packet_is_closed_with_1008(each_mode_server, message):
    assert engineio_refusal(each_mode_server, message) == 1008


@NO_SOCKETIO_PACKET
def test_a_message_that_is_no_socketio_packet_ends_the_connection(each_mode_server, message, opcode):
    assert socketio_refusal(each_mode_server, message, opcode)[:1] == [(0x1, b"1")]  # Engine.IO's close


def test_garbage_leaves_info_lines_and_no_traceback_in_the_log(each_mode_server):
    for message in (b"", b"x", b"4x", b"4" + b"[" * 5000, b"42[" + b"[" * 5000):
        link = FrameLink(each_mode_server.url)
        link.send(client_frame(message))
        ends(link)
        link.close()
    assert_quiet_log(each_mode_server)


@NAMED_BY_NO_STRING
def test_a_signed_in_event_named_by_no_string_ends_the_connection_quietly(each_mode_server, message):
    assert signed_in_refusal(each_mode_server, message)[:1] == [(0x1, b"1")]  # Engine.IO's close
    assert "Traceback" not in each_mode_server.log()


@NO_ENGINEIO_PACKET
def test_under_gevent_a_message_that_is_no_engineio_packet_is_closed_with_1008(gevent_server, message):
    assert engineio_refusal(gevent_server, message) == 1008


@NO_SOCKETIO_PACKET
def test_under_gevent_a_message_that_is_no_socketio_packet_ends_the_connection(gevent_server, message, opcode):
    assert socketio_refusal(gevent_server, message, opcode)[:1] == [(0x1, b"1")]


def test_under_gevent_garbage_leaves_no_traceback_in_the_log(gevent_server):
    for message in (b"", b"x"):
        engineio_refusal(gevent_server, message)
    socketio_refusal(gevent_server, b"4x", 0x1)
    assert_quiet_log(gevent_server)


@NAMED_BY_NO_STRING
def test_under_gevent_a_signed_in_event_named_by_no_string_ends_the_connection_quietly(gevent_server, message):
    assert signed_in_refusal(gevent_server, message)[:1] == [(0x1, b"1")]
    assert "Traceback" not in gevent_server.log()
