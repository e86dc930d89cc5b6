"""A guest's socket, live: it follows its own party and nothing else, whatever it tries.

Real python-socketio clients against a running server; every frame they receive is judged
against /api/asyncapi.json (tests/conftest.py), guest:update on the party channel included.
"""

import pytest
import requests
import socketio

from tests.support.sockets import LiveSocket, eventually, quiet, signed_in_cookie

pytestmark = pytest.mark.live
SERVER_SETTINGS = {"STATUS_RATE_LIMIT": "1000 per second"}
GUEST_FIELDS = {"state", "place", "size", "quotedMinutes", "quotedAt", "notifiedAt", "onTheWayAt"}


def token_of(party: dict) -> str:
    return party["guestUrl"].removeprefix("/w/")


@pytest.fixture
def guest_socket(server):
    """Factory: a connected socket signed in with a party's guest link (and, if given, a staff cookie too)."""
    opened: list[LiveSocket] = []

    def open_socket(party: dict | None = None, *, token: str | None = None, cookie: str | None = None) -> LiveSocket:
        socket = LiveSocket(server.url, cookie=cookie)
        socket.auth = {"guest": token if token is not None else token_of(party)}
        opened.append(socket)
        return socket.connect()

    yield open_socket
    for socket in opened:
        socket.close()


def refused(server, token: object) -> object:
    """The CONNECT error a guest handshake with this token gets (fails the test if accepted)."""
    socket = LiveSocket(server.url)
    socket.auth = {"guest": token}
    try:
        socket.connect()
    except socketio.exceptions.ConnectionError:
        return socket.connect_error
    finally:
        socket.close()
    raise AssertionError("the guest handshake was accepted")


def place_of(staff, party: dict) -> int:
    line = staff("viewer").get("/api/parties").json()
    return [other["partyId"] for other in line].index(party["partyId"]) + 1


def test_a_guest_socket_hears_its_own_party_only_and_may_do_nothing_else(server, staff, connect, guest_socket):
    """The guest tries floors, all_tables, sync, leave and a party room by name: each refused. Meanwhile staff
    change tables, add, notify and seat other parties: the guest hears only its own party, its place moving up
    when the party ahead is seated, then its table being ready; never a table, another party or a staff name."""
    manager, host = staff("manager"), staff("host")
    table, other_table = manager.create_table(floor=1), manager.create_table(floor=2)
    ahead = host.add_party(2, name="Ahead")
    ours = host.add_party(4, name="Ours", quotedMinutes=30)
    staff_screen = connect("viewer")
    guest = guest_socket(ours)
    first = guest.wait_for("guest:update")
    assert first["state"] == "waiting" and first["place"] == place_of(staff, ours) and first["quotedMinutes"] == 30

    for floor in (1, 2, None):
        answer = guest.join(floor)
        assert answer["ok"] is False and answer["error"] == "forbidden"
    for attempt in ({"floor": "party:1"}, {"floor": f"party:{ahead['partyId']}"}, {"room": "staff"}):
        assert guest.call("tables:join", attempt)["error"] == "forbidden"
    assert guest.sync(None)["error"] == "forbidden"
    assert guest.leave(None)["error"] == "forbidden"

    place_before = first["place"]
    assert manager.set_status(table["tableId"], "reserved").status_code == 200
    assert manager.set_status(other_table["tableId"], "occupied", covers=2).status_code == 200
    manager.update_table(table["tableId"], capacity=6).raise_for_status()
    later = host.add_party(3, name="Later")
    host.change_party(later, name="Later still").raise_for_status()
    host.change_party(ahead, state="notified").raise_for_status()
    assert host.seat_party(ahead, table, expectedStatuses={str(table["tableId"]): "reserved"}).status_code == 200
    moved = guest.wait_for("guest:update", lambda data: data["place"] == place_before - 1)
    assert moved["state"] == "waiting"
    host.change_party(ours, state="notified").raise_for_status()
    ready = guest.wait_for("guest:update", lambda data: data["state"] == "notified")
    assert ready["notifiedAt"] and ready["place"] == place_before - 1
    staff_screen.wait_for("party:updated", lambda data: data["partyId"] == ours["partyId"])
    quiet()

    assert set(guest.names("")) == {"tables:connected", "guest:update"}
    updates = guest.received("guest:update")
    assert all(set(update) == GUEST_FIELDS for update in updates)
    assert [(update["state"], update["place"]) for update in updates] == [
        ("waiting", place_before),
        ("waiting", place_before - 1),
        ("notified", place_before - 1),
    ]
    assert staff_screen.received("guest:update") == []


def test_a_staff_cookie_beside_a_guest_link_is_still_only_the_guest(server, staff, guest_socket):
    """A host's browser opening a guest link: the socket is the guest's, in no staff room."""
    party = staff("host").add_party(2)
    _, cookie = signed_in_cookie(server.url, "host")
    guest = guest_socket(party, cookie=cookie)
    guest.wait_for("guest:update")
    assert guest.join(1)["error"] == "forbidden"
    staff("host").add_party(5, name="Someone else")
    quiet()
    assert guest.names("party:") == [] and len(guest.received("guest:update")) == 1


def test_dead_guessed_and_malformed_links_are_refused_at_the_handshake(server, staff):
    """Guessed, empty, absurdly long, non-text, cancelled, left and seated parties' tokens: each 'unauthorized'."""
    host, manager = staff("host"), staff("manager")
    ended = []
    for state in ("cancelled", "left", "no_show"):
        party = host.add_party(2)
        host.change_party(party, state=state).raise_for_status()
        ended.append(token_of(party))
    seated = host.add_party(2)
    assert host.seat_party(seated, manager.create_table(floor=1)).status_code == 200
    for token in ["guessed-token-abcdefghijklmnopqrstuvwxyz", "", "x" * 5000, 12345, None, *ended, token_of(seated)]:
        assert refused(server, token) == {"message": "unauthorized"}, token


def test_the_api_is_closed_to_a_guest(server, staff):
    """The guest's phone has no cookie or token: every staff read is 401."""
    staff("host").add_party(2)
    for path in ("/api/parties", "/api/tables", "/api/events?after=0", "/api/summary", "/api/floors"):
        answer = requests.get(f"{server.url}{path}", timeout=10)
        assert answer.status_code == 401, path


def test_on_my_way_reaches_staff_sockets_and_a_seated_party_ends_the_guest_page(server, staff, connect, guest_socket):
    """The guest's "On my way" is party:updated {onTheWayAt} by "the guest" on a staff socket; the party's
    seating tells the guest its final state, then its link is dead."""
    host, manager = staff("host"), staff("manager")
    party = host.add_party(2, name="Walker")
    staff_screen = connect("floor2host")
    guest = guest_socket(party)
    guest.wait_for("guest:update")
    host.change_party(party, state="notified").raise_for_status()
    guest.wait_for("guest:update", lambda data: data["state"] == "notified")
    answer = requests.post(f"{server.url}{party['guestUrl']}/on-my-way", json={}, timeout=10)
    assert answer.status_code == 200
    heard = staff_screen.wait_for(
        "party:updated", lambda data: data["partyId"] == party["partyId"] and "onTheWayAt" in data["changes"]
    )
    assert heard["updatedBy"] == "the guest" and heard["changes"]["onTheWayAt"] == answer.json()["onTheWayAt"]
    guest.wait_for("guest:update", lambda data: data["onTheWayAt"] is not None)
    assert host.seat_party(party, manager.create_table(floor=1)).status_code == 200
    final = guest.wait_for("guest:update", lambda data: data["state"] == "seated")
    assert final["place"] is None
    assert refused(server, token_of(party)) == {"message": "unauthorized"}


def test_a_seating_undone_moves_the_guests_behind_back_down(server, staff, guest_socket):
    """A party ahead is seated (the guest behind moves up), then the seating is undone: the guest hears its
    place go back down, as the line now stands."""
    host = staff("host")
    ahead, ours = host.add_party(2, name="Ahead"), host.add_party(2, name="Behind")
    guest = guest_socket(ours)
    place = guest.wait_for("guest:update")["place"]
    assert place == place_of(staff, ours)
    seated = host.seat_party(ahead, staff("manager").create_table(floor=1))
    assert seated.status_code == 200
    guest.wait_for("guest:update", lambda data: data["place"] == place - 1)
    unseat = f"{server.url}/api/parties/{ahead['partyId']}/unseat"
    undone = host.http.post(unseat, json={"expectedVersion": seated.json()["version"]}, timeout=10)
    assert undone.status_code == 200, undone.text

    def places() -> list[int]:
        return [update["place"] for update in guest.received("guest:update")]

    # The third update, not the first: wait_for would find the first, which has the same place.
    assert eventually(lambda: places() == [place, place - 1, place]), places()
    back = guest.received("guest:update")[-1]
    assert back["state"] == "waiting" and place_of(staff, ours) == place
