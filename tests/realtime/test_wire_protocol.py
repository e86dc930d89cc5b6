"""The WebSocket itself, as Tableside's wire reads it: rule-breaking clients and a full process.

A client speaking broken WebSocket is told why in a close frame and dropped; the server
goes on serving everyone else. A process holding MAX_CONNECTIONS sockets refuses the next
handshake with `server_full` until one leaves.
"""

import base64
import os
import socket
from urllib.parse import urlsplit

import pytest

from tests.support.raw_socket import client_frame
from tests.support.sockets import USER_AGENT
from tests.support.strangers import open_polling_session

pytestmark = pytest.mark.live
SERVER_SETTINGS = {"MAX_CONNECTIONS": "3"}


def open_websocket(url: str) -> socket.socket:
    """A TCP connection that has done the WebSocket handshake by hand and read the `0` open packet."""
    address = urlsplit(url)
    link = socket.create_connection((address.hostname, address.port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    link.sendall(
        (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {address.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {url}\r\nUser-Agent: {USER_AGENT}\r\n\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += link.recv(4096)
    assert response.startswith(b"HTTP/1.1 101"), response
    head, _, rest = response.partition(b"\r\n\r\n")
    opening = rest or link.recv(4096)
    assert opening[0] == 0x81 and opening[2:3] == b"0", opening
    return link


def close_code(link: socket.socket) -> int:
    """Read frames until the server's close frame; return its status code."""
    data = b""
    while True:
        chunk = link.recv(4096)
        assert chunk, "the server hung up without a close frame"
        data += chunk
        while len(data) >= 2:
            size = data[1] & 0x7F
            if len(data) < 2 + size:
                break
            if data[0] & 0x0F == 0x8:
                return int.from_bytes(data[2:4], "big")
            data = data[2 + size :]


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
    link = open_websocket(server.url)
    try:
        link.sendall(frame)
        assert close_code(link) == code
    finally:
        link.close()
    assert connect("viewer").join(1)["ok"] is True


def test_a_full_process_refuses_the_next_socket_until_one_leaves(server, connect):
    held = [connect("viewer") for _ in range(3)]
    refused = open_polling_session(server.url)
    assert (refused.status_code, refused.json()) == (503, {"message": "server_full"})
    held.pop().close()
    assert connect("viewer").join(1)["ok"] is True
