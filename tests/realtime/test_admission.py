"""Sessions that never sign in: closed after AUTH_DEADLINE_SECONDS, capped per address, counted as connections.

Run against both ways of serving WebSockets under eventlet (DIRECT_WEBSOCKET_WRITES 1 and 0).
The server trusts one proxy hop (PROXY_FIX_HOPS=1), so X-Forwarded-For gives each test its
own client addresses; the ping interval is long, so only the deadline closes a silent session.
"""

import time

import pytest
import requests

from tests.support.metrics import metric
from tests.support.raw_socket import RawSocket
from tests.support.servers import server_in_each_write_mode
from tests.support.sockets import USER_AGENT
from tests.support.strangers import Strangers, open_polling_session, polling_sid, wait_until_no_sessions

pytestmark = pytest.mark.live
DEADLINE = 2
SETTINGS = {
    "AUTH_DEADLINE_SECONDS": str(DEADLINE),
    "MAX_UNAUTHENTICATED_PER_ADDRESS": "3",
    "MAX_CONNECTIONS": "8",
    "PROXY_FIX_HOPS": "1",
    "PING_INTERVAL": "25",
}


server = server_in_each_write_mode(**SETTINGS)


@pytest.fixture
def strangers(server):
    """Factory of silent WebSocket sessions, closed after the test."""
    crowds: list[Strangers] = []

    def crowd(count: int, forwarded_for: str) -> Strangers:
        opened = Strangers(server.url)
        crowds.append(opened)
        opened.open(count, forwarded_for)
        assert opened.read(lambda them: them.answered == count, 20), "the server did not open every session"
        return opened

    yield crowd
    for opened in crowds:
        opened.close()


def test_a_websocket_session_that_never_signs_in_is_closed_after_the_deadline(server, strangers):
    """The server opens the session, then closes it when `40` has not come in time."""
    silent = strangers(1, "192.0.2.10")
    assert metric(server.url, "tableside_sessions_unauthenticated") >= 1
    assert silent.read(lambda them: them.closed == 1, DEADLINE + 15)
    assert metric(server.url, 'tableside_sessions_refused_total{reason="auth_deadline"}') >= 1


def test_a_polling_session_that_never_signs_in_is_closed_after_the_deadline(server):
    """A long-polling session that never sends `40` is told to close, and its id stops working."""
    sid = polling_sid(open_polling_session(server.url, "192.0.2.11"))
    poll = f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}"
    answers = []
    for _ in range(5):
        answer = requests.get(poll, headers={"User-Agent": USER_AGENT}, timeout=30)
        answers.append((answer.status_code, answer.text))
        if answer.status_code == 400:
            break
    assert answers[-1][0] == 400, answers
    assert any(status == 200 and "1" in text.split("\x1e") for status, text in answers), answers


def test_a_signed_in_socket_outlives_the_deadline(server, connect):
    """The deadline is for signing in: a connected socket keeps working after it."""
    socket = connect("viewer")
    time.sleep(DEADLINE + 1.5)
    assert socket.join(1)["ok"] is True


def test_one_address_may_hold_only_a_few_sessions_waiting_to_sign_in(server, strangers):
    """The fourth silent session from one address is refused with 429; other addresses are not."""
    silent = strangers(3, "198.51.100.7")
    refused = open_polling_session(server.url, "198.51.100.7")
    assert refused.status_code == 429
    assert refused.json() == {"message": "too_many_unauthenticated"}
    assert open_polling_session(server.url, "198.51.100.8").status_code == 200
    assert silent.read(lambda them: them.closed == 3, DEADLINE + 15)
    assert open_polling_session(server.url, "198.51.100.7").status_code == 200


def test_sessions_waiting_to_sign_in_count_against_max_connections(server, connect, strangers):
    """Two signed-in sockets and six silent sessions fill MAX_CONNECTIONS=8: the next is refused with 503."""
    wait_until_no_sessions(server.url)
    held = [connect("viewer"), connect("host")]
    silent = [strangers(3, "203.0.113.1"), strangers(3, "203.0.113.2")]
    refused = open_polling_session(server.url, "203.0.113.3")
    assert refused.status_code == 503
    assert refused.json() == {"message": "server_full"}
    for crowd in silent:
        assert crowd.read(lambda them: them.closed == 3, DEADLINE + 15)
    assert connect("manager").join(1)["ok"] is True
    assert all(socket.connected for socket in held)


def test_a_socket_that_leaves_the_namespace_but_keeps_its_transport_must_sign_in_again(server):
    """After `41` the session waits to sign in like a new one, and is closed at the deadline."""
    tablet = RawSocket(server.url, server.token("viewer"))
    try:
        tablet.ws.send("41")
        assert tablet.read_until(lambda: tablet.closed, DEADLINE + 15)
    finally:
        tablet.close()
