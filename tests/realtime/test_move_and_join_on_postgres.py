"""Move and join on PostgreSQL with Redis and two server processes: two hosts, one on each server,
moving two parties to one table at once never both win, and screens on both servers hear the winner."""

import pytest

from tests.realtime.test_move_and_join_live import race
from tests.support.backing_services import postgres_url, redis_url
from tests.support.live_server import LiveServer, prepare_database
from tests.support.servers import live_env

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Servers A and B sharing PostgreSQL and Redis."""
    database_url = postgres_url()
    prepare_database(database_url)
    env = live_env(database_url, redis_url(), STATUS_RATE_LIMIT="1000 per second")
    folder = tmp_path_factory.mktemp("move-join")
    a, b = LiveServer(env, folder / "a.log").start(), LiveServer(env, folder / "b.log").start()
    a.database_url = database_url
    yield a, b
    a.stop()
    b.stop()


@pytest.fixture(scope="module")
def server(servers):
    """Server A is the module's `server`: staff and connect() default to it."""
    return servers[0]


def test_two_hosts_on_two_servers_moving_to_one_table_never_both_win(servers, connect, staff):
    _, b = servers
    on_a, on_b = connect("viewer"), connect("viewer", url=b.url)
    assert on_a.join(1)["ok"] is True and on_b.join(None)["ok"] is True
    race(staff("manager"), (staff("host"), staff("manager").on(b.url)), (on_a, on_b))
