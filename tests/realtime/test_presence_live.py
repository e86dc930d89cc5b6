"""Presence, live (issue 28): who is looking at a floor and which table each screen has in hand, with
two real clients, on one SQLite process and on two processes sharing PostgreSQL and Redis (the
manager's screen on server A, the host's on server B).

Every event these clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

import pytest

from tests.support.servers import servers_on_each_backing
from tests.support.sockets import eventually, quiet

pytestmark = pytest.mark.live

servers, server = servers_on_each_backing()


def seen(socket, floor: int = 1) -> dict[str, int | None]:
    """What the newest presence list of `floor` this screen received says: username -> table in hand."""
    updates = [update for update in socket.received("presence:update") if update["floor"] == floor]
    if not updates:
        return {}
    newest = max(updates, key=lambda update: update["version"])
    return {viewer["username"]: viewer["tableId"] for viewer in newest["viewers"]}


@pytest.fixture
def two_screens(servers, connect):
    """The manager's screen on server A and the host's on server B, both on floor 1 and watching it."""
    manager, host = connect("manager"), connect("host", url=servers[1].url)
    for screen in (manager, host):
        assert screen.join(1)["ok"] is True
        assert screen.call("presence:watch", {"floor": 1}) == {"ok": True, "floor": 1}
    return manager, host


def test_each_screen_sees_who_else_is_on_the_floor(two_screens):
    manager, host = two_screens
    assert eventually(lambda: seen(manager) == {"host": None, "manager": None})
    assert eventually(lambda: seen(host) == {"host": None, "manager": None})


def test_a_table_in_hand_shows_on_the_other_screen_and_clears(two_screens, staff):
    """The host opens T's dialog: the manager's screen shows the host on T; the dialog closes: it clears."""
    manager, host = two_screens
    table = staff("manager").create_table(floor=1)
    assert host.call("presence:claim", {"floor": 1, "tableId": table["tableId"]}) == {
        "ok": True,
        "tableId": table["tableId"],
    }
    assert eventually(lambda: seen(manager).get("host") == table["tableId"])
    assert host.call("presence:claim", {"floor": 1, "tableId": None})["ok"] is True
    assert eventually(lambda: seen(manager) == {"host": None, "manager": None})


def test_a_screen_that_leaves_or_disconnects_is_gone_from_the_list(two_screens, connect, servers):
    manager, host = two_screens
    assert eventually(lambda: "host" in seen(manager))
    assert host.leave(1)["ok"] is True
    assert eventually(lambda: seen(manager) == {"manager": None})

    again = connect("host", url=servers[1].url)
    assert again.call("presence:watch", {"floor": 1})["ok"] is True
    assert eventually(lambda: seen(manager) == {"host": None, "manager": None})
    again.close()
    assert eventually(lambda: seen(manager) == {"manager": None})


def test_a_floor_limited_host_sees_and_is_seen_on_their_floors_only(two_screens, connect, servers):
    """floor2host may not watch floor 1 and hears nothing of it; on floor 2 they see floor 2's list alone."""
    manager, _ = two_screens
    limited = connect("floor2host", url=servers[1].url)
    refused = limited.call("presence:watch", {"floor": 1})
    assert refused["ok"] is False and refused["error"] == "forbidden"
    assert limited.call("presence:watch", {"floor": 2})["ok"] is True
    assert eventually(lambda: seen(limited, floor=2) == {"floor2host": None})
    manager.call("presence:claim", {"floor": 1, "tableId": 1})
    quiet(0.5)
    assert all(update["floor"] == 2 for update in limited.received("presence:update"))
    assert "floor2host" not in seen(manager)


def test_claims_and_watches_that_make_no_sense_are_refused(connect):
    screen = connect("host")
    unwatched = screen.call("presence:claim", {"floor": 1, "tableId": 3})
    assert (unwatched["ok"], unwatched["error"]) == (False, "not_watching")
    assert screen.call("presence:watch", {"floor": 999})["error"] == "not_found"
    assert screen.call("presence:watch", {"floor": "1"})["error"] == "bad_request"
    assert screen.call("presence:watch", {"floor": 1})["ok"] is True
    assert screen.call("presence:claim", {"floor": 1, "tableId": -4})["error"] == "bad_request"
    assert screen.received("presence:update") and seen(screen) == {"host": None}
