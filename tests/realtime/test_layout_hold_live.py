"""The layout editor's hold across processes (issue 28): two managers' editors on servers A and B sharing
PostgreSQL and Redis. B is told A has the floor, takes it over after confirming, and A's renewal and
save are then refused naming B; a hold its editor stops renewing ends by itself."""

import time

import pytest

from tests.support.servers import two_servers_on_redis

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]
A_EDITOR, B_EDITOR = "editor-on-a-0001", "editor-on-b-0002"


servers, _server = two_servers_on_redis("layout-hold", LAYOUT_HOLD_SECONDS="2")


@pytest.fixture(scope="module")
def server(_server):
    """Server A, with a second manager of every floor."""
    from tests.support.database import add_staff
    from tests.support.live_server import PASSWORD

    add_staff(_server.database_url, ["second_manager"], "manager", PASSWORD)
    return _server


def hold(person, editor: str, **more):
    return person.http.post(f"{person.url}/api/floors/1/layout/hold", json={"editor": editor, **more}, timeout=5)


def test_a_hold_on_one_process_is_seen_and_taken_over_on_the_other(servers, staff):
    a, b = staff("manager"), staff("second_manager").on(servers[1].url)
    table = a.create_table(floor=1)
    assert hold(a, A_EDITOR).status_code == 200
    refused = hold(b, B_EDITOR)
    assert refused.status_code == 409
    assert refused.json()["message"] == "The layout of floor 1 is being edited by manager."
    assert hold(b, B_EDITOR, takeover=True).status_code == 200

    renewal = hold(a, A_EDITOR, renewal=True)
    assert renewal.status_code == 409 and renewal.json()["heldBy"]["username"] == "second_manager"
    saved = a.http.put(
        f"{a.url}/api/floors/1/layout",
        json={"editor": A_EDITOR, "tables": [{"tableId": table["tableId"], "x": 10, "y": 10}]},
        timeout=5,
    )
    assert saved.status_code == 409 and saved.json()["heldBy"]["username"] == "second_manager"


def test_a_hold_nobody_renews_ends(servers, staff):
    a, b = staff("manager"), staff("second_manager").on(servers[1].url)
    assert hold(a, "editor-gone-0003", takeover=True).status_code == 200
    assert hold(b, "editor-next-0004").status_code == 409
    time.sleep(2.5)
    assert hold(b, "editor-next-0004").status_code == 200
