"""Through a real server process, on SQLite and on PostgreSQL: every input that used to answer 500 with a
traceback in the log is refused with a clear 400 or 422, and the log holds no traceback.
"""

import re

import pytest
import requests

from app.auth.routes import UNSTORABLE_CREDENTIALS
from app.models import limits
from app.services.validation import UNSTORABLE_TEXT
from tests.support.api import StaffApi
from tests.support.hostile import VERY_DEEP, nested_text, raw_json
from tests.support.live_server import PASSWORD
from tests.support.servers import start_postgres_server, start_sqlite_server

pytestmark = pytest.mark.live


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request, tmp_path_factory):
    """One `python wsgi.py` process on the database the parameter names."""
    directory = tmp_path_factory.mktemp("inputs")
    live = start_sqlite_server(directory) if request.param == "sqlite" else start_postgres_server(directory)
    yield live
    live.stop()


def send_json(server, method: str, path: str, text: str, token: str | None = None) -> requests.Response:
    """JSON text exactly as given, as a client that writes its own bodies would send it."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, f"{server.url}{path}", data=text.encode(), headers=headers, timeout=10)


def refusal(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] and body["message"], body
    return body


def test_a_real_server_refuses_each_input_that_gave_500(server):
    """Calendar edges, lone surrogates, NULs (body, header, sign-in form) and 5,000-deep JSON: 4xx, no traceback."""
    manager = StaffApi(server.url, "manager")
    table = manager.create_table(notes="Window seat")
    status_path = f"/api/tables/{table['tableId']}/status"
    for method, path, body, token, field in (
        ("PATCH", status_path, {"status": "reserved", "reservedUntil": "0001-01-01T00:00:00+14:00"}, True, None),
        ("PATCH", status_path, {"status": "occupied", "notes": "Birthday\ud800"}, True, "notes"),
        ("PATCH", f"/api/tables/{table['tableId']}", {"section": "Bar\x00"}, True, "section"),
        ("PATCH", "/api/floors/1", {"name": "Main\ud800"}, True, "name"),
        ("POST", "/api/floors/1/sections", {"name": "Patio\x00"}, True, "name"),
        ("POST", "/api/auth/token", {"username": "\ud800", "password": PASSWORD}, False, "username"),
        ("POST", "/api/auth/token", {"username": "manager\x00", "password": PASSWORD}, False, "username"),
    ):
        answer = refusal(send_json(server, method, path, raw_json(body), manager.token if token else None), 422)
        if field:
            assert answer["fields"] == {field: UNSTORABLE_TEXT}
        else:
            assert set(answer["fields"]) == {"reservedUntil"}
    for path, token in (("/api/tables", manager.token), ("/api/auth/token", None)):
        answer = refusal(send_json(server, "POST", path, nested_text(VERY_DEEP), token), 400)
        assert answer["message"] == f"The JSON body is nested more than {limits.JSON_DEPTH} levels deep."
    replayed = manager.set_status(table["tableId"], "occupied", headers={"Idempotency-Key": "tap-1\x00"})
    assert refusal(replayed, 400)["fields"] == {"Idempotency-Key": UNSTORABLE_TEXT}

    browser = requests.Session()
    page = browser.get(f"{server.url}/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": "manager\x00", "password": PASSWORD, "csrf_token": csrf}
    signed = browser.post(f"{server.url}/login", data=form, allow_redirects=False, timeout=10)
    assert signed.status_code == 422
    assert UNSTORABLE_CREDENTIALS in signed.text

    kept = manager.get(f"/api/tables/{table['tableId']}").json()
    assert (kept["status"], kept["notes"], kept["section"], kept["version"]) == ("available", "Window seat", None, 1)
    assert manager.get("/healthz").status_code == 200
    assert "Traceback" not in server.log()
