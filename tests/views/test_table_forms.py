"""The managers' table forms: add, edit, delete with confirmation, and field errors in place."""

import re

from tests.conftest import csrf_token


def form(values: dict) -> dict:
    base = {"table_number": "T-50", "floor": "1", "capacity": "4", "shape": "rect", "section": "", "notes": ""}
    return {**base, **values}


def error_for(html: str, field: str) -> str:
    match = re.search(rf'<p class="field__error" id="error-{field}">([^<]*)</p>', html)
    assert match, f"no error shown for {field}"
    return match.group(1)


def test_manager_adds_a_table_with_the_form(manager):
    """A valid form creates the table and returns to its floor."""
    response = manager.post("/tables/new", data=form({"floor": "2", "section": "Window", "x": "100", "y": "50"}))
    assert response.status_code == 302
    assert response.headers["Location"] == "/tables?floor=2"
    [table] = manager.get("/api/tables?floor=2").get_json()
    assert (table["tableNumber"], table["section"], table["x"], table["y"]) == ("T-50", "Window", 100, 50)
    assert table["width"] == 80 and table["status"] == "available"


def test_new_form_preselects_the_floor_and_carries_a_csrf_token(manager):
    """The form starts on the floor it was opened from and is CSRF-protected."""
    html = manager.get("/tables/new?floor=3").get_data(as_text=True)
    assert '<option value="3" selected>' in html
    assert 'name="csrf_token"' in html


def test_field_errors_are_shown_in_place_with_422(manager):
    """Each bad field gets its own message next to it; what was typed stays."""
    response = manager.post("/tables/new", data=form({"table_number": "", "capacity": "80", "width": "5"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "1-20 letters" in error_for(html, "table_number")
    assert error_for(html, "capacity") == "Must be between 1 and 50."
    assert error_for(html, "width") == "Must be between 20 and 1000."
    assert 'value="80"' in html
    assert '<details class="placement" open>' in html
    assert manager.get("/api/tables").get_json() == []


def test_duplicate_table_number_is_shown_at_the_number(manager, make_table):
    """A number already used is refused at that field, and nothing is created."""
    make_table(table_number="T-07")
    response = manager.post("/tables/new", data=form({"table_number": "T-07"}))
    assert response.status_code == 409
    assert error_for(response.get_data(as_text=True), "table_number") == "T-07 is already used."
    assert len(manager.get("/api/tables").get_json()) == 1


def test_form_without_csrf_token_is_refused(manager):
    """A form posted without its token (another site) changes nothing."""
    response = manager.client.post("/tables/new", data=form({}))
    assert response.status_code == 400
    assert manager.get("/api/tables").get_json() == []


def test_manager_edits_a_table(manager, make_table):
    """The edit form shows current values and saves only what changed."""
    table = make_table(capacity=4, section="Patio")
    url = f"/tables/{table['tableId']}/edit"
    html = manager.get(url).get_data(as_text=True)
    assert 'value="Patio"' in html and 'value="4"' in html
    response = manager.post(url, data=form({"table_number": table["tableNumber"], "capacity": "6", "section": "Patio"}))
    assert response.status_code == 302
    saved = manager.get(f"/api/tables/{table['tableId']}").get_json()
    assert saved["capacity"] == 6 and saved["version"] == table["version"] + 1


def test_edit_errors_stay_in_place(manager, make_table):
    """A bad edit re-renders the form with 422 and leaves the table unchanged."""
    table = make_table(capacity=4)
    response = manager.post(f"/tables/{table['tableId']}/edit", data=form({"capacity": "zero"}))
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "capacity") == "Must be a whole number."
    assert manager.get(f"/api/tables/{table['tableId']}").get_json()["capacity"] == 4


def test_delete_asks_first_then_deletes_on_post(manager, make_table):
    """GET shows a confirmation and deletes nothing; the confirmation's POST deletes."""
    table = make_table()
    url = f"/tables/{table['tableId']}/delete"
    html = manager.get(url).get_data(as_text=True)
    assert f"Delete table {table['tableNumber']}?" in html and "cannot be undone" in html
    assert manager.get(f"/api/tables/{table['tableId']}").status_code == 200
    response = manager.post(url, data={"csrf_token": csrf_token(manager.client)})
    assert response.status_code == 302
    assert manager.get(f"/api/tables/{table['tableId']}").status_code == 404
    assert f"Table {table['tableNumber']} deleted." in manager.get("/tables").get_data(as_text=True)


def test_edit_page_links_to_the_delete_confirmation(manager, make_table):
    """Delete is reachable from the edit form, behind the confirmation page."""
    table = make_table()
    html = manager.get(f"/tables/{table['tableId']}/edit").get_data(as_text=True)
    assert f'href="/tables/{table["tableId"]}/delete"' in html


def test_hosts_and_viewers_cannot_reach_the_forms(host, viewer, make_table):
    """Table forms are for managers: 403 for everyone else, and nothing changes."""
    table = make_table()
    for staff in (host, viewer):
        assert staff.get("/tables/new").status_code == 403
        assert staff.post("/tables/new", data=form({})).status_code == 403
        assert staff.get(f"/tables/{table['tableId']}/edit").status_code == 403
        assert staff.post(f"/tables/{table['tableId']}/delete").status_code == 403
    assert host.get(f"/api/tables/{table['tableId']}").status_code == 200


def test_floor_limited_manager_stays_on_their_floor(as_staff, make_table):
    """A manager limited to floor 2 cannot create on, or edit a table of, floor 1."""
    other = make_table(floor=1)
    manager = as_staff("floor2manager")
    assert manager.post("/tables/new", data=form({"floor": "1"})).status_code == 403
    assert manager.get(f"/tables/{other['tableId']}/edit").status_code == 403
    assert manager.post(f"/tables/{other['tableId']}/delete").status_code == 403
    html = manager.get("/tables/new").get_data(as_text=True)
    assert '<option value="1"' not in html and '<option value="2"' in html
    assert manager.post("/tables/new", data=form({"floor": "2"})).status_code == 302


def test_unknown_table_is_404(manager):
    """Editing a table that does not exist is a 404 page."""
    assert manager.get("/tables/999/edit").status_code == 404


def test_layout_editor_for_managers_only(manager, host, as_staff, make_table):
    """Managers get the editor with every table of the floor and a Save button; others 403."""
    table = make_table(floor=1)
    html = manager.get("/tables/layout?floor=1").get_data(as_text=True)
    assert f'data-table-id="{table["tableId"]}"' in html
    assert "data-save" in html and "data-unsaved" in html
    assert re.search(r'<script type="module" src="/static/js/layout-editor\.[0-9a-f]{12}\.js"></script>', html)
    assert host.get("/tables/layout?floor=1").status_code == 403
    assert as_staff("floor2manager").get("/tables/layout?floor=1").status_code == 403


def test_every_problem_is_shown_in_one_round(manager, make_table):
    """A number taken in another case and a bad seat count are both shown after one submit."""
    make_table(table_number="T-07")
    response = manager.post("/tables/new", data=form({"table_number": "t-07", "capacity": "80"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_for(html, "table_number") == "t-07 is already used (as T-07)."
    assert error_for(html, "capacity") == "Must be between 1 and 50."
    assert len(manager.get("/api/tables").get_json()) == 1


def test_a_new_table_left_without_a_place_goes_to_a_free_spot(manager, make_table):
    """The form starts with Left and Top empty; left so, the table does not land on the first one."""
    first = make_table(floor=1, x=40, y=40, width=90, height=90)
    html = manager.get("/tables/new?floor=1").get_data(as_text=True)
    assert re.search(r'name="x" type="number" value=""', html) and re.search(r'name="y" type="number" value=""', html)
    response = manager.post("/tables/new", data=form({"x": "", "y": "", "width": "90", "height": "90"}))
    assert response.status_code == 302
    added = next(t for t in manager.get("/api/tables?floor=1").get_json() if t["tableNumber"] == "T-50")
    assert added["x"] >= first["x"] + first["width"] or added["y"] >= first["y"] + first["height"]
