"""Every JSON route against every role: it works, or it is refused and changes nothing."""

import pytest
from sqlalchemy import func, select

from app.models import Event, Floor, Table
from app.shapes.tables import Table as TableShape

ROLES = ("anonymous", "viewer", "host", "manager", "floor2host", "floor2manager")
OK, UNAUTH, FORBIDDEN = "ok", 401, 403

# (method, path on a floor-1 table or floor 1, body, the least role allowed, writes?)
ROUTES = [
    ("GET", "/api/floors", None, "viewer", False),
    ("GET", "/api/tables", None, "viewer", False),
    ("GET", "/api/tables?floor=1", None, "viewer", False),
    ("GET", "/api/tables/{id}", None, "viewer", False),
    ("GET", "/api/events?after=0&floor=1", None, "viewer", False),
    ("POST", "/api/tables", {"tableNumber": "N-1", "floor": 1, "capacity": 2}, "manager", True),
    ("PATCH", "/api/tables/{id}", {"capacity": 7}, "manager", True),
    ("DELETE", "/api/tables/{id}", None, "manager", True),
    ("PATCH", "/api/tables/{id}/status", {"status": "occupied"}, "host", True),
    ("PUT", "/api/floors/1/layout", {"tables": [{"tableId": "{id}", "x": 9, "y": 9}]}, "manager", True),
    ("GET", "/api/tables/{id}/history", None, "viewer", False),
    ("GET", "/api/summary?floor=1", None, "viewer", False),
    ("GET", "/api/summary", None, "viewer", False),
    ("GET", "/api/sections", None, "viewer", False),
    ("GET", "/api/floors/1/sections", None, "viewer", False),
    ("POST", "/api/floors/1/sections", {"name": "Patio"}, "manager", True),
    ("PATCH", "/api/sections/{section}", {"name": "Bay"}, "manager", True),
    ("DELETE", "/api/sections/{section}", None, "manager", True),
    ("PUT", "/api/sections/{section}/assignee", {"userId": 2}, "manager", True),
    ("PATCH", "/api/floors/1", {"turnMinutes": 60}, "manager", True),
    ("GET", "/api/staff", None, "manager", False),
]
RANK = {"viewer": 0, "host": 1, "manager": 2}
ROLE_OF = {"viewer": "viewer", "host": "host", "manager": "manager", "floor2host": "host", "floor2manager": "manager"}


def expected(role: str, least: str, path: str) -> object:
    if role == "anonymous":
        return UNAUTH
    if RANK[ROLE_OF[role]] < RANK[least]:
        return FORBIDDEN
    touches_floor_one = (
        "{id}" in path
        or "{section}" in path
        or "floor=1" in path
        or path.startswith("/api/floors/1")
        or path == "/api/tables"
        and least == "manager"
    )
    if role.startswith("floor2") and touches_floor_one:
        return FORBIDDEN
    return OK


def snapshot(app) -> tuple:
    with app.app_context():
        from app.extensions import db

        tables = [TableShape.of(t).wire() for t in db.session.scalars(select(Table).order_by(Table.id))]
        return (
            db.session.scalar(select(func.count(Event.id))),
            tables,
            db.session.scalar(select(func.count(Floor.number))),
        )


def fill(value, table: dict):
    """The route's placeholders with the floor-1 table's id and its section's id."""
    if isinstance(value, str):
        if value == "{id}":
            return table["tableId"]
        return value.replace("{id}", str(table["tableId"])).replace("{section}", str(table["sectionId"]))
    if isinstance(value, dict):
        return {k: fill(v, table) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, table) for v in value]
    return value


CASES = [(role, route) for route in ROUTES for role in ROLES]


@pytest.mark.parametrize(("role", "route"), CASES, ids=[f"{role}-{route[0]} {route[1]}" for role, route in CASES])
def test_route_for_role(app, client, as_staff, make_table, role, route):
    """The route answers per the permission table; a refusal leaves the database untouched."""
    method, path, body, least, writes = route
    table = make_table(floor=1, section="Window")
    caller = client if role == "anonymous" else as_staff(role)
    before = snapshot(app)
    response = getattr(caller, method.lower())(fill(path, table), json=fill(body, table))
    want = expected(role, least, path)
    if want == OK:
        assert response.status_code in (200, 201, 204), response.get_data(as_text=True)
        if writes:
            assert snapshot(app) != before
    else:
        assert response.status_code == want, response.get_data(as_text=True)
        assert response.get_json()["error"] in ("unauthorized", "forbidden")
        assert snapshot(app) == before
