"""The guest's socket on PostgreSQL with Redis as the queue: the guest view reads the database in the
process that delivers the feed (the queue's listener, outside any request)."""

import pytest
import requests

from tests.support.servers import start_server

pytestmark = [pytest.mark.live, pytest.mark.postgres]
from tests.realtime.test_guest_isolation_live import guest_socket  # noqa: E402,F401 - the fixture


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server on PostgreSQL and Redis."""
    live = start_server("postgres-redis", tmp_path_factory.mktemp("live"), STATUS_RATE_LIMIT="1000 per second")
    yield live
    live.stop()


def test_the_guest_hears_its_table_is_ready_and_staff_hear_on_my_way(server, staff, connect, guest_socket):  # noqa: F811
    """Notify through Redis reaches the guest as guest:update; the guest's On my way reaches a staff socket."""
    host = staff("host")
    party = host.add_party(3, name="Queue")
    screen = connect("viewer")
    guest = guest_socket(party)
    assert guest.wait_for("guest:update")["state"] == "waiting"
    host.change_party(party, state="notified").raise_for_status()
    assert guest.wait_for("guest:update", lambda data: data["state"] == "notified")["notifiedAt"]
    assert requests.post(f"{server.url}{party['guestUrl']}/on-my-way", json={}, timeout=10).status_code == 200
    heard = screen.wait_for("party:updated", lambda data: "onTheWayAt" in data["changes"])
    assert heard["partyId"] == party["partyId"] and heard["updatedBy"] == "the guest"
    assert set(guest.names("")) == {"tables:connected", "guest:update"}
