"""Managers define sections per floor and give each to a member of staff for the shift."""

import pytest

from app.extensions import db
from app.models import Event, User


def add_section(client, floor: int = 1, **body):
    """POST a section to a floor."""
    return client.post(f"/api/floors/{floor}/sections", json={"name": "Window", **body})


# Read in a context of its own: a test-wide app context would make every client share one signed-in user.
def user_id(app, username: str) -> int:
    """The id of a member of staff."""
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.username == username))


def last_event(app) -> Event:
    """The newest logged event."""
    with app.app_context():
        return db.session.scalars(db.select(Event).order_by(Event.id.desc())).first()


def test_a_manager_adds_a_section_with_a_colour(manager, viewer, app):
    """POST {name, colour} gives 201 with the section; viewers of the floor list it; it is logged."""
    response = add_section(manager, name="Terrace", colour="#2CA02C")
    assert response.status_code == 201
    section = response.get_json()
    assert (section["name"], section["colour"], section["floor"], section["assignee"]) == (
        "Terrace",
        "#2ca02c",
        1,
        None,
    )
    assert viewer.get("/api/floors/1/sections").get_json() == [section]
    assert last_event(app).type == "section:created" and last_event(app).payload["sectionId"] == section["sectionId"]


def test_a_section_without_a_colour_gets_one(manager):
    """The colour is optional: one from the palette is given."""
    assert add_section(manager).get_json()["colour"].startswith("#")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": 7}, "name"),
        ({"colour": "green"}, "colour"),
        ({"colour": "#12345"}, "colour"),
        ({"colour": "#gggggg"}, "colour"),
        ({"waiter": "Ana"}, "waiter"),
    ],
)
def test_bad_sections_are_refused_with_the_field_named(manager, body, field):
    """Names are 1-80 characters, colours #rrggbb, and unknown fields are named."""
    response = add_section(manager, **body)
    assert response.status_code == 422 and field in response.get_json()["fields"]


def test_section_names_are_unique_per_floor_whatever_the_case(manager):
    """A second "window" on floor 1 is a 409; floor 2 may have its own Window."""
    add_section(manager, name="Window")
    assert add_section(manager, name="window").status_code == 409
    assert add_section(manager, floor=2, name="Window").status_code == 201


@pytest.mark.parametrize("first", ["Ä", "Ω Bar", "Straße"])
def test_a_name_outside_ascii_used_twice_is_a_409_not_a_server_error(manager, first):
    """SQLite folds only ASCII case: the fuzzer's "Ä" twice was a 500; it is the same name, so 409."""
    assert add_section(manager, name=first).status_code == 201
    for again in (first, first.upper(), first.lower()):
        response = add_section(manager, name=again)
        assert response.status_code == 409, (again, response.get_json())
    renamed = add_section(manager, name="Patio").get_json()
    assert manager.patch(f"/api/sections/{renamed['sectionId']}", json={"name": first}).status_code == 409


def test_only_managers_of_the_floor_write_sections(host, as_staff, manager):
    """A host cannot add one; a manager limited to floor 2 cannot touch floor 1's."""
    assert add_section(host).status_code == 403
    section = add_section(manager).get_json()
    limited = as_staff("floor2manager")
    assert add_section(limited, floor=1).status_code == 403
    assert limited.patch(f"/api/sections/{section['sectionId']}", json={"name": "Mine"}).status_code == 403
    assert limited.delete(f"/api/sections/{section['sectionId']}").status_code == 403


def test_a_limited_viewer_cannot_read_another_floors_sections(manager, as_staff):
    """floor2host reads floor 2's sections, gets 403 for floor 1's, and /api/sections lists floor 2's only."""
    add_section(manager, floor=1, name="Bar")
    add_section(manager, floor=2, name="Booths")
    limited = as_staff("floor2host")
    assert limited.get("/api/floors/1/sections").status_code == 403
    assert [s["name"] for s in limited.get("/api/sections").get_json()] == ["Booths"]


def test_tables_pick_a_section_by_id_and_show_its_name(manager, viewer):
    """A table created with sectionId shows sectionId and the section's name."""
    section = add_section(manager, name="Patio").get_json()
    body = {"tableNumber": "P-1", "floor": 1, "capacity": 4, "sectionId": section["sectionId"]}
    table = manager.post("/api/tables", json=body).get_json()
    assert (table["sectionId"], table["section"]) == (section["sectionId"], "Patio")


def test_a_typed_section_name_finds_or_makes_the_floors_section(manager, viewer):
    """Clients that send `section` text keep working: an existing name (any case) is reused, a new one made."""
    section = add_section(manager, name="Patio").get_json()
    first = manager.post("/api/tables", json={"tableNumber": "P-1", "floor": 1, "capacity": 4, "section": "patio"})
    assert first.get_json()["sectionId"] == section["sectionId"]
    second = manager.post("/api/tables", json={"tableNumber": "P-2", "floor": 1, "capacity": 4, "section": "Garden"})
    assert second.get_json()["section"] == "Garden"
    assert {s["name"] for s in viewer.get("/api/floors/1/sections").get_json()} == {"Patio", "Garden"}


def test_a_section_of_another_floor_is_refused(manager, make_table):
    """sectionId must be a section of the table's floor."""
    other = add_section(manager, floor=2, name="Booths").get_json()
    table = make_table(floor=1)
    response = manager.patch(f"/api/tables/{table['tableId']}", json={"sectionId": other["sectionId"]})
    assert response.status_code == 422 and "sectionId" in response.get_json()["fields"]


def test_moving_a_table_to_another_floor_leaves_its_section(manager, make_table):
    """A table in floor 1's Window moved to floor 2 has no section there."""
    table = make_table(floor=1, section="Window")
    moved = manager.patch(f"/api/tables/{table['tableId']}", json={"floor": 2}).get_json()
    assert (moved["floor"], moved["sectionId"], moved["section"]) == (2, None, None)


def test_renaming_a_section_renames_it_on_its_tables(manager, make_table, app):
    """PATCH {name} shows on the tables, and section:updated names the tables affected."""
    table = make_table(section="Window")
    section_id = table["sectionId"]
    response = manager.patch(f"/api/sections/{section_id}", json={"name": "Windows", "colour": "#000000"})
    assert response.status_code == 200 and response.get_json()["name"] == "Windows"
    assert manager.get(f"/api/tables/{table['tableId']}").get_json()["section"] == "Windows"
    event = last_event(app)
    assert event.type == "section:updated" and event.payload["tableIds"] == [table["tableId"]]
    assert event.payload["changes"] == {"name": "Windows", "colour": "#000000"}


def test_deleting_a_section_leaves_its_tables_without_one(manager, make_table, app):
    """DELETE gives 204; the table keeps its place with section null; section:deleted is logged."""
    table = make_table(section="Window")
    assert manager.delete(f"/api/sections/{table['sectionId']}").status_code == 204
    after = manager.get(f"/api/tables/{table['tableId']}").get_json()
    assert (after["sectionId"], after["section"], after["assignee"]) == (None, None, None)
    assert last_event(app).type == "section:deleted"
    assert manager.delete(f"/api/sections/{table['sectionId']}").status_code == 404


def test_assigning_a_host_shows_their_initials_on_the_tables(manager, make_table, app):
    """PUT assignee {userId} puts {userId, username, initials} on the section and its tables, logged."""
    table = make_table(section="Window")
    host_id = user_id(app, "host")
    response = manager.put(f"/api/sections/{table['sectionId']}/assignee", json={"userId": host_id})
    assert response.status_code == 200
    expected = {"userId": host_id, "username": "host", "initials": "HO"}
    assert response.get_json()["assignee"] == expected
    assert manager.get(f"/api/tables/{table['tableId']}").get_json()["assignee"] == expected
    event = last_event(app)
    assert event.type == "section:assigned" and event.payload["assignee"] == expected
    assert event.payload["tableIds"] == [table["tableId"]]


def test_clearing_an_assignment(manager, make_table, app):
    """PUT {userId: null} clears the assignee everywhere."""
    table = make_table(section="Window")
    manager.put(f"/api/sections/{table['sectionId']}/assignee", json={"userId": user_id(app, "host")})
    cleared = manager.put(f"/api/sections/{table['sectionId']}/assignee", json={"userId": None})
    assert cleared.get_json()["assignee"] is None
    assert manager.get(f"/api/tables/{table['tableId']}").get_json()["assignee"] is None


@pytest.mark.parametrize("body", [{}, {"userId": "host"}, {"userId": 1.0}, {"userId": True}, {"userId": 10**30},
                                  {"userId": 999}, {"userId": 1, "extra": 1}])  # fmt: skip
def test_bad_assignments_are_refused(manager, make_table, body):
    """Only an existing staff member's id, or null, may be assigned; a field beside it is named as unknown."""
    table = make_table(section="Window")
    response = manager.put(f"/api/sections/{table['sectionId']}/assignee", json=body)
    named = "extra" if "extra" in body else "userId"
    assert response.status_code == 422 and named in response.get_json()["fields"]


def test_staff_who_may_not_see_the_floor_cannot_be_assigned(manager, make_table, app):
    """floor2host cannot look after a section of floor 1."""
    table = make_table(floor=1, section="Window")
    response = manager.put(f"/api/sections/{table['sectionId']}/assignee", json={"userId": user_id(app, "floor2host")})
    assert response.status_code == 422


def test_hosts_cannot_assign_and_managers_list_staff(host, manager, make_table, app):
    """Assigning is a manager's; /api/staff lists active staff with initials for the picker."""
    table = make_table(section="Window")
    assert host.put(f"/api/sections/{table['sectionId']}/assignee", json={"userId": 1}).status_code == 403
    assert host.get("/api/staff").status_code == 403
    staff = {person["username"]: person for person in manager.get("/api/staff").get_json()}
    assert staff["floor2host"]["initials"] == "FL" and staff["floor2host"]["floors"] == [2]
