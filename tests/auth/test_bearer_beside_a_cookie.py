"""A bearer token is honoured whatever session cookie rides along with it."""

from tests.conftest import PASSWORD, csrf_token


def test_a_token_is_taken_from_a_client_that_also_holds_a_cookie_without_a_sign_in(client):
    """An API client that fetched a CSRF token (and so holds a session cookie) still gets in by its token."""
    token = client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD}).get_json()["token"]
    csrf_token(client)
    assert client.get_cookie("session") is not None
    answer = client.get("/api/tables", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_a_token_request_leaves_the_cookie_session_as_it_was(client):
    """Answering a token request neither reads nor rewrites the browser session beside it."""
    token = client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD}).get_json()["token"]
    before = csrf_token(client)
    cookie = client.get_cookie("session").value
    answer = client.get("/api/auth/csrf", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert client.get_cookie("session").value == cookie
    assert csrf_token(client) == before
