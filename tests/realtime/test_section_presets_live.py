"""Loading a shift preset reaches another screen as the live events of each change it makes.

Every event these real clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

import pytest

pytestmark = pytest.mark.live


def test_loading_a_preset_reaches_a_second_client_as_events(watcher, staff):
    """A manager saves "Friday dinner" (Window: two tables, host), changes the floor, then loads the preset:
    a viewer's socket on the floor hears Window made again, both tables put in it and host assigned."""
    manager = staff("manager")
    host_id = next(person["userId"] for person in manager.get("/api/staff").json() if person["username"] == "host")
    one, two = manager.create_table(floor=1), manager.create_table(floor=1)
    ids = [one["tableId"], two["tableId"]]
    plan = f"{manager.url}/api/floors/1/sections/plan"
    friday = {"name": "Window", "colour": "#0072b2", "userId": host_id, "tableIds": ids}
    assert manager.http.put(plan, json={"sections": [friday]}, timeout=10).status_code == 200
    preset = manager.http.post(f"{manager.url}/api/floors/1/presets", json={"name": "Friday dinner"}, timeout=10)
    assert preset.status_code == 201, preset.text
    assert (
        manager.http.put(plan, json={"sections": [{"name": "Lunch", "tableIds": ids}]}, timeout=10).status_code == 200
    )

    screen = watcher(1)
    loaded = manager.http.post(f"{manager.url}/api/presets/{preset.json()['presetId']}/load", timeout=10)
    assert loaded.status_code == 200, loaded.text
    created = screen.wait_for("section:created", lambda data: data["name"] == "Window")
    assert created["colour"] == "#0072b2" and created["updatedBy"] == "manager"
    screen.wait_for("section:deleted", lambda data: data["name"] == "Lunch")
    for table_id in ids:
        moved = screen.wait_for("table:updated", lambda data, table_id=table_id: data["tableId"] == table_id
                                and data["changes"].get("section") == "Window")  # fmt: skip
        assert moved["changes"]["sectionId"] == created["sectionId"]
    assigned = screen.wait_for("section:assigned", lambda data: data["sectionId"] == created["sectionId"])
    assert assigned["assignee"]["username"] == "host" and sorted(assigned["tableIds"]) == sorted(ids)


def test_a_preset_saved_renamed_or_deleted_reaches_every_screen_of_its_floor(watcher, staff):
    """The manager saves Sunday brunch, saves it again as SUNDAY BRUNCH, then deletes it: their own socket and a
    viewer's on floor 1 hear each change as it is made; a host of floor 2 hears none of them."""
    manager = staff("manager")
    saving, other, elsewhere = watcher(1, "manager"), watcher(1), watcher(2, "floor2host")
    presets = f"{manager.url}/api/floors/1/presets"
    saved = manager.http.post(presets, json={"name": "Sunday brunch"}, timeout=10)
    assert saved.status_code == 201, saved.text
    preset = saved.json()
    listed = {name: preset[name] for name in ("presetId", "floor", "name", "savedBy", "savedAt")}
    for socket in (saving, other):
        heard = socket.wait_for("preset:saved", lambda data: data["presetId"] == preset["presetId"])
        assert heard == {"eventId": heard["eventId"], **listed}

    again = manager.http.post(presets, json={"name": "SUNDAY BRUNCH"}, timeout=10)
    assert again.status_code == 200, again.text
    renamed = other.wait_for("preset:saved", lambda data: data["name"] == "SUNDAY BRUNCH")
    assert renamed["presetId"] == preset["presetId"] and renamed["savedAt"] == again.json()["savedAt"]

    gone = manager.http.delete(f"{manager.url}/api/presets/{preset['presetId']}", timeout=10)
    assert gone.status_code == 204, gone.text
    for socket in (saving, other):
        deleted = socket.wait_for("preset:deleted", lambda data: data["presetId"] == preset["presetId"])
        assert (deleted["floor"], deleted["name"], deleted["deletedBy"]) == (1, "SUNDAY BRUNCH", "manager")
    assert elsewhere.received("preset:saved") == [] and elsewhere.received("preset:deleted") == []


def test_a_screen_back_from_an_outage_learns_the_presets_saved_and_deleted_meanwhile(connect, staff):
    """A sections screen away while one preset is saved and another saved then deleted: its sync replays the
    three changes in order; a snapshot lists the floor's presets as they are now, and a host of floor 2's
    snapshot lists none of floor 1's."""
    manager = staff("manager")
    manager.create_table(floor=1)
    presets = f"{manager.url}/api/floors/1/presets"
    away = connect("manager")
    last_seen = away.join(1)["lastEventId"]
    away.close()
    kept = manager.http.post(presets, json={"name": "Dinner, 4 servers"}, timeout=10).json()
    dropped = manager.http.post(presets, json={"name": "Late lunch"}, timeout=10).json()
    assert manager.http.delete(f"{manager.url}/api/presets/{dropped['presetId']}", timeout=10).status_code == 204

    back = connect("manager")
    back.join(1)
    ack = back.sync(last_seen)
    assert ack["recovered"] is True
    replayed = [(entry["event"], entry["data"]["name"]) for entry in ack["events"]]
    assert replayed == [
        ("preset:saved", "Dinner, 4 servers"),
        ("preset:saved", "Late lunch"),
        ("preset:deleted", "Late lunch"),
    ]
    snapshot = back.sync(None)
    assert snapshot["recovered"] is False
    names = [preset["name"] for preset in snapshot["presets"]]
    assert "Dinner, 4 servers" in names and "Late lunch" not in names
    listed = next(preset for preset in snapshot["presets"] if preset["presetId"] == kept["presetId"])
    assert listed == {name: kept[name] for name in ("presetId", "floor", "name", "savedBy", "savedAt")}
    limited = connect("floor2host")
    limited.join(2)
    assert [preset for preset in limited.sync(None)["presets"] if preset["floor"] != 2] == []
