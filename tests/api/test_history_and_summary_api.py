"""A table's history from the event log, and the floor's figures during service."""

import pytest


def set_status(client, table_id: int, status: str, **body):
    """Change a table's status through the API and fail the test on a refusal."""
    response = client.patch(f"/api/tables/{table_id}/status", json={"status": status, **body})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_history_names_who_changed_the_table_newest_first(host, manager, viewer, make_table):
    """Two people's changes come back newest first, with who, when, from what to what and covers."""
    table = make_table()
    set_status(host, table["tableId"], "occupied", covers=4)
    set_status(manager, table["tableId"], "available", notes="Cleared")
    body = viewer.get(f"/api/tables/{table['tableId']}/history").get_json()
    assert body["tableId"] == table["tableId"]
    latest, seating, created = body["events"]
    assert (latest["by"], latest["oldStatus"], latest["newStatus"], latest["notes"]) == (
        "manager",
        "occupied",
        "available",
        "Cleared",
    )
    assert "covers" not in latest
    assert (seating["by"], seating["newStatus"], seating["covers"]) == ("host", "occupied", 4)
    assert created["event"] == "table:created"
    assert int(latest["eventId"]) > int(seating["eventId"]) > int(created["eventId"])
    assert latest["at"].endswith("Z")


def test_history_shows_what_an_edit_changed(manager, make_table):
    """A manager's edit appears with its `changes`."""
    table = make_table(capacity=4)
    manager.patch(f"/api/tables/{table['tableId']}", json={"capacity": 6})
    latest = manager.get(f"/api/tables/{table['tableId']}/history").get_json()["events"][0]
    assert latest["event"] == "table:updated" and latest["changes"]["capacity"] == 6


def test_history_limit(host, make_table):
    """?limit=2 gives the newest two; the default is 50."""
    table = make_table()
    for status in ("occupied", "available", "reserved", "available"):
        set_status(host, table["tableId"], status)
    two = host.get(f"/api/tables/{table['tableId']}/history?limit=2").get_json()["events"]
    assert [entry["newStatus"] for entry in two] == ["available", "reserved"]
    assert len(host.get(f"/api/tables/{table['tableId']}/history").get_json()["events"]) == 5


@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten", "2.5", "", "²"])
def test_bad_history_limits_are_400(viewer, make_table, limit):
    """limit must be a whole number 1-500."""
    table = make_table()
    response = viewer.get(f"/api/tables/{table['tableId']}/history?limit={limit}")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


def test_history_of_a_table_on_a_floor_out_of_reach_is_403(as_staff, make_table):
    """A host limited to floor 2 gets 403 for a floor 1 table's history, and 404 for no table at all."""
    table = make_table(floor=1)
    limited = as_staff("floor2host")
    response = limited.get(f"/api/tables/{table['tableId']}/history")
    assert response.status_code == 403 and "events" not in response.get_json()
    assert limited.get("/api/tables/9999/history").status_code == 404


def test_history_needs_a_sign_in(client, make_table):
    """Anonymous requests get 401."""
    table = make_table()
    assert client.get(f"/api/tables/{table['tableId']}/history").status_code == 401


def test_summary_of_one_floor(host, viewer, make_table):
    """Counts per status, all seats, seats taken and covers of floor 1, and the line at the door (empty)."""
    seated = make_table(floor=1, capacity=4)
    held = make_table(floor=1, capacity=6)
    make_table(floor=1, capacity=2)
    make_table(floor=2, capacity=8)
    set_status(host, seated["tableId"], "occupied", covers=3)
    set_status(host, held["tableId"], "reserved")
    assert viewer.get("/api/summary?floor=1").get_json() == {
        "floor": 1,
        "tables": {"available": 1, "occupied": 1, "reserved": 1, "maintenance": 0},
        "seats": 12,
        "occupiedSeats": 4,
        "covers": 3,
        "partiesWaiting": 0,
        "coversWaiting": 0,
    }


def test_summary_of_the_restaurant_and_of_a_limited_host(host, viewer, as_staff, make_table):
    """No floor: every floor the user may see; a floor-2 host sees floor 2's figures only."""
    make_table(floor=1, capacity=4)
    upstairs = make_table(floor=2, capacity=8)
    set_status(host, upstairs["tableId"], "occupied", covers=7)
    everything = viewer.get("/api/summary").get_json()
    assert everything["floor"] is None and everything["seats"] == 12 and everything["covers"] == 7
    limited = as_staff("floor2host").get("/api/summary").get_json()
    assert (limited["seats"], limited["occupiedSeats"], limited["tables"]["occupied"]) == (8, 8, 1)


def test_summary_refuses_floors_out_of_reach(as_staff, viewer):
    """A floor outside the user's limit is 403, an unknown floor 404, a malformed one 400."""
    assert as_staff("floor2host").get("/api/summary?floor=1").status_code == 403
    assert viewer.get("/api/summary?floor=42").status_code == 404
    assert viewer.get("/api/summary?floor=one").status_code == 400
