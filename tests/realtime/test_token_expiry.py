"""A token accepted once is refused after it expires, on a socket handshake and on the API.

The socket side keeps decoded tokens (app/realtime/accounts.py), so the second handshake with
the same token is answered from that cache: this is what proves the cache checks the expiry.
"""

import time
from datetime import datetime

import pytest

from tests.support.api import StaffApi
from tests.support.sockets import LiveSocket, refused_handshake

pytestmark = pytest.mark.live
# Long enough for the fresh half (a sign-in, a socket's connect and join, an API call) on a
# loaded machine: with 2 s a slow connect under gevent once left the token expired before the
# API call that must still be served (the server was right, the test's budget too short).
LIFETIME_SECONDS = 6
SERVER_SETTINGS = {"TOKEN_LIFETIME_SECONDS": str(LIFETIME_SECONDS)}


def test_a_token_seen_before_is_refused_once_it_expires(server):
    """Accepted on a socket and the API while fresh; refused on both after its expiry."""
    viewer = StaffApi(server.url, "viewer")
    expires = datetime.fromisoformat(viewer.token_expires_at.replace("Z", "+00:00")).timestamp()
    assert expires - time.time() < LIFETIME_SECONDS + 1, "the server did not take TOKEN_LIFETIME_SECONDS"
    first = LiveSocket(server.url, token=viewer.token).connect()
    assert first.join(1)["ok"] is True
    first.close()
    assert viewer.get("/api/floors").status_code == 200
    time.sleep(max(0.0, expires - time.time()) + 1.1)
    assert refused_handshake(server.url, token=viewer.token) == {"message": "unauthorized"}
    response = viewer.get("/api/floors")
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"
