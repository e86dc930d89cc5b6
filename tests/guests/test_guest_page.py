"""The guest's page and buttons over HTTP: no sign-in, the link its only credential, dead once out of line."""

import pytest

from app.guests.staff import qr_svg
from tests.api import test_parties_api as door_tests

# The door's fixtures: the app on SQLite and on PostgreSQL, and its staff.
door, staff, join = door_tests.door, door_tests.staff, door_tests.join


@pytest.fixture
def host(staff):
    return staff("host")


@pytest.fixture
def guest(door):
    """A phone with no cookie of Tableside's."""
    return door.test_client()


def move(host, party: dict, state: str):
    response = host.patch(f"/api/parties/{party['partyId']}", json={"state": state})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def press(guest, party: dict, button: str, **headers):
    return guest.post(f"{party['guestUrl']}/{button}", json={}, headers=headers)


def test_the_page_shows_the_place_in_line_and_no_staff_name(host, guest):
    """The second party's page says it is in line, 2nd, with its quote; no staff name, kept by no cache."""
    join(host, 2, name="First")
    party = join(host, 4, name="Okafor", quotedMinutes=25)
    page = guest.get(party["guestUrl"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert "You're in line" in text and "Okafor, party of 4" in text
    assert '"place": 2' in text and '"quotedMinutes": 25' in text
    # The party was added by the account "host": the word appears only as the restaurant's host.
    words = text.lower().replace("the host stand", "").replace("the host knows", "")
    assert "host" not in words and "updatedby" not in words
    assert "Sign out" not in text and "First" not in text


def test_dead_guessed_and_unknown_links_are_the_same_404(staff, host, guest):
    """Seated, cancelled, left and no-show parties' links, a guessed token and an absurd one: one answer."""
    manager = staff("manager")
    table = manager.post("/api/tables", json={"tableNumber": "G-1", "floor": 1, "capacity": 4}).get_json()
    seated = join(host, 2)
    assert host.post(f"/api/parties/{seated['partyId']}/seat", json={"tableIds": [table["tableId"]]}).status_code == 200
    gone = []
    for state in ("cancelled", "left", "no_show"):
        party = join(host, 2)
        move(host, party, state)
        gone.append(party["guestUrl"])
    answers = [guest.get(url) for url in [seated["guestUrl"], *gone, "/w/guessed-token-123", "/w/" + "x" * 500]]
    assert {answer.status_code for answer in answers} == {404}
    bodies = {answer.get_data(as_text=True) for answer in answers}
    assert len(bodies) == 1 and "This link has expired" in bodies.pop()
    assert press(guest, seated, "cancel").status_code == 404


def test_on_my_way_only_once_notified_and_logged_by_the_guest(host, guest):
    """Before the host notifies: 409 in the guest's words. After: 200, onTheWayAt set, party:updated by "the guest"."""
    party = join(host, 3)
    early = press(guest, party, "on-my-way")
    assert early.status_code == 409 and early.get_json()["message"].startswith("Your table is not ready yet")
    move(host, party, "notified")
    answer = press(guest, party, "on-my-way")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["state"] == "notified" and body["onTheWayAt"] and body["place"] == 1
    assert set(body) == {"state", "place", "size", "quotedMinutes", "quotedAt", "notifiedAt", "onTheWayAt"}
    seen = host.get(f"/api/parties/{party['partyId']}").get_json()
    assert seen["onTheWayAt"] == body["onTheWayAt"]
    events = host.get("/api/events", query_string={"after": "0"}).get_json()["events"]
    ours = [
        event for event in events if event["event"] == "party:updated" and event["data"]["partyId"] == party["partyId"]
    ]
    assert ours[-1]["data"]["updatedBy"] == "the guest"
    assert set(ours[-1]["data"]["changes"]) == {"onTheWayAt", "version"}
    again = press(guest, party, "on-my-way")
    assert again.status_code == 200 and again.get_json()["onTheWayAt"] == body["onTheWayAt"]


def test_back_to_waiting_clears_on_my_way(host, guest):
    """A notify undone by the host clears the guest's answer with it."""
    party = join(host, 2)
    move(host, party, "notified")
    assert press(guest, party, "on-my-way").status_code == 200
    assert move(host, party, "waiting")["onTheWayAt"] is None


def test_cancel_my_spot_cancels_the_party_and_kills_the_link(host, guest):
    """Cancel: the party is cancelled by "the guest", leaves the line, and its link is dead."""
    party = join(host, 2)
    answer = press(guest, party, "cancel")
    assert answer.status_code == 200 and answer.get_json()["state"] == "cancelled"
    assert answer.get_json()["place"] is None
    assert host.get(f"/api/parties/{party['partyId']}").get_json()["state"] == "cancelled"
    assert all(other["partyId"] != party["partyId"] for other in host.get("/api/parties").get_json())
    assert guest.get(party["guestUrl"]).status_code == 404
    assert press(guest, party, "cancel").status_code == 404


def test_buttons_take_json_from_this_site_only(host, guest):
    """A form post (415) or another site's Origin (403) changes nothing; a staff browser needs no CSRF token."""
    party = join(host, 2)
    assert guest.post(f"{party['guestUrl']}/cancel", data={"x": "1"}).status_code == 415
    foreign = press(guest, party, "cancel", Origin="https://evil.example")
    assert foreign.status_code == 403
    assert host.get(f"/api/parties/{party['partyId']}").get_json()["state"] == "waiting"
    own = host.client.post(f"{party['guestUrl']}/cancel", json={}, headers={"Origin": "http://localhost"})
    assert own.status_code == 200


def test_the_page_and_buttons_are_rate_limited_per_address(door, host, guest):
    """Past GUEST_PAGE_RATE_LIMIT the page answers 429; past GUEST_ACTION_RATE_LIMIT the buttons do."""
    door.config["GUEST_PAGE_RATE_LIMIT"] = "3 per minute"
    door.config["GUEST_ACTION_RATE_LIMIT"] = "2 per minute"
    party = join(host, 2)
    assert [guest.get(party["guestUrl"]).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [press(guest, party, "on-my-way").status_code for _ in range(3)] == [409, 409, 429]


def test_staff_get_the_qr_code_and_link_page(host, guest):
    """Signed-in staff: an SVG QR code and a page with the absolute link; a phone without sign-in gets neither."""
    party = join(host, 2, name="Lee")
    qr = host.get(f"/parties/{party['partyId']}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and qr.headers["Cache-Control"] == "no-store"
    assert qr.get_data(as_text=True).lstrip().startswith("<svg")
    # The code is the absolute link, from the origin the browser reached (segno draws the same text alike).
    assert qr.get_data() == qr_svg(f"http://localhost{party['guestUrl']}")
    assert qr.get_data() != qr_svg(party["guestUrl"])
    page = host.get(f"/parties/{party['partyId']}/guest")
    assert page.status_code == 200
    assert f'value="http://localhost{party["guestUrl"]}"' in page.get_data(as_text=True)
    assert guest.get(f"/parties/{party['partyId']}/qr.svg").status_code in (302, 401)
    move(host, party, "left")
    assert host.get(f"/parties/{party['partyId']}/qr.svg").status_code == 404


def test_behind_a_proxy_the_link_has_the_origin_the_browser_used(tmp_path, migrated_template):
    """With PROXY_FIX_HOPS=1 the link and its QR code take the forwarded scheme and host."""
    from app.extensions import db
    from app.models import User
    from app.services.parties import add_party
    from tests.conftest import app_on_copy
    from tests.support.live_server import PASSWORD

    proxied = app_on_copy(tmp_path, migrated_template, PROXY_FIX_HOPS=1)
    with proxied.app_context():
        user = User(username="host", role="host", allowed_floors=None)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        party = add_party({"size": 2}, "host")
        party_id, token = party.id, party.guest_token
        db.session.remove()
    client = proxied.test_client()
    signed = client.post("/api/auth/token", json={"username": "host", "password": PASSWORD}).get_json()["token"]
    forwarded = {
        "Authorization": f"Bearer {signed}",
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "door.example",
    }
    page = client.get(f"/parties/{party_id}/guest", headers=forwarded)
    assert page.status_code == 200
    assert f'value="https://door.example/w/{token}"' in page.get_data(as_text=True)
    qr = client.get(f"/parties/{party_id}/qr.svg", headers=forwarded)
    assert qr.get_data() == qr_svg(f"https://door.example/w/{token}")
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()
