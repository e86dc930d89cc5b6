"""TR-006: on PostgreSQL, event ids follow commit order, so syncing from any id seen never skips one."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

from app.extensions import db
from app.models.time import utcnow
from app.services import outbox
from app.shapes.events import TableDeleted
from tests.support.api import StaffApi
from tests.support.backing_services import postgres_url
from tests.support.database import app_context
from tests.support.live_server import LiveServer, prepare_database
from tests.support.servers import live_env
from tests.support.sockets import LiveSocket, event_ids_in, eventually, table_event_ids

pytestmark = [pytest.mark.live, pytest.mark.postgres]
WRITERS = 8
CHANGES_EACH = 12


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory):
    """One server on PostgreSQL, broadcasting each change at once (no batching window)."""
    url = postgres_url()
    prepare_database(url)
    env = live_env(url, STATUS_RATE_LIMIT="1000 per second", BATCH_WINDOW_MS="0")
    server = LiveServer(env, tmp_path_factory.mktemp("pg") / "server.log").start()
    server.database_url = url
    yield server
    server.stop()


def committed_ids(connection, up_to: int) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM events WHERE id <= %s", (up_to,))
        return {row[0] for row in cursor.fetchall()}


def test_every_event_before_a_received_id_is_already_committed(pg_server):
    """Under concurrent status changes, each broadcast id arrives only after every lower id has committed."""

    manager = StaffApi(pg_server.url, "manager")
    tables = [manager.create_table(floor=1) for _ in range(WRITERS)]
    database = psycopg2.connect(pg_server.database_url)
    database.autocommit = True
    seen_at_receipt: dict[int, set[int]] = {}

    def look_at_the_log(event: str, data: object) -> None:
        # What a client syncing from this id right now would be missing forever.
        for event_id in event_ids_in(event, data):
            seen_at_receipt[event_id] = committed_ids(database, event_id)

    socket = LiveSocket(pg_server.url, token=manager.token)
    socket.on_frame = look_at_the_log
    socket.connect()
    socket.join(1)

    def writer(table: dict) -> None:
        person = manager.on(pg_server.url)
        for index in range(CHANGES_EACH):
            person.set_status(table["tableId"], ("occupied", "available")[index % 2]).raise_for_status()

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, tables))
    expected = WRITERS * CHANGES_EACH
    eventually(lambda: len(seen_at_receipt) >= expected, timeout=10)
    socket.close()
    assert len(seen_at_receipt) == expected
    for event_id, visible in seen_at_receipt.items():
        assert visible == committed_ids(database, event_id), f"an event below {event_id} committed after it was sent"
    database.close()


def test_syncing_from_each_id_seen_returns_exactly_the_later_events(pg_server):
    """After a concurrent burst, a sync from any id a client saw lists every later event of the floor, in order."""

    manager = StaffApi(pg_server.url, "manager")
    tables = [manager.create_table(floor=2) for _ in range(4)]
    socket = LiveSocket(pg_server.url, token=manager.token).connect()
    socket.join(2)
    with ThreadPoolExecutor(4) as pool:
        list(
            pool.map(
                lambda t: [manager.on(pg_server.url).set_status(t["tableId"], s) for s in ("reserved", "available")],
                tables,
            )
        )
    assert eventually(lambda: len(table_event_ids(socket)) == 8, timeout=10)
    seen = table_event_ids(socket)
    assert seen == sorted(seen)
    for index, event_id in enumerate(seen):
        ack = socket.sync(str(event_id))
        assert ack["recovered"] is True
        assert [int(event["eventId"]) for event in ack["events"]] == seen[index + 1 :]
    socket.close()


def test_the_first_writer_to_take_the_lock_commits_before_the_next_gets_an_id(pg_server):
    """Two sessions: the second writer waits on the first's lock until it commits, and gets the higher id."""
    # The module's database, not a freshly dropped one: its server is still connected to it.
    url = pg_server.database_url
    first_has_id, first_may_commit = threading.Event(), threading.Event()
    times: dict[str, float] = {}
    ids: dict[str, int] = {}

    with app_context(url) as app:

        def write(name: str) -> None:
            with app.app_context():
                with outbox.change() as change:
                    gone = TableDeleted(table_id=1, table_number="T-01", floor=1, deleted_by=name, deleted_at=utcnow())
                    event = change.record(gone, name)
                    db.session.flush()  # its id now, as the end of the change would write it
                    ids[name] = event.id
                    times[f"{name} has id"] = time.monotonic()
                    if name == "first":
                        first_has_id.set()
                        first_may_commit.wait(5)
                times[f"{name} committed"] = time.monotonic()
                db.session.remove()

        first = threading.Thread(target=write, args=("first",))
        first.start()
        assert first_has_id.wait(5)
        second = threading.Thread(target=write, args=("second",))
        second.start()
        second.join(0.5)
        assert second.is_alive(), "the second writer took an id while the first had not committed"
        first_may_commit.set()
        first.join(5)
        second.join(5)
    assert ids["second"] > ids["first"]
    assert times["second has id"] >= times["first committed"]
