"""Move and join on PostgreSQL with Redis and two server processes: two hosts, one on each server,
moving two parties to one table (or adding one table to two parties) at once never both win, and
screens on both servers hear the winner."""

import pytest

from tests.realtime.test_move_and_join_live import join_race, race
from tests.support.servers import two_servers_running

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Servers A and B sharing PostgreSQL and Redis."""
    with two_servers_running(tmp_path_factory.mktemp("move-join"), STATUS_RATE_LIMIT="1000 per second") as pair:
        yield pair


@pytest.fixture(scope="module")
def server(servers):
    """Server A is the module's `server`: staff and connect() default to it."""
    return servers[0]


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
