"""Move and join on PostgreSQL with Redis and two server processes: two hosts, one on each server,
moving two parties to one table (or adding one table to two parties) at once never both win, and
screens on both servers hear the winner."""

import pytest

from tests.realtime.test_move_and_join_live import join_race, race
from tests.support.servers import two_servers_on_redis

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]


servers, server = two_servers_on_redis("move-join", STATUS_RATE_LIMIT="1000 per second")


@pytest.fixture
def screens(servers, connect):
    """A floor-1 screen on server A and an all-tables screen on server B."""
    on_a, on_b = connect("viewer"), connect("viewer", url=servers[1].url)
    assert on_a.join(1)["ok"] is True and on_b.join(None)["ok"] is True
    return on_a, on_b


def test_two_hosts_on_two_servers_moving_to_one_table_never_both_win(servers, screens, staff):
    race(staff("manager"), (staff("host"), staff("manager").on(servers[1].url)), screens)


def test_two_hosts_on_two_servers_joining_one_table_never_both_win(servers, screens, staff):
    join_race(staff("manager"), (staff("host"), staff("manager").on(servers[1].url)), screens)
