"""Inputs that gave 500 before: text no database can store, dates past the calendar's ends and JSON
nested thousands deep. Each is a 400 or 422 with the usual error body, on SQLite and PostgreSQL,
and nothing already saved changes.
"""

import re

import pytest

from app.models import limits
from app.services.validation import UNSTORABLE_TEXT
from tests.conftest import PASSWORD
from tests.support.documents import openapi_document
from tests.support.hostile import CALENDAR_EDGES, FIRST_MOMENT, LAST_MOMENT, VERY_DEEP, nested_text, raw_json


class Manager:
    """A manager's bearer-token client on one app, sending bodies as raw JSON text."""

    def __init__(self, application) -> None:
        self.app = application
        self.client = application.test_client()
        answer = self.client.post("/api/auth/token", json={"username": "manager", "password": PASSWORD})
        self.headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}
        self.table_id = self.send("POST", "/api/tables", {"tableNumber": "T-01", "floor": 1, "capacity": 4}).json[
            "tableId"
        ]
        self.section_id = self.send("POST", "/api/floors/1/sections", {"name": "Window"}).json["sectionId"]
        self.party_id = self.send("POST", "/api/parties", {"size": 2}).json["partyId"]

    def send(self, method: str, path: str, body: object, *, signed_in: bool = True):
        """`body` as JSON text (a str is sent as it is); without `signed_in`, from a client with no token."""
        text = body if isinstance(body, str) else raw_json(body)
        client = self.client if signed_in else self.app.test_client()
        headers = self.headers if signed_in else {}
        return client.open(path, method=method, data=text, content_type="application/json", headers=headers)

    def saved(self) -> tuple:
        """Everything the requests could have changed, as a client reads it."""
        paths = ("/api/tables", "/api/floors", "/api/sections", "/api/parties")
        return tuple(self.client.get(path, headers=self.headers).json for path in paths)


@pytest.fixture
def manager_api(either_app) -> Manager:
    """A manager's client, one table on floor 1, one section and one party in line, on either database."""
    return Manager(either_app)


def assert_refused(response, status: int, fields: set[str] | None = None) -> dict:
    """A JSON error body with the status, a code, a message and (when given) exactly these fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] and body["message"]
    if fields is not None:
        assert set(body["fields"]) == fields, body
    return body


@pytest.mark.parametrize("moment", CALENDAR_EDGES)
def test_a_date_past_the_calendar_is_refused_at_reserved_until(manager_api, moment):
    """A hold ending at 0001-01-01T00:00:00+14:00 (before the first moment there is) and its kin: 422, nothing saved."""
    before = manager_api.saved()
    table = f"/api/tables/{manager_api.table_id}"
    for method, path, body in (
        ("PATCH", f"{table}/status", {"status": "reserved", "reservedUntil": moment}),
        ("PATCH", table, {"reservedUntil": moment}),
        ("POST", "/api/tables", {"tableNumber": "T-02", "floor": 1, "capacity": 4, "reservedUntil": moment}),
    ):
        body = assert_refused(manager_api.send(method, path, body), 422, {"reservedUntil"})
        assert f"between the years {limits.DATE_YEARS[0]} and {limits.DATE_YEARS[1]}" in body["fields"]["reservedUntil"]
    assert manager_api.saved() == before


def test_the_body_the_stateful_fuzzer_drew_is_refused(manager_api):
    """The draw that failed `make test` on a fresh clone (POST /api/tables -> 500): now a 422 naming the date."""
    drawn = {"x": 0.0, "floor": 1, "tableNumber": "0", "height": 20.0, "notes": None, "rotation": 0.0,
             "reservedUntil": "0001-01-01T00:00:00+12:04", "section": "", "shape": "rect", "status": "occupied",
             "width": 20.0, "capacity": 30, "y": 0.0}  # fmt: skip
    assert_refused(manager_api.send("POST", "/api/tables", drawn), 422, {"reservedUntil"})


@pytest.mark.parametrize("moment", [FIRST_MOMENT, LAST_MOMENT])
def test_the_first_and_last_moments_allowed_are_kept(manager_api, moment):
    """The range's own ends are accepted and read back as sent."""
    path = f"/api/tables/{manager_api.table_id}/status"
    response = manager_api.send("PATCH", path, {"status": "reserved", "reservedUntil": moment})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["reservedUntil"] == moment.replace(":00Z", ":00.000Z")
    assert (
        manager_api.client.get(f"/api/tables/{manager_api.table_id}", headers=manager_api.headers).json["reservedUntil"]
        == response.json["reservedUntil"]
    )


# (method, path, a body that would be accepted, the text field to spoil); {table} and {section} are filled in.
TEXT_FIELDS = [
    ("POST", "/api/tables", {"tableNumber": "T-02", "floor": 1, "capacity": 4}, "notes"),
    ("PATCH", "/api/tables/{table}", {}, "notes"),
    ("PATCH", "/api/tables/{table}", {}, "section"),
    ("PATCH", "/api/tables/{table}", {}, "tableNumber"),
    ("PATCH", "/api/tables/{table}/status", {"status": "occupied"}, "notes"),
    ("PATCH", "/api/floors/1", {}, "name"),
    ("POST", "/api/floors/1/sections", {}, "name"),
    ("PATCH", "/api/sections/{section}", {}, "name"),
    ("POST", "/api/parties", {"size": 2}, "name"),
    ("POST", "/api/parties", {"size": 2}, "notes"),
    ("POST", "/api/parties", {"size": 2}, "phone"),
    ("PATCH", "/api/parties/{party}", {}, "name"),
    ("PATCH", "/api/parties/{party}", {}, "notes"),
    ("POST", "/api/auth/token", {"username": "manager", "password": PASSWORD}, "username"),
    ("POST", "/api/auth/token", {"username": "manager", "password": PASSWORD}, "password"),
]


@pytest.mark.parametrize("character", ["\ud800", "\x00"], ids=["lone-surrogate", "nul"])
def test_unstorable_text_is_a_422_naming_the_field(manager_api, character):
    """A lone surrogate or a NUL in notes, names, numbers or sign-in details: 422 at that field, nothing saved."""
    before = manager_api.saved()
    for method, template, body, field in TEXT_FIELDS:
        path = template.format(table=manager_api.table_id, section=manager_api.section_id, party=manager_api.party_id)
        spoiled = {**body, field: f"Window{character}seat"}
        signed_in = path != "/api/auth/token"  # the token endpoint needs no sign-in
        answer = assert_refused(manager_api.send(method, path, spoiled, signed_in=signed_in), 422, {field})
        assert answer["error"] == "validation_error"
        assert answer["fields"][field] == UNSTORABLE_TEXT
    assert manager_api.saved() == before


def test_unstorable_text_deep_in_a_body_is_named_by_its_path(manager_api):
    """In a layout item or a field's name, the refusal names where it was (tables.0.x), the character replaced."""
    layout = {"tables": [{"tableId": manager_api.table_id, "x": "\ud800", "y": 10}]}
    assert_refused(manager_api.send("PUT", "/api/floors/1/layout", layout), 422, {"tables.0.x"})
    misnamed = {"no\x00tes": "Window seat"}
    path = f"/api/tables/{manager_api.table_id}"
    assert_refused(manager_api.send("PATCH", path, misnamed), 422, {"no\ufffdtes"})


def json_endpoints(application) -> list[tuple[str, str]]:
    """Every route under /api/ that reads a JSON body (its OpenAPI operation has one), ids filled in later.
    A route that takes no body (loading a preset, cutting a server) never reads what is sent."""
    paths = openapi_document()["paths"]
    return sorted(
        (method, rule.rule)
        for rule in application.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods & {"POST", "PUT", "PATCH"}
        if "requestBody" in paths[re.sub(r"<int:(\w+)>", r"{\1}", rule.rule)][method.lower()]
    )


@pytest.mark.parametrize("depth", [limits.JSON_DEPTH + 1, VERY_DEEP])
def test_deeply_nested_json_is_a_400_on_every_json_endpoint(manager_api, depth):
    """JSON nested past the limit (and 5,000 deep) is a 400 with a message on every JSON endpoint, signed in or not."""
    ids = {
        "<int:table_id>": manager_api.table_id,
        "<int:section_id>": manager_api.section_id,
        "<int:party_id>": manager_api.party_id,
        "<int:floor>": 1,
    }
    endpoints = json_endpoints(manager_api.app)
    assert len(endpoints) >= 9
    before = manager_api.saved()
    for method, rule in endpoints:
        path = rule
        for placeholder, value in ids.items():
            path = path.replace(placeholder, str(value))
        for signed_in in (True, False):
            response = manager_api.send(method, path, nested_text(depth), signed_in=signed_in)
            if not signed_in and response.status_code == 401:
                continue  # refused at the door, before any body is read
            body = assert_refused(response, 400)
            assert body["message"] == f"The JSON body is nested more than {limits.JSON_DEPTH} levels deep.", path
    assert manager_api.saved() == before


def test_json_as_deep_as_the_limit_is_decoded_and_checked_as_usual(manager_api):
    """At exactly the limit the body is read, and the field's own rule answers (notes must be text)."""
    inner = nested_text(limits.JSON_DEPTH - 1)
    body = '{"status": "occupied", "notes": ' + inner + "}"
    response = manager_api.send("PATCH", f"/api/tables/{manager_api.table_id}/status", body)
    assert assert_refused(response, 422, {"notes"})["fields"]["notes"] == "Must be text."
