"""An id names one table or section for ever, on SQLite as on PostgreSQL.

The case from the report: the last table of floor 3 is deleted and a table is made on floor 1.
SQLite used to give the new table the deleted one's id, with its history, notes and any change
a client still held for it.
"""

import pytest
from flask import Flask

from tests.conftest import PASSWORD, STAFF
from tests.support.backing_services import postgres_url
from tests.support.database import app_for, migrate_and_seed

ALLERGY = "Birthday; nut allergy at this table"


class Staff:
    """A member of staff calling the JSON API with a bearer token."""

    def __init__(self, app: Flask, username: str) -> None:
        self.client = app.test_client()
        answer = self.client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        self.headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}

    def __getattr__(self, method: str):
        call = getattr(self.client, method)
        return lambda path, **options: call(path, headers={**self.headers, **options.pop("headers", {})}, **options)


def add_floor_one_host(app: Flask) -> None:
    from app.services.users import create_user

    with app.app_context():
        create_user("floor1host", PASSWORD, "host", "1")


@pytest.fixture
def sqlite_restaurant(app) -> Flask:
    add_floor_one_host(app)
    return app


@pytest.fixture
def postgres_restaurant():
    """An app on a freshly emptied PostgreSQL database with floors 1-3 and the standard staff."""
    from app.extensions import db

    url = postgres_url()
    migrate_and_seed(url, (1, 2, 3), tuple((name, role, floors) for name, (role, floors) in STAFF.items()), PASSWORD)
    app = app_for(url, PASSWORD_HASH_FAST=True)
    add_floor_one_host(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def restaurant(request) -> Flask:
    """Floors 1-3, the standard staff and floor1host (a host of floor 1 only), on the named database."""
    return request.getfixturevalue(f"{request.param}_restaurant")


def create_table(manager: Staff, number: str, floor: int) -> dict:
    answer = manager.post("/api/tables", json={"tableNumber": number, "floor": floor, "capacity": 4})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()


@pytest.fixture
def replaced(restaurant) -> tuple[dict, dict]:
    """(the deleted last table of floor 3, the table made on floor 1 right after), as the report tells it."""
    manager, host = Staff(restaurant, "manager"), Staff(restaurant, "host")
    create_table(manager, "T-101", 1)
    terrace = create_table(manager, "T-301", 3)
    seated = host.patch(f"/api/tables/{terrace['tableId']}/status", json={"status": "occupied", "notes": ALLERGY})
    assert seated.status_code == 200
    assert manager.delete(f"/api/tables/{terrace['tableId']}").status_code == 204
    return terrace, create_table(manager, "T-102", 1)


def test_a_table_made_after_a_deletion_gets_a_new_id(restaurant, replaced):
    """The table made on floor 1 has an id of its own; the deleted one's id still answers 404, naming it."""
    deleted, new = replaced
    assert new["tableId"] > deleted["tableId"]
    gone = Staff(restaurant, "viewer").get(f"/api/tables/{deleted['tableId']}")
    assert gone.status_code == 404
    assert gone.get_json() == {"error": "not_found", "message": "Table T-301 was deleted by manager."}


def test_history_of_the_new_table_is_its_own(restaurant, replaced):
    """The new table's history holds its creation only: none of the deleted table's events or notes."""
    deleted, new = replaced
    for username in ("viewer", "floor1host"):
        history = Staff(restaurant, username).get(f"/api/tables/{new['tableId']}/history")
        assert history.status_code == 200
        assert [(entry["event"], entry["by"]) for entry in history.get_json()["events"]] == [
            ("table:created", "manager")
        ]
        assert ALLERGY not in history.get_data(as_text=True)


def test_a_floor_one_host_cannot_read_the_deleted_floor_three_table(restaurant, replaced):
    """The deleted table's id reads as unknown to a host of floor 1 only: no number, no notes, no name of floor 3."""
    deleted, _ = replaced
    host = Staff(restaurant, "floor1host")
    for path in (f"/api/tables/{deleted['tableId']}/history", f"/api/tables/{deleted['tableId']}"):
        answer = host.get(path)
        assert answer.status_code == 404, path
        assert answer.get_json() == {"error": "not_found", "message": f"Table {deleted['tableId']} does not exist."}


def test_a_change_held_for_the_deleted_table_is_refused(restaurant, replaced):
    """A change a tablet queued for the deleted table is a 404 naming it; the new table is untouched."""
    deleted, new = replaced
    host = Staff(restaurant, "host")
    last_event = int(host.get("/api/events", query_string={"after": 0}).get_json()["lastEventId"])
    answer = host.patch(
        f"/api/tables/{deleted['tableId']}/status",
        json={"status": "occupied", "expectedStatus": "available", "covers": 2},
        headers={"Idempotency-Key": "queued-on-the-terrace"},
    )
    assert answer.status_code == 404
    assert answer.get_json() == {"error": "not_found", "message": "Table T-301 was deleted by manager."}
    after = host.get(f"/api/tables/{new['tableId']}").get_json()
    assert (after["status"], after["covers"], after["version"]) == ("available", None, 1)
    assert int(host.get("/api/events", query_string={"after": 0}).get_json()["lastEventId"]) == last_event


def test_a_section_made_after_a_deletion_gets_a_new_id(restaurant):
    """Deleting the newest section and adding another never hands its id out again."""
    manager = Staff(restaurant, "manager")
    first = manager.post("/api/floors/3/sections", json={"name": "Terrace"}).get_json()
    assert manager.delete(f"/api/sections/{first['sectionId']}").status_code == 204
    second = manager.post("/api/floors/1/sections", json={"name": "Window"})
    assert second.status_code == 201
    assert second.get_json()["sectionId"] > first["sectionId"]
