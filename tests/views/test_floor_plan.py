"""The floor plan page for each role, with the floor switcher and the client's first state."""

import json
import re

import pytest

from tests.conftest import PASSWORD

PAGES = ["/", "/tables", "/tables?floor=2", "/tables?view=list", "/tables/new", "/tables/layout", "/floors", "/users"]


def initial_state(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="initial-state">(.*?)</script>', html, re.S)
    assert match, "the page carries no initial state"
    return json.loads(match.group(1))


def tile_of(html: str, table_id: int) -> str:
    match = re.search(rf'<button[^>]*data-table-id="{table_id}"[^>]*>.*?</button>', html, re.S)
    assert match, f"table {table_id} is not on the page"
    return match.group(0)


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    """Every page asks a stranger to sign in first."""
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_viewer_sees_tables_at_their_places_labelled_in_words(viewer, make_table):
    """Each table is positioned, shaped and labelled with number, seats and status."""
    table = make_table(floor=1, x=120, y=60, width=100, height=80, rotation=15, shape="round", capacity=6)
    make_table(floor=2)
    html = viewer.get("/tables?floor=1").get_data(as_text=True)
    tile = tile_of(html, table["tableId"])
    assert 'data-status="available"' in tile
    assert "left: 120px; top: 60px; width: 100px; height: 80px;" in tile
    assert "rotate(15deg)" in tile
    assert 'data-shape="round"' in tile
    assert table["tableNumber"] in tile and "6 seats" in tile and "Available" in tile
    assert html.count("data-table-id=") == 1


def test_status_is_shown_in_words_and_counted(viewer, host, make_table):
    """An occupied table says so, and the counts per status add up."""
    table = make_table(floor=1)
    make_table(floor=1)
    host.patch(f"/api/tables/{table['tableId']}/status", json={"status": "occupied"})
    html = viewer.get("/tables").get_data(as_text=True)
    assert 'data-status="occupied"' in tile_of(html, table["tableId"])
    assert re.search(r'data-count="occupied".*?data-count-value>1<', html, re.S)
    assert re.search(r'data-count="available".*?data-count-value>1<', html, re.S)


def test_viewer_cannot_change_status_or_manage(viewer, make_table):
    """A viewer's dialog has no status buttons and the toolbar no manager actions."""
    make_table(floor=1)
    html = viewer.get("/tables").get_data(as_text=True)
    assert "data-set-status" not in html
    assert "Edit layout" not in html and "/tables/new" not in html


def test_host_gets_status_buttons_but_no_manager_actions(host, make_table):
    """Hosts change status from the dialog; creating and arranging is for managers."""
    make_table(floor=1)
    html = host.get("/tables").get_data(as_text=True)
    for status in ("available", "occupied", "reserved", "maintenance"):
        assert f'data-set-status="{status}"' in html
    assert "Edit layout" not in html and "data-edit-link" not in html


def test_manager_reaches_forms_and_layout_editor_from_the_plan(manager):
    """The floor plan links to adding a table and to the layout editor of that floor."""
    html = manager.get("/tables?floor=2").get_data(as_text=True)
    assert 'href="/tables/layout?floor=2"' in html
    assert 'href="/tables/new?floor=2"' in html
    assert "data-edit-link" in html and "data-delete-link" in html


def test_floor_switcher_lists_every_floor_and_marks_the_current(viewer):
    """Links [data-floor=N] switch floors; the current one is marked."""
    html = viewer.get("/tables?floor=2").get_data(as_text=True)
    for number in (1, 2, 3):
        assert f'data-floor="{number}"' in html
    assert re.search(r'data-floor="2"\s+aria-current="page"', html)


def test_floor_limited_host_sees_only_their_floor(as_staff, make_table):
    """A host limited to floor 2 starts there, sees no other floor and is refused floor 1."""
    make_table(floor=1)
    mine = make_table(floor=2)
    host = as_staff("floor2host")
    html = host.get("/tables").get_data(as_text=True)
    assert 'data-floor="2"' in html and 'data-floor="1"' not in html and 'data-floor="3"' not in html
    assert f'data-table-id="{mine["tableId"]}"' in html
    assert html.count("data-table-id=") == 1
    assert host.get("/tables?floor=1").status_code == 403


def test_unknown_or_malformed_floor(viewer):
    """A floor that does not exist is 404; a floor that is not a number is 400."""
    assert viewer.get("/tables?floor=99").status_code == 404
    assert viewer.get("/tables?floor=upstairs").status_code == 400


def test_page_hands_the_client_its_state_and_settings(app, viewer, host, make_table):
    """The initial state names the floor, the tables, the last event id and the offline delay."""
    table = make_table(floor=1)
    host.patch(f"/api/tables/{table['tableId']}/status", json={"status": "reserved"})
    html = viewer.get("/tables?floor=1").get_data(as_text=True)
    state = initial_state(html)
    assert state["view"] == "plan" and state["floor"] == 1
    assert [t["status"] for t in state["tables"]] == ["reserved"]
    assert state["lastEventId"] == "2"
    assert state["offlineAfterSeconds"] == app.config["OFFLINE_AFTER_SECONDS"]
    assert state["me"] == {"userId": 3, "username": "viewer", "role": "viewer", "floors": []}


def test_connection_indicator_and_scripts_are_on_the_page(viewer):
    """The indicator is present for the live client, which loads as a module, never inline."""
    html = viewer.get("/tables").get_data(as_text=True)
    assert re.search(r'id="connection-status"[^>]*data-state="reconnecting"', html)
    assert re.search(r'<script type="module" src="/static/js/tables-page\.[0-9a-f]{12}\.js"></script>', html)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    inline = [(attrs, body) for attrs, body in scripts if 'src="' not in attrs]
    assert all('type="application/json"' in attrs or 'type="importmap"' in attrs for attrs, _ in inline)
    [import_map] = [json.loads(body) for attrs, body in inline if 'type="importmap"' in attrs]
    assert import_map["imports"]["/static/js/store.js"].startswith("/static/js/store.")
    assert '<meta name="csrf-token"' in html


def test_sign_in_lands_on_the_floor_plan(client):
    """Signing in through the form shows the floor plan."""
    token = client.get("/api/auth/csrf").get_json()["csrfToken"]
    response = client.post(
        "/login", data={"username": "host", "password": PASSWORD, "csrf_token": token}, follow_redirects=True
    )
    assert response.status_code == 200
    assert 'id="floor-plan"' in response.get_data(as_text=True)


def test_no_floors_yet_invites_the_manager_to_add_one(manager, db):
    """With no floors the page explains what to do instead of failing."""
    from app.models import Floor

    for floor in db.session.scalars(db.select(Floor)):
        db.session.delete(floor)
    db.session.commit()
    html = manager.get("/tables").get_data(as_text=True)
    assert "No floors yet" in html and 'href="/floors"' in html
