"""Numbers past the database's range, in a path, a query or a body: a clear 4xx on SQLite and PostgreSQL."""

import pytest

from tests.conftest import PASSWORD, STAFF
from tests.support.backing_services import postgres_url
from tests.support.database import app_context, migrate_and_seed

HUGE = 75728218291070587337965568


def bearer_client(application):
    client = application.test_client()
    token = client.post("/api/auth/token", json={"username": "manager", "password": PASSWORD}).get_json()["token"]
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api(request, app, make_table):
    """A manager's bearer client and one table, on either database."""
    if request.param == "sqlite":
        yield bearer_client(app), make_table(floor=1)["tableId"]
        return
    url = postgres_url()
    staff = tuple((name, role, floors) for name, (role, floors) in STAFF.items())
    migrate_and_seed(url, (1, 2, 3), staff, PASSWORD)
    with app_context(url, PASSWORD_HASH_FAST=True) as application:
        from app.services.tables import create_table

        table_id = create_table({"table_number": "T-01", "floor": 1, "capacity": 4}, by="fixture").id
    # Requests outside that context: inside it they would share its `g`, and so one signed-in user.
    yield bearer_client(application), table_id


@pytest.mark.parametrize(
    "path",
    [
        f"/api/events?floor=-{HUGE}",
        f"/api/events?after={HUGE}",
        f"/api/tables?floor={HUGE}",
        f"/tables?floor={HUGE}",
    ],
)
def test_a_huge_number_in_a_query_is_a_400(api, path):
    """The fuzzer's numbers in query strings are refused with a message, not a server error."""
    client, _ = api
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert "out of range" in response.get_json()["message"]


@pytest.mark.parametrize("path", [f"/api/tables/{HUGE}", f"/api/tables/{2**31}", f"/tables/{HUGE}/edit"])
def test_a_huge_id_in_a_path_is_a_404(api, path):
    """An id no table can have names nothing."""
    client, _ = api
    assert client.get(path).status_code == 404


def test_a_huge_table_id_in_a_layout_is_a_422_and_saves_nothing(api):
    """A layout naming an impossible table is refused whole; the real table keeps its place."""
    client, table_id = api
    before = client.get(f"/api/tables/{table_id}").get_json()
    impossible = -30104193289759910619250688
    body = {"tables": [{"tableId": table_id, "x": 300, "y": 300}, {"tableId": impossible, "x": 1, "y": 1}]}
    response = client.put("/api/floors/1/layout", json=body)
    assert response.status_code == 422
    assert "tables.1" in response.get_json()["fields"]
    after = client.get(f"/api/tables/{table_id}").get_json()
    assert (after["x"], after["y"]) == (before["x"], before["y"])


@pytest.mark.parametrize("party", [HUGE, -HUGE, 2**63, 0, "\ud800", "7\x00", {"a": [[1]]}])
def test_an_impossible_party_to_seat_back_is_a_422_and_changes_nothing(api, party):
    """Undoing a clear names the party to seat back: past the database's range, not a whole number, a lone
    surrogate or NUL, or an object is refused at `partyId`, and the table stays as it was."""
    client, table_id = api
    before = client.get(f"/api/tables/{table_id}").get_json()
    response = client.patch(f"/api/tables/{table_id}/status", json={"status": "occupied", "partyId": party})
    assert response.status_code == 422
    assert "partyId" in response.get_json()["fields"]
    assert client.get(f"/api/tables/{table_id}").get_json() == before
