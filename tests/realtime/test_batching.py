"""TR-007: the first status change of a quiet floor goes out at once; the rest of a burst as one batch frame."""

import threading
import time

import pytest

from tests.support.api import StaffApi
from tests.support.database import add_staff
from tests.support.live_server import PASSWORD
from tests.support.sockets import eventually, quiet, status_changes, table_event_ids

pytestmark = pytest.mark.live
BURST = 10
# The window is widened from 50 ms so that ten HTTP requests from this 2-core machine, busy
# with a whole test run, reliably land inside it, and so that a change held for it could not
# pass for one sent at once; the benchmark measures the default.
WINDOW_SECONDS = 2
SERVER_SETTINGS = {"BATCH_WINDOW_MS": str(WINDOW_SECONDS * 1000)}
BATCH_ITEM_FIELDS = {"eventId", "tableId", "tableNumber", "floor", "status", "oldStatus", "newStatus", "updatedBy"}


@pytest.fixture(scope="module")
def ten_hosts(server) -> list[StaffApi]:
    """Ten different people, each with a warm HTTP connection, ready to tap at once."""
    names = [f"burst{n}" for n in range(BURST)]
    add_staff(server.database_url, names, "host", PASSWORD)
    people = [StaffApi(server.url, name) for name in names]
    for person in people:
        person.get("/api/floors").raise_for_status()
    return people


@pytest.fixture
def quiet_floor():
    """Let the window a previous test opened close: it closes once a whole window passes with nothing held."""
    time.sleep(2 * WINDOW_SECONDS + 0.5)


def burst(people: list[StaffApi], tables: list[dict], status: str, **fields) -> None:
    """Everyone changes their own table at the same moment."""
    start = threading.Barrier(len(people))
    failures = []

    def tap(person: StaffApi, table: dict) -> None:
        start.wait()
        response = person.set_status(table["tableId"], status, **fields)
        if response.status_code != 200:
            failures.append(response.text)

    threads = [threading.Thread(target=tap, args=pair) for pair in zip(people, tables, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


def test_ten_changes_from_ten_people_arrive_as_the_first_then_one_batch(watcher, staff, ten_hosts, quiet_floor):
    """Each watcher of floor 1 (and of all_tables) gets two frames: the first change alone, then the other nine."""
    tables = [staff("manager").create_table(floor=1) for _ in range(BURST)]
    watchers = [watcher(1), watcher(1, "host"), watcher(None)]
    burst(ten_hosts, tables, "occupied", notes="Walk-in")
    for socket in watchers:
        batch = socket.wait_for("tables:batch_update", timeout=WINDOW_SECONDS + 5)
        quiet()
        assert socket.names() == ["table:status_changed", "tables:batch_update"]
        first = socket.received("table:status_changed")[0]
        assert len(batch) == BURST - 1
        assert {item["tableId"] for item in [first, *batch]} == {t["tableId"] for t in tables}
        assert {item["updatedBy"] for item in [first, *batch]} == {person.username for person in ten_hosts}
        ids = [int(item["eventId"]) for item in [first, *batch]]
        assert ids == sorted(ids)
        for item in batch:
            assert set(item) == BATCH_ITEM_FIELDS | {"updatedAt", "notes"}
            assert item["status"] == item["newStatus"] == "occupied" and item["oldStatus"] == "available"
            assert item["floor"] == 1 and item["notes"] == "Walk-in"


def test_a_lone_change_goes_out_at_once_as_status_changed(watcher, staff, quiet_floor):
    """One change on a quiet floor is not held for the window: it arrives well before the window ends."""
    table = staff("manager").create_table(floor=2)
    socket = watcher(2)
    host = staff("host")
    started = time.monotonic()
    host.set_status(table["tableId"], "reserved").raise_for_status()
    assert socket.wait_for("table:status_changed")["tableId"] == table["tableId"]
    # Generous: held, it would come after the whole window (2 s).
    assert socket.arrival_of("table:status_changed") - started < WINDOW_SECONDS / 2
    quiet()
    assert socket.names() == ["table:status_changed"]


def test_bursts_on_two_floors_are_batched_per_room(watcher, staff, ten_hosts, quiet_floor):
    """Five changes each on floors 2 and 3: every watcher gets each change once, in order, in at most two frames."""
    tables = [staff("manager").create_table(floor=2 + n % 2) for n in range(BURST)]
    on_two, on_three, on_all = watcher(2), watcher(3), watcher(None)
    burst(ten_hosts, tables, "maintenance")
    for socket, floors, count in ((on_two, {2}, 5), (on_three, {3}, 5), (on_all, {2, 3}, BURST)):
        assert eventually(lambda s=socket, n=count: len(table_event_ids(s)) == n, timeout=WINDOW_SECONDS + 5)
        assert socket.names()[-1] == "tables:batch_update" and len(socket.names()) <= 2
        changes = status_changes(socket)
        ids = [int(item["eventId"]) for item in changes]
        assert ids == sorted(ids) and {item["floor"] for item in changes} == floors
    # The first change of the burst went out at once, to its floor and to all_tables.
    assert on_all.names() == ["table:status_changed", "tables:batch_update"]
    assert len(on_all.received("tables:batch_update")[0]) == BURST - 1


def test_an_edit_during_the_window_keeps_commit_order(watcher, staff):
    """A status change then an edit of the same table arrive in that order, not with the edit first."""
    manager = staff("manager")
    table = manager.create_table(floor=3)
    socket = watcher(3)
    manager.set_status(table["tableId"], "occupied").raise_for_status()
    manager.update_table(table["tableId"], capacity=2).raise_for_status()
    socket.wait_for("table:updated")
    assert socket.names() == ["table:status_changed", "table:updated"]
    assert table_event_ids(socket) == sorted(table_event_ids(socket))


def test_a_socket_watching_two_floors_gets_the_burst_batched_once_in_commit_order(connect, staff, ten_hosts):
    """A floor-limited list view in floors 2 and 3 gets the burst once, batched, with ids increasing."""
    tables = [staff("manager").create_table(floor=2 + n % 2) for n in range(BURST)]
    socket = connect("viewer")
    assert socket.join(2)["ok"] and socket.join(3)["ok"]
    on_two = connect("viewer")
    assert on_two.join(2)["ok"]
    burst(ten_hosts, tables, "reserved")
    assert eventually(lambda: len(table_event_ids(socket)) == BURST, timeout=WINDOW_SECONDS + 5)
    quiet()
    # The first change alone, or in the batch if a window was still open; a loaded machine may spread it further.
    # Either way each event comes once, in id order, never once per room.
    names = socket.names()
    assert "tables:batch_update" in names and set(names) <= {"tables:batch_update", "table:status_changed"}
    ids = table_event_ids(socket)
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == BURST
    assert {item["floor"] for item in on_two.wait_for("tables:batch_update", timeout=WINDOW_SECONDS + 5)} == {2}
