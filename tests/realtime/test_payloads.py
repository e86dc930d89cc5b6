"""TR-002/TR-003: every change is broadcast after commit with the contract's exact payload."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.sockets import quiet

pytestmark = pytest.mark.live
# Several tests here change statuses quickly; the limit itself is proven in test_rate_limits.
SERVER_SETTINGS = {"STATUS_RATE_LIMIT": "1000 per second"}

TABLE_FIELDS = {
    "tableId", "tableNumber", "floor", "sectionId", "section", "assignee", "capacity", "status", "covers", "shape",
    "x", "y", "width", "height", "rotation", "notes", "reservedUntil", "statusChangedAt", "version", "createdAt",
    "updatedAt", "partyId",
}  # fmt: skip


def is_iso_utc(value: str) -> bool:
    """True for an ISO 8601 timestamp with a UTC offset."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).utcoffset() == timedelta(0)


def test_created_carries_the_event_id_and_the_full_table(watcher, staff):
    """table:created is {eventId, ...Table}: every contract field, equal to what the API returned."""
    socket = watcher(1)
    table = staff("manager").create_table(floor=1, section="Window", notes="By the door")
    created = socket.wait_for("table:created")
    assert set(created) == TABLE_FIELDS | {"eventId"}
    assert {key: value for key, value in created.items() if key != "eventId"} == table
    assert isinstance(created["eventId"], str) and created["eventId"].isdigit()


def test_status_changed_has_exactly_the_contract_fields(watcher, staff):
    """table:status_changed carries old and new status, who and when, and no notes unless given."""
    table = staff("manager").create_table(floor=1)
    socket = watcher(1)
    staff("host").set_status(table["tableId"], "occupied").raise_for_status()
    change = socket.wait_for("table:status_changed")
    assert set(change) == {
        "eventId",
        "tableId",
        "tableNumber",
        "floor",
        "oldStatus",
        "newStatus",
        "updatedBy",
        "updatedAt",
    }
    assert change["tableId"] == table["tableId"] and change["tableNumber"] == table["tableNumber"]
    assert (change["floor"], change["oldStatus"], change["newStatus"]) == (1, "available", "occupied")
    assert change["updatedBy"] == "host" and is_iso_utc(change["updatedAt"])


def test_status_changed_carries_notes_when_given(watcher, staff):
    """A reason given with the change travels as `notes`."""
    table = staff("manager").create_table(floor=1)
    socket = watcher(1)
    staff("host").set_status(table["tableId"], "maintenance", notes="Wobbly leg").raise_for_status()
    change = socket.wait_for("table:status_changed")
    assert change["notes"] == "Wobbly leg" and change["newStatus"] == "maintenance"


def test_status_changed_carries_the_hold_and_notes_cleared(watcher, staff):
    """A hold travels as `reservedUntil` while the table keeps it; cleared notes travel as null."""
    table = staff("manager").create_table(floor=1, notes="By the door")
    socket = watcher(1)
    host = staff("host")
    until = datetime.now(UTC) + timedelta(minutes=30)
    host.set_status(table["tableId"], "reserved", reservedUntil=until.isoformat(), notes="").raise_for_status()
    held = socket.wait_for("table:status_changed")
    assert datetime.fromisoformat(held["reservedUntil"].replace("Z", "+00:00")) == until.replace(
        microsecond=until.microsecond // 1000 * 1000
    )
    assert held["notes"] is None
    host.set_status(table["tableId"], "reserved").raise_for_status()
    kept = socket.wait_for("table:status_changed", lambda data: data["eventId"] != held["eventId"])
    assert kept["reservedUntil"] == held["reservedUntil"] and "notes" not in kept, "the hold stays, notes untouched"
    host.set_status(table["tableId"], "available").raise_for_status()
    freed = socket.wait_for("table:status_changed", lambda data: data["newStatus"] == "available")
    assert "reservedUntil" not in freed


def test_updated_carries_only_the_changed_fields(watcher, staff):
    """Changing capacity 4 -> 6 sends changes {capacity, version, updatedAt}, nothing else."""
    manager = staff("manager")
    table = manager.create_table(floor=1, capacity=4, section="Bar")
    socket = watcher(1)
    edited = manager.update_table(table["tableId"], capacity=6, section="Bar").json()
    update = socket.wait_for("table:updated")
    assert set(update) == {"eventId", "tableId", "tableNumber", "floor", "changes", "updatedBy", "updatedAt"}
    assert update["changes"] == {"capacity": 6, "version": edited["version"], "updatedAt": edited["updatedAt"]}
    assert update["updatedBy"] == "manager" and update["floor"] == 1 and is_iso_utc(update["updatedAt"])


def test_deleted_names_the_table_and_who_deleted_it(watcher, staff):
    """table:deleted is {eventId, tableId, tableNumber, floor, deletedBy, deletedAt}."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    socket = watcher(1)
    assert manager.delete_table(table["tableId"]).status_code == 204
    deleted = socket.wait_for("table:deleted")
    assert set(deleted) == {"eventId", "tableId", "tableNumber", "floor", "deletedBy", "deletedAt"}
    assert (deleted["tableId"], deleted["tableNumber"], deleted["floor"]) == (table["tableId"], table["tableNumber"], 1)
    assert deleted["deletedBy"] == "manager" and is_iso_utc(deleted["deletedAt"])


def test_event_ids_increase_in_the_order_changes_were_made(watcher, staff):
    """Created, status changed, updated, deleted: four frames in order with rising ids."""
    socket = watcher(2)
    manager = staff("manager")
    table = manager.create_table(floor=2)
    manager.set_status(table["tableId"], "reserved")
    manager.update_table(table["tableId"], capacity=8)
    manager.delete_table(table["tableId"])
    socket.wait_for("table:deleted")
    assert socket.names() == ["table:created", "table:status_changed", "table:updated", "table:deleted"]
    ids = [int(data["eventId"]) for name, data, _ in socket.frames if name.startswith("table:")]
    assert ids == sorted(ids) and len(set(ids)) == 4


def test_table_moved_to_another_floor_reaches_both_floors(watcher, staff):
    """Moving a table 1 -> 2: floor 1 learns it left, floor 2 learns it arrived, all_tables hears once."""
    table = staff("manager").create_table(floor=1)
    old_floor, new_floor, everything = watcher(1), watcher(2), watcher(None)
    staff("manager").update_table(table["tableId"], floor=2).raise_for_status()
    for socket in (old_floor, new_floor, everything):
        moved = socket.wait_for("table:updated")
        assert moved["tableId"] == table["tableId"] and moved["floor"] == 2 and moved["changes"]["floor"] == 2
    quiet()
    assert everything.names() == ["table:updated"]
    snapshot = new_floor.sync(None)
    assert table["tableId"] in [row["tableId"] for row in snapshot["tables"]]


def test_layout_save_broadcasts_one_update_per_moved_table(watcher, staff):
    """Saving a layout sends table:updated with the new position for each table that moved."""
    manager = staff("manager")
    first, second = manager.create_table(floor=3), manager.create_table(floor=3)
    socket = watcher(3)
    # Away from wherever the free spots put them, on both axes.
    moves = [(t["x"] + 37, t["y"] + 211) for t in (first, second)]
    response = manager.save_layout(
        3, [{"tableId": t["tableId"], "x": x, "y": y} for t, (x, y) in zip((first, second), moves, strict=True)]
    )
    assert response.status_code == 200, response.text
    updates = [
        socket.wait_for("table:updated", lambda data, t=t: data["tableId"] == t["tableId"]) for t in (first, second)
    ]
    assert [(u["changes"]["x"], u["changes"]["y"]) for u in updates] == moves


def test_rejected_and_rolled_back_changes_send_nothing(watcher, staff):
    """A 409 conflict, 422 validation errors and a rolled-back layout reach no one; the next real change does."""
    manager = staff("manager")
    table, elsewhere = manager.create_table(floor=1), manager.create_table(floor=2)
    socket = watcher(1)
    conflict = manager.set_status(table["tableId"], "occupied", expectedStatus="reserved")
    assert conflict.status_code == 409 and conflict.json()["error"] == "conflict"
    assert manager.set_status(table["tableId"], "dancing").status_code == 422
    assert manager.update_table(table["tableId"], capacity=99).status_code == 422
    assert (
        manager.http.post(
            f"{manager.url}/api/tables", json={"tableNumber": table["tableNumber"], "floor": 1, "capacity": 2}
        ).status_code
        == 409
    )
    # The first table's move is logged, then the second (on floor 2) fails: all of it rolls back.
    bad_layout = manager.save_layout(
        1, [{"tableId": table["tableId"], "x": 500, "y": 500}, {"tableId": elsewhere["tableId"], "x": 1, "y": 1}]
    )
    assert bad_layout.status_code == 422
    assert manager.update_table(table["tableId"], capacity=table["capacity"]).status_code == 200  # no change at all
    quiet()
    assert socket.names() == []
    manager.set_status(table["tableId"], "occupied").raise_for_status()
    assert socket.wait_for("table:status_changed")["oldStatus"] == "available"
    assert manager.get(f"/api/tables/{table['tableId']}").json()["x"] == table["x"]


def test_a_replayed_idempotent_request_is_broadcast_once(watcher, staff):
    """Retrying a status change with the same Idempotency-Key applies and broadcasts it once."""
    table = staff("manager").create_table(floor=1)
    socket = watcher(1)
    host = staff("host")
    for _ in range(2):
        host.set_status(table["tableId"], "occupied", headers={"Idempotency-Key": "tap-42"}).raise_for_status()
    socket.wait_for("table:status_changed")
    quiet()
    assert socket.names() == ["table:status_changed"]


def test_expired_hold_is_released_by_the_in_process_worker_as_system(watcher, staff):
    """Without Redis the server runs the worker itself: a passed hold comes back as available, by "system"."""
    table = staff("manager").create_table(floor=1)
    socket = watcher(1)
    until = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    staff("host").set_status(table["tableId"], "reserved", reservedUntil=until).raise_for_status()
    released = socket.wait_for("table:status_changed", lambda data: data["updatedBy"] == "system", timeout=5)
    assert released["tableId"] == table["tableId"]
    assert (released["oldStatus"], released["newStatus"]) == ("reserved", "available")
    assert released["notes"] == "Reservation hold expired"
