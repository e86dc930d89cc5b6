"""The WebSocket itself, as Tableside's wire reads it: rule-breaking clients and a full process.

A client speaking broken WebSocket is told why in a close frame and dropped; the server
goes on serving everyone else. A process holding MAX_CONNECTIONS sockets refuses the next
handshake with `server_full` until one leaves.
"""

import os

import pytest

from tests.support.raw_socket import FrameLink, client_frame
from tests.support.strangers import open_polling_session

pytestmark = pytest.mark.live
SERVER_SETTINGS = {"MAX_CONNECTIONS": "3"}


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (bytes((0x81, 0x01)) + b"2", 1002),  # a client frame without a mask
        (client_frame(b"\xc3\x28"), 1007),  # text that is not UTF-8
        # A frame announcing more than MAX_SOCKET_MESSAGE_BYTES (refused before its payload is read).
        (bytes((0x81, 0x80 | 127)) + (70000).to_bytes(8, "big") + os.urandom(4), 1009),
    ],
)
def test_a_client_breaking_the_websocket_rules_is_told_why_and_dropped(server, connect, frame, code):
    assert FrameLink(server.url).close_code_for(frame) == code
    assert connect("viewer").join(1)["ok"] is True


def test_a_full_process_refuses_the_next_socket_until_one_leaves(server, connect):
    held = [connect("viewer") for _ in range(3)]
    refused = open_polling_session(server.url)
    assert (refused.status_code, refused.json()) == (503, {"message": "server_full"})
    held.pop().close()
    assert connect("viewer").join(1)["ok"] is True
