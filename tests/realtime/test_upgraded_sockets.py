"""Sockets that start on long-polling and upgrade: their WebSocket is read by the same checked frame layer.

In both modes python-engineio serves an upgraded socket itself, over eventlet's WebSocket;
its frames go through FrameReader all the same (app/realtime/transport/checked.py). The
servers (`each_mode_server`) are eventlet's in every run: gevent's WebSockets are not read there.
"""

import json

import pytest
import requests

from tests.support.asyncapi import JudgedClient
from tests.support.raw_socket import FrameLink, client_frame, close_payload
from tests.support.sockets import USER_AGENT

pytestmark = pytest.mark.live


def upgraded(url: str) -> FrameLink:
    """A long-polling session taken through Engine.IO's upgrade (`2probe`, `3probe`, `5`) by hand."""
    headers = {"User-Agent": USER_AGENT, "Origin": url}
    opening = requests.get(f"{url}/socket.io/?EIO=4&transport=polling", headers=headers, timeout=10)
    sid = json.loads(opening.text[1:])["sid"]
    link = FrameLink(url, sid=sid)
    link.send(client_frame(b"2probe"))
    assert link.texts(1) == ["3probe"]
    link.send(client_frame(b"5"))
    assert link.texts(1) == ["6"]  # the no-op that ended the poll nobody was making
    return link


def test_a_client_that_starts_on_long_polling_upgrades_and_is_served(each_mode_server):
    client = JudgedClient(reconnection=False)
    client.connect(
        each_mode_server.url,
        auth={"token": each_mode_server.token("viewer")},
        headers={"User-Agent": USER_AGENT},
        transports=["polling", "websocket"],
        wait_timeout=10,
    )
    try:
        assert client.call("tables:join", {"floor": 1}, timeout=10)["ok"] is True
        assert client.transport() == "websocket"
        assert client.call("tables:join", {"floor": 2}, timeout=10)["ok"] is True
    finally:
        client.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (bytes((0xA1,)) + client_frame(b"5")[1:], 1002),  # a reserved bit
        (client_frame(b"ok\xed\xa0\x80"), 1007),
        (client_frame(close_payload(1005), opcode=0x8), 1002),
        (client_frame(close_payload(4000), opcode=0x8), 4000),
        (client_frame(b""), 1008),  # no Engine.IO packet
    ],
    ids=["reserved-bit", "bad-utf8", "close-1005", "close-4000", "garbage"],
)
def test_an_upgraded_socket_is_held_to_the_same_rules(each_mode_server, frame, code):
    assert upgraded(each_mode_server.url).close_code_for(frame) == code
