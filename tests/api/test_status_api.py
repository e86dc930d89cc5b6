"""Changing a table's status over JSON: roles, conflicts, idempotency, rate limits."""

import pytest
from sqlalchemy import func, select

from app.models import Event


def events(app) -> list[Event]:
    with app.app_context():
        from app.extensions import db

        return list(db.session.scalars(select(Event).order_by(Event.id)))


@pytest.fixture
def table(make_table):
    return make_table(floor=1)


def status_url(table) -> str:
    return f"/api/tables/{table['tableId']}/status"


def test_host_seats_a_table(app, host, table):
    """A host sets a table occupied; the table and its event say so."""
    response = host.patch(status_url(table), json={"status": "occupied", "notes": "party of 4"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "occupied" and body["notes"] == "party of 4" and body["version"] == 2
    event = events(app)[-1]
    assert event.type == "table:status_changed"
    assert event.message() == {
        "eventId": str(event.id), "tableId": table["tableId"], "tableNumber": table["tableNumber"], "floor": 1,
        "oldStatus": "available", "newStatus": "occupied", "updatedBy": "host",
        "updatedAt": body["statusChangedAt"], "notes": "party of 4",
    }  # fmt: skip


def test_viewer_cannot_change_status(app, viewer, table):
    """A viewer gets 403 and the table stays as it was."""
    assert viewer.patch(status_url(table), json={"status": "occupied"}).status_code == 403
    assert viewer.get(f"/api/tables/{table['tableId']}").get_json()["status"] == "available"


@pytest.mark.parametrize(
    "body",
    [{}, {"status": "dirty"}, {"status": "occupied", "expectedStatus": "gone"}, {"status": "occupied", "extra": 1},
     {"status": "occupied", "critical": "yes"}, {"status": "reserved", "reservedUntil": "soon"}],
)  # fmt: skip
def test_bad_status_bodies_get_422(app, host, table, body):
    """Every invalid status body is a 422 and logs nothing."""
    before = len(events(app))
    assert host.patch(status_url(table), json=body).status_code == 422
    assert len(events(app)) == before


def test_stale_expected_status_is_409_with_the_current_table(app, host, table):
    """expectedStatus that no longer matches is a 409 carrying the stored table; nothing changes."""
    host.patch(status_url(table), json={"status": "occupied"})
    before = len(events(app))
    response = host.patch(status_url(table), json={"status": "reserved", "expectedStatus": "available"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "conflict" and body["table"]["status"] == "occupied"
    assert len(events(app)) == before


def test_a_conflict_names_who_made_the_change_not_seen(manager, host, table):
    """The 409 says who changed the table last, so the person can be asked "changed by NAME"."""
    manager.patch(status_url(table), json={"status": "occupied"})
    response = host.patch(status_url(table), json={"status": "reserved", "expectedStatus": "available"})
    assert response.status_code == 409
    assert response.get_json()["changedBy"] == "manager"


def test_notes_sent_on_a_stale_status_are_409_and_not_saved(app, manager, host, table):
    """Notes alone, sent with the status the person saw, are refused when someone changed the table meanwhile."""
    manager.patch(status_url(table), json={"status": "occupied"})
    before = len(events(app))
    notes_only = {"status": "available", "expectedStatus": "available", "notes": "Window seat please"}
    response = host.patch(status_url(table), json=notes_only)
    assert response.status_code == 409
    body = response.get_json()
    assert (body["error"], body["changedBy"]) == ("conflict", "manager")
    assert (body["table"]["status"], body["table"]["notes"]) == ("occupied", None)
    assert host.get(f"/api/tables/{table['tableId']}").get_json()["notes"] is None
    assert len(events(app)) == before


def test_matching_expected_status_applies(host, table):
    """expectedStatus equal to the stored status lets the change through."""
    response = host.patch(status_url(table), json={"status": "occupied", "expectedStatus": "available"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "occupied"
    assert host.get(f"/api/tables/{table['tableId']}").get_json()["status"] == "occupied"


def test_idempotency_key_replays_without_applying_twice(app, host, table):
    """A retried request with the same Idempotency-Key returns the first reply and logs one event."""
    headers = {"Idempotency-Key": "tablet-7-0001"}
    first = host.patch(status_url(table), json={"status": "occupied"}, headers=headers)
    host.patch(status_url(table), json={"status": "available"})
    again = host.patch(status_url(table), json={"status": "occupied"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    assert [e.payload["newStatus"] for e in events(app)[1:]] == ["occupied", "available"]


def test_idempotency_key_reused_for_another_request_is_422(host, table):
    """The same key with a different body is refused rather than replayed."""
    headers = {"Idempotency-Key": "k-1"}
    host.patch(status_url(table), json={"status": "occupied"}, headers=headers)
    response = host.patch(status_url(table), json={"status": "maintenance"}, headers=headers)
    assert response.status_code == 422


def test_sixth_change_in_a_second_is_rate_limited(app, host, make_table):
    """Five changes a second per user pass; the sixth gets 429, the contract body and Retry-After."""
    tables = [make_table(floor=1) for _ in range(6)]
    responses = [host.patch(status_url(t), json={"status": "occupied"}) for t in tables]
    assert [r.status_code for r in responses] == [200] * 5 + [429]
    response = responses[-1]
    assert response.get_json() == {"error": "rate_limited", "message": "Too many requests. Please slow down."}
    assert int(response.headers["Retry-After"]) >= 1
    stored = [host.get(f"/api/tables/{t['tableId']}").get_json()["status"] for t in tables]
    assert stored == ["occupied"] * 5 + ["available"], "the refused sixth change was not applied"


def test_changes_by_token_and_by_cookie_share_one_limit_per_user(client, host, bearer, make_table):
    """A host's token and their signed-in page count against the same five a second."""
    tables = [make_table(floor=1) for _ in range(6)]
    headers = bearer("host")
    codes = [client.patch(status_url(t), json={"status": "occupied"}, headers=headers).status_code for t in tables[:4]]
    codes += [host.patch(status_url(t), json={"status": "occupied"}).status_code for t in tables[4:]]
    assert codes == [200] * 5 + [429]


def test_manager_critical_change_bypasses_the_limit(manager, make_table):
    """A manager's critical:true changes are never rate limited."""
    tables = [make_table(floor=1) for _ in range(8)]
    codes = [manager.patch(status_url(t), json={"status": "maintenance", "critical": True}).status_code for t in tables]
    assert codes == [200] * 8
    stored = [manager.get(f"/api/tables/{t['tableId']}").get_json()["status"] for t in tables]
    assert stored == ["maintenance"] * 8


def test_host_cannot_send_critical(host, table):
    """Only managers may mark a change critical."""
    assert host.patch(status_url(table), json={"status": "occupied", "critical": True}).status_code == 403


def test_reserved_until_is_kept_only_while_reserved(host, table):
    """A reservation hold is stored with reserved status and cleared when the table changes again."""
    held = host.patch(status_url(table), json={"status": "reserved", "reservedUntil": "2030-01-01T19:30:00Z"})
    assert held.get_json()["reservedUntil"] == "2030-01-01T19:30:00.000Z"
    seated = host.patch(status_url(table), json={"status": "occupied"})
    assert seated.get_json()["reservedUntil"] is None


def test_a_refused_change_leaves_no_event(app, host, table):
    """No event row exists for a change that failed."""
    with app.app_context():
        from app.extensions import db

        before = db.session.scalar(select(func.count(Event.id)))
    host.patch(status_url(table), json={"status": "occupied", "expectedStatus": "reserved"})
    host.patch("/api/tables/999/status", json={"status": "occupied"})
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == before


def test_the_floor_is_checked_on_the_table_the_change_reads(app, as_staff, manager, host, table):
    """A host of floor 2 gets 403 for a floor 1 table, and 404 "does not exist" once it is deleted;
    a host of every floor is told who deleted it. Nothing is logged for any of them."""
    other = as_staff("floor2host")
    refused = other.patch(status_url(table), json={"status": "occupied"})
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "You do not have access to floor 1."
    assert manager.delete(f"/api/tables/{table['tableId']}").status_code == 204
    before = len(events(app))
    unknown = other.patch(status_url(table), json={"status": "occupied"}, headers={"Idempotency-Key": "k-1"})
    assert unknown.status_code == 404
    assert unknown.get_json()["message"] == f"Table {table['tableId']} does not exist."
    named = host.patch(status_url(table), json={"status": "occupied"})
    assert named.status_code == 404
    assert named.get_json()["message"] == f"Table {table['tableNumber']} was deleted by manager."
    assert len(events(app)) == before
