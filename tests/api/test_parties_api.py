"""The door over JSON, on SQLite and PostgreSQL: the line, moves in it, seating, walk-ins, and what they count."""

import itertools
import re

import pytest

from tests.conftest import StaffClient

_numbers = itertools.count(1)


@pytest.fixture
def door(either_app):
    """The app on either database, with status and party changes not limited (one test proves the limit)."""
    either_app.config["STATUS_RATE_LIMIT"] = "1000 per second"
    return either_app


@pytest.fixture
def staff(door):
    """Factory: a signed-in client for a username from STAFF, one each."""
    people: dict[str, StaffClient] = {}

    def person(username: str) -> StaffClient:
        if username not in people:
            people[username] = StaffClient(door.test_client(), username)
        return people[username]

    return person


@pytest.fixture
def table(staff):
    """Factory: a new table through the manager's API."""

    def make(floor: int = 1, capacity: int = 4, **fields) -> dict:
        body = {"tableNumber": f"D-{next(_numbers):02d}", "floor": floor, "capacity": capacity, **fields}
        response = staff("manager").post("/api/tables", json=body)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return make


def join(client, size: int, **fields) -> dict:
    """A party joins the line; fails the test on anything but 201."""
    response = client.post("/api/parties", json={"size": size, **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def move(client, party: dict, state: str, **fields):
    return client.patch(f"/api/parties/{party['partyId']}", json={"state": state, **fields})


def seat(client, party: dict, *tables: dict, headers: dict | None = None, **body):
    json = {"tableIds": [table["tableId"] for table in tables], **body}
    return client.post(f"/api/parties/{party['partyId']}/seat", json=json, headers=headers or {})


def line(client, **query) -> list[dict]:
    response = client.get("/api/parties", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_party_joins_the_line_with_its_guest_page(staff):
    """POST /api/parties answers 201 with the party waiting, its fields, and a guest page of its own."""
    host = staff("host")
    smith = join(host, 4, name="Smith", phone="+44 20 7946 0000", notes="Pram", tags=["birthday", "high_chair"])
    other = join(host, 2)
    assert smith["state"] == "waiting" and smith["size"] == 4 and smith["name"] == "Smith"
    assert smith["phone"] == "+44 20 7946 0000" and smith["notes"] == "Pram"
    assert smith["tags"] == ["birthday", "high_chair"] and smith["tableIds"] == []
    assert smith["joinedAt"].endswith("Z") and smith["quotedAt"] == smith["joinedAt"]
    assert smith["notifiedAt"] is None and smith["seatedAt"] is None and smith["version"] == 1
    assert re.fullmatch(r"/w/[A-Za-z0-9_-]{32,}", smith["guestUrl"])
    assert smith["guestUrl"] != other["guestUrl"]
    assert staff("viewer").get(f"/api/parties/{smith['partyId']}").get_json() == smith


def test_the_quote_is_the_hosts_or_the_suggested_wait(staff, table):
    """With a free table that fits and nobody in line the wait is 0; behind someone, the floor's turn time."""
    host = staff("host")
    table(capacity=4)
    assert join(host, 2)["quotedMinutes"] == 0
    assert join(host, 2)["quotedMinutes"] == 90
    assert join(host, 3, quotedMinutes=25)["quotedMinutes"] == 25


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "size"),
        ({"size": 0}, "size"),
        ({"size": 100}, "size"),
        ({"size": "4"}, "size"),
        ({"size": 2, "tags": ["vip", "loud"]}, "tags"),
        ({"size": 2, "phone": "call me"}, "phone"),
        ({"size": 2, "name": "x" * 81}, "name"),
        ({"size": 2, "quotedMinutes": -5}, "quotedMinutes"),
        ({"size": 2, "state": "seated"}, "state"),
        ({"size": 2, "seatAt": []}, "seatAt"),
        ({"size": 2, "seatAt": [1, 1]}, "seatAt"),
        ({"size": 2, "expectedStatuses": {"1": "available"}}, "expectedStatuses"),
    ],
)
def test_a_party_that_cannot_be_added_is_422_naming_the_field(staff, body, field):
    """Each refused field is named with what is wrong with it; nothing joins the line."""
    response = staff("host").post("/api/parties", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["fields"]
    assert line(staff("host")) == []


def test_the_line_is_in_the_order_parties_joined(staff):
    """GET /api/parties: waiting and notified parties in join order; ?state= one state."""
    host = staff("host")
    first, second, third = join(host, 2, name="A"), join(host, 4, name="B"), join(host, 6, name="C")
    assert move(host, second, "notified").status_code == 200
    assert move(host, third, "cancelled").status_code == 200
    assert [party["name"] for party in line(staff("viewer"))] == ["A", "B"]
    assert [party["name"] for party in line(host, state="notified")] == ["B"]
    assert [party["name"] for party in line(host, state="cancelled")] == ["C"]
    assert first["partyId"] < second["partyId"] < third["partyId"]
    assert host.get("/api/parties?state=sitting").status_code == 400


def test_moves_in_line_and_their_times(staff):
    """waiting -> notified stamps notifiedAt; back to waiting clears it; a party that left stays out."""
    host = staff("host")
    party = join(host, 2)
    notified = move(host, party, "notified").get_json()
    assert notified["state"] == "notified" and notified["notifiedAt"] and notified["version"] == 2
    waiting = move(host, party, "waiting").get_json()
    assert waiting["state"] == "waiting" and waiting["notifiedAt"] is None
    gone = move(host, party, "no_show").get_json()
    assert gone["state"] == "no_show" and gone["endedAt"]
    refused = move(host, party, "notified")
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["error"] == "conflict" and "no-show" in body["message"]
    assert body["party"]["state"] == "no_show" and body["changedBy"] == "host"


def test_seating_is_not_a_patch(staff):
    """PATCH {state: seated} is 422 pointing at /seat; an unknown state is 422 too."""
    host = staff("host")
    party = join(host, 2)
    seated = move(host, party, "seated")
    assert seated.status_code == 422 and "/seat" in seated.get_json()["fields"]["state"]
    assert move(host, party, "eating").status_code == 422


def test_a_stale_expected_state_is_409_naming_who(staff):
    """A host who saw the party waiting is told another host notified it meanwhile."""
    party = join(staff("host"), 3, name="Ng")
    assert move(staff("manager"), party, "notified").status_code == 200
    stale = move(staff("host"), party, "cancelled", expectedState="waiting")
    assert stale.status_code == 409
    assert stale.get_json()["changedBy"] == "manager" and stale.get_json()["party"]["state"] == "notified"
    assert staff("host").get(f"/api/parties/{party['partyId']}").get_json()["state"] == "notified"
    version = staff("host").patch(f"/api/parties/{party['partyId']}", json={"name": "Ng", "expectedVersion": 1})
    assert version.status_code == 409


def test_editing_fields_changes_only_them(staff):
    """A new size, name and quote; quotedAt moves with the quote; null clears a name."""
    host = staff("host")
    party = join(host, 2, name="Lee", quotedMinutes=10)
    changed = host.patch(f"/api/parties/{party['partyId']}", json={"size": 3, "quotedMinutes": 20}).get_json()
    assert (changed["size"], changed["quotedMinutes"], changed["name"]) == (3, 20, "Lee")
    assert changed["quotedAt"] >= party["quotedAt"] and changed["version"] == 2
    cleared = host.patch(f"/api/parties/{party['partyId']}", json={"name": None}).get_json()
    assert cleared["name"] is None
    same = host.patch(f"/api/parties/{party['partyId']}", json={"size": 3}).get_json()
    assert same["version"] == cleared["version"]


def test_seating_at_two_tables_counts_the_party_once(staff, table):
    """A party of 7 at a 4-top and a 4-top: both occupied, covers 4 and 3, the party seated, the summary 7."""
    host = staff("host")
    first, second = table(capacity=4), table(capacity=4)
    party = join(host, 7, name="Okafor")
    response = seat(host, party, first, second)
    assert response.status_code == 200, response.get_data(as_text=True)
    seated = response.get_json()
    assert seated["state"] == "seated" and seated["tableIds"] == [first["tableId"], second["tableId"]]
    assert seated["seatedAt"] and seated["endedAt"] == seated["seatedAt"]
    tables = [host.get(f"/api/tables/{one['tableId']}").get_json() for one in (first, second)]
    assert [(one["status"], one["covers"], one["partyId"]) for one in tables] == [
        ("occupied", 4, party["partyId"]),
        ("occupied", 3, party["partyId"]),
    ]
    summary = host.get("/api/summary").get_json()
    assert summary["covers"] == 7 and summary["tables"]["occupied"] == 2
    assert line(host) == []


def test_a_table_taken_meanwhile_refuses_the_whole_seating(staff, table):
    """409 names the table and who seated it; the other table stays free and the party stays in line."""
    free, taken = table(), table()
    party = join(staff("host"), 6)
    taking = staff("manager").patch(f"/api/tables/{taken['tableId']}/status", json={"status": "occupied"})
    assert taking.status_code == 200
    refused = seat(staff("host"), party, free, taken)
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["table"]["tableId"] == taken["tableId"] and body["changedBy"] == "manager"
    assert taken["tableNumber"] in body["message"]
    assert staff("host").get(f"/api/tables/{free['tableId']}").get_json()["status"] == "available"
    assert staff("host").get(f"/api/parties/{party['partyId']}").get_json()["state"] == "waiting"


def test_a_held_table_is_seated_only_when_the_host_saw_it_held(staff, table):
    """A reserved table refuses a seating that expected it free, and takes one that expected it reserved."""
    host = staff("host")
    held = table()
    host.patch(f"/api/tables/{held['tableId']}/status", json={"status": "reserved"})
    party = join(host, 2)
    assert seat(host, party, held).status_code == 409
    seated = seat(host, party, held, expectedStatuses={str(held["tableId"]): "reserved"})
    assert seated.status_code == 200 and seated.get_json()["tableIds"] == [held["tableId"]]
    assert seat(host, party, held).status_code == 409  # seated now, no longer in line
    wrong = seat(host, join(host, 2), held, expectedStatuses={str(held["tableId"]): "occupied"})
    assert wrong.status_code == 422 and "expectedStatuses" in wrong.get_json()["fields"]


def test_floor_limited_hosts_see_the_whole_line_but_seat_only_on_their_floors(staff, table):
    """floor2host lists a party added on floor 1's screen, may not seat it on floor 1 (403), may on floor 2."""
    party = join(staff("host"), 2, name="Door")
    limited = staff("floor2host")
    assert [one["name"] for one in line(limited)] == ["Door"]
    downstairs, upstairs = table(floor=1), table(floor=2)
    assert seat(limited, party, downstairs).status_code == 403
    assert seat(limited, party, upstairs, downstairs).status_code == 403
    assert staff("host").get(f"/api/tables/{downstairs['tableId']}").get_json()["status"] == "available"
    assert seat(limited, party, upstairs).status_code == 200
    walk_in = limited.post("/api/parties", json={"size": 2, "seatAt": [downstairs["tableId"]]})
    assert walk_in.status_code == 403


def test_who_may_do_what_at_the_door(staff, door):
    """Viewers read the line and may not change it; without a sign-in, 401."""
    viewer = staff("viewer")
    assert viewer.post("/api/parties", json={"size": 2}).status_code == 403
    party = join(staff("host"), 2)
    assert move(viewer, party, "notified").status_code == 403
    assert viewer.get("/api/parties").status_code == 200
    assert door.test_client().get("/api/parties").status_code == 401
    assert viewer.get("/api/parties/999999").status_code == 404


def test_an_idempotent_retry_adds_and_seats_once(staff, table, door):
    """The same Idempotency-Key replays the first answer: one party in line, one seating logged."""
    host = staff("host")
    added = [host.post("/api/parties", json={"size": 3}, headers={"Idempotency-Key": "add-1"}) for _ in range(2)]
    assert [response.status_code for response in added] == [201, 201]
    assert added[0].get_json() == added[1].get_json() and len(line(host)) == 1
    party, spot = added[0].get_json(), table()
    first = seat(host, party, spot, headers={"Idempotency-Key": "seat-1"})
    again = seat(host, party, spot, headers={"Idempotency-Key": "seat-1"})
    assert (first.status_code, again.status_code) == (200, 200) and first.get_json() == again.get_json()
    events = host.get("/api/events?after=0").get_json()["events"]
    assert [event["event"] for event in events].count("party:seated") == 1
    other = host.post("/api/parties", json={"size": 4}, headers={"Idempotency-Key": "add-1"})
    assert other.status_code == 422


def test_a_walk_in_is_seated_at_once_with_its_party(staff, table):
    """POST {size, seatAt}: 201, the party seated with no quote, the table occupied with its covers and party."""
    host = staff("host")
    spot = table(capacity=2)
    response = host.post("/api/parties", json={"size": 2, "name": "Walk-in", "seatAt": [spot["tableId"]]})
    assert response.status_code == 201, response.get_data(as_text=True)
    party = response.get_json()
    assert party["state"] == "seated" and party["quotedMinutes"] is None and party["tableIds"] == [spot["tableId"]]
    seated = host.get(f"/api/tables/{spot['tableId']}").get_json()
    assert (seated["status"], seated["covers"], seated["partyId"]) == ("occupied", 2, party["partyId"])
    assert line(host) == [] and [one["partyId"] for one in line(host, state="seated")] == [party["partyId"]]
    taken = host.post("/api/parties", json={"size": 2, "seatAt": [spot["tableId"]]})
    assert taken.status_code == 409 and taken.get_json()["table"]["tableId"] == spot["tableId"]


def test_a_status_change_with_covers_seats_a_walk_in_party(staff, table):
    """PATCH status occupied with covers gives the table a seated party of that size; clearing ends the link."""
    host = staff("host")
    spot = table()
    seated = host.patch(f"/api/tables/{spot['tableId']}/status", json={"status": "occupied", "covers": 3}).get_json()
    party = host.get(f"/api/parties/{seated['partyId']}").get_json()
    assert (party["size"], party["state"], party["tableIds"]) == (3, "seated", [spot["tableId"]])
    recounted = host.patch(f"/api/tables/{spot['tableId']}/status", json={"status": "occupied", "covers": 4})
    assert recounted.get_json()["partyId"] == party["partyId"]
    assert host.get(f"/api/parties/{party['partyId']}").get_json()["size"] == 4
    cleared = host.patch(f"/api/tables/{spot['tableId']}/status", json={"status": "available"}).get_json()
    assert cleared["partyId"] is None and cleared["covers"] is None
    assert host.get(f"/api/parties/{party['partyId']}").get_json()["state"] == "seated"
    unknown = host.patch(f"/api/tables/{spot['tableId']}/status", json={"status": "occupied"}).get_json()
    assert unknown["partyId"] is None  # no covers, no size to give a party


def test_a_tables_history_shows_the_parties_seated_at_it(staff, table):
    """The seating entry carries the party's id, size and name as it is now."""
    host = staff("host")
    spot = table()
    party = join(host, 2, name="Rossi")
    seat(host, party, spot)
    host.patch(f"/api/tables/{spot['tableId']}/status", json={"status": "available"})
    host.patch(f"/api/parties/{party['partyId']}", json={"name": "Rossi family"})
    cleared, seating, _created = host.get(f"/api/tables/{spot['tableId']}/history").get_json()["events"]
    assert seating["partyId"] == party["partyId"] and seating["covers"] == 2
    assert seating["party"] == {"partyId": party["partyId"], "size": 2, "name": "Rossi family"}
    assert "party" not in cleared and "partyId" not in cleared


def test_the_summary_counts_the_line(staff):
    """partiesWaiting and coversWaiting count parties waiting or notified, on every floor's summary."""
    host = staff("host")
    first, second, _third = join(host, 2), join(host, 5), join(host, 3)
    move(host, second, "notified")
    move(host, first, "left")
    for query in ("", "?floor=2"):
        summary = staff("floor2host").get(f"/api/summary{query}").get_json()
        assert (summary["partiesWaiting"], summary["coversWaiting"]) == (2, 8)


def test_the_event_log_holds_the_doors_events_for_every_floor(staff, table):
    """GET /api/events for floor-limited staff, and for one floor, includes every party event."""
    host = staff("host")
    party = join(host, 2)
    move(host, party, "notified")
    seat(host, party, table(floor=1))
    names = [event["event"] for event in staff("floor2host").get("/api/events?after=0").get_json()["events"]]
    assert names == ["party:created", "party:updated", "party:seated"]
    on_floor_two = [event["event"] for event in host.get("/api/events?after=0&floor=2").get_json()["events"]]
    assert on_floor_two == names
    every = host.get("/api/events?after=0").get_json()["events"]
    created, updated, seated = [event for event in every if event["event"].startswith("party:")]
    assert created["data"]["partyId"] == party["partyId"] and "floor" not in created["data"]
    assert updated["data"]["changes"]["state"] == "notified" and updated["data"]["updatedBy"] == "host"
    assert seated["data"]["tableIds"] and seated["data"]["size"] == 2


def test_party_changes_are_rate_limited_like_status_changes(either_app):
    """The sixth party change within a second from one host is 429 with the contract's message."""
    host = StaffClient(either_app.test_client(), "host")
    answers = [host.post("/api/parties", json={"size": 2}).status_code for _ in range(6)]
    assert answers[:5] == [201] * 5 and answers[5] == 429
    refused = host.post("/api/parties", json={"size": 2})
    assert refused.get_json()["message"] == "Too many requests. Please slow down."
