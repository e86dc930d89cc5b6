"""Every HTML page and form, and every socket event, against every role: allowed, or refused with nothing changed."""

import pytest
from sqlalchemy import func, select

from app.extensions import socketio
from app.models import Event, Floor, Table, User
from app.shapes.tables import Table as TableShape
from tests.conftest import csrf_token

ROLES = ("anonymous", "viewer", "host", "manager", "floor2host", "floor2manager")
RANK = {"viewer": 0, "host": 1, "manager": 2, "floor2host": 1, "floor2manager": 2}
NEW_TABLE = {"table_number": "N-1", "floor": "1", "capacity": "4", "shape": "rect"}
EDITED_TABLE = {"table_number": "E-1", "floor": "1", "capacity": "6", "shape": "round"}

# (method, path, form, least role, scope): scope "floor1" means a floor-1 table or floor 1,
# "whole" the managers' pages for every floor (a floor-limited manager may not use them).
PAGES = [
    ("GET", "/tables", None, "viewer", None),
    ("GET", "/tables?floor=1", None, "viewer", "floor1"),
    ("GET", "/tables?view=list", None, "viewer", None),
    ("GET", "/tables?view=list&floor=1", None, "viewer", "floor1"),
    ("GET", "/tables/new", None, "manager", None),
    ("GET", "/tables/{table}/edit", None, "manager", "floor1"),
    ("GET", "/tables/{table}/delete", None, "manager", "floor1"),
    ("GET", "/tables/layout?floor=1", None, "manager", "floor1"),
    ("GET", "/floors", None, "manager", "whole"),
    ("GET", "/users", None, "manager", "whole"),
    ("POST", "/tables/new", NEW_TABLE, "manager", "floor1"),
    ("POST", "/tables/{table}/edit", EDITED_TABLE, "manager", "floor1"),
    ("POST", "/tables/{table}/delete", {}, "manager", "floor1"),
    ("POST", "/floors", {"number": "4", "name": "Roof"}, "manager", "whole"),
    ("POST", "/floors/1/rename", {"name": "Upstairs"}, "manager", "whole"),
    ("POST", "/floors/1/move", {"direction": "down"}, "manager", "whole"),
    ("POST", "/floors/3/delete", {}, "manager", "whole"),
    ("POST", "/users", {"username": "newbie", "password": "long-enough-pw", "role": "host"}, "manager", "whole"),
    ("POST", "/users/{viewer}/access", {"role": "host", "floors": ""}, "manager", "whole"),
    ("POST", "/users/{viewer}/password", {"password": "another-long-pw"}, "manager", "whole"),
    ("POST", "/users/{viewer}/deactivate", {}, "manager", "whole"),
]


def allowed(role: str, least: str, scope: str | None) -> bool:
    if role == "anonymous" or RANK[role] < RANK[least]:
        return False
    return not (role.startswith("floor2") and scope in ("floor1", "whole"))


def restaurant_state(app) -> tuple:
    """Everything a page or form could change: tables, floors, staff and the event log."""
    from app.extensions import db

    with app.app_context():
        tables = [TableShape.of(t).wire() for t in db.session.scalars(select(Table).order_by(Table.id))]
        floors = [(f.number, f.name, f.sort_order) for f in db.session.scalars(select(Floor).order_by(Floor.number))]
        staff = [
            (u.username, u.role, u.allowed_floors, u.active, u.password_hash, u.session_generation)
            for u in db.session.scalars(select(User).order_by(User.id))
        ]
        return tables, floors, staff, db.session.scalar(select(func.count(Event.id)))


def viewer_id(app) -> int:
    from app.services.users import find_user

    with app.app_context():
        return find_user("viewer").id


CASES = [(role, page) for page in PAGES for role in ROLES]


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{role}-{page[0]} {page[1]}" for role, page in CASES])
def test_page_for_role(app, client, as_staff, make_table, role, page):
    """A page shows or a form works per the permission table; a refusal leaves everything as it was."""
    method, path, form, least, scope = page
    table = make_table(floor=1)
    path = path.format(table=table["tableId"], viewer=viewer_id(app))
    browser = client if role == "anonymous" else as_staff(role).client
    before = restaurant_state(app)
    if method == "GET":
        response = browser.get(path)
    else:
        response = browser.post(path, data={**form, "csrf_token": csrf_token(browser)})
    if not allowed(role, least, scope):
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, response.get_data(as_text=True)[:300]
        assert restaurant_state(app) == before
    elif method == "GET":
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    else:
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        assert restaurant_state(app) != before


def socket_for(app, as_staff, client, role: str):
    browser = client if role == "anonymous" else as_staff(role).client
    return socketio.test_client(app, flask_test_client=browser)


def table_events(socket) -> list:
    return [m for m in socket.get_received() if m["name"].startswith("table:") or m["name"] == "tables:batch_update"]


def test_anonymous_socket_handshake_is_refused(app, client):
    """A browser that never signed in gets no socket at all."""
    assert not socketio.test_client(app, flask_test_client=client).is_connected()


JOINS = [(role, floor) for role in ROLES[1:] for floor in (1, 2, None)]


@pytest.mark.parametrize(("role", "floor"), JOINS, ids=[f"{r}-floor {f}" for r, f in JOINS])
def test_join_for_role(app, as_staff, client, make_table, role, floor):
    """Joining a room is allowed per floor limit; after a refused join the floor's changes never arrive."""
    from app.services.status import change_status

    socket = socket_for(app, as_staff, client, role)
    ack = socket.emit("tables:join", {"floor": floor}, callback=True)
    table = make_table(floor=1 if floor is None else floor)
    socket.get_received()
    with app.app_context():
        change_status(table["tableId"], "occupied", by="manager")
    refused = role.startswith("floor2") and floor != 2
    assert ack["ok"] is not refused, ack
    if refused:
        assert ack["error"] == "forbidden"
        socketio.sleep(0.2)
        assert table_events(socket) == []
        sync = socket.emit("tables:sync", {"lastEventId": None}, callback=True)
        assert all(t["floor"] == 2 for t in sync["tables"])
    else:
        socketio.sleep(0.2)
        assert any(m["args"][0]["tableId"] == table["tableId"] for m in table_events(socket) if m["args"])
    socket.disconnect()


@pytest.mark.parametrize("role", ROLES[1:])
def test_leave_and_sync_for_role(app, as_staff, client, make_table, role):
    """Every signed-in role may leave its room and sync; sync shows only the floors it may see."""
    make_table(floor=1)
    make_table(floor=2)
    socket = socket_for(app, as_staff, client, role)
    own = 2 if role.startswith("floor2") else 1
    assert socket.emit("tables:join", {"floor": own}, callback=True)["ok"]
    sync = socket.emit("tables:sync", {"lastEventId": None}, callback=True)
    assert sync["ok"] and {t["floor"] for t in sync["tables"]} == {own}
    assert socket.emit("tables:leave", {"floor": own}, callback=True) == {"ok": True, "room": f"floor:{own}"}
    socket.disconnect()
