"""Seating a party with its covers, and each floor's turn time, over the JSON API."""

import pytest

from app.extensions import db
from app.models import Event


def seat(client, table_id: int, headers: dict | None = None, **body):
    """Seat a party at a table through the status endpoint."""
    return client.patch(f"/api/tables/{table_id}/status", json={"status": "occupied", **body}, headers=headers)


def logged(app, *conditions) -> list[Event]:
    """Logged events, oldest first, read in a context of their own (clients must not share one)."""
    with app.app_context():
        return list(db.session.scalars(db.select(Event).where(*conditions).order_by(Event.id)))


def test_seating_four_covers_shows_on_the_table(host, make_table):
    """PATCH status occupied with covers 4 answers with the table carrying covers 4, and it reads back so."""
    table = make_table(capacity=4)
    response = seat(host, table["tableId"], covers=4)
    assert response.status_code == 200
    assert response.get_json()["covers"] == 4 and response.get_json()["status"] == "occupied"
    assert host.get(f"/api/tables/{table['tableId']}").get_json()["covers"] == 4


def test_a_bigger_party_than_the_seats_is_allowed(host, make_table):
    """A table for two can seat three with a chair pulled up: covers are not capped by capacity."""
    table = make_table(capacity=2)
    assert seat(host, table["tableId"], covers=3).get_json()["covers"] == 3


def test_leaving_occupied_clears_the_covers(host, make_table):
    """A seated table set to available has covers null again."""
    table = make_table()
    seat(host, table["tableId"], covers=5)
    cleared = host.patch(f"/api/tables/{table['tableId']}/status", json={"status": "available"}).get_json()
    assert cleared["covers"] is None


def test_staying_occupied_without_covers_keeps_the_party(host, make_table):
    """Re-sending occupied (e.g. to add a note) keeps the party's covers; a new number replaces them."""
    table = make_table()
    seat(host, table["tableId"], covers=5)
    kept = seat(host, table["tableId"], notes="Birthday").get_json()
    assert kept["covers"] == 5 and kept["notes"] == "Birthday"
    assert seat(host, table["tableId"], covers=6).get_json()["covers"] == 6


def test_changing_the_party_size_keeps_the_seated_time(host, make_table):
    """Correcting covers on a seated table leaves statusChangedAt, so the seated timer runs on."""
    table = make_table()
    seated = seat(host, table["tableId"], covers=2).get_json()
    corrected = seat(host, table["tableId"], covers=3).get_json()
    assert corrected["statusChangedAt"] == seated["statusChangedAt"]
    assert corrected["version"] == seated["version"] + 1


def test_seating_without_covers_leaves_them_unknown(host, make_table):
    """Occupied without covers is still a valid change; covers stay null."""
    table = make_table()
    assert seat(host, table["tableId"]).get_json()["covers"] is None


@pytest.mark.parametrize(
    "covers",
    [0, 100, -1, "4", "four", 10**30, 4.0, 2.5, True, [], {}],
    ids=["zero", "hundred", "negative", "digits-as-text", "text", "ten-to-the-30", "float", "fraction", "boolean",
         "list", "object"],
)  # fmt: skip
def test_bad_covers_are_refused_with_the_field_named(host, make_table, covers):
    """Covers outside 1-99 or not a JSON whole number get 422 naming `covers`, and nothing changes."""
    table = make_table()
    response = seat(host, table["tableId"], covers=covers)
    assert response.status_code == 422
    assert "covers" in response.get_json()["fields"]
    assert host.get(f"/api/tables/{table['tableId']}").get_json()["status"] == "available"


@pytest.mark.parametrize("status", ["available", "reserved", "maintenance"])
def test_covers_with_another_status_are_refused(host, make_table, status):
    """Covers belong to a seated party: with any other status they are a 422 on `covers`."""
    table = make_table()
    response = host.patch(f"/api/tables/{table['tableId']}/status", json={"status": status, "covers": 2})
    assert response.status_code == 422 and "covers" in response.get_json()["fields"]


def test_the_status_event_carries_the_covers(host, make_table, app):
    """The logged table:status_changed of a seating names the covers; a release names none."""
    table = make_table()
    seat(host, table["tableId"], covers=3)
    host.patch(f"/api/tables/{table['tableId']}/status", json={"status": "available"})
    events = logged(app, Event.table_id == table["tableId"])
    assert events[-2].payload["covers"] == 3
    assert "covers" not in events[-1].payload


def test_an_idempotent_retry_of_a_seating_replays_the_covers(host, make_table, app):
    """The offline queue's retry with the same Idempotency-Key answers the first reply and logs one event."""
    table = make_table()
    headers = {"Idempotency-Key": "seat-t1-1"}
    first = seat(host, table["tableId"], covers=4, headers=headers)
    again = seat(host, table["tableId"], covers=4, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json() and again.get_json()["covers"] == 4
    seatings = logged(app, Event.table_id == table["tableId"], Event.type == "table:status_changed")
    assert len(seatings) == 1


def test_the_same_key_with_other_covers_is_refused(host, make_table):
    """Reusing an Idempotency-Key for a different party size is a 422, not a silent replay."""
    table = make_table()
    seat(host, table["tableId"], covers=4, headers={"Idempotency-Key": "seat-t1-2"})
    response = seat(host, table["tableId"], covers=6, headers={"Idempotency-Key": "seat-t1-2"})
    assert response.status_code == 422


def test_a_manager_setting_a_table_available_by_edit_clears_covers(host, manager, make_table):
    """The manager's table edit that changes the status also clears a seated party's covers."""
    table = make_table()
    seat(host, table["tableId"], covers=2)
    edited = manager.patch(f"/api/tables/{table['tableId']}", json={"status": "maintenance"}).get_json()
    assert edited["covers"] is None and edited["status"] == "maintenance"


def test_floors_show_their_turn_time(viewer):
    """GET /api/floors gives each floor's turnMinutes, 90 unless set."""
    assert {floor["turnMinutes"] for floor in viewer.get("/api/floors").get_json()} == {90}


def test_a_manager_sets_a_floors_turn_time(manager, viewer, app):
    """PATCH /api/floors/1 {turnMinutes: 75} answers the floor, shows in the list, and is logged as floor:updated."""
    response = manager.patch("/api/floors/1", json={"turnMinutes": 75})
    assert response.status_code == 200 and response.get_json()["turnMinutes"] == 75
    floors = {floor["floor"]: floor["turnMinutes"] for floor in viewer.get("/api/floors").get_json()}
    assert floors == {1: 75, 2: 90, 3: 90}
    event = logged(app)[-1]
    assert (event.type, event.floor, event.payload["changes"]) == ("floor:updated", 1, {"turnMinutes": 75})


@pytest.mark.parametrize("minutes", [0, 4, 601, "90", 90.5, True, None])
def test_bad_turn_times_are_refused(manager, minutes):
    """Turn time must be a whole number of minutes, 5-600."""
    response = manager.patch("/api/floors/1", json={"turnMinutes": minutes})
    assert response.status_code == 422 and "turnMinutes" in response.get_json()["fields"]


def test_only_managers_set_turn_times(host, as_staff):
    """A host may not; a manager limited to floor 2 may set floor 2's turn time but not floor 1's, nor rename."""
    assert host.patch("/api/floors/1", json={"turnMinutes": 60}).status_code == 403
    limited = as_staff("floor2manager")
    assert limited.patch("/api/floors/2", json={"turnMinutes": 60}).status_code == 200
    assert limited.patch("/api/floors/1", json={"turnMinutes": 60}).status_code == 403
    assert limited.patch("/api/floors/2", json={"name": "Upstairs"}).status_code == 403


def test_an_unknown_floor_is_404(manager):
    """Setting the turn time of a floor that does not exist is 404."""
    assert manager.patch("/api/floors/42", json={"turnMinutes": 60}).status_code == 404
