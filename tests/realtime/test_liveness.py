"""TR-001: a client notices a dead server or link within 5 seconds."""

import os
import signal
import time

import pytest

from tests.support.api import StaffApi
from tests.support.servers import start_sqlite_server
from tests.support.sockets import LiveSocket

pytestmark = pytest.mark.live
DETECT_WITHIN = 5.0


@pytest.fixture
def doomed_server(tmp_path):
    """A server of its own, since these tests freeze or kill it."""
    server = start_sqlite_server(tmp_path)
    yield server
    server.kill()  # thrown away: no need to wait for a graceful drain


def watching_client(server) -> LiveSocket:
    socket = LiveSocket(server.url, token=StaffApi(server.url, "viewer").token).connect()
    assert socket.join(1)["ok"] is True
    return socket


def test_server_asks_for_pings_often_enough_to_notice_within_5_seconds(doomed_server):
    """The handshake's pingInterval + pingTimeout, the client's give-up time, is under 5 s."""
    socket = watching_client(doomed_server)
    assert socket.sio.eio.ping_interval + socket.sio.eio.ping_timeout < DETECT_WITHIN
    socket.close()


def test_a_frozen_server_is_noticed_within_5_seconds(doomed_server):
    """With the server process stopped (a dead link: no FIN, no RST), the client gives up in time."""
    socket = watching_client(doomed_server)
    time.sleep(0.5)
    os.kill(doomed_server.process.pid, signal.SIGSTOP)
    frozen_at = time.monotonic()
    try:
        assert socket.disconnected.wait(DETECT_WITHIN + 1), "the client never noticed"
        noticed_after = socket.disconnected_at - frozen_at
        print(f"frozen server noticed after {noticed_after:.2f}s")
        assert noticed_after < DETECT_WITHIN
    finally:
        os.kill(doomed_server.process.pid, signal.SIGCONT)
        socket.close()


def test_a_killed_server_is_noticed_at_once(doomed_server):
    """When the process dies, the client sees the connection close well within 5 seconds."""
    socket = watching_client(doomed_server)
    doomed_server.kill()
    killed_at = time.monotonic()
    assert socket.disconnected.wait(DETECT_WITHIN)
    assert socket.disconnected_at - killed_at < DETECT_WITHIN
    socket.close()
