"""Undo at the door, live: a seating from the line, a move and a join taken back by new changes that another
host's screen hears after the change, in order, and that sync replays; a joined party's clear undone at all
the tables it freed; an undo after someone changed a table since is refused naming them, and no screen hears
it. On one SQLite process and on two processes sharing PostgreSQL and Redis (host A on server A, the other
host and the screen on server B).

Every event these real clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

import pytest

from tests.support.servers import servers_on_each_backing
from tests.support.sockets import eventually, quiet, status_changes

pytestmark = pytest.mark.live

servers, server = servers_on_each_backing(STATUS_RATE_LIMIT="1000 per second")


def post(host, party: dict, path: str, **body):
    return host.http.post(f"{host.url}/api/parties/{party['partyId']}/{path}", json=body, timeout=10)


def seated_at_two(servers, connect, staff, size: int, capacity: int, name: str):
    """A party of `size` from the line seated by host A at two new tables of `capacity`, a manager's screen on
    server B watching floor 1. Returns the screen, the host, the party, the two tables and the seating's answer."""
    manager = staff("manager")
    tables = (manager.create_table(floor=1, capacity=capacity), manager.create_table(floor=1, capacity=capacity))
    screen = connect("manager", url=servers[1].url)
    assert screen.join(1)["ok"] is True
    host = staff("host")
    party = host.add_party(size, name=name)
    seated = host.seat_party(party, *tables)
    assert seated.status_code == 200, seated.text
    return screen, host, party, tables, seated


def test_a_seating_undone_reaches_another_screen_after_it_and_sync_replays_it(servers, connect, staff):
    """Host A seats a party from the line at two tables, then undoes it: B's screen hears both tables occupied
    and party:seated, then both available and party:unseated with the party waiting; a sync from before
    the undo replays the same three events; the line on B has the party back."""
    screen, host, party, (first, second), seated = seated_at_two(servers, connect, staff, 4, 2, "Undone")
    assert screen.wait_for("party:seated", lambda data: data["partyId"] == party["partyId"])
    before_undo = host.latest_event_id()

    undone = post(host, party, "unseat", expectedVersion=seated.json()["version"])
    assert undone.status_code == 200, undone.text
    back = screen.wait_for("party:unseated", lambda data: data["partyId"] == party["partyId"])
    assert (back["state"], back["joinedAt"], back["tableIds"], back["updatedBy"]) == (
        "waiting",
        party["joinedAt"],
        [],
        "host",
    )
    ids = (first["tableId"], second["tableId"])
    assert eventually(lambda: len([c for c in status_changes(screen) if c["tableId"] in ids]) >= 4)
    changes = [(c["tableId"], c["newStatus"]) for c in status_changes(screen) if c["tableId"] in ids]
    assert sorted(changes[:2]) == sorted([(ids[0], "occupied"), (ids[1], "occupied")])
    assert sorted(changes[2:]) == sorted([(ids[0], "available"), (ids[1], "available")])
    # party:unseated comes after the tables it freed, as party:seated came after the tables it took.
    frames = list(screen.frames)
    door = [name for name, data, _ in frames if name.startswith("party:") and data["partyId"] == party["partyId"]]
    assert door == ["party:created", "party:seated", "party:unseated"]
    unseated_at = next(index for index, (name, _, _) in enumerate(frames) if name == "party:unseated")
    freed_at = [
        index
        for index, (name, data, _) in enumerate(frames)
        for item in (data if name == "tables:batch_update" else [data] if name == "table:status_changed" else [])
        if item["tableId"] in ids and item["newStatus"] == "available"
    ]
    assert len(freed_at) == 2 and max(freed_at) < unseated_at

    replayed = screen.sync(str(before_undo))
    assert [(entry["event"], entry["data"].get("tableId")) for entry in replayed["events"]] == [
        ("table:status_changed", ids[0]),
        ("table:status_changed", ids[1]),
        ("party:unseated", None),
    ]
    line = staff("viewer").on(servers[1].url).get("/api/parties").json()
    assert party["partyId"] in [one["partyId"] for one in line]


def test_a_seating_undone_after_another_host_changed_a_table_is_refused_naming_them(servers, connect, staff):
    """A seats; the manager on B notes the table; A's undo is 409 naming the manager and the table, and B's
    screen hears no table freed and no party:unseated."""
    table = staff("manager").create_table(floor=1)
    screen = connect("manager", url=servers[1].url)
    assert screen.join(1)["ok"] is True
    host, other = staff("host"), staff("manager").on(servers[1].url)
    party = host.add_party(2)
    seated = host.seat_party(party, table)
    assert seated.status_code == 200
    assert other.set_status(table["tableId"], "occupied", notes="Allergy: nuts").status_code == 200

    refused = post(host, party, "unseat", expectedVersion=seated.json()["version"])
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["changedBy"] == "manager" and body["table"]["tableId"] == table["tableId"]
    assert table["tableNumber"] in body["message"]
    assert eventually(lambda: len([c for c in status_changes(screen) if c["tableId"] == table["tableId"]]) >= 2)
    quiet()
    assert [c["newStatus"] for c in status_changes(screen) if c["tableId"] == table["tableId"]] == [
        "occupied",
        "occupied",
    ]
    assert screen.received("party:unseated") == []


def test_a_move_and_a_join_undone_reach_another_screen(servers, connect, staff):
    """A moves a party and undoes it, then joins a table and undoes that: B's screen ends with the party at its
    first table alone, covers all there, the other two tables available, each step its own event."""
    manager = staff("manager")
    first, elsewhere, beside = (manager.create_table(floor=1, capacity=4) for _ in range(3))
    screen = connect("manager", url=servers[1].url)
    assert screen.join(1)["ok"] is True
    host = staff("host")
    party = host.add_party(6, name="Back And Forth")
    assert host.seat_party(party, first).status_code == 200

    body = {"fromTableId": first["tableId"], "toTableId": elsewhere["tableId"]}
    moved = post(host, party, "move", **body)
    assert moved.status_code == 200, moved.text
    back = {"fromTableId": elsewhere["tableId"], "toTableId": first["tableId"]}
    assert post(host, party, "move", **back, expectedVersion=moved.json()["version"]).status_code == 200
    joined = post(host, party, "tables", tableId=beside["tableId"])
    assert joined.status_code == 200, joined.text
    taken_off = post(host, party, "unjoin", tableId=beside["tableId"], expectedVersion=joined.json()["version"])
    assert taken_off.status_code == 200, taken_off.text

    def last_seen(table: dict) -> tuple | None:
        seen = [c for c in status_changes(screen) if c["tableId"] == table["tableId"]]
        return (seen[-1]["newStatus"], seen[-1].get("covers"), len(seen)) if seen else None

    # first: seated, moved away, back, covers split by the join, all covers again; the other two: on and off.
    assert eventually(lambda: last_seen(first) == ("occupied", 6, 5))
    assert eventually(lambda: last_seen(elsewhere) == ("available", None, 2))
    assert eventually(lambda: last_seen(beside) == ("available", None, 2))

    # The move, the move back, the join and its undo: each a party:updated with the party's tables then.
    def versions() -> list[int]:
        return [d["changes"]["version"] for d in screen.received("party:updated") if d["partyId"] == party["partyId"]]

    assert eventually(lambda: len(versions()) == 4)
    assert versions() == sorted(versions()) and taken_off.json()["version"] == versions()[-1]


def test_a_clear_of_a_joined_party_undone_puts_it_back_at_both_tables_on_another_screen(servers, connect, staff):
    """Host A seats a party of 7 at two 4-tops, clears one (both freed), then undoes the clear from it as the
    page sends it: B's screen hears both tables freed, then both occupied again by the party, covers 4 + 3
    as after the seating, both timers at its seated time."""
    screen, host, party, (first, second), seated = seated_at_two(servers, connect, staff, 7, 4, "Joined")
    ids = (first["tableId"], second["tableId"])

    def heard() -> list[tuple]:
        return [
            (item["tableId"], item["newStatus"], item.get("partyId"), item.get("covers"), item.get("statusChangedAt"))
            for item in status_changes(screen)
            if item["tableId"] in ids
        ]

    assert host.set_status(first["tableId"], "available", expectedStatus="occupied").status_code == 200
    assert eventually(lambda: len(heard()) >= 4)
    assert sorted(heard()[2:]) == sorted([(one, "available", None, None, None) for one in ids])
    undone = host.set_status(
        first["tableId"], "occupied", covers=4, expectedStatus="available", partyId=party["partyId"]
    )
    assert undone.status_code == 200, undone.text
    assert eventually(lambda: len(heard()) >= 6)
    quiet()
    seated_at = seated.json()["seatedAt"]
    assert heard()[4:] == [
        (first["tableId"], "occupied", party["partyId"], 4, seated_at),
        (second["tableId"], "occupied", party["partyId"], 3, seated_at),
    ]
