"""A change queued offline carries when it was tapped (`tappedAt`): the server records that time.

On SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models.time import isoformat
from app.services.tables import create_table
from tests.conftest import StaffClient


def status_url(table) -> str:
    return f"/api/tables/{table['tableId']}/status"


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def ago(seconds: float) -> str:
    return isoformat(datetime.now(UTC) - timedelta(seconds=seconds))


@pytest.fixture
def app(either_app):
    return either_app


@pytest.fixture
def host(app):
    return StaffClient(app.test_client(), "host")


@pytest.fixture
def table(app):
    """A table last changed an hour ago, so that a tap minutes ago comes after its previous change."""
    with app.app_context():
        row = create_table({"table_number": "TAP-1", "floor": 1, "capacity": 4}, by="fixture")
        row.updated_at = row.status_changed_at = datetime.now(UTC) - timedelta(hours=1)
        db.session.commit()
        return {"tableId": row.id}


def test_a_seating_tapped_offline_is_recorded_at_the_tap(app, host, table):
    """Seated 40 s ago offline: the table, its event in the history and the walk-in party say so."""
    tapped = ago(40)
    body = host.patch(status_url(table), json={"status": "occupied", "covers": 3, "tappedAt": tapped}).get_json()
    assert moment(body["statusChangedAt"]) >= moment(tapped) - timedelta(milliseconds=1)
    assert moment(body["statusChangedAt"]) - moment(tapped) < timedelta(seconds=1)
    history = host.get(f"/api/tables/{table['tableId']}/history").get_json()["events"]
    assert history[0]["at"] == body["statusChangedAt"]
    party = host.get(f"/api/parties/{body['partyId']}").get_json()
    assert party["seatedAt"] == body["statusChangedAt"]


def test_a_tap_before_the_previous_change_is_clamped_to_it(app, host, table):
    """The table changed after the tap (someone else, online): the queued change comes after it."""
    first = host.patch(status_url(table), json={"status": "reserved"}).get_json()
    body = host.patch(status_url(table), json={"status": "occupied", "tappedAt": ago(600)}).get_json()
    assert body["statusChangedAt"] == first["updatedAt"]


def test_a_tap_in_the_future_is_recorded_as_now(app, host, table):
    """A device whose clock runs ahead cannot date a change in the future."""
    before = datetime.now(UTC)
    body = host.patch(status_url(table), json={"status": "occupied", "tappedAt": ago(-3600)}).get_json()
    assert before - timedelta(seconds=1) <= moment(body["statusChangedAt"]) <= datetime.now(UTC)


def test_a_tap_older_than_the_offline_window_is_recorded_as_now(app, host, table):
    """Past OFFLINE_WINDOW_SECONDS the change is recorded when it arrives."""
    app.config["OFFLINE_WINDOW_SECONDS"] = 60
    before = datetime.now(UTC)
    body = host.patch(status_url(table), json={"status": "occupied", "tappedAt": ago(120)}).get_json()
    assert moment(body["statusChangedAt"]) >= before - timedelta(milliseconds=1)


def test_a_party_added_and_seated_offline_joined_and_sat_when_tapped(app, host, table):
    """The door's queue: the party joined 60 s ago and sat 30 s ago, at the table too."""
    joined, sat = ago(60), ago(30)
    party = host.post("/api/parties", json={"size": 2, "tappedAt": joined}).get_json()
    assert abs(moment(party["joinedAt"]) - moment(joined)) < timedelta(milliseconds=2)
    url = f"/api/parties/{party['partyId']}/seat"
    seated = host.post(url, json={"tableIds": [table["tableId"]], "tappedAt": sat}).get_json()
    assert abs(moment(seated["seatedAt"]) - moment(sat)) < timedelta(milliseconds=2)
    at = host.get(f"/api/tables/{table['tableId']}").get_json()["statusChangedAt"]
    assert at == seated["seatedAt"]


def test_a_seating_tapped_before_the_party_last_changed_comes_after_it(app, host, table):
    """A party added online just now cannot have sat before it joined."""
    party = host.post("/api/parties", json={"size": 2}).get_json()
    url = f"/api/parties/{party['partyId']}/seat"
    seated = host.post(url, json={"tableIds": [table["tableId"]], "tappedAt": ago(600)}).get_json()
    assert seated["seatedAt"] == party["joinedAt"]


@pytest.mark.parametrize("tapped", ["yesterday", "2026-13-40T00:00:00Z", 17, "0001-01-01T00:00:00Z"])
def test_a_bad_tap_time_is_422_and_changes_nothing(app, host, table, tapped):
    """A tap time that is not an ISO 8601 date is refused by name."""
    response = host.patch(status_url(table), json={"status": "occupied", "tappedAt": tapped})
    assert response.status_code == 422
    assert "tappedAt" in response.get_json()["fields"]
    assert host.get(f"/api/tables/{table['tableId']}").get_json()["status"] == "available"


def test_the_tap_time_is_in_the_openapi_document(app):
    """The field is part of the typed StatusChange, so the document describes it."""
    schemas = app.test_client().get("/api/openapi.json").get_json()["components"]["schemas"]
    change = next(schema for name, schema in schemas.items() if name.startswith("StatusChange"))
    assert "tappedAt" in change["properties"]
