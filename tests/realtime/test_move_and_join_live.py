"""Move and join, live: two hosts moving two parties to one free table at once never both win; the
winner's move reaches a floor's screen as the tables' changes and party:updated with its tables.

Every event these real clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

from functools import partial

import pytest

from tests.support.api import at_once
from tests.support.sockets import quiet

pytestmark = pytest.mark.live
SERVER_SETTINGS = {"STATUS_RATE_LIMIT": "1000 per second"}


def seated(host, table: dict) -> dict:
    party = host.add_party(2)
    assert host.seat_party(party, table).status_code == 200
    return party


def status_changes(socket, table: dict) -> list[dict]:
    """The status changes a socket received for `table`, alone or in a batch."""
    items = [*socket.received("table:status_changed")]
    for batch in socket.received("tables:batch_update"):
        items.extend(batch)
    return [item for item in items if item["tableId"] == table["tableId"]]


def move(host, party: dict, source: dict, target: dict):
    body = {"fromTableId": source["tableId"], "toTableId": target["tableId"]}
    return host.http.post(f"{host.url}/api/parties/{party['partyId']}/move", json=body, timeout=10)


def test_two_hosts_moving_two_parties_to_one_table_at_once_never_both_win(watcher, staff):
    """Five races: exactly one move lands and the other is 409 naming the table and the winner; the
    loser's party stays where it sat; two screens see the winner's party on the table and its party:updated."""
    race(staff("manager"), (staff("host"), staff("manager")), (watcher(1), watcher(None)))


def join(host, party: dict, table: dict):
    body = {"tableId": table["tableId"]}
    return host.http.post(f"{host.url}/api/parties/{party['partyId']}/tables", json=body, timeout=10)


def test_two_hosts_joining_one_table_to_their_parties_at_once_never_both_win(watcher, staff):
    """Five races of "Add a table": one join lands, the other is 409 naming the table and the winner; the
    joined table runs the winner's timer; two screens see it occupied by the winner's party and party:updated."""
    join_race(staff("manager"), (staff("host"), staff("manager")), (watcher(1), watcher(None)))


def join_race(manager, hosts, screens) -> None:
    """Five times, each of two hosts adds one free table to a seated party of its own at once."""
    for _ in range(5):
        target = manager.create_table(floor=1)
        firsts = [manager.create_table(floor=1) for _ in hosts]
        parties = [seated(host, first) for host, first in zip(hosts, firsts, strict=True)]
        answers = at_once(*(partial(join, host, party, target) for host, party in zip(hosts, parties, strict=True)))
        assert sorted(answer.status_code for answer in answers) == [200, 409], [answer.text for answer in answers]
        winner = next(index for index in (0, 1) if answers[index].status_code == 200)
        refusal = answers[1 - winner].json()
        assert refusal["table"]["tableId"] == target["tableId"] and target["tableNumber"] in refusal["message"]
        assert refusal["changedBy"] == hosts[winner].username
        first = manager.get(f"/api/tables/{firsts[winner]['tableId']}").json()
        joined = manager.get(f"/api/tables/{target['tableId']}").json()
        assert (joined["status"], joined["partyId"]) == ("occupied", parties[winner]["partyId"])
        assert joined["statusChangedAt"] == first["statusChangedAt"]  # one timer for the party
        alone = manager.get(f"/api/tables/{firsts[1 - winner]['tableId']}").json()
        assert (alone["status"], alone["partyId"]) == ("occupied", parties[1 - winner]["partyId"])
        for screen in screens:
            told = screen.wait_for(
                "party:updated",
                lambda data, p=parties[winner]: data["partyId"] == p["partyId"] and "tableIds" in data["changes"],
            )
            assert told["changes"]["tableIds"] == [firsts[winner]["tableId"], target["tableId"]]
            seen = status_changes(screen, target)
            assert [(item["newStatus"], item["partyId"]) for item in seen] == [("occupied", parties[winner]["partyId"])]
            assert seen[0]["statusChangedAt"] == first["statusChangedAt"]
    quiet()
    for screen in screens:
        joins = [data for data in screen.received("party:updated") if "tableIds" in data["changes"]]
        assert len(joins) == 5


def race(manager, hosts, screens) -> None:
    """Five times, each of two hosts moves a party of its own to one new table at once."""
    for _ in range(5):
        target = manager.create_table(floor=1)
        sources = [manager.create_table(floor=1) for _ in hosts]
        parties = [seated(host, source) for host, source in zip(hosts, sources, strict=True)]
        answers = at_once(
            *(
                partial(move, host, party, source, target)
                for host, party, source in zip(hosts, parties, sources, strict=True)
            )
        )
        assert sorted(answer.status_code for answer in answers) == [200, 409], [answer.text for answer in answers]
        winner = next(index for index in (0, 1) if answers[index].status_code == 200)
        loser = 1 - winner
        refusal = answers[loser].json()
        assert refusal["table"]["tableId"] == target["tableId"] and target["tableNumber"] in refusal["message"]
        assert refusal["changedBy"] == hosts[winner].username
        assert manager.get(f"/api/tables/{target['tableId']}").json()["partyId"] == parties[winner]["partyId"]
        stayed = manager.get(f"/api/tables/{sources[loser]['tableId']}").json()
        assert (stayed["status"], stayed["partyId"]) == ("occupied", parties[loser]["partyId"])
        freed = manager.get(f"/api/tables/{sources[winner]['tableId']}").json()
        assert (freed["status"], freed["partyId"]) == ("available", None)
        for screen in screens:
            told = screen.wait_for("party:updated", lambda data, p=parties[winner]: data["partyId"] == p["partyId"])
            assert told["changes"]["tableIds"] == [sources[winner]["tableId"], target["tableId"]]
            seen = status_changes(screen, target)  # published before the party's news, in commit order
            assert [(item["newStatus"], item["partyId"]) for item in seen] == [("occupied", parties[winner]["partyId"])]
            assert "statusChangedAt" in seen[0]  # the party's timer goes on at its new table
    quiet()
    for screen in screens:
        assert len(screen.received("party:updated")) == 5
