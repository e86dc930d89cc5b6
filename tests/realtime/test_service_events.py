"""Service on the floor, live: covers, assignments, sections and turn time reach real clients and replay."""

import pytest

from tests.support.sockets import quiet

pytestmark = pytest.mark.live
# The window is widened so that two HTTP requests in a row reliably fall inside one batch.
SERVER_SETTINGS = {"STATUS_RATE_LIMIT": "1000 per second", "BATCH_WINDOW_MS": "400"}
STATUS_FIELDS = {"eventId", "tableId", "tableNumber", "floor", "oldStatus", "newStatus", "updatedBy", "updatedAt"}


def staff_id(manager, username: str) -> int:
    """A member of staff's id, as the assignment picker reads it."""
    return next(person["userId"] for person in manager.get("/api/staff").json() if person["username"] == username)


def assign(manager, section_id: int, user_id: int | None) -> dict:
    """Give a section to someone (or nobody) for the shift."""
    response = manager.http.put(f"{manager.url}/api/sections/{section_id}/assignee", json={"userId": user_id})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_seating_carries_its_covers_to_every_watcher(watcher, staff):
    """table:status_changed of a party of four has covers 4 and its (walk-in) party, for the floor's room and
    all_tables alike."""
    table = staff("manager").create_table(floor=1)
    on_floor, everywhere = watcher(1), watcher(None)
    seated = staff("host").set_status(table["tableId"], "occupied", covers=4)
    seated.raise_for_status()
    for socket in (on_floor, everywhere):
        change = socket.wait_for("table:status_changed", lambda data: data["tableId"] == table["tableId"])
        assert set(change) == STATUS_FIELDS | {"covers", "partyId"}
        assert (change["newStatus"], change["covers"], change["partyId"]) == ("occupied", 4, seated.json()["partyId"])


def test_clearing_a_table_sends_no_covers(watcher, staff):
    """The change that leaves occupied carries no covers; the table then reads back with covers null."""
    host = staff("host")
    table = staff("manager").create_table(floor=1)
    socket = watcher(1)
    host.set_status(table["tableId"], "occupied", covers=2).raise_for_status()
    socket.wait_for("table:status_changed", lambda data: data["newStatus"] == "occupied")
    cleared = host.set_status(table["tableId"], "available").json()
    change = socket.wait_for("table:status_changed", lambda data: data["newStatus"] == "available")
    assert "covers" not in change and cleared["covers"] is None


def test_batch_items_carry_covers(watcher, staff):
    """Seatings inside one window: those after the first arrive as one tables:batch_update whose items carry covers."""
    manager, host = staff("manager"), staff("host")
    tables = [manager.create_table(floor=1) for _ in range(3)]
    socket = watcher(1)
    covers = {table["tableId"]: n + 2 for n, table in enumerate(tables)}
    for table in tables:
        host.set_status(table["tableId"], "occupied", covers=covers[table["tableId"]]).raise_for_status()
    batch = socket.wait_for("tables:batch_update")
    assert len(batch) >= 2
    assert all(item["covers"] == covers[item["tableId"]] and item["status"] == "occupied" for item in batch)


def test_an_assignment_reaches_the_floor_and_all_tables_but_not_other_floors(watcher, staff):
    """section:assigned names the section, its tables and the assignee's initials; floor 2 hears nothing."""
    manager = staff("manager")
    table = manager.create_table(floor=1, section="Window")
    on_floor, everywhere, elsewhere = watcher(1), watcher(None), watcher(2)
    host_id = staff_id(manager, "host")
    assign(manager, table["sectionId"], host_id)
    for socket in (on_floor, everywhere):
        event = socket.wait_for("section:assigned")
        assert event["sectionId"] == table["sectionId"] and event["floor"] == 1 and event["name"] == "Window"
        assert event["assignee"] == {"userId": host_id, "username": "host", "initials": "HO"}
        assert table["tableId"] in event["tableIds"] and event["updatedBy"] == "manager"
        assert event["eventId"].isdigit()
    quiet()
    assert elsewhere.received("section:assigned") == []


def test_section_and_turn_time_changes_are_live(watcher, staff):
    """A new section, a rename and a floor's new turn time each reach the floor's watchers."""
    manager = staff("manager")
    socket = watcher(3)
    created = manager.http.post(f"{manager.url}/api/floors/3/sections", json={"name": "Rail", "colour": "#112233"})
    assert created.status_code == 201
    section_id = created.json()["sectionId"]
    manager.http.patch(f"{manager.url}/api/sections/{section_id}", json={"name": "Bar rail"}).raise_for_status()
    manager.http.patch(f"{manager.url}/api/floors/3", json={"turnMinutes": 45}).raise_for_status()
    assert socket.wait_for("section:created")["colour"] == "#112233"
    assert socket.wait_for("section:updated")["changes"] == {"name": "Bar rail"}
    assert socket.wait_for("floor:updated")["changes"] == {"turnMinutes": 45}
    manager.http.patch(f"{manager.url}/api/floors/3", json={"turnMinutes": 90}).raise_for_status()


def test_sync_replays_covers_sections_assignments_and_turn_time(connect, staff):
    """A tab away during service gets, on sync, the seating with covers, the new section, the assignment
    and the turn time, in commit order."""
    manager, host = staff("manager"), staff("host")
    table = manager.create_table(floor=2)
    away = connect("viewer")
    last_seen = away.join(2)["lastEventId"]
    away.close()
    host.set_status(table["tableId"], "occupied", covers=3).raise_for_status()
    section = manager.http.post(f"{manager.url}/api/floors/2/sections", json={"name": "Booths"}).json()
    manager.update_table(table["tableId"], sectionId=section["sectionId"]).raise_for_status()
    assign(manager, section["sectionId"], staff_id(manager, "floor2host"))
    manager.http.patch(f"{manager.url}/api/floors/2", json={"turnMinutes": 120}).raise_for_status()

    back = connect("viewer")
    back.join(2)
    ack = back.sync(last_seen)
    assert ack["recovered"] is True
    assert [event["event"] for event in ack["events"]] == [
        "table:status_changed",
        "section:created",
        "table:updated",
        "section:assigned",
        "floor:updated",
    ]
    seated, _, placed, assigned, turn = (event["data"] for event in ack["events"])
    assert seated["covers"] == 3
    assert placed["changes"]["section"] == "Booths" and placed["changes"]["assignee"] is None
    assert assigned["assignee"]["username"] == "floor2host" and assigned["tableIds"] == [table["tableId"]]
    assert turn["changes"] == {"turnMinutes": 120}


def test_a_snapshot_carries_covers_sections_and_turn_times(connect, staff):
    """Syncing with no id gives tables with covers and assignee, the rooms' sections, and their turn times."""
    manager = staff("manager")
    table = manager.create_table(floor=1, section="Snapshot corner")
    staff("host").set_status(table["tableId"], "occupied", covers=5).raise_for_status()
    assign(manager, table["sectionId"], staff_id(manager, "host"))
    socket = connect("viewer")
    socket.join(1)
    snapshot = socket.sync(None)
    assert snapshot["recovered"] is False
    row = next(t for t in snapshot["tables"] if t["tableId"] == table["tableId"])
    assert row["covers"] == 5 and row["assignee"]["initials"] == "HO" and row["section"] == "Snapshot corner"
    section = next(s for s in snapshot["sections"] if s["sectionId"] == table["sectionId"])
    assert section["assignee"]["username"] == "host"
    assert {floor["floor"] for floor in snapshot["floors"]} == {1}
    assert snapshot["floors"][0]["turnMinutes"] == 90
