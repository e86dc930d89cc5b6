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
