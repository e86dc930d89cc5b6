"""Undo at the door over JSON, on SQLite and PostgreSQL: a seating from the line, a move and a join taken
back by new logged changes, refused with a 409 naming the table (or party) and who changed it since."""

# The door's own fixtures (a staff client per username, a table factory), shared rather than written again.
# ruff: noqa: F811
import pytest

from tests.api.test_move_and_join_api import add, get, move, seated
from tests.api.test_parties_api import door, join, line, seat, staff, table  # noqa: F401


def unseat(client, party: dict, version: int):
    return client.post(f"/api/parties/{party['partyId']}/unseat", json={"expectedVersion": version})


def unjoin(client, party: dict, spot: dict, version: int):
    body = {"tableId": spot["tableId"], "expectedVersion": version}
    return client.post(f"/api/parties/{party['partyId']}/unjoin", json=body)


def events_since(client, after: str) -> list[tuple[str, dict]]:
    events = client.get(f"/api/events?after={after}").get_json()["events"]
    return [(event["event"], event["data"]) for event in events]


def last_event_id(client) -> str:
    return client.get("/api/events?after=0").get_json()["lastEventId"]


def test_an_undone_seating_puts_the_party_back_in_line_where_it_stood_and_frees_its_tables(staff, table):
    """Notified, then seated at two tables, then undone: notified again, its place and quote kept, both
    tables available, and the log holds the seating and the undo (two table changes each, then the party)."""
    host = staff("host")
    first, second = table(capacity=2), table(capacity=2)
    ahead = join(host, 2, name="Ahead")
    smith = join(host, 4, name="Smith", quotedMinutes=25)
    behind = join(host, 2, name="Behind")
    assert host.patch(f"/api/parties/{smith['partyId']}", json={"state": "notified"}).status_code == 200
    response = seat(host, smith, first, second)
    assert response.status_code == 200
    sat = response.get_json()
    after = last_event_id(host)

    undone = unseat(host, smith, sat["version"])
    assert undone.status_code == 200, undone.get_data(as_text=True)
    back = undone.get_json()
    assert (back["state"], back["seatedAt"], back["endedAt"], back["tableIds"]) == ("notified", None, None, [])
    assert (back["joinedAt"], back["quotedMinutes"], back["quotedAt"]) == (
        smith["joinedAt"],
        25,
        smith["quotedAt"],
    )
    assert back["notifiedAt"] == sat["notifiedAt"] and back["version"] == sat["version"] + 1
    assert [party["name"] for party in line(host)] == ["Ahead", "Smith", "Behind"]
    for spot in (first, second):
        assert (get(host, spot)["status"], get(host, spot)["partyId"], get(host, spot)["covers"]) == (
            "available",
            None,
            None,
        )
    logged = events_since(host, after)
    assert [name for name, _ in logged] == ["table:status_changed", "table:status_changed", "party:unseated"]
    assert {data["tableId"] for _, data in logged[:2]} == {first["tableId"], second["tableId"]}
    assert all((data["oldStatus"], data["newStatus"]) == ("occupied", "available") for _, data in logged[:2])
    unseated = logged[2][1]
    assert unseated["partyId"] == smith["partyId"] and unseated["state"] == "notified"
    assert unseated["joinedAt"] == smith["joinedAt"] and unseated["updatedBy"] == "host"
    # The seating is still in each table's history, under the undo.
    history = host.get(f"/api/tables/{first['tableId']}/history").get_json()["events"]
    assert [(entry["oldStatus"], entry["newStatus"]) for entry in history[:2]] == [
        ("occupied", "available"),
        ("available", "occupied"),
    ]
    assert ahead["partyId"] != behind["partyId"]
    # Back in line, it can be seated again, at one table this time.
    again = seat(host, back, first)
    assert again.status_code == 200 and again.get_json()["tableIds"] == [first["tableId"]]


def test_a_seating_undone_after_someone_cleared_a_table_is_refused_naming_the_table_and_them(staff, table):
    """The manager changed one of the party's tables after the seating: 409 naming it and them, nothing undone."""
    host, manager = staff("host"), staff("manager")
    first, second = table(capacity=2), table(capacity=2)
    smith = join(host, 4, name="Smith")
    sat = seat(host, smith, first, second).get_json()
    covers = manager.patch(f"/api/tables/{second['tableId']}/status", json={"status": "occupied", "notes": "Wine"})
    assert covers.status_code == 200
    after = last_event_id(host)

    refused = unseat(host, smith, sat["version"])
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["changedBy"] == "manager" and body["table"]["tableId"] == second["tableId"]
    assert body["message"] == f"Table {second['tableNumber']} was changed since: nothing was undone."
    assert host.get(f"/api/parties/{smith['partyId']}").get_json()["state"] == "seated"
    assert [get(host, spot)["status"] for spot in (first, second)] == ["occupied", "occupied"]
    assert events_since(host, after) == []


def test_a_seating_undone_after_the_party_changed_is_refused_naming_who_changed_it(staff, table):
    """The manager moved the party to another table: the seating's undo is a 409 naming the party and them."""
    host, manager = staff("host"), staff("manager")
    first, other = table(), table()
    smith = join(host, 3, name="Smith")
    sat = seat(host, smith, first).get_json()
    assert move(manager, smith, first, other).status_code == 200

    refused = unseat(host, smith, sat["version"])
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["changedBy"] == "manager" and body["party"]["state"] == "seated"
    assert body["message"] == "Smith (3) was changed by manager since: nothing was undone."
    assert get(host, other)["partyId"] == smith["partyId"]


def test_a_walk_in_is_not_unseated_into_a_line_it_never_stood_in(staff, table):
    """A walk-in seated at once has no place in line to go back to: 409, its table stays occupied."""
    host = staff("host")
    spot = table()
    walk_in = host.post("/api/parties", json={"size": 2, "seatAt": [spot["tableId"]]}).get_json()
    refused = unseat(host, walk_in, walk_in["version"])
    assert refused.status_code == 409 and refused.get_json()["party"]["state"] == "seated"
    assert get(host, spot)["status"] == "occupied"


def test_an_undone_move_takes_the_party_back_with_its_seated_time(staff, table):
    """Moved, then moved back with expectedVersion: at the first table again, the same timer, the other free."""
    host = staff("host")
    old, new = table(), table(capacity=6)
    party = seated(host, 3, old)
    timer = get(host, old)["statusChangedAt"]
    moved = move(host, party, old, new).get_json()

    back = move(host, party, new, old, expectedVersion=moved["version"])
    assert back.status_code == 200, back.get_data(as_text=True)
    there = get(host, old)
    assert (there["status"], there["covers"], there["partyId"], there["statusChangedAt"]) == (
        "occupied",
        3,
        party["partyId"],
        timer,
    )
    assert (get(host, new)["status"], get(host, new)["partyId"]) == ("available", None)
    assert back.get_json()["version"] == moved["version"] + 1


def test_an_undone_move_is_refused_when_the_table_it_left_was_taken_since(staff, table):
    """Someone seated a walk-in at the table the party left: moving back is a 409 naming that table and them."""
    host, manager = staff("host"), staff("manager")
    old, new = table(), table()
    party = seated(host, 2, old)
    moved = move(host, party, old, new).get_json()
    assert manager.patch(f"/api/tables/{old['tableId']}/status", json={"status": "maintenance"}).status_code == 200
    assert manager.patch(f"/api/tables/{old['tableId']}/status", json={"status": "available"}).status_code == 200

    refused = move(host, party, new, old, expectedVersion=moved["version"])
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["table"]["tableId"] == old["tableId"] and body["changedBy"] == "manager"
    assert get(host, new)["partyId"] == party["partyId"] and get(host, old)["status"] == "available"


def test_an_undone_join_takes_the_table_off_and_gives_the_covers_back(staff, table):
    """Joined by a second table, then undone: the table free again, all the covers back at the first."""
    host = staff("host")
    first, second = table(capacity=4), table(capacity=4)
    party = seated(host, 7, first)
    joined = add(host, party, second).get_json()
    assert [get(host, spot)["covers"] for spot in (first, second)] == [4, 3]
    after = last_event_id(host)

    undone = unjoin(host, party, second, joined["version"])
    assert undone.status_code == 200, undone.get_data(as_text=True)
    assert (get(host, first)["covers"], get(host, first)["partyId"]) == (7, party["partyId"])
    assert (get(host, second)["status"], get(host, second)["partyId"]) == ("available", None)
    logged = events_since(host, after)
    assert [(name, data.get("tableId")) for name, data in logged] == [
        ("table:status_changed", second["tableId"]),
        ("table:status_changed", first["tableId"]),
        ("party:updated", None),
    ]
    assert logged[1][1]["covers"] == 7


def test_an_undone_join_is_refused_when_someone_changed_the_party_since(staff, table):
    """Another host joined a third table after the join: taking the second off is a 409 naming them."""
    host, manager = staff("host"), staff("manager")
    first, second, third = table(capacity=4), table(capacity=4), table(capacity=4)
    party = seated(host, 7, first)
    joined = add(host, party, second).get_json()
    assert add(manager, party, third).status_code == 200

    refused = unjoin(host, party, second, joined["version"])
    assert refused.status_code == 409
    assert refused.get_json()["changedBy"] == "manager"
    assert get(host, second)["partyId"] == party["partyId"]


def test_an_undo_names_the_version_it_undoes(staff, table):
    """Without expectedVersion an unseat or unjoin is a 422 naming the field."""
    host = staff("host")
    spot = table()
    party = seated(host, 2, spot)
    for path, body in (("unseat", {}), ("unjoin", {"tableId": spot["tableId"]})):
        response = host.post(f"/api/parties/{party['partyId']}/{path}", json=body)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert "expectedVersion" in response.get_json()["fields"]


def clear_and_undo(host, spot: dict, party: dict, covers: int):
    """The table cleared, then the clear undone as its notice sends it (static/js/undo.js): occupied again with
    the covers shown before and the party the table had."""
    url = f"/api/tables/{spot['tableId']}/status"
    assert host.patch(url, json={"status": "available", "expectedStatus": "occupied"}).status_code == 200
    body = {"status": "occupied", "covers": covers, "expectedStatus": "available", "partyId": party["partyId"]}
    return host.patch(url, json=body)


def test_an_undone_clear_seats_the_party_back_with_its_seated_time(staff, table):
    """Seated from the line, cleared, the clear undone: the same party at the table with its covers, the timer
    at the party's seated time (not the undo's), the party unchanged; the history keeps the clear under the undo."""
    host = staff("host")
    spot = table()
    party = seated(host, 3, spot)

    undone = clear_and_undo(host, spot, party, 3)
    assert undone.status_code == 200, undone.get_data(as_text=True)
    there = get(host, spot)
    assert (there["status"], there["covers"], there["partyId"]) == ("occupied", 3, party["partyId"])
    assert there["statusChangedAt"] == party["seatedAt"]
    now = host.get(f"/api/parties/{party['partyId']}").get_json()
    assert (now["state"], now["seatedAt"], now["tableIds"]) == ("seated", party["seatedAt"], [spot["tableId"]])
    history = host.get(f"/api/tables/{spot['tableId']}/history").get_json()["events"]
    assert [(entry["oldStatus"], entry["newStatus"]) for entry in history[:3]] == [
        ("available", "occupied"),
        ("occupied", "available"),
        ("available", "occupied"),
    ]
    assert history[0]["partyId"] == party["partyId"]


def test_a_clear_undone_after_the_table_changed_is_refused_naming_the_table_and_who(staff, table):
    """The manager set the cleared table aside and back since: the undo is a 409 naming it and them; a party
    that never sat at the table cannot be seated back at it either, and a party comes back only by seating."""
    host, manager = staff("host"), staff("manager")
    spot, other = table(), table()
    party = seated(host, 2, spot)
    url = f"/api/tables/{spot['tableId']}/status"
    assert host.patch(url, json={"status": "available"}).status_code == 200
    for status in ("maintenance", "available"):
        assert manager.patch(url, json={"status": status}).status_code == 200

    body = {"status": "occupied", "covers": 2, "expectedStatus": "available", "partyId": party["partyId"]}
    refused = host.patch(url, json=body)
    assert refused.status_code == 409
    assert refused.get_json()["changedBy"] == "manager" and refused.get_json()["table"]["status"] == "available"
    elsewhere = host.patch(f"/api/tables/{other['tableId']}/status", json=body)
    assert elsewhere.status_code == 409 and get(host, other)["status"] == "available"
    not_seating = host.patch(url, json={"status": "maintenance", "partyId": party["partyId"]})
    assert not_seating.status_code == 422
    assert not_seating.get_json()["fields"] == {"partyId": "A party is seated back only with status occupied."}


def undo_clear(host, spot: dict, party: dict, covers: int):
    """The clear of `spot` undone as its notice sends it: occupied again with the covers it showed and its party."""
    body = {"status": "occupied", "covers": covers, "expectedStatus": "available", "partyId": party["partyId"]}
    return host.patch(f"/api/tables/{spot['tableId']}/status", json=body)


def joined_and_cleared(host, table) -> tuple[dict, dict, dict, str]:
    """A party of 7 seated at a 4-top and joined by a second (covers 4 + 3), then cleared from the first, which
    clears both. Returns the party as seated, the two tables, and the last event id before the clear."""
    first, second = table(capacity=4), table(capacity=4)
    party = seated(host, 7, first)
    assert add(host, party, second).status_code == 200
    assert [get(host, spot)["covers"] for spot in (first, second)] == [4, 3]
    before = last_event_id(host)
    cleared = host.patch(f"/api/tables/{first['tableId']}/status", json={"status": "available"})
    assert cleared.status_code == 200
    assert [get(host, spot)["status"] for spot in (first, second)] == ["available", "available"]
    return party, first, second, before


def test_an_undone_clear_of_a_joined_party_seats_it_back_at_every_table_the_clear_freed(staff, table):
    """Party of 7 at two joined 4-tops, cleared from the first, undone from the first: both tables occupied by the
    party again, covers 4 + 3 as after the join (the party counted once), both timers at its seated time; the undo
    logs one change per table as the clear did, each carrying the party, its covers and its seated time."""
    host = staff("host")
    party, first, second, before = joined_and_cleared(host, table)
    clear = events_since(host, before)
    after = last_event_id(host)

    undone = undo_clear(host, first, party, 4)
    assert undone.status_code == 200, undone.get_data(as_text=True)
    assert [
        (get(host, spot)["status"], get(host, spot)["partyId"], get(host, spot)["covers"]) for spot in (first, second)
    ] == [("occupied", party["partyId"], 4), ("occupied", party["partyId"], 3)]
    assert [get(host, spot)["statusChangedAt"] for spot in (first, second)] == [party["seatedAt"]] * 2
    now = host.get(f"/api/parties/{party['partyId']}").get_json()
    assert (now["state"], now["seatedAt"], now["size"]) == ("seated", party["seatedAt"], 7)
    summary = host.get("/api/summary").get_json()
    assert summary["covers"] == 7 and summary["tables"]["occupied"] == 2

    logged = events_since(host, after)
    assert [(name, data["tableId"]) for name, data in logged] == [(name, data["tableId"]) for name, data in clear]
    assert [(data["tableId"], data["oldStatus"], data["newStatus"]) for _, data in logged] == [
        (first["tableId"], "available", "occupied"),
        (second["tableId"], "available", "occupied"),
    ]
    assert [(data["partyId"], data["covers"], data["statusChangedAt"]) for _, data in logged] == [
        (party["partyId"], 4, party["seatedAt"]),
        (party["partyId"], 3, party["seatedAt"]),
    ]


def test_an_undone_clear_brings_back_only_the_tables_that_clear_freed(staff, table):
    """Seated at A + B, moved from B to C (B freed then), cleared from A (A and C freed): the undo brings the party
    back to A and C, covers counted once over them, and leaves B as the move left it."""
    host = staff("host")
    first, second, third = table(capacity=4), table(capacity=4), table(capacity=4)
    party = seated(host, 7, first, second)
    assert move(host, party, second, third).status_code == 200
    assert host.patch(f"/api/tables/{first['tableId']}/status", json={"status": "available"}).status_code == 200
    assert [get(host, spot)["status"] for spot in (first, second, third)] == ["available"] * 3

    undone = undo_clear(host, first, party, 4)
    assert undone.status_code == 200, undone.get_data(as_text=True)
    assert [(get(host, spot)["partyId"], get(host, spot)["covers"]) for spot in (first, second, third)] == [
        (party["partyId"], 4),
        (None, None),
        (party["partyId"], 3),
    ]


def seat_other_party(manager, spot: dict) -> None:
    response = manager.patch(f"/api/tables/{spot['tableId']}/status", json={"status": "occupied", "covers": 2})
    assert response.status_code == 200


def set_aside_and_back(manager, spot: dict) -> None:
    for status in ("maintenance", "available"):
        response = manager.patch(f"/api/tables/{spot['tableId']}/status", json={"status": status})
        assert response.status_code == 200


def set_aside(manager, spot: dict) -> None:
    response = manager.patch(f"/api/tables/{spot['tableId']}/status", json={"status": "maintenance"})
    assert response.status_code == 200


@pytest.mark.parametrize("change", [seat_other_party, set_aside, set_aside_and_back])
def test_an_undone_clear_is_refused_whole_when_another_table_it_freed_changed_since(staff, table, change):
    """After the clear the manager seated another party at the second table, or set it aside (and back): the undo
    from the first is a 409 naming the second table and the manager, and nothing changes, on no table."""
    host, manager = staff("host"), staff("manager")
    party, first, second, _ = joined_and_cleared(host, table)
    change(manager, second)
    kept = get(host, second)
    after = last_event_id(host)

    refused = undo_clear(host, first, party, 4)
    assert refused.status_code == 409, refused.get_data(as_text=True)
    body = refused.get_json()
    assert (body["table"]["tableId"], body["table"]["status"]) == (second["tableId"], kept["status"])
    assert body["changedBy"] == "manager" and second["tableNumber"] in body["message"]
    assert (get(host, first)["status"], get(host, first)["partyId"]) == ("available", None)
    assert get(host, second) == kept
    assert events_since(host, after) == []
