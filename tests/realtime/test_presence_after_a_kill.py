"""Presence when a process dies (issue 28): the host's screen is on server B, the manager's on server A,
sharing PostgreSQL and Redis. B is killed with SIGKILL (no disconnect is ever handled): within 8 seconds
the manager's screen no longer lists the host, nor the table the host had in hand."""

import time

import pytest

from tests.realtime.test_presence_live import seen
from tests.support.servers import two_servers_on_redis
from tests.support.sockets import eventually

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]
GONE_WITHIN_SECONDS = 8


servers, server = two_servers_on_redis("presence-kill")


def test_a_killed_process_takes_its_screens_and_their_claims_off_the_list(servers, connect, staff):
    table = staff("manager").create_table(floor=1)
    manager, host = connect("manager"), connect("host", url=servers[1].url)
    for screen in (manager, host):
        assert screen.call("presence:watch", {"floor": 1})["ok"] is True
    assert host.call("presence:claim", {"floor": 1, "tableId": table["tableId"]})["ok"] is True
    assert eventually(lambda: seen(manager).get("host") == table["tableId"])

    killed_at = time.monotonic()
    servers[1].kill()
    assert eventually(lambda: seen(manager) == {"manager": None}, timeout=GONE_WITHIN_SECONDS + 2)
    gone_after = time.monotonic() - killed_at
    print(f"host gone from the manager's list {gone_after:.1f} s after SIGKILL")
    assert gone_after <= GONE_WITHIN_SECONDS
