"""Hostile browsers: forged cross-site form posts and oversized bodies are refused and change nothing."""

import pytest

from tests.conftest import csrf_token
from tests.security.test_page_and_socket_authorization import PAGES, restaurant_state, viewer_id

FORMS = [(path, form) for method, path, form, _, _ in PAGES if method == "POST"]
FORMS += [("/logout", {}), ("/login", {"username": "manager", "password": "correct-horse-battery"})]
COOKIE_API = [
    ("post", "/api/tables", {"tableNumber": "X-1", "floor": 1, "capacity": 2}),
    ("patch", "/api/tables/{table}", {"capacity": 9}),
    ("patch", "/api/tables/{table}/status", {"status": "occupied"}),
    ("delete", "/api/tables/{table}", None),
    ("put", "/api/floors/1/layout", {"tables": [{"tableId": "{table}", "x": 5, "y": 5}]}),
]


def fill(value, table_id: int):
    if isinstance(value, str):
        return table_id if value == "{table}" else value.replace("{table}", str(table_id))
    if isinstance(value, dict):
        return {key: fill(item, table_id) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, table_id) for item in value]
    return value


@pytest.mark.parametrize("token", ["missing", "forged"])
@pytest.mark.parametrize(("path", "form"), FORMS, ids=[path for path, _ in FORMS])
def test_a_form_posted_without_its_csrf_token_is_refused(app, as_staff, make_table, path, form, token):
    """A signed-in manager's browser made to post a form from another site gets 400 and nothing changes."""
    manager = as_staff("manager")
    table = make_table(floor=1)
    path = path.format(table=table["tableId"], viewer=viewer_id(app))
    before = restaurant_state(app)
    data = dict(form) if token == "missing" else {**form, "csrf_token": "forged-" + csrf_token(manager.client)[7:]}
    response = manager.client.post(path, data=data)
    assert response.status_code == 400
    assert "did not come from Tableside" in response.get_data(as_text=True)
    assert restaurant_state(app) == before
    assert manager.client.get("/tables").status_code == 200, "the manager is still signed in"


@pytest.mark.parametrize(("method", "path", "body"), COOKIE_API, ids=[f"{m} {p}" for m, p, _ in COOKIE_API])
def test_a_cookie_authenticated_api_call_without_the_header_is_refused(app, as_staff, make_table, method, path, body):
    """The session cookie alone (no X-CSRFToken) cannot change tables through the JSON API."""
    manager = as_staff("manager")
    table = make_table(floor=1)
    before = restaurant_state(app)
    call = getattr(manager.client, method)
    response = call(fill(path, table["tableId"]), json=fill(body, table["tableId"]))
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf_failed"
    assert restaurant_state(app) == before


@pytest.mark.parametrize(("path", "form"), FORMS[:6], ids=[path for path, _ in FORMS[:6]])
def test_an_oversized_form_body_is_refused_with_413(app, as_staff, make_table, path, form):
    """A 200 KB form post (over the 64 KB limit) gets 413 and nothing is stored; the next request works."""
    manager = as_staff("manager")
    table = make_table(floor=1)
    path = path.format(table=table["tableId"], viewer=viewer_id(app))
    before = restaurant_state(app)
    data = {**form, "notes": "x" * 200_000, "csrf_token": csrf_token(manager.client)}
    response = manager.client.post(path, data=data)
    assert response.status_code == 413
    assert restaurant_state(app) == before
    assert manager.client.get("/tables?floor=1").status_code == 200
