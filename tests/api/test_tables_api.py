"""The JSON table endpoints, for every role, with good and bad input."""

import pytest
from sqlalchemy import func, select

from app.models import Event, Table

NEW_TABLE = {"tableNumber": "T-50", "floor": 2, "capacity": 4}


def event_count(app) -> int:
    with app.app_context():
        from app.extensions import db

        return db.session.scalar(select(func.count(Event.id)))


def table_count(app) -> int:
    with app.app_context():
        from app.extensions import db

        return db.session.scalar(select(func.count(Table.id)))


def test_anonymous_api_calls_get_401_json(client):
    """Without a session or token the API answers 401 with a JSON error."""
    response = client.get("/api/tables")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


@pytest.mark.parametrize("username", ["viewer", "host", "manager"])
def test_every_role_reads_tables(as_staff, make_table, username):
    """Viewers, hosts and managers all read the floor plan data."""
    made = make_table(floor=1)
    staff = as_staff(username)
    assert [t["tableId"] for t in staff.get("/api/tables").get_json()] == [made["tableId"]]
    assert staff.get(f"/api/tables/{made['tableId']}").get_json()["tableNumber"] == made["tableNumber"]


def test_table_json_has_every_contract_field(viewer, make_table):
    """A table reads back with exactly the contract's fields."""
    made = make_table(floor=1, section="Window", notes="by the door")
    table = viewer.get(f"/api/tables/{made['tableId']}").get_json()
    assert set(table) == {
        "tableId", "tableNumber", "floor", "sectionId", "section", "assignee", "capacity", "status", "covers",
        "partyId", "shape", "x", "y", "width", "height", "rotation", "notes", "reservedUntil", "statusChangedAt",
        "version", "createdAt", "updatedAt",
    }  # fmt: skip
    assert table["status"] == "available" and table["version"] == 1
    assert table["createdAt"].endswith("Z")


def test_unknown_table_is_404(viewer):
    """Asking for a table that does not exist gives 404 JSON."""
    response = viewer.get("/api/tables/999")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_manager_creates_a_table_and_one_event_is_logged(app, manager):
    """POST /api/tables creates the table (201) and logs table:created once."""
    response = manager.post("/api/tables", json=NEW_TABLE)
    assert response.status_code == 201
    body = response.get_json()
    assert body["tableNumber"] == "T-50" and body["floor"] == 2 and body["status"] == "available"
    assert event_count(app) == 1


@pytest.mark.parametrize("username", ["viewer", "host"])
def test_only_managers_create_edit_and_delete(app, as_staff, make_table, username):
    """Viewers and hosts get 403 for manager endpoints and nothing changes."""
    made = make_table(floor=1)
    staff = as_staff(username)
    before = event_count(app)
    assert staff.post("/api/tables", json=NEW_TABLE).status_code == 403
    assert staff.patch(f"/api/tables/{made['tableId']}", json={"capacity": 6}).status_code == 403
    assert staff.delete(f"/api/tables/{made['tableId']}").status_code == 403
    assert staff.put("/api/floors/1/layout", json={"tables": []}).status_code == 403
    assert event_count(app) == before
    assert staff.get(f"/api/tables/{made['tableId']}").get_json()["capacity"] == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_TABLE, "capacity": 0}, "capacity"),
        ({**NEW_TABLE, "capacity": 51}, "capacity"),
        ({**NEW_TABLE, "capacity": "lots"}, "capacity"),
        ({**NEW_TABLE, "status": "dirty"}, "status"),
        ({**NEW_TABLE, "shape": "hexagon"}, "shape"),
        ({**NEW_TABLE, "x": -5}, "x"),
        ({**NEW_TABLE, "width": 1e9}, "width"),
        ({**NEW_TABLE, "colour": "red"}, "colour"),
        ({**NEW_TABLE, "tableNumber": ""}, "tableNumber"),
        ({**NEW_TABLE, "floor": 9}, "floor"),
        ({"floor": 1, "capacity": 2}, "tableNumber"),
        ({**NEW_TABLE, "reservedUntil": "tomorrow"}, "reservedUntil"),
    ],
)
def test_bad_table_fields_get_422_with_the_field_named(app, manager, body, field):
    """Each invalid field is named in a 422 and nothing is stored."""
    response = manager.post("/api/tables", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert table_count(app) == 0 and event_count(app) == 0


def test_duplicate_table_number_is_409(app, manager, make_table):
    """A second table with a used number is a 409 conflict naming the field."""
    make_table(floor=1, table_number="T-50")
    response = manager.post("/api/tables", json=NEW_TABLE)
    assert response.status_code == 409
    assert "tableNumber" in response.get_json()["fields"]
    assert table_count(app) == 1


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("{not json", "application/json"), ("[1, 2]", "application/json"), ("tableNumber=T-1", "text/plain")],
)
def test_malformed_bodies_get_400(manager, data, content_type):
    """Broken JSON, a JSON array or a non-JSON body is a 400 with a message."""
    response = manager.post("/api/tables", data=data, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.get_json()["message"]


def test_oversized_body_gets_413(manager):
    """A body over the size limit is refused with 413 JSON."""
    response = manager.post("/api/tables", json={**NEW_TABLE, "notes": "x" * 100_000})
    assert response.status_code == 413
    assert response.get_json()["error"] == "payload_too_large"


def test_patch_changes_only_given_fields_and_bumps_version(app, manager, make_table):
    """A partial edit keeps other fields and bumps the version once."""
    made = make_table(floor=1, section="Window")
    response = manager.patch(f"/api/tables/{made['tableId']}", json={"capacity": 6})
    assert response.status_code == 200
    table = response.get_json()
    assert table["capacity"] == 6 and table["section"] == "Window" and table["version"] == 2


def test_patch_with_no_real_change_logs_nothing(app, manager, make_table):
    """Saving the same values again is not a change: no version bump, no event."""
    made = make_table(floor=1)
    before = event_count(app)
    table = manager.patch(f"/api/tables/{made['tableId']}", json={"capacity": 4}).get_json()
    assert table["version"] == 1 and event_count(app) == before


def test_delete_returns_204_and_the_table_is_gone(manager, make_table):
    """DELETE removes the table; reading it afterwards is 404."""
    made = make_table(floor=1)
    assert manager.delete(f"/api/tables/{made['tableId']}").status_code == 204
    assert manager.get(f"/api/tables/{made['tableId']}").status_code == 404


def test_cookie_write_without_csrf_token_is_refused(app, manager, make_table):
    """A cookie-authenticated PATCH without X-CSRFToken is a 400 and changes nothing."""
    made = make_table(floor=1)
    response = manager.client.patch(f"/api/tables/{made['tableId']}", json={"capacity": 6})
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf_failed"
    assert manager.get(f"/api/tables/{made['tableId']}").get_json()["capacity"] == 4


def test_bearer_token_needs_no_csrf(client, bearer, make_table):
    """An API client with a bearer token writes without a CSRF token."""
    made = make_table(floor=1)
    response = client.patch(f"/api/tables/{made['tableId']}", json={"capacity": 8}, headers=bearer("manager"))
    assert response.status_code == 200 and response.get_json()["capacity"] == 8
