"""A tablet's change held for a table deleted while it was away, against a real server and real sockets.

The report's case end to end: the terrace's last table is deleted and a table is made on floor 1
while a tablet is out of reach with a change queued for the terrace table. On SQLite the new table
used to take the deleted one's id, so the change landed on it and floor 1 saw its history.
"""

import pytest

from app.services.users import create_user
from tests.support.api import StaffApi
from tests.support.database import app_context
from tests.support.live_server import PASSWORD
from tests.support.servers import start_postgres_server, start_sqlite_server
from tests.support.sockets import LiveSocket, quiet

pytestmark = pytest.mark.live

NOTES = "Nut allergy, birthday cake at 21:00"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def restaurant(request, tmp_path):
    """A server of its own on the named database, with floor1host, a host of floor 1 only."""
    start = start_sqlite_server if request.param == "sqlite" else start_postgres_server
    server = start(tmp_path, BATCH_WINDOW_MS="0")
    with app_context(server.database_url, PASSWORD_HASH_FAST=True):
        create_user("floor1host", PASSWORD, "host", "1")
    yield server
    server.stop()


def test_a_change_queued_for_a_deleted_table_lands_nowhere(restaurant):
    """The tablet learns of the deletion on sync and its queued change is a 404 naming the table; the
    table made on floor 1 meanwhile has an id of its own, no change, and only its own history."""
    manager, host = StaffApi(restaurant.url, "manager"), StaffApi(restaurant.url, "host")
    floor_one = StaffApi(restaurant.url, "floor1host")
    terrace = manager.create_table(floor=3)
    assert host.set_status(terrace["tableId"], "occupied", notes=NOTES).status_code == 200

    tablet = LiveSocket(restaurant.url, token=host.token).connect()
    tablet.join(3)
    last_seen = str(host.latest_event_id())
    tablet.close()  # out of reach, with "set it available" queued for the terrace table

    watcher = LiveSocket(restaurant.url, token=floor_one.token).connect()
    try:
        watcher.join(1)
        assert manager.delete_table(terrace["tableId"]).status_code == 204
        made = manager.create_table(floor=1)
        announced = watcher.wait_for("table:created", lambda data: data["tableNumber"] == made["tableNumber"])
        assert announced["tableId"] == made["tableId"] != terrace["tableId"]

        tablet = LiveSocket(restaurant.url, token=host.token).connect()
        tablet.join(3)
        replay = tablet.sync(last_seen)
        assert replay["recovered"] is True
        assert [(item["event"], item["data"]["tableId"]) for item in replay["events"]] == [
            ("table:deleted", terrace["tableId"])
        ]
        queued = host.set_status(
            terrace["tableId"],
            "available",
            headers={"Idempotency-Key": "queued-while-away"},
            expectedStatus="occupied",
        )
        assert queued.status_code == 404
        assert queued.json() == {
            "error": "not_found",
            "message": f"Table {terrace['tableNumber']} was deleted by manager.",
        }
        quiet()
        assert watcher.received("table:status_changed") == [] and watcher.received("tables:batch_update") == []
    finally:
        watcher.close()
        tablet.close()

    now = floor_one.get(f"/api/tables/{made['tableId']}").json()
    assert (now["status"], now["notes"], now["version"]) == ("available", None, 1)
    history = floor_one.get(f"/api/tables/{made['tableId']}/history")
    assert [entry["event"] for entry in history.json()["events"]] == ["table:created"]
    assert NOTES not in history.text
    assert floor_one.get(f"/api/tables/{terrace['tableId']}/history").status_code == 404
