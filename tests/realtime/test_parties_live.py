"""The door, live: parties reach every staff socket whatever floor it shows, seatings turn tables occupied
everywhere, two hosts racing for one table never both win, and sync replays what a socket missed.

Every event these real clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

from functools import partial

import pytest

from tests.support.api import at_once
from tests.support.sockets import quiet

pytestmark = pytest.mark.live
SERVER_SETTINGS = {"STATUS_RATE_LIMIT": "1000 per second"}


def seatings_seen(socket, party_id: int) -> dict[int, dict]:
    """The status changes a socket received that seated `party_id`, by table, alone or in a batch."""
    items = [*socket.received("table:status_changed")]
    for batch in socket.received("tables:batch_update"):
        items.extend(batch)
    return {item["tableId"]: item for item in items if item.get("partyId") == party_id}


def test_a_party_added_reaches_every_staff_socket_once_whatever_it_shows(connect, watcher, staff):
    """party:created reaches a floor-1 screen, a floor-2-only host, the list of every floor, and a socket in no
    floor room yet: each once, the whole party with its guest page."""
    screens = [watcher(1), watcher(2, "floor2host"), watcher(None), connect("viewer")]
    party = staff("host").add_party(4, name="Achebe", tags=["vip"])
    for screen in screens:
        created = screen.wait_for("party:created", lambda data: data["partyId"] == party["partyId"])
        assert created["eventId"].isdigit() and created["updatedBy"] == "host"
        assert {key: created[key] for key in party} == party
    quiet()
    assert [len(screen.received("party:created")) for screen in screens] == [1, 1, 1, 1]


def test_moves_in_line_reach_every_screen_with_only_what_changed(watcher, staff):
    """Notifying a party sends party:updated with its state, notifiedAt and version."""
    upstairs = watcher(2, "floor2host")
    party = staff("host").add_party(2)
    assert staff("host").change_party(party, state="notified").status_code == 200
    updated = upstairs.wait_for("party:updated", lambda data: data["partyId"] == party["partyId"])
    assert set(updated["changes"]) == {"state", "notifiedAt", "version"}
    assert updated["changes"]["state"] == "notified" and updated["changes"]["version"] == 2


def test_seating_turns_the_tables_occupied_with_covers_everywhere(watcher, staff):
    """A party of 6 at a 4-top and a 2-top: the floor's screens and the list see both occupied with covers 4
    and 2 and the party's id; every screen hears party:seated; floor 2 sees no table of floor 1."""
    manager, host = staff("manager"), staff("host")
    four, two = manager.create_table(floor=1, capacity=4), manager.create_table(floor=1, capacity=2)
    on_floor, everywhere, upstairs = watcher(1), watcher(None), watcher(2, "floor2host")
    party = host.add_party(6, name="Sato")
    assert host.seat_party(party, four, two).status_code == 200
    for screen in (on_floor, everywhere, upstairs):
        seated = screen.wait_for("party:seated", lambda data: data["partyId"] == party["partyId"])
        assert seated["tableIds"] == [four["tableId"], two["tableId"]] and seated["size"] == 6
    for screen in (on_floor, everywhere):
        seen = seatings_seen(screen, party["partyId"])
        assert {table_id: (item["newStatus"], item["covers"]) for table_id, item in seen.items()} == {
            four["tableId"]: ("occupied", 4),
            two["tableId"]: ("occupied", 2),
        }
    quiet()
    assert seatings_seen(upstairs, party["partyId"]) == {}


def test_two_hosts_seating_two_parties_at_one_table_at_once_never_both_win(watcher, staff):
    """Five races: each time exactly one seating lands and the other is 409 naming the table and the winner;
    the table holds the winner's party and the loser is still in line."""
    manager, hosts = staff("manager"), (staff("host"), staff("manager"))
    screen = watcher(1)
    for _ in range(5):
        table = manager.create_table(floor=1)
        parties = [host.add_party(2) for host in hosts]
        answers = at_once(*(partial(host.seat_party, party, table) for host, party in zip(hosts, parties, strict=True)))
        codes = sorted(answer.status_code for answer in answers)
        assert codes == [200, 409], [answer.text for answer in answers]
        winner = next(index for index in (0, 1) if answers[index].status_code == 200)
        refusal = answers[1 - winner].json()
        assert refusal["table"]["tableId"] == table["tableId"] and table["tableNumber"] in refusal["message"]
        assert refusal["changedBy"] == hosts[winner].username
        now = manager.get(f"/api/tables/{table['tableId']}").json()
        assert now["partyId"] == parties[winner]["partyId"] and now["covers"] == 2
        loser = manager.get(f"/api/parties/{parties[1 - winner]['partyId']}").json()
        assert loser["state"] == "waiting" and loser["tableIds"] == []
        seen = screen.wait_for("table:status_changed", lambda data, t=table: data["tableId"] == t["tableId"])
        assert seen["partyId"] == parties[winner]["partyId"]
    quiet()
    seatings = [item for item in screen.received("table:status_changed") if item["newStatus"] == "occupied"]
    assert len(seatings) == 5


def test_a_reconnecting_socket_replays_the_party_events_it_missed(connect, staff):
    """A floor-2-only screen away while a party joined, was notified and was seated on floor 1 gets the three
    party events back in order on sync, and none of floor 1's table changes."""
    manager, host = staff("manager"), staff("host")
    table = manager.create_table(floor=1)
    away = connect("floor2host")
    last_seen = away.join(2)["lastEventId"]
    away.close()
    party = host.add_party(3, name="Away")
    host.change_party(party, state="notified").raise_for_status()
    assert host.seat_party(party, table).status_code == 200

    back = connect("floor2host")
    back.join(2)
    ack = back.sync(last_seen)
    assert ack["recovered"] is True
    assert [event["event"] for event in ack["events"]] == ["party:created", "party:updated", "party:seated"]
    assert {event["data"]["partyId"] for event in ack["events"]} == {party["partyId"]}


def test_a_snapshot_carries_the_line_at_the_door(connect, staff):
    """Syncing with no id gives the line (waiting and notified, in order) beside the room's tables."""
    host = staff("host")
    first, second = host.add_party(2, name="First"), host.add_party(5, name="Second")
    socket = connect("floor2host")
    socket.join(2)
    snapshot = socket.sync(None)
    assert snapshot["recovered"] is False
    line = [party["partyId"] for party in snapshot["parties"]]
    assert line.index(first["partyId"]) < line.index(second["partyId"])
    assert all(party["state"] in ("waiting", "notified") for party in snapshot["parties"])
    response = socket.wait_for("tables:sync_response")
    assert response["parties"] == snapshot["parties"]


def test_a_walk_in_seated_from_a_tables_dialog_carries_its_party_on_the_table(watcher, staff):
    """PATCH status occupied with covers: the floor hears the change with its walk-in party's id, and no
    party event goes to the door for a party that never waited."""
    table = staff("manager").create_table(floor=1)
    on_floor, upstairs = watcher(1), watcher(2, "floor2host")
    seated = staff("host").set_status(table["tableId"], "occupied", covers=2).json()
    change = on_floor.wait_for("table:status_changed", lambda data: data["tableId"] == table["tableId"])
    assert change["partyId"] == seated["partyId"] and change["covers"] == 2
    quiet()
    door_news = [name for name in upstairs.names("party:")]
    assert all(data["partyId"] != seated["partyId"] for name in door_news for data in upstairs.received(name))
