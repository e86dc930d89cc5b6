"""TR-007: status changes are limited per user, socket messages per connection, critical ones pass."""

import itertools
import time

import pytest

from tests.support.api import StaffApi
from tests.support.database import add_staff
from tests.support.live_server import PASSWORD
from tests.support.sockets import eventually, quiet, table_event_ids

pytestmark = pytest.mark.live
RATE_LIMITED = {"error": "rate_limited", "message": "Too many requests. Please slow down."}
SOCKET_LIMIT = 20  # the default SOCKET_RATE_LIMIT: 20 per 10 seconds per connection


@pytest.fixture(scope="module")
def fresh_host(server):
    """Factory: a host nobody has used yet, so no earlier test has spent their limit."""
    names = (f"host{n}" for n in itertools.count(1))

    def make() -> StaffApi:
        username = next(names)
        add_staff(server.database_url, [username], "host", PASSWORD)
        return StaffApi(server.url, username)

    return make


def test_sixth_status_change_within_a_second_is_refused_with_429(watcher, staff):
    """Five changes pass; the sixth gets 429, the contract's body and Retry-After, and is not broadcast."""
    table = staff("manager").create_table(floor=1)
    socket = watcher(1)
    host = staff("host")
    started = time.monotonic()
    answers = [host.set_status(table["tableId"], ("occupied", "available")[n % 2]) for n in range(6)]
    assert time.monotonic() - started < 1, "the six requests must fall within one second"
    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert answers[5].json() == RATE_LIMITED
    assert 1 <= int(answers[5].headers["Retry-After"]) <= 2
    quiet(0.5)
    assert len(table_event_ids(socket)) == 5
    assert host.get(f"/api/tables/{table['tableId']}").json()["status"] == "occupied"  # the fifth stands


def test_the_limit_lifts_after_retry_after(staff):
    """Waiting for Retry-After lets the same user change status again."""
    table = staff("manager").create_table(floor=1)
    host = staff("host")
    refused = None
    for n in range(7):
        answer = host.set_status(table["tableId"], ("occupied", "available")[n % 2])
        if answer.status_code == 429:
            refused = answer
            break
    assert refused is not None
    time.sleep(int(refused.headers["Retry-After"]))
    assert host.set_status(table["tableId"], "maintenance").status_code == 200


def test_one_users_limit_does_not_block_another_user(staff, fresh_host):
    """While one host is limited, another person's ordinary changes still pass."""
    table = staff("manager").create_table(floor=1)
    host = fresh_host()
    statuses = [host.set_status(table["tableId"], "occupied").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert staff("manager").set_status(table["tableId"], "available").status_code == 200


def test_critical_changes_from_a_manager_bypass_the_limit(watcher, staff):
    """A manager's critical: true changes all pass and all go out, eight in a second."""
    table = staff("manager").create_table(floor=2)
    socket = watcher(2)
    manager = staff("manager")
    codes = [
        manager.set_status(table["tableId"], ("maintenance", "available")[n % 2], critical=True).status_code
        for n in range(8)
    ]
    assert codes == [200] * 8
    assert eventually(lambda: len(table_event_ids(socket)) == 8)


def test_critical_from_a_host_is_forbidden_and_still_counted(staff, fresh_host):
    """Only managers may mark a change critical; a host's critical attempts count against the limit."""
    table = staff("manager").create_table(floor=1)
    host = fresh_host()
    answers = [host.set_status(table["tableId"], "occupied", critical=True) for _ in range(6)]
    assert [answer.status_code for answer in answers] == [403] * 5 + [429]
    assert answers[0].json()["error"] == "forbidden"


def test_join_flood_gets_rate_limited_errors_and_the_socket_survives(connect, staff):
    """Past the per-connection limit joins get tables:error rate_limited; the socket still hears its floor."""
    socket = connect("viewer")
    acks = [socket.join(1) for _ in range(SOCKET_LIMIT + 5)]
    assert all(ack["ok"] for ack in acks[:SOCKET_LIMIT])
    assert all(ack["ok"] is False and ack["error"] == "rate_limited" for ack in acks[SOCKET_LIMIT:])
    error = socket.wait_for("tables:error")
    assert error == {"code": "rate_limited", "message": "Too many requests. Please slow down."}
    assert socket.connected
    table = staff("manager").create_table(floor=1)
    assert socket.wait_for("table:created")["tableId"] == table["tableId"]


def test_sync_flood_is_limited_per_connection_not_per_user(connect):
    """One tab flooding syncs is refused; another tab of the same user is not affected."""
    flooding, calm = connect("host"), connect("host")
    acks = [flooding.sync(None) for _ in range(SOCKET_LIMIT + 3)]
    assert [ack["ok"] for ack in acks].count(False) == 3
    assert flooding.wait_for("tables:error")["code"] == "rate_limited"
    assert calm.sync(None)["ok"] is True
    assert flooding.connected


def test_leave_flood_is_limited_too(connect):
    """Leaves count against the same per-connection limit."""
    socket = connect("viewer")
    acks = [socket.leave(3) for _ in range(SOCKET_LIMIT + 1)]
    assert acks[-1]["error"] == "rate_limited" and socket.connected
