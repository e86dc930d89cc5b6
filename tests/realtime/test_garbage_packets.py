"""Messages that are no Engine.IO or Socket.IO packet, sent before signing in: closed quietly.

Against a real server with direct writes on and off: the connection ends, the log has one
info line for it and no traceback, and `/metrics` counts it.
"""

import re

import pytest
import requests

from tests.support.raw_socket import FrameLink, client_frame

pytestmark = pytest.mark.live


def garbage_count(url: str) -> int:
    text = requests.get(f"{url}/metrics", timeout=10).text
    return int(re.search(r"^tableside_garbage_packets_total (\d+)$", text, re.MULTILINE).group(1))


def ends(link: FrameLink) -> list:
    """Every frame the server sends until it ends the connection."""
    frames = []
    while (frame := link.next_frame()) is not None:
        frames.append(frame)
    return frames


@pytest.mark.parametrize(
    "message",
    [
        client_frame(b""),
        client_frame(b"x"),
        client_frame(b"-1"),
        client_frame(b"bQQ"),
        client_frame(b"4" + b"[" * 5000),
    ],
    ids=["empty-text", "non-digit-type", "signed-type", "bad-base64", "json-nested-too-deep"],
)
def test_a_message_that_is_no_engineio_packet_is_closed_with_1008(each_mode_server, message):
    before = garbage_count(each_mode_server.url)
    assert FrameLink(each_mode_server.url).close_code_for(message) == 1008
    assert garbage_count(each_mode_server.url) == before + 1


@pytest.mark.parametrize(
    "message",
    [
        client_frame(b"4x"),
        client_frame(b"4"),
        client_frame(b"42"),
        client_frame(b'42["unfinished"'),
        client_frame(b"\x00", opcode=0x2),
        client_frame(b"b%%%"),  # base64 of nothing: an empty binary message
        client_frame(b'42["tables:join",' + b"[" * 5000 + b"]" * 5000 + b"]"),
    ],
    ids=["non-digit-type", "no-type", "event-without-name", "broken-json", "stray-binary", "empty-binary", "deep"],
)
def test_a_message_that_is_no_socketio_packet_ends_the_connection(each_mode_server, message):
    before = garbage_count(each_mode_server.url)
    link = FrameLink(each_mode_server.url)
    try:
        link.send(message)
        frames = ends(link)
    finally:
        link.close()
    assert [(frame.opcode, frame.payload) for frame in frames][:1] == [(0x1, b"1")]  # Engine.IO's close
    assert garbage_count(each_mode_server.url) == before + 1


def test_garbage_leaves_info_lines_and_no_traceback_in_the_log(each_mode_server):
    for message in (b"", b"x", b"4x", b"4" + b"[" * 5000, b"42[" + b"[" * 5000):
        link = FrameLink(each_mode_server.url)
        link.send(client_frame(message))
        ends(link)
        link.close()
    log = each_mode_server.log()
    assert "Traceback" not in log
    assert '"level": "error"' not in log
    assert log.count("sent a message that is no packet") >= 3
