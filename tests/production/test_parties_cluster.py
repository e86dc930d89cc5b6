"""The door across processes on PostgreSQL and Redis: one line, heard by every staff socket of every process."""

from functools import partial

import pytest

from tests.support.api import StaffApi, at_once
from tests.support.sockets import quiet

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]


def test_the_door_is_one_line_across_processes(cluster, sockets):
    """A party added through one process reaches a floor-1 screen there and a floor-2-only screen on the
    other, once each; two hosts, one on each process, seating two parties at one table at once: one wins,
    the other is 409 naming the winner, and both screens hear the one seating."""
    first, second = cluster.webs
    host, manager = StaffApi(first.url, "host"), StaffApi(second.url, "manager")
    here = sockets(first.url, host.token)
    there = sockets(second.url, StaffApi(second.url, "floor2host").token)
    assert here.join(1)["ok"] and there.join(2)["ok"]

    party = host.add_party(4, name="Across")
    for screen in (here, there):
        created = screen.wait_for("party:created", lambda data: data["partyId"] == party["partyId"])
        assert created["name"] == "Across" and created["guestUrl"] == party["guestUrl"]

    table = manager.create_table(floor=1)
    mine, theirs = host.add_party(2), manager.add_party(2)
    answers = at_once(partial(host.seat_party, mine, table), partial(manager.seat_party, theirs, table))
    assert sorted(answer.status_code for answer in answers) == [200, 409], [answer.text for answer in answers]
    winner, loser = (0, 1) if answers[0].status_code == 200 else (1, 0)
    won = (mine, theirs)[winner]
    assert answers[loser].json()["changedBy"] == (host, manager)[winner].username
    assert answers[loser].json()["table"]["tableId"] == table["tableId"]
    for screen in (here, there):
        seated = screen.wait_for("party:seated", lambda data: data["partyId"] == won["partyId"])
        assert seated["tableIds"] == [table["tableId"]]
    change = here.wait_for("table:status_changed", lambda data: data["tableId"] == table["tableId"])
    assert change["partyId"] == won["partyId"] and change["covers"] == 2
    quiet()
    for screen in (here, there):
        assert len(screen.received("party:created")) == 3 and len(screen.received("party:seated")) == 1
    assert there.received("table:status_changed") == [] and there.received("tables:batch_update") == []
