"""Two server processes and the reservation worker on Redis and PostgreSQL deliver each other's events."""

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.api import StaffApi
from tests.support.backing_services import postgres_url, redis_url
from tests.support.database import add_staff
from tests.support.live_server import PASSWORD, ROOT, LiveServer, flask_cli, prepare_database
from tests.support.servers import live_env
from tests.support.sockets import signed_in_cookie

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]
SESSION_ENDED = {"code": "session_ended", "message": "Your session has ended. Please sign in again."}


class Cluster:
    """Servers A and B and one `flask reservations run` worker, sharing Redis and PostgreSQL."""

    def __init__(self, directory, database_url: str, queue_url: str) -> None:
        # Heads and the servers' own account check run rarely here, so what arrives came through Redis.
        self.env = live_env(database_url, queue_url, HEAD_INTERVAL_SECONDS="60")
        self.database_url = database_url
        self.a = LiveServer(self.env, directory / "a.log").start()
        self.b = LiveServer(self.env, directory / "b.log").start()
        self.worker_log = directory / "worker.log"
        self.worker: subprocess.Popen | None = None

    def start_worker(self) -> None:
        """Start `flask reservations run`, the Procfile's worker process."""
        with open(self.worker_log, "wb") as log:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "flask", "reservations", "run"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        self.a.stop()
        self.b.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    database_url, queue_url = postgres_url(), redis_url()
    prepare_database(database_url)
    running = Cluster(tmp_path_factory.mktemp("cluster"), database_url, queue_url)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server(cluster):
    """Server A is the module's `server`: staff and connect() default to it."""
    cluster.a.database_url = cluster.database_url
    return cluster.a


def test_a_change_on_either_server_reaches_watchers_on_both(cluster, connect, staff):
    """A table created through A and a status change through B reach floor 1 watchers on A and B."""
    on_a, on_b = connect("viewer"), connect("host", url=cluster.b.url)
    on_a.join(1)
    on_b.join(1)
    table = staff("manager").create_table(floor=1)
    staff("host").on(cluster.b.url).set_status(table["tableId"], "occupied").raise_for_status()
    for socket in (on_a, on_b):
        assert socket.wait_for("table:created")["tableId"] == table["tableId"]
        change = socket.wait_for("table:status_changed")
        assert change["tableId"] == table["tableId"] and change["updatedBy"] == "host"


def test_room_filtering_holds_across_processes(cluster, connect, staff):
    """A floor 2 change made on A does not reach a floor 1 watcher on B, but does reach all_tables on B."""
    on_one, everything = connect("viewer", url=cluster.b.url), connect("viewer", url=cluster.b.url)
    on_one.join(1)
    everything.join(None)
    table = staff("manager").create_table(floor=2)
    assert everything.wait_for("table:created")["tableId"] == table["tableId"]
    time.sleep(0.3)
    assert on_one.names() == []


def test_a_hold_expiring_in_the_worker_reaches_clients_of_both_servers(cluster, connect, staff):
    """The separate worker process releases a passed hold as "system"; both servers' clients hear it."""
    table = staff("manager").create_table(floor=3)
    on_a, on_b = connect("viewer"), connect("viewer", url=cluster.b.url)
    on_a.join(3)
    on_b.join(3)
    until = (datetime.now(UTC) + timedelta(seconds=0.5)).isoformat()
    staff("host").set_status(table["tableId"], "reserved", reservedUntil=until).raise_for_status()
    time.sleep(1.5)
    # With Redis configured the servers leave holds to the worker, which is not running yet.
    assert staff("viewer").get(f"/api/tables/{table['tableId']}").json()["status"] == "reserved"
    cluster.start_worker()
    for socket in (on_a, on_b):
        released = socket.wait_for("table:status_changed", lambda data: data["updatedBy"] == "system", timeout=10)
        assert released["tableId"] == table["tableId"] and released["notes"] == "Reservation hold expired"
        assert (released["oldStatus"], released["newStatus"]) == ("reserved", "available")


def test_the_status_limit_is_shared_by_both_servers(cluster, staff):
    """Three changes on A and two on B use up the five; the sixth is refused on either."""
    table = staff("manager").create_table(floor=1)
    add_staff(cluster.database_url, ["sharer"], "host", PASSWORD)
    host_a = StaffApi(cluster.a.url, "sharer")
    host_b = host_a.on(cluster.b.url)
    codes = [person.set_status(table["tableId"], "occupied").status_code for person in [host_a] * 3 + [host_b] * 2]
    assert codes == [200] * 5
    refused = host_b.set_status(table["tableId"], "available")
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert host_a.set_status(table["tableId"], "available").status_code == 429


def test_deactivating_from_the_cli_ends_sockets_on_every_server(cluster, connect):
    """`flask users deactivate` publishes through Redis: the user's sockets on A and B close at once."""
    add_staff(cluster.database_url, ["quitting"], "host", PASSWORD)
    token = StaffApi(cluster.a.url, "quitting").token
    on_a, on_b = connect(token=token), connect(token=token, url=cluster.b.url)
    result = flask_cli(cluster.env, "users", "deactivate", "quitting")
    assert result.returncode == 0, result.stderr
    for socket in (on_a, on_b):
        assert socket.disconnected.wait(3), "a socket on one of the servers stayed open"
        assert socket.received("tables:error") == [SESSION_ENDED]


def test_logout_on_one_server_ends_that_sign_ins_socket_on_the_other(cluster, connect):
    """Signing out through A closes the same browser session's socket held by B."""
    browser, cookie = signed_in_cookie(cluster.a.url, "viewer")
    on_b = connect(cookie=cookie, url=cluster.b.url)
    assert on_b.join(1)["ok"] is True
    browser.post(f"{cluster.a.url}/logout", allow_redirects=False)
    assert on_b.disconnected.wait(3)
    assert on_b.received("tables:error") == [SESSION_ENDED]


def test_a_client_whose_server_dies_catches_up_on_the_other(cluster, connect, staff):
    """A tab on A loses its server, reconnects to B, and syncs the change it missed meanwhile."""
    table = staff("manager").create_table(floor=1)
    on_a = connect("viewer")
    last_seen = on_a.join(1)["lastEventId"]
    cluster.a.kill()
    assert on_a.disconnected.wait(5)
    staff("host").on(cluster.b.url).set_status(table["tableId"], "maintenance").raise_for_status()
    on_b = connect("viewer", url=cluster.b.url)
    on_b.join(1)
    caught_up = on_b.sync(last_seen)
    assert caught_up["recovered"] is True
    assert [(event["event"], event["data"]["newStatus"]) for event in caught_up["events"]] == [
        ("table:status_changed", "maintenance")
    ]
