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
SERVER_SETTINGS = {"TOKEN_LIFETIME_SECONDS": "2"}


def test_a_token_seen_before_is_refused_once_it_expires(server):
    """Accepted on a socket and the API while fresh; refused on both after its expiry."""
    viewer = StaffApi(server.url, "viewer")
    expires = datetime.fromisoformat(viewer.token_expires_at.replace("Z", "+00:00")).timestamp()
    assert expires - time.time() < 3, "the server did not take TOKEN_LIFETIME_SECONDS"
    first = LiveSocket(server.url, token=viewer.token).connect()
    assert first.join(1)["ok"] is True
    first.close()
    assert viewer.get("/api/floors").status_code == 200
    time.sleep(max(0.0, expires - time.time()) + 1.1)
    assert refused_handshake(server.url, token=viewer.token) == {"message": "unauthorized"}
    response = viewer.get("/api/floors")
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"
