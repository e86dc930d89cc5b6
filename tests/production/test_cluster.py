"""Several processes on one PostgreSQL and one Redis behave as one Tableside."""

import signal
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from tests.production.conftest import Cluster
from tests.support.api import StaffApi
from tests.support.sockets import eventually, table_event_ids

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]


def test_a_slow_query_in_one_request_does_not_hold_up_other_clients(cluster, sockets):
    """While one request waits two seconds on PostgreSQL (pg_sleep), others' events still flow at once."""
    web = cluster.webs[0]
    host = StaffApi(web.url, "host")
    table = StaffApi(web.url, "manager").create_table(floor=1)
    watcher = sockets(web.url, host.token)
    assert watcher.join(1)["ok"]

    engine = create_engine(cluster.database_url)
    locked = threading.Event()

    def hold_floors_for_two_seconds() -> None:
        with engine.begin() as connection:
            connection.execute(text("LOCK TABLE floors IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            connection.execute(text("SELECT pg_sleep(2)"))

    holder = threading.Thread(target=hold_floors_for_two_seconds)
    holder.start()
    assert locked.wait(5)
    slow_done = threading.Event()
    slow = threading.Thread(target=lambda: (host.get("/api/floors"), slow_done.set()))
    slow.start()
    time.sleep(0.2)  # the slow request is now waiting inside PostgreSQL

    response = host.set_status(table["tableId"], "occupied")
    assert response.status_code == 200
    watcher.wait_for("table:status_changed", lambda data: data["tableId"] == table["tableId"], timeout=1)
    assert not slow_done.is_set(), "the event should arrive while the slow request is still waiting"
    slow.join(10)
    holder.join(10)
    engine.dispose()
    assert slow_done.is_set()


def test_sync_after_a_process_is_killed_recovers_on_the_other(cluster, sockets):
    """Clients of a killed process reconnect to the other and sync every change made meanwhile."""
    first, second = cluster.webs
    manager = StaffApi(first.url, "manager")
    tables = [manager.create_table(floor=1) for _ in range(3)]
    client = sockets(first.url, manager.token)
    assert client.join(1)["ok"]
    manager.set_status(tables[0]["tableId"], "occupied")
    client.wait_for("table:status_changed")
    seen = max(table_event_ids(client))

    first.stop(signal.SIGKILL)
    assert client.disconnected.wait(6), "a dead server is noticed within the liveness window"
    on_second = manager.on(second.url)
    for table in tables[1:]:
        assert on_second.set_status(table["tableId"], "reserved").status_code == 200

    again = sockets(second.url, manager.token)
    assert again.join(1)["ok"]
    response = again.sync(str(seen))
    assert response["recovered"] is True
    replayed = [(e["event"], e["data"]["tableId"], e["data"]["newStatus"]) for e in response["events"]]
    assert replayed == [("table:status_changed", t["tableId"], "reserved") for t in tables[1:]]


def test_sigterm_drains_and_clients_move_to_the_other_process(cluster, sockets):
    """A SIGTERM closes sockets at once, exits quickly, and no acknowledged change is lost."""
    first, second = cluster.webs
    host = StaffApi(first.url, "host")
    table = StaffApi(first.url, "manager").create_table(floor=1)
    client = sockets(first.url, host.token)
    assert client.join(1)["ok"]

    acknowledged = []
    stop_writing = threading.Event()

    def keep_seating() -> None:
        statuses = ["occupied", "available"]
        n = 0
        while not stop_writing.is_set():
            try:
                response = host.set_status(table["tableId"], statuses[n % 2])
            except Exception:  # noqa: BLE001 - a refused connection is "not acknowledged"
                break
            if response.status_code == 200:
                acknowledged.append(response.json()["version"])
            n += 1
            time.sleep(0.25)

    writer = threading.Thread(target=keep_seating)
    writer.start()
    time.sleep(0.6)
    started = time.monotonic()
    first.process.send_signal(signal.SIGTERM)
    assert client.disconnected.wait(3), "sockets are closed at once on SIGTERM"
    assert first.process.wait(timeout=12) == 0, "a drained process exits 0"
    drained_in = time.monotonic() - started
    stop_writing.set()
    writer.join(5)

    assert drained_in < 11
    assert '"draining"' in first.log() and '"stopped"' in first.log()
    stored = StaffApi(second.url, "host").get(f"/api/tables/{table['tableId']}").json()
    assert acknowledged and stored["version"] >= max(acknowledged)
    again = sockets(second.url, host.token)
    assert again.join(1)["ok"] and again.sync("0")["recovered"] is True


def test_rate_limit_is_shared_across_processes(tmp_path):
    """The per-user limit counts across every process: past it, the next change anywhere is 429."""
    # What is under test is the sharing, not the second: a minute's window keeps a loaded
    # machine from spreading the six requests over two windows.
    cluster = Cluster(tmp_path, STATUS_RATE_LIMIT="5 per minute")
    try:
        first, second = cluster.webs
        manager = StaffApi(first.url, "manager")
        tables = [manager.create_table(floor=1) for _ in range(6)]
        host_first = StaffApi(first.url, "host")
        host_second = host_first.on(second.url)
        codes = []
        for index, table in enumerate(tables):
            api = host_first if index % 2 == 0 else host_second
            codes.append(api.set_status(table["tableId"], "occupied").status_code)
        assert codes == [200] * 5 + [429]
    finally:
        cluster.stop()


def test_worker_hold_expiry_reaches_clients_of_both_processes(cluster, sockets):
    """A hold the worker releases is announced by "system" to watchers on every process."""
    first, second = cluster.webs
    host = StaffApi(first.url, "host")
    table = StaffApi(first.url, "manager").create_table(floor=1)
    watchers = [sockets(web.url, host.token) for web in cluster.webs]
    for watcher in watchers:
        assert watcher.join(1)["ok"]
    soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))
    assert host.set_status(table["tableId"], "reserved", reservedUntil=soon).status_code == 200
    for watcher in watchers:
        released = watcher.wait_for("table:status_changed", lambda data: data["newStatus"] == "available", timeout=8)
        assert released["updatedBy"] == "system" and released["notes"] == "Reservation hold expired"
    assert eventually(lambda: host.get(f"/api/tables/{table['tableId']}").json()["status"] == "available")
    assert second.process.poll() is None


def test_every_watcher_sees_event_ids_in_commit_order_across_processes(cluster, sockets):
    """Writers on both processes at once: watchers on each see every id once, strictly increasing."""
    first, second = cluster.webs
    manager = StaffApi(first.url, "manager")
    tables = [manager.create_table(floor=1) for _ in range(8)]
    writers = [StaffApi(web.url, "manager") for web in cluster.webs for _ in range(2)]
    watchers = [sockets(web.url, manager.token) for web in cluster.webs]
    for watcher in watchers:
        assert watcher.join(1)["ok"]
    start = int(watchers[0].sync(None)["lastEventId"])

    def churn(api: StaffApi, offset: int) -> None:
        for n in range(12):
            table = tables[(offset + n) % len(tables)]
            api.set_status(table["tableId"], ("occupied", "available", "reserved")[n % 3], critical=True)

    threads = [threading.Thread(target=churn, args=(api, n)) for n, api in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    committed = [int(e["eventId"]) for e in manager.get("/api/events", after=start).json()["events"]]
    assert len(committed) == 48
    for watcher in watchers:
        assert eventually(lambda w=watcher: len(table_event_ids(w)) >= 48, timeout=10)
        seen = [i for i in table_event_ids(watcher) if i > start]
        assert seen == committed, "each watcher gets every event once, in commit order"
