"""Move and join over JSON, on SQLite and PostgreSQL: a seated party moved to a free table or given
one more, keeping its covers and seated time; clearing one of its tables clears them all."""

# The door's own fixtures (a staff client per username, a table factory), shared rather than written again.
# ruff: noqa: F811
from tests.api.test_parties_api import door, join, seat, staff, table  # noqa: F401


def seated(host, size: int, *tables: dict, name: str = "Smith") -> dict:
    party = join(host, size, name=name)
    response = seat(host, party, *tables)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def move(client, party: dict, source: dict, target: dict, headers: dict | None = None, **more):
    body = {"fromTableId": source["tableId"], "toTableId": target["tableId"], **more}
    return client.post(f"/api/parties/{party['partyId']}/move", json=body, headers=headers or {})


def add(client, party: dict, spot: dict, **more):
    return client.post(f"/api/parties/{party['partyId']}/tables", json={"tableId": spot["tableId"], **more})


def get(client, spot: dict) -> dict:
    return client.get(f"/api/tables/{spot['tableId']}").get_json()


def test_a_moved_party_keeps_its_covers_and_seated_time_and_frees_the_old_table(staff, table):
    host = staff("host")
    old, new = table(), table(capacity=6)
    party = seated(host, 3, old)
    before = get(host, old)
    response = move(host, party, old, new)
    assert response.status_code == 200, response.get_data(as_text=True)
    moved = response.get_json()
    assert moved["seatedAt"] == party["seatedAt"] and moved["tableIds"] == [old["tableId"], new["tableId"]]
    there = get(host, new)
    assert (there["status"], there["covers"], there["partyId"]) == ("occupied", 3, party["partyId"])
    assert there["statusChangedAt"] == before["statusChangedAt"]  # the timer goes on
    left = get(host, old)
    assert (left["status"], left["covers"], left["partyId"]) == ("available", None, None)
    events = host.get("/api/events?after=0").get_json()["events"]
    last = [event for event in events if event["event"] in ("table:status_changed", "party:updated")][-3:]
    assert [event["event"] for event in last] == ["table:status_changed", "table:status_changed", "party:updated"]
    assert (
        last[0]["data"]["partyId"] == party["partyId"]
        and last[0]["data"]["statusChangedAt"] == before["statusChangedAt"]
    )
    assert last[1]["data"]["newStatus"] == "available" and "partyId" not in last[1]["data"]
    assert last[2]["data"]["changes"]["tableIds"] == moved["tableIds"]


def test_an_added_table_joins_the_party_with_one_timer_and_covers_counted_once(staff, table):
    host = staff("host")
    first, second = table(capacity=4), table(capacity=4)
    party = seated(host, 7, first)
    before = get(host, first)
    assert before["covers"] == 7
    response = add(host, party, second)
    assert response.status_code == 200, response.get_data(as_text=True)
    joined = [get(host, first), get(host, second)]
    assert [one["covers"] for one in joined] == [4, 3]
    assert {one["partyId"] for one in joined} == {party["partyId"]}
    assert {one["statusChangedAt"] for one in joined} == {before["statusChangedAt"]}
    assert host.get(f"/api/parties/{party['partyId']}").get_json()["size"] == 7


def test_clearing_one_of_a_partys_tables_clears_them_all(staff, table):
    host = staff("host")
    first, second, other = table(), table(), table()
    party = seated(host, 6, first, second)
    stranger = seated(host, 2, other, name="Other")
    cleared = host.patch(f"/api/tables/{second['tableId']}/status", json={"status": "available"})
    assert cleared.status_code == 200
    for spot in (first, second):
        assert (get(host, spot)["status"], get(host, spot)["partyId"]) == ("available", None)
    assert get(host, other)["partyId"] == stranger["partyId"]
    events = host.get("/api/events?after=0").get_json()["events"]
    freed = [event["data"]["tableId"] for event in events[-2:] if event["event"] == "table:status_changed"]
    assert sorted(freed) == sorted([first["tableId"], second["tableId"]])
    assert host.get(f"/api/parties/{party['partyId']}").get_json()["state"] == "seated"


def test_a_table_not_free_is_a_conflict_naming_it_and_who(staff, table):
    host = staff("host")
    old, taken, spare = table(), table(), table()
    party = seated(host, 2, old)
    seated(staff("manager"), 2, taken, name="Jones")
    refused = move(host, party, old, taken)
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["table"]["tableId"] == taken["tableId"] and body["changedBy"] == "manager"
    assert taken["tableNumber"] in body["message"]
    assert add(host, party, taken).status_code == 409
    assert get(host, old)["partyId"] == party["partyId"]  # nothing moved
    host.patch(f"/api/tables/{spare['tableId']}/status", json={"status": "reserved"})
    assert move(host, party, old, spare).status_code == 409
    assert move(host, party, old, spare, expectedStatus="reserved").status_code == 200
    assert move(host, party, old, spare).status_code == 409  # no longer at the old table


def test_floor_limited_hosts_move_only_on_their_floors(staff, table):
    host, limited = staff("host"), staff("floor2host")
    downstairs, upstairs, other = table(floor=1), table(floor=2), table(floor=2)
    party = seated(host, 2, upstairs)
    assert move(limited, party, upstairs, downstairs).status_code == 403
    assert add(limited, party, downstairs).status_code == 403
    assert get(host, downstairs)["status"] == "available"
    assert move(limited, party, upstairs, other).status_code == 200


def test_an_idempotent_retry_moves_once(staff, table):
    host = staff("host")
    old, new = table(), table()
    party = seated(host, 2, old)
    first = move(host, party, old, new, headers={"Idempotency-Key": "move-1"})
    again = move(host, party, old, new, headers={"Idempotency-Key": "move-1"})
    assert (first.status_code, again.status_code) == (200, 200) and first.get_json() == again.get_json()
    events = host.get("/api/events?after=0").get_json()["events"]
    assert [event["event"] for event in events].count("party:updated") == 1


def test_bad_moves_are_clear_refusals(staff, table):
    host = staff("host")
    old = table()
    party = seated(host, 2, old)
    assert move(host, party, old, old).status_code == 422
    assert host.post(f"/api/parties/{party['partyId']}/move", json={"fromTableId": "x"}).status_code == 422
    assert add(host, party, {"tableId": 999999}).status_code == 404
    waiting = join(host, 2)
    assert add(host, waiting, table()).status_code == 409
    assert add(host, party, old).status_code == 409
