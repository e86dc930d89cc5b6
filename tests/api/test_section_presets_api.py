"""Managers set a floor's sections in one request and keep them as shift presets loaded in one tap."""

import pytest

from app.extensions import db
from app.models import Event
from tests.api.test_sections_api import user_id


def plan(manager, floor: int = 1, *sections: dict):
    """PUT a floor's sections as one plan."""
    return manager.put(f"/api/floors/{floor}/sections/plan", json={"sections": list(sections)})


def events_since(app, first: int) -> list[tuple[str, dict]]:
    """The logged events after event id `first`, oldest first."""
    with app.app_context():
        rows = db.session.scalars(db.select(Event).where(Event.id > first).order_by(Event.id))
        return [(row.type, row.payload) for row in rows]


def last_event_id(app) -> int:
    """The newest event's id (0 for none)."""
    with app.app_context():
        return db.session.scalar(db.select(db.func.max(Event.id))) or 0


def sections_of(viewer, floor: int = 1) -> dict[str, tuple]:
    """Each section of a floor by name: its colour, assignee and tables' numbers, as a viewer reads them."""
    tables = viewer.get(f"/api/tables?floor={floor}").get_json()
    tables = tables["tables"] if isinstance(tables, dict) else tables
    shown = {}
    for section in viewer.get(f"/api/floors/{floor}/sections").get_json():
        numbers = sorted(table["tableNumber"] for table in tables if table["sectionId"] == section["sectionId"])
        shown[section["name"]] = (section["colour"], (section["assignee"] or {}).get("username"), numbers)
    return shown


@pytest.fixture
def three_tables(make_table):
    """T-01, T-02 and T-03 on floor 1."""
    return [make_table()["tableId"] for _ in range(3)]


def test_a_plan_makes_sections_gives_them_tables_and_staff(manager, viewer, app, three_tables):
    """One PUT makes two sections, puts the tables in them and assigns a host; each change is logged."""
    first = last_event_id(app)
    host = user_id(app, "host")
    one, two, three = three_tables
    response = plan(
        manager,
        1,
        {"name": "Window", "colour": "#0072B2", "userId": host, "tableIds": [one, two]},
        {"name": "Bar", "colour": "#E69F00", "tableIds": [three]},
    )
    assert response.status_code == 200
    assert [section["name"] for section in response.get_json()] == ["Bar", "Window"]
    assert sections_of(viewer) == {"Window": ("#0072b2", "host", ["T-01", "T-02"]), "Bar": ("#e69f00", None, ["T-03"])}
    kinds = [kind for kind, _ in events_since(app, first)]
    assert kinds.count("section:created") == 2 and kinds.count("table:updated") == 3
    assert kinds[-1] == "section:assigned"


def test_a_preset_saved_is_loaded_back_in_one_tap(manager, viewer, app, three_tables):
    """Save "Friday dinner", change the floor, load it: sections, tables and staff are back, the extra gone."""
    host = user_id(app, "host")
    one, two, three = three_tables
    plan(manager, 1, {"name": "Window", "colour": "#0072b2", "userId": host, "tableIds": [one, two]})
    saved = manager.post("/api/floors/1/presets", json={"name": "Friday dinner, 5 servers"})
    assert saved.status_code == 201
    preset = saved.get_json()
    assert preset["name"] == "Friday dinner, 5 servers" and preset["savedBy"] == "manager"
    assert preset["sections"] == [{"name": "Window", "colour": "#0072b2", "userId": host, "tableIds": [one, two]}]
    plan(manager, 1, {"name": "Lunch", "tableIds": [one, two, three]})
    assert set(sections_of(viewer)) == {"Lunch"}

    first = last_event_id(app)
    loaded = manager.post(f"/api/presets/{preset['presetId']}/load")
    assert loaded.status_code == 200
    assert sections_of(viewer) == {"Window": ("#0072b2", "host", ["T-01", "T-02"])}
    kinds = {kind for kind, _ in events_since(app, first)}
    assert {"section:deleted", "section:created", "table:updated", "section:assigned"} <= kinds
    assert manager.get("/api/floors/1/presets").get_json() == [preset]


def test_saving_under_the_same_name_replaces_the_preset(manager, three_tables):
    """The same name, in any case, replaces the preset (200) rather than making a second."""
    plan(manager, 1, {"name": "Window", "tableIds": three_tables})
    first = manager.post("/api/floors/1/presets", json={"name": "Friday"}).get_json()
    plan(manager, 1, {"name": "Bar", "tableIds": three_tables})
    again = manager.post("/api/floors/1/presets", json={"name": "FRIDAY"})
    assert again.status_code == 200
    assert again.get_json()["presetId"] == first["presetId"]
    assert [section["name"] for section in again.get_json()["sections"]] == ["Bar"]
    assert len(manager.get("/api/floors/1/presets").get_json()) == 1


def test_a_preset_skips_tables_gone_since(manager, viewer, make_table):
    """A table deleted after the preset was saved is left out when it is loaded."""
    one, two = make_table()["tableId"], make_table()["tableId"]
    plan(manager, 1, {"name": "Window", "tableIds": [one, two]})
    preset = manager.post("/api/floors/1/presets", json={"name": "Friday"}).get_json()
    assert manager.delete(f"/api/tables/{two}").status_code == 204
    assert manager.post(f"/api/presets/{preset['presetId']}/load").status_code == 200
    assert sections_of(viewer)["Window"][2] == ["T-01"]


def test_hosts_cannot_save_load_or_read_presets(manager, host, three_tables):
    """Presets and plans are a manager's: a host gets 403 on each."""
    preset = manager.post("/api/floors/1/presets", json={"name": "Friday"}).get_json()
    assert host.get("/api/floors/1/presets").status_code == 403
    assert host.post("/api/floors/1/presets", json={"name": "Mine"}).status_code == 403
    assert host.post(f"/api/presets/{preset['presetId']}/load").status_code == 403
    assert host.delete(f"/api/presets/{preset['presetId']}").status_code == 403
    assert plan(host, 1, {"name": "Mine", "tableIds": three_tables}).status_code == 403


def test_a_manager_of_another_floor_is_refused(manager, as_staff):
    """A manager limited to floor 2 cannot read or load floor 1's presets."""
    preset = manager.post("/api/floors/1/presets", json={"name": "Friday"}).get_json()
    other = as_staff("floor2manager")
    assert other.get("/api/floors/1/presets").status_code == 403
    assert other.post(f"/api/presets/{preset['presetId']}/load").status_code == 403


def test_unknown_presets_and_floors_are_404(manager):
    """An unknown preset or floor is a 404 with a message."""
    assert manager.post("/api/presets/999/load").status_code == 404
    assert manager.delete("/api/presets/999").status_code == 404
    missing = manager.post("/api/floors/9/presets", json={"name": "Friday"})
    assert missing.status_code == 404 and "Floor 9" in missing.get_json()["message"]
    assert plan(manager, 9).status_code == 404


def test_a_deleted_preset_is_gone(manager):
    """DELETE forgets a preset: 204, then 404."""
    preset = manager.post("/api/floors/1/presets", json={"name": "Friday"}).get_json()
    assert manager.delete(f"/api/presets/{preset['presetId']}").status_code == 204
    assert manager.post(f"/api/presets/{preset['presetId']}/load").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": 5}, "name"),
        ({"name": "A", "x": 1}, "x"),
    ],
)
def test_bad_preset_names_are_422_with_the_field_named(manager, body, field):
    """A preset needs a name of 1-80 characters and nothing undeclared."""
    response = manager.post("/api/floors/1/presets", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_bad_plans_are_422_naming_each_problem(manager, make_table):
    """A table in two sections or of another floor, a name used twice, a bad colour: each named, nothing saved."""
    here, there = make_table()["tableId"], make_table(floor=2)["tableId"]
    response = plan(
        manager,
        1,
        {"name": "Window", "tableIds": [here]},
        {"name": "window", "tableIds": [here, there]},
        {"name": "Bar", "colour": "red"},
    )
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert "sections.2.colour" in fields
    bad_names = plan(manager, 1, {"name": "Window", "tableIds": [here]}, {"name": "window", "tableIds": [here, there]})
    fields = bad_names.get_json()["fields"]
    assert set(fields) == {"sections.1.name", "sections.1.tableIds"}
    assert manager.get("/api/floors/1/sections").get_json() == []


def test_an_assignee_who_may_not_see_the_floor_is_refused(manager, app, three_tables):
    """A host limited to floor 2 cannot look after a section of floor 1: 422, and nothing is saved."""
    response = plan(manager, 1, {"name": "Window", "userId": user_id(app, "floor2host"), "tableIds": three_tables})
    assert response.status_code == 422
    assert manager.get("/api/floors/1/sections").get_json() == []
