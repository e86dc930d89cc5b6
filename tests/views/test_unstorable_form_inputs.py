"""A NUL typed into a form (the one unstorable character a form can carry; a lone surrogate arrives
as U+FFFD): the form comes back with its message at the field, on SQLite and PostgreSQL, and
nothing is saved.
"""

import re

import pytest

from app.auth.routes import UNSTORABLE_CREDENTIALS
from app.services.validation import UNSTORABLE_TEXT
from tests.conftest import StaffClient, csrf_token, sign_in

NUL = "\x00"


@pytest.fixture
def manager_site(either_app) -> StaffClient:
    """A manager signed in through the form, on either database."""
    return StaffClient(either_app.test_client(), "manager")


def shown_error(response, element_id: str) -> str:
    """The message the page shows in the element with this id."""
    match = re.search(rf'id="{element_id}">([^<]*)</p>', response.get_data(as_text=True))
    assert match, f"no message at {element_id}: {response.get_data(as_text=True)[:2000]}"
    return match.group(1)


def table_form(**values: str) -> dict:
    return {
        "table_number": "T-50",
        "floor": "1",
        "capacity": "4",
        "shape": "rect",
        "section": "",
        "notes": "",
        **values,
    }


def test_table_forms_show_the_message_at_notes_and_section(manager_site):
    """Adding or editing a table with a NUL in notes or section: 422, each message at its field, nothing saved."""
    added = manager_site.post("/tables/new", data=table_form(notes=f"Window{NUL}seat", section=f"Bar{NUL}"))
    assert added.status_code == 422
    assert shown_error(added, "error-notes") == UNSTORABLE_TEXT
    assert shown_error(added, "error-section") == UNSTORABLE_TEXT
    assert manager_site.get("/api/tables").get_json() == []
    assert manager_site.post("/tables/new", data=table_form(notes="Window seat")).status_code == 302
    [table] = manager_site.get("/api/tables").get_json()
    edited = manager_site.post(f"/tables/{table['tableId']}/edit", data=table_form(notes=f"By the{NUL}door"))
    assert edited.status_code == 422
    assert shown_error(edited, "error-notes") == UNSTORABLE_TEXT
    assert manager_site.get("/api/tables").get_json() == [table]


def test_floors_page_shows_the_message_at_the_name(manager_site):
    """A new floor or a new name with a NUL: 422 at the name, the floors as they were."""
    before = manager_site.get("/api/floors").get_json()
    added = manager_site.post("/floors", data={"number": "4", "name": f"Garden{NUL}room"})
    assert added.status_code == 422
    assert shown_error(added, "new-name-error") == UNSTORABLE_TEXT
    renamed = manager_site.post("/floors/2/rename", data={"name": f"Up{NUL}stairs"})
    assert renamed.status_code == 422
    assert shown_error(renamed, "name-error-2") == UNSTORABLE_TEXT
    assert manager_site.get("/api/floors").get_json() == before


def test_users_page_shows_the_message_at_the_password(either_app, manager_site):
    """A new member of staff or a reset with a NUL in the password: 422 at the password; the old one still works."""
    added = manager_site.post("/users", data={"username": "newhost", "password": f"long-enough{NUL}", "role": "host"})
    assert added.status_code == 422
    assert shown_error(added, "new-password-error") == UNSTORABLE_TEXT
    named = manager_site.post("/users", data={"username": f"new{NUL}host", "password": "long-enough", "role": "host"})
    assert named.status_code == 422
    assert shown_error(named, "new-username-error").startswith("Use 2-80 letters")
    host_id = next(p["userId"] for p in manager_site.get("/api/staff").get_json() if p["username"] == "host")
    reset = manager_site.post(f"/users/{host_id}/password", data={"password": f"new-password{NUL}"})
    assert reset.status_code == 422
    assert UNSTORABLE_TEXT in reset.get_data(as_text=True)
    assert "newhost" not in [p["username"] for p in manager_site.get("/api/staff").get_json()]
    assert sign_in(either_app.test_client(), "host").status_code == 302


@pytest.mark.parametrize("field", ["username", "password"])
def test_sign_in_form_says_what_is_wrong_with_a_nul(either_app, field):
    """No sign-in needed: a NUL in the username or password comes back as the form with its message, 422."""
    client = either_app.test_client()
    fields = {"username": "manager", "password": "correct-horse-battery"}
    fields[field] = fields[field] + NUL
    response = client.post("/login", data={**fields, "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert UNSTORABLE_CREDENTIALS in html and 'name="username"' in html
    assert client.get("/tables").status_code == 302  # not signed in
