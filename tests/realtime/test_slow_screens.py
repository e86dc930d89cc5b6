"""A tablet that stops reading its socket holds up nobody, catches up in order, or is cut off.

Under eventlet with direct writes (the default), broadcasts are written straight to each
WebSocket (app/realtime/transport/wire.py); what a socket's kernel buffer cannot take waits in
a backlog of its own, bounded by MAX_SOCKET_BACKLOG_BYTES. A hung tablet here is a client that
simply stops reading (tests/support/raw_socket.py), with small kernel buffers at both ends so
that a flood of a few hundred changes backs up into the server.

Those two properties (the backlog, and the cut past its limit) belong to the direct path, so
their tests name it whatever mode a run asks for (`make test-modes`). python-engineio's own
writer (DIRECT_WEBSOCKET_WRITES=0, and gevent) queues a socket's packets without a bound and
never cuts it for falling behind: its test says so.
"""

import pytest

from tests.support.metrics import scrape
from tests.support.raw_socket import RawSocket
from tests.support.servers import start_sqlite_server
from tests.support.sockets import eventually, table_event_ids

pytestmark = pytest.mark.live
SERVER_SETTINGS = {
    "BATCH_WINDOW_MS": "0",
    "STATUS_RATE_LIMIT": "1000 per second",
    "MAX_SOCKET_BACKLOG_BYTES": "100000",
    # Past this many missed events sync answers with a snapshot: a cut-off tablet's case.
    "SYNC_MAX_EVENTS": "50",
    "SOCKET_SEND_BUFFER_BYTES": "4096",
    # The hung tablet must outlive the flood without answering pings.
    "PING_INTERVAL": "25",
    "PING_TIMEOUT": "20",
}
# The way the module's server writes to its sockets, chosen per test (indirect parametrization).
# The stock writer keeps the run's ASYNC_MODE: eventlet's or gevent's engine.io writer.
WRITERS = {
    "direct writes": {"ASYNC_MODE": "eventlet", "DIRECT_WEBSOCKET_WRITES": "1"},
    "engine.io's writer": {"DIRECT_WEBSOCKET_WRITES": "0"},
}
DIRECT = pytest.mark.parametrize("server", ["direct writes"], indirect=True)
CHANGES = 100
LONG_NOTE = "Birthday party of twelve, cake at nine, allergies: nuts, shellfish. " * 7


def flood(person, table_id: int, changes: int) -> None:
    """Alternate one table between occupied and available, each change with a long note."""
    for n in range(changes):
        response = person.set_status(table_id, "occupied" if n % 2 == 0 else "available", notes=LONG_NOTE)
        assert response.status_code == 200, response.text


def counter(server, name: str) -> int:
    return int(scrape(server.url)[name])


def flood_beside_a_hung_tablet(staff, watcher, hung_tablet, changes: int) -> tuple[RawSocket, list[int]]:
    """A hung tablet on floor 1, then `changes` changes there, all seen by a lively host: the tablet and their ids."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    first_event = manager.latest_event_id() + 1
    slow = hung_tablet()
    lively = watcher(1, "host")
    flood(manager, table["tableId"], changes)
    expected = list(range(first_event, first_event + changes))
    assert eventually(lambda: table_event_ids(lively) == expected, timeout=20), table_event_ids(lively)[-3:]
    return slow, expected


def catches_up_in_order(slow: RawSocket, expected: list[int]) -> None:
    """Read again, the hung tablet gets every change in order, and sync has nothing more for it."""
    read_all = slow.read_until(lambda: len(slow.table_event_ids()) >= len(expected), timeout=20)
    assert read_all, (slow.closed, len(slow.events))
    assert slow.table_event_ids() == expected
    assert slow.call("tables:sync", {"lastEventId": str(expected[-1])})["events"] == []


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """The module's server, writing to sockets the way the test names (WRITERS)."""
    live = start_sqlite_server(tmp_path_factory.mktemp("live"), **SERVER_SETTINGS, **WRITERS[request.param])
    yield live
    live.stop()


@pytest.fixture
def hung_tablet(server, staff):
    """A viewer's tablet on floor 1 that reads nothing until the test reads for it."""
    opened: list[RawSocket] = []

    def open_tablet() -> RawSocket:
        tablet = RawSocket(server.url, staff("viewer").token)
        opened.append(tablet)
        assert tablet.call("tables:join", {"floor": 1})["ok"] is True
        return tablet

    yield open_tablet
    for tablet in opened:
        tablet.close()


@DIRECT
def test_a_hung_tablet_does_not_hold_up_the_others_and_catches_up_in_order(server, staff, watcher, hung_tablet):
    """While one tablet reads nothing, the others get every change; read again, it gets them all, in order."""
    backlogs_before = counter(server, "tableside_socket_backlogs_total")
    slow, expected = flood_beside_a_hung_tablet(staff, watcher, hung_tablet, CHANGES)
    assert counter(server, "tableside_socket_backlogs_total") > backlogs_before

    catches_up_in_order(slow, expected)


@DIRECT
def test_a_tablet_that_stays_hung_is_cut_off_and_catches_up_by_sync(server, staff, watcher, hung_tablet):
    """Past its backlog limit the hung tablet is disconnected; reconnected, sync gives it the floor as it is."""
    manager = staff("manager")
    table = manager.create_table(floor=1)
    slow = hung_tablet()
    lively = watcher(1, "host")
    cuts_before = counter(server, "tableside_slow_sockets_cut_total")

    flood(manager, table["tableId"], CHANGES * 3)
    assert eventually(lambda: counter(server, "tableside_slow_sockets_cut_total") == cuts_before + 1, timeout=20)
    assert eventually(lambda: len(table_event_ids(lively)) == CHANGES * 3, timeout=20)
    slow.read_until(lambda: False, timeout=10)
    assert slow.closed
    seen = slow.table_event_ids()
    assert len(seen) < CHANGES * 3

    again = watcher(1)
    caught_up = again.sync(str(seen[-1]) if seen else None)
    assert caught_up["recovered"] is False
    assert caught_up["lastEventId"] == str(table_event_ids(lively)[-1])
    shown = next(t for t in caught_up["tables"] if t["tableId"] == table["tableId"])
    assert shown["status"] == "available" and shown["notes"] == LONG_NOTE.strip()


@pytest.mark.parametrize("server", ["engine.io's writer"], indirect=True)
def test_on_engineios_writer_a_hung_tablet_holds_up_nobody_and_is_held_everything(server, staff, watcher, hung_tablet):
    """engine.io's own writer: others get every change; the hung tablet is not cut, and read again gets all in order."""
    cuts_before = counter(server, "tableside_slow_sockets_cut_total")
    # As many changes as cut a tablet off on the direct path.
    slow, expected = flood_beside_a_hung_tablet(staff, watcher, hung_tablet, CHANGES * 3)

    catches_up_in_order(slow, expected)
    assert not slow.closed
    assert counter(server, "tableside_slow_sockets_cut_total") == cuts_before
