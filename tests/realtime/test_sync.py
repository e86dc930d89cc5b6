"""TR-006 (server half): a client that missed events catches up with tables:sync."""

import sqlite3
from contextlib import contextmanager

import pytest

from app.services.status import change_status
from app.worker import prune_once
from tests.support.database import app_context

pytestmark = pytest.mark.live
SYNC_LIMIT = 5
SERVER_SETTINGS = {"SYNC_MAX_EVENTS": str(SYNC_LIMIT), "STATUS_RATE_LIMIT": "1000 per second"}


def head_of(socket, floor: int | None) -> str:
    """The newest event id of a room, as the join ack reports it."""
    return socket.join(floor)["lastEventId"]


def test_reconnecting_client_recovers_missed_events_in_order(connect, staff):
    """Events committed while a tab was away come back in order, only for its floor, with recovered true."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    away = connect("viewer")
    last_seen = head_of(away, 1)
    away.close()
    manager.set_status(table["tableId"], "occupied")
    manager.create_table(floor=2)
    manager.update_table(table["tableId"], capacity=6)
    manager.set_status(table["tableId"], "available", notes="Cleared")

    back = connect("viewer")
    back.join(1)
    ack = back.sync(last_seen)
    assert ack["ok"] is True and ack["recovered"] is True and ack["tables"] == []
    assert [event["event"] for event in ack["events"]] == [
        "table:status_changed",
        "table:updated",
        "table:status_changed",
    ]
    ids = [int(event["eventId"]) for event in ack["events"]]
    assert ids == sorted(ids) and ids[0] > int(last_seen)
    assert all(event["data"]["eventId"] == event["eventId"] for event in ack["events"])
    assert ack["events"][-1]["data"]["notes"] == "Cleared" and ack["lastEventId"] == ack["events"][-1]["eventId"]
    response = back.wait_for("tables:sync_response")
    assert response == {key: value for key, value in ack.items() if key != "ok"}


def test_nothing_missed_recovers_with_no_events(connect, staff):
    """Syncing from the newest id is recovered with an empty list and the same lastEventId."""
    staff("manager").create_table(floor=1)
    socket = connect("viewer")
    last = head_of(socket, 1)
    assert socket.sync(last) == {"ok": True, "recovered": True, "lastEventId": last, "events": [], "tables": []}


def test_null_last_event_id_gets_a_snapshot_of_the_sockets_rooms(connect, staff):
    """lastEventId null: recovered false, no events, and the tables of floors 1 and 3 only."""
    manager = staff("manager")
    on_one, on_two, on_three = (manager.create_table(floor=floor) for floor in (1, 2, 3))
    socket = connect("viewer")
    socket.join(1)
    socket.join(3)
    ack = socket.sync(None)
    assert ack["recovered"] is False and ack["events"] == []
    floors = {row["floor"] for row in ack["tables"]}
    ids = {row["tableId"] for row in ack["tables"]}
    assert floors == {1, 3} and {on_one["tableId"], on_three["tableId"]} <= ids and on_two["tableId"] not in ids
    assert int(ack["lastEventId"]) >= on_three["tableId"] and ack["tables"][0].keys() == on_one.keys()


def test_snapshot_rows_are_the_current_tables(connect, staff):
    """The snapshot shows a table as the API does now, after its changes."""
    manager = staff("manager")
    table = manager.create_table(floor=2)
    manager.set_status(table["tableId"], "occupied")
    socket = connect("viewer")
    socket.join(2)
    row = next(row for row in socket.sync(None)["tables"] if row["tableId"] == table["tableId"])
    assert row == manager.get(f"/api/tables/{table['tableId']}").json() and row["status"] == "occupied"


def test_all_tables_snapshot_covers_every_floor(connect, staff):
    """A list-view socket (all_tables) gets every floor's tables."""
    for floor in (1, 2, 3):
        staff("manager").create_table(floor=floor)
    socket = connect("viewer")
    socket.join(None)
    assert {row["floor"] for row in socket.sync(None)["tables"]} == {1, 2, 3}


def test_limited_user_snapshot_holds_only_their_floor(connect, staff):
    """A host limited to floor 2 syncing in floor:2 sees floor 2 tables only."""
    staff("manager").create_table(floor=1)
    staff("manager").create_table(floor=2)
    socket = connect("floor2host")
    socket.join(2)
    socket.join(1)  # refused
    assert {row["floor"] for row in socket.sync(None)["tables"]} == {2}


@pytest.mark.parametrize("unknown", ["999999999", "abc", "-3", ""], ids=["future", "letters", "negative", "empty"])
def test_unknown_last_event_id_gets_a_snapshot(connect, staff, unknown):
    """An id the log never had (or not an id at all) is answered with the snapshot."""
    staff("manager").create_table(floor=1)
    socket = connect("viewer")
    socket.join(1)
    ack = socket.sync(unknown)
    assert ack["recovered"] is False and ack["events"] == [] and ack["tables"]


def test_more_missed_than_the_bound_gets_a_snapshot(connect, staff):
    """Missing more than SYNC_MAX_EVENTS events is answered with the snapshot, not a long list."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    socket = connect("viewer")
    last = head_of(socket, 1)
    for status in ["occupied", "available"] * 3:
        manager.set_status(table["tableId"], status).raise_for_status()
    ack = socket.sync(last)
    assert ack["recovered"] is False and ack["events"] == []
    assert table["tableId"] in [row["tableId"] for row in ack["tables"]]


@pytest.mark.parametrize("payload", [None, {}, "7", {"last": "7"}], ids=["nothing", "empty", "string", "wrong-key"])
def test_malformed_sync_is_refused(connect, payload):
    """A sync without lastEventId gets a bad_request ack and no sync_response."""
    socket = connect("viewer")
    socket.join(1)
    assert socket.call("tables:sync", payload)["error"] == "bad_request"
    assert socket.names("tables:sync_response") == []


def test_rooms_announce_their_head_so_a_client_can_spot_a_gap(connect, staff):
    """Each room periodically gets tables:head {room, lastEventId} with the floor's newest event."""
    staff("manager").create_table(floor=3)
    socket = connect("viewer")
    newest = head_of(socket, 3)
    head = socket.wait_for("tables:head", lambda data: data["room"] == "floor:3", timeout=3)
    assert head == {"room": "floor:3", "lastEventId": newest}


def test_pruned_events_are_answered_with_a_snapshot(server, connect, staff):
    """After the worker trims the log past a client's id, that client gets a snapshot; newer ids still recover."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    socket = connect("viewer")
    old = head_of(socket, 1)
    manager.set_status(table["tableId"], "occupied")
    manager.set_status(table["tableId"], "available")
    with app_context(server.database_url, EVENT_LOG_MAX_ROWS=1, EVENT_LOG_MAX_AGE_HOURS=24) as app:
        assert prune_once(app) > 0
    stale = socket.sync(old)
    assert stale["recovered"] is False and stale["tables"]
    newest = head_of(socket, 1)
    manager.set_status(table["tableId"], "reserved")
    fresh = socket.sync(newest)
    assert fresh["recovered"] is True and [event["data"]["newStatus"] for event in fresh["events"]] == ["reserved"]


def test_a_sync_just_after_another_screens_still_finds_a_change_whose_broadcast_was_lost(connect, staff, server):
    """Screens asking the same question share an answer only if it was read after they asked."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    first, second = connect("viewer"), connect("viewer")
    last = head_of(first, 1)
    head_of(second, 1)
    assert first.sync(last)["events"] == []
    with app_context(server.database_url):
        change_status(table["tableId"], "occupied", by="host")  # committed here: nothing is broadcast
    caught_up = second.sync(last)
    assert [event["data"]["newStatus"] for event in caught_up["events"]] == ["occupied"]
    assert head_of(first, 1) == caught_up["lastEventId"]


@contextmanager
def tables_unreadable(database_url: str):
    """The tables' rows out of the server's reach for a while (as a failing database would be)."""
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as database:
        database.execute("ALTER TABLE tables RENAME TO tables_away")
    try:
        yield
    finally:
        with sqlite3.connect(path) as database:
            database.execute("ALTER TABLE tables_away RENAME TO tables")


def test_a_sync_that_fails_is_answered_with_an_error_and_the_screen_keeps_its_socket(connect, staff, server):
    """A sync the server cannot answer gets internal_error (ack and tables:error); the next one succeeds."""
    table = staff("manager").create_table(floor=3)
    tablet = connect("viewer")
    assert tablet.join(3)["ok"] is True
    with tables_unreadable(server.database_url):
        ack = tablet.sync(None)
    assert ack == {"ok": False, "error": "internal_error", "message": "Something went wrong on the server."}
    assert tablet.wait_for("tables:error")["code"] == "internal_error"
    assert tablet.connected
    ack = tablet.sync(None)
    assert ack["ok"] is True and table["tableId"] in [row["tableId"] for row in ack["tables"]]
