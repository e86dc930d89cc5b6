"""Issue 15: after a crash and restart, every screen is back, joined and synced; none left behind.

300 screens (the official Socket.IO JS client 4.8, tests/support/screens.js) from one address,
six accounts of 50, each joining floor 2 and calling `tables:sync` on every connect. The server
is killed (SIGKILL), a table changes while it is down, and the server starts again on the same
port. Every screen must come back by itself and receive the change it missed in its sync answer.

On SQLite, and on PostgreSQL with a pool of two connections: there, socket handlers that kept
their connection while waiting on a read another handler ran emptied the pool, and every
checkout timed out.
"""

import pytest

from app.services.event_log import latest_event_id
from app.services.status import change_status
from tests.support.api import StaffApi
from tests.support.database import add_staff, app_context
from tests.support.live_server import PASSWORD
from tests.support.screens import Screens
from tests.support.servers import start_postgres_server, start_sqlite_server

pytestmark = pytest.mark.live
SCREENS = 300
PER_ACCOUNT = 50
# Generous: a loaded machine may take long; the figures that matter are in bench/README.md.
PATIENCE_SECONDS = 240


def change_while_down(database_url: str, table_id: int) -> str:
    """Seat a table with the server down (its broadcast reaches nobody); the new event's id."""
    with app_context(database_url):
        change_status(table_id, "occupied", by="manager", notes="changed while the server was down")
        return str(latest_event_id([2]))


@pytest.fixture(params=["sqlite", "postgres-pool-of-two"])
def storm_server(request, tmp_path):
    """A server of its own with six viewer accounts, since the test kills it."""
    if request.param == "sqlite":
        server = start_sqlite_server(tmp_path)
    else:
        server = start_postgres_server(tmp_path, DB_POOL_SIZE="2", DB_MAX_OVERFLOW="0")
    add_staff(server.database_url, [f"screen{n}" for n in range(SCREENS // PER_ACCOUNT)], "viewer", PASSWORD)
    yield server
    server.kill()


def test_every_screen_comes_back_joined_and_synced_after_a_kill_and_restart(storm_server):
    """300 ready screens, SIGKILL, a change while down, restart: all 300 back with the change in their sync."""
    accounts = [StaffApi(storm_server.url, f"screen{n}").token for n in range(SCREENS // PER_ACCOUNT)]
    tokens = [accounts[n // PER_ACCOUNT] for n in range(SCREENS)]
    table = StaffApi(storm_server.url, "manager").create_table(floor=2)
    screens = Screens([storm_server.url], tokens, SCREENS)
    try:
        assert screens.wait_all_ready(SCREENS, PATIENCE_SECONDS) is not None, screens.report()[2]
        screens.ask("epoch")
        storm_server.kill()
        missed = change_while_down(storm_server.database_url, table["tableId"])
        storm_server.start(timeout=60)
        back, left, counts, per_screen = screens.wait_all_back(PATIENCE_SECONDS)
    finally:
        screens.close()
    assert left == 0, f"{left} screens left behind: {counts}"
    assert len(back) == SCREENS
    assert [screen for screen in per_screen if missed not in screen["seen"]] == []
    assert {screen["lastEventId"] for screen in per_screen} == {missed}
    assert counts["disconnect: transport close"] >= SCREENS
