"""Service on the floor on PostgreSQL: covers, assignments, history and summary through a real server."""

import psycopg2
import pytest

from tests.support.api import StaffApi
from tests.support.backing_services import postgres_url
from tests.support.database import add_staff
from tests.support.live_server import PASSWORD, LiveServer, prepare_database
from tests.support.servers import live_env
from tests.support.sockets import LiveSocket

pytestmark = [pytest.mark.live, pytest.mark.postgres]


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory):
    """One server on PostgreSQL, broadcasting each change at once."""
    url = postgres_url()
    prepare_database(url)
    add_staff(url, ["host2"], "host", PASSWORD)
    env = live_env(url, STATUS_RATE_LIMIT="1000 per second", BATCH_WINDOW_MS="0")
    server = LiveServer(env, tmp_path_factory.mktemp("pg") / "server.log").start()
    server.database_url = url
    yield server
    server.stop()


def test_a_shift_on_postgresql(pg_server):
    """Two hosts seat and clear a table in an assigned section: the watcher hears covers and the assignment,
    the history names both hosts, and the summary counts the party."""
    manager, host, other = (StaffApi(pg_server.url, name) for name in ("manager", "host", "host2"))
    table = manager.create_table(floor=1, section="Window", capacity=4)
    socket = LiveSocket(pg_server.url, token=StaffApi(pg_server.url, "viewer").token).connect()
    try:
        socket.join(1)
        host_id = next(p["userId"] for p in manager.get("/api/staff").json() if p["username"] == "host")
        assigned = manager.http.put(
            f"{pg_server.url}/api/sections/{table['sectionId']}/assignee", json={"userId": host_id}, timeout=10
        )
        assert assigned.status_code == 200
        assert socket.wait_for("section:assigned")["assignee"]["initials"] == "HO"
        host.set_status(table["tableId"], "occupied", covers=3).raise_for_status()
        assert socket.wait_for("table:status_changed")["covers"] == 3
        summary = host.get("/api/summary", floor=1).json()
        assert (summary["covers"], summary["occupiedSeats"], summary["tables"]["occupied"]) == (3, 4, 1)
        other.set_status(table["tableId"], "available").raise_for_status()
    finally:
        socket.close()
    history = host.get(f"/api/tables/{table['tableId']}/history").json()["events"]
    assert [(entry["by"], entry.get("newStatus"), entry.get("covers")) for entry in history[:2]] == [
        ("host2", "available", None),
        ("host", "occupied", 3),
    ]
    read = host.get(f"/api/tables/{table['tableId']}").json()
    assert read["covers"] is None and read["assignee"]["username"] == "host"


def test_the_database_refuses_impossible_covers_and_turn_times(pg_server):
    """Below the services, PostgreSQL's CHECKs hold covers to 1-99 and turn times to 5-600 minutes."""
    StaffApi(pg_server.url, "manager").create_table(floor=2)
    connection = psycopg2.connect(pg_server.database_url)
    try:
        with pytest.raises(psycopg2.errors.CheckViolation, match="ck_tables_covers"):
            with connection, connection.cursor() as cursor:
                cursor.execute("UPDATE tables SET covers = 0")
        with pytest.raises(psycopg2.errors.CheckViolation, match="ck_floors_turn_minutes"):
            with connection, connection.cursor() as cursor:
                cursor.execute("UPDATE floors SET turn_minutes = 601")
    finally:
        connection.close()
