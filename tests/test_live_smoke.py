"""A real server process starts and answers a signed-in API client."""

import pytest

from tests.support.fixtures import live_server, sqlite_url  # noqa: F401

pytestmark = pytest.mark.live


def test_real_server_serves_the_api(live_server):  # noqa: F811
    """A bearer token from the real server reads the floors."""
    floors = live_server.api("viewer").get(f"{live_server.url}/api/floors").json()
    assert [floor["floor"] for floor in floors] == [1, 2, 3]
