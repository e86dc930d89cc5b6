"""Undo, live: the page's Undo is a new status change back to what the table was, with expectedStatus the
status the host set. Another host's screen hears the change and its undo in order; when that host changed
the table in between, the undo is refused naming them. On one SQLite process and on two processes sharing
PostgreSQL and Redis (host A on server A, host B and its screen on server B).

Every event these real clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

import pytest

from tests.support.servers import servers_on_each_backing
from tests.support.sockets import eventually, quiet, status_changes

pytestmark = pytest.mark.live

servers, server = servers_on_each_backing(STATUS_RATE_LIMIT="1000 per second")


def changes_of(socket, table: dict) -> list[tuple[str, str, str]]:
    return [
        (item["oldStatus"], item["newStatus"], item["updatedBy"])
        for item in status_changes(socket)
        if item["tableId"] == table["tableId"]
    ]


def test_an_undo_reaches_another_screen_after_the_change(servers, connect, staff):
    """Host A seats a table, then undoes it: B's screen hears both, in order, and the history keeps both."""
    table = staff("manager").create_table(floor=1)
    screen = connect("manager", url=servers[1].url)
    assert screen.join(1)["ok"] is True
    host = staff("host")
    assert host.set_status(table["tableId"], "occupied", covers=3).status_code == 200
    undone = host.set_status(table["tableId"], "available", expectedStatus="occupied")
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "available"

    expected = [("available", "occupied", "host"), ("occupied", "available", "host")]
    assert eventually(lambda: len(changes_of(screen, table)) >= 2)
    assert changes_of(screen, table) == expected
    history = staff("manager").on(servers[1].url).get(f"/api/tables/{table['tableId']}/history").json()["events"]
    assert [entry["by"] for entry in history[:2]] == ["host", "host"] and len(history) >= 2


def test_an_undo_after_another_hosts_change_is_refused_naming_them(servers, connect, staff):
    """A sets Occupied; B, on the other server, sets Maintenance; A's undo is 409 naming B, the table stays
    in maintenance, and B's screen hears no third change."""
    table = staff("manager").create_table(floor=1)
    screen = connect("manager", url=servers[1].url)
    assert screen.join(1)["ok"] is True
    host, other = staff("host"), staff("manager").on(servers[1].url)
    assert host.set_status(table["tableId"], "occupied", covers=2).status_code == 200
    assert other.set_status(table["tableId"], "maintenance", expectedStatus="occupied").status_code == 200

    refused = host.set_status(table["tableId"], "available", expectedStatus="occupied")
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["changedBy"] == "manager" and body["table"]["status"] == "maintenance"
    assert table["tableNumber"] in body["message"]
    assert host.get(f"/api/tables/{table['tableId']}").json()["status"] == "maintenance"
    expected = [("available", "occupied", "host"), ("occupied", "maintenance", "manager")]
    assert eventually(lambda: len(changes_of(screen, table)) >= 2)
    quiet()
    assert changes_of(screen, table) == expected
