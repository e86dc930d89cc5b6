"""TR-005: joining and leaving floor rooms, and who receives which table's events."""

import pytest

from tests.support.metrics import read_metrics
from tests.support.sockets import quiet

pytestmark = pytest.mark.live


def test_join_acknowledges_the_room_and_its_newest_event(connect, staff):
    """tables:join {floor: 1} answers ok with the room name and the floor's newest event id."""
    table = staff("manager").create_table(floor=1)
    socket = connect("viewer")
    ack = socket.join(1)
    assert ack["ok"] is True and ack["room"] == "floor:1"
    assert int(ack["lastEventId"]) >= int(table["tableId"]) and ack["lastEventId"].isdigit()


def test_join_null_enters_all_tables_and_leave_acknowledges(connect):
    """floor: null joins all_tables; tables:leave answers ok with the room it left."""
    socket = connect("viewer")
    assert socket.join(None)["room"] == "all_tables"
    assert socket.leave(None) == {"ok": True, "room": "all_tables"}
    assert socket.join(2)["room"] == "floor:2"
    assert socket.leave(2) == {"ok": True, "room": "floor:2"}


@pytest.mark.parametrize(
    "payload",
    [None, "floor:1", [1], {}, {"room": 1}, {"floor": "1"}, {"floor": 1.5}, {"floor": True}, {"floor": [1]}],
    ids=["nothing", "string", "list", "empty", "no-floor", "floor-string", "floor-float", "floor-bool", "floor-list"],
)
def test_malformed_join_gets_a_bad_request_ack(connect, payload):
    """Wrong types and missing fields are refused with {ok: false, error: "bad_request", message}."""
    socket = connect("viewer")
    ack = socket.call("tables:join", payload)
    assert ack["ok"] is False and ack["error"] == "bad_request" and ack["message"]
    assert socket.join(1)["ok"] is True  # the connection is still usable


def test_malformed_leave_gets_a_bad_request_ack(connect):
    """tables:leave without a floor number is refused the same way."""
    socket = connect("viewer")
    assert socket.call("tables:leave", {"floor": "two"})["error"] == "bad_request"
    assert socket.call("tables:leave", None)["error"] == "bad_request"


def test_unknown_floor_is_refused_as_not_found(connect):
    """A floor that does not exist cannot be joined."""
    ack = connect("viewer").join(99)
    assert ack == {"ok": False, "error": "not_found", "message": "Floor 99 does not exist."}


def test_limited_user_may_join_only_their_floors(connect):
    """A host limited to floor 2 joins floor 2 but is refused floor 1 and all_tables."""
    socket = connect("floor2host")
    assert socket.join(2)["ok"] is True
    refused = socket.join(1)
    assert refused["ok"] is False and refused["error"] == "forbidden" and refused["message"]
    assert socket.join(None)["error"] == "forbidden"


def test_limited_user_hears_nothing_of_a_refused_floor(connect, staff):
    """After a refused join, floor 1's changes do not reach the limited user."""
    limited = connect("floor2host")
    limited.join(1)
    limited.join(2)
    probe = connect("viewer")
    probe.join(1)
    table = staff("manager").create_table(floor=1)
    probe.wait_for("table:created", lambda data: data["tableId"] == table["tableId"])
    quiet()
    assert limited.names() == []


def test_each_watcher_gets_only_the_floors_it_watches(watcher, connect, staff):
    """A floor 1 change reaches floor:1 and all_tables watchers, not floor:2 nor a socket in no room."""
    on_one, on_two, on_all = watcher(1), watcher(2), watcher(None)
    in_no_room = connect("viewer")
    table = staff("manager").create_table(floor=1)
    on_one.wait_for("table:created", lambda data: data["tableId"] == table["tableId"])
    on_all.wait_for("table:created", lambda data: data["tableId"] == table["tableId"])
    quiet()
    assert on_two.names() == [] and in_no_room.names() == []


def test_a_socket_in_a_floor_room_and_all_tables_receives_each_event_once(connect, staff):
    """Being in floor:1 and all_tables does not double the events."""
    socket = connect("viewer")
    socket.join(1)
    socket.join(None)
    manager = staff("manager")
    table = manager.create_table(floor=1)
    manager.set_status(table["tableId"], "occupied")
    socket.wait_for("table:status_changed")
    quiet()
    assert socket.names() == ["table:created", "table:status_changed"]


def test_switching_floors_moves_the_events_with_the_view(connect, staff):
    """Leaving floor 2 and joining floor 3: floor 3 events arrive, floor 2 events no longer do."""
    socket = connect("viewer")
    socket.join(2)
    assert socket.leave(2)["ok"] and socket.join(3)["ok"]
    manager = staff("manager")
    manager.create_table(floor=2)
    on_three = manager.create_table(floor=3)
    created = socket.wait_for("table:created")
    quiet()
    assert created["tableId"] == on_three["tableId"]
    assert socket.names() == ["table:created"]


def test_tabs_of_one_user_keep_their_own_rooms(connect, staff):
    """Two tabs of the same host on floors 1 and 2 each get only their own floor's events."""
    tab_one, tab_two = connect("host"), connect("host")
    tab_one.join(1)
    tab_two.join(2)
    manager = staff("manager")
    first = manager.create_table(floor=1)
    second = manager.create_table(floor=2)
    assert tab_one.wait_for("table:created")["tableId"] == first["tableId"]
    assert tab_two.wait_for("table:created")["tableId"] == second["tableId"]
    quiet()
    assert tab_one.names() == ["table:created"] and tab_two.names() == ["table:created"]


def test_every_watcher_of_a_floor_receives_the_change(watcher, staff):
    """Five watchers of floor 1 (different people) all get the same status change."""
    watchers = [watcher(1, username) for username in ("viewer", "host", "manager", "viewer", "host")]
    table = staff("manager").create_table(floor=1)
    staff("host").set_status(table["tableId"], "occupied").raise_for_status()
    for socket in watchers:
        change = socket.wait_for("table:status_changed", lambda data: data["tableId"] == table["tableId"])
        assert change["newStatus"] == "occupied"


def test_metrics_count_connections_rooms_and_events(server, watcher, staff):
    """/metrics reports open sockets, room members and broadcast events of the process."""
    socket = watcher(3)
    staff("manager").create_table(floor=3)
    socket.wait_for("table:created")
    scraped = read_metrics(staff("viewer").http.get(f"{server.url}/metrics").text)
    assert scraped["tableside_ws_connections"] >= 1
    assert scraped['tableside_room_members{room="floor:3"}'] == 1
    assert scraped['tableside_events_total{type="table:created"}'] >= 1
    assert scraped['tableside_event_broadcast_latency_seconds_bucket{le="+Inf"}'] >= 1


def test_a_socket_in_several_floor_rooms_receives_each_event_once(connect, staff):
    """One connection shared by a browser's tabs is in the rooms of every floor they show (issue 28):
    a burst of changes on two floors and a table moved between them arrive once each, and leaving
    one floor's room stops its events and only its events."""
    socket = connect("host")
    assert socket.join(1)["ok"] and socket.join(2)["ok"] and socket.join(3)["ok"]
    manager = staff("manager")
    first, second = manager.create_table(floor=1), manager.create_table(floor=2)
    for status in ("occupied", "reserved"):
        for table in (first, second):
            assert manager.set_status(table["tableId"], status).status_code == 200
    assert manager.update_table(first["tableId"], floor=2).status_code == 200
    socket.wait_for("table:updated")
    quiet()
    named = ("table:created", "table:status_changed", "table:updated")
    ids = [item["eventId"] for name in named for item in socket.received(name)]
    ids += [item["eventId"] for batch in socket.received("tables:batch_update") for item in batch]
    assert len(ids) == len(set(ids)) == 2 + 4 + 1

    assert socket.leave(2) == {"ok": True, "room": "floor:2"}
    moved_back = manager.update_table(first["tableId"], floor=3)
    assert moved_back.status_code == 200
    moved = socket.wait_for("table:updated", lambda data: data["changes"].get("floor") == 3)
    assert moved["tableId"] == first["tableId"]
    on_two = manager.create_table(floor=2)
    on_one = manager.create_table(floor=1)
    assert socket.wait_for("table:created", lambda data: data["tableId"] == on_one["tableId"])
    quiet()
    assert on_two["tableId"] not in [item["tableId"] for item in socket.received("table:created")]
