"""Sections drawn on the plan and the rotation, live across servers: a manager's plan saved on server A
reaches a screen on server B as its section and table events; the rotation's suggestion read on B moves on
after a party is seated through A; a cut made on A reaches B. On one SQLite process and on two processes
sharing PostgreSQL and Redis.

Every event these real clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

import pytest

from tests.support.servers import servers_on_each_backing

pytestmark = pytest.mark.live

servers, server = servers_on_each_backing(STATUS_RATE_LIMIT="1000 per second")


@pytest.fixture(scope="module")
def user_ids(staff) -> dict[str, int]:
    return {person["username"]: person["userId"] for person in staff("manager").get("/api/staff").json()}


def save_plan(manager, floor: int, sections: list[dict]):
    response = manager.http.put(
        f"{manager.url}/api/floors/{floor}/sections/plan", json={"sections": sections}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def heard_plan(screen, name: str, colour: str, username: str, table_ids: list[int]) -> None:
    """The screen heard section `name` made, each of `table_ids` put in it, and `username` assigned to it."""
    created = screen.wait_for("section:created", lambda data: data["name"] == name)
    assert created["colour"] == colour and created["updatedBy"] == "manager"
    for table_id in table_ids:
        moved = screen.wait_for(
            "table:updated",
            lambda data, table_id=table_id: (
                data["tableId"] == table_id and data["changes"].get("sectionId") == created["sectionId"]
            ),
        )
        assert moved["changes"]["section"] == name
    assigned = screen.wait_for("section:assigned", lambda data: data["sectionId"] == created["sectionId"])
    assert assigned["assignee"]["username"] == username and sorted(assigned["tableIds"]) == sorted(table_ids)


def test_sections_drawn_and_assigned_on_one_server_reach_a_screen_on_the_other(servers, connect, staff, user_ids):
    """A manager on A draws Bar (two tables, host), then redraws: one table to a new Patio for the viewer.
    A floor-1 screen on B hears each section made, each table put in its section and each assignment,
    and B's plan reads the same."""
    manager = staff("manager")
    screen = connect("viewer", url=servers[1].url)
    assert screen.join(1)["ok"] is True
    one, two = manager.create_table(floor=1), manager.create_table(floor=1)
    bar = {"name": "Bar", "colour": "#d55e00", "userId": user_ids["host"], "tableIds": [one["tableId"], two["tableId"]]}
    save_plan(manager, 1, [bar])
    heard_plan(screen, "Bar", "#d55e00", "host", [one["tableId"], two["tableId"]])

    patio = {"name": "Patio", "colour": "#009e73", "userId": user_ids["viewer"], "tableIds": [two["tableId"]]}
    save_plan(manager, 1, [{**bar, "tableIds": [one["tableId"]]}, patio])
    heard_plan(screen, "Patio", "#009e73", "viewer", [two["tableId"]])
    on_b = staff("viewer").on(servers[1].url)
    assert on_b.get(f"/api/tables/{two['tableId']}").json()["section"] == "Patio"
    assert on_b.get(f"/api/tables/{one['tableId']}").json()["section"] == "Bar"


def test_the_suggestion_read_on_one_server_moves_on_after_a_seating_on_the_other(servers, connect, staff, user_ids):
    """Floor 3 has Window (host, a 2-top) and Booth (viewer, a 2-top). B suggests one of them for a party of
    2; a host seats a party there through A; B's screen hears the seating and B now suggests the other.
    A cut of that server made on A reaches B's screen, and B then has nobody to suggest."""
    manager, b = staff("manager"), servers[1]
    window, booth = manager.create_table(floor=3, capacity=2), manager.create_table(floor=3, capacity=2)
    save_plan(
        manager,
        3,
        [
            {"name": "Window", "userId": user_ids["host"], "tableIds": [window["tableId"]]},
            {"name": "Booth", "userId": user_ids["viewer"], "tableIds": [booth["tableId"]]},
        ],
    )
    screen = connect("manager", url=b.url)
    assert screen.join(3)["ok"] is True
    on_b = staff("manager").on(b.url)
    first = on_b.get("/api/rotation", size=2, floor=3).json()["nextUp"]
    tables = {window["tableId"]: user_ids["host"], booth["tableId"]: user_ids["viewer"]}
    assert tables[first["tableId"]] == first["userId"]

    host = staff("host")
    party = host.add_party(2)
    assert host.seat_party(party, {"tableId": first["tableId"]}).status_code == 200
    screen.wait_for(
        "table:status_changed", lambda data: data["tableId"] == first["tableId"] and data["newStatus"] == "occupied"
    )
    second = on_b.get("/api/rotation", size=2, floor=3).json()["nextUp"]
    assert second["tableId"] != first["tableId"] and second["userId"] != first["userId"]
    assert tables[second["tableId"]] == second["userId"]

    assert host.http.post(f"{host.url}/api/rotation/{second['userId']}/cut", timeout=10).status_code == 200
    cut = screen.wait_for("server:cut", lambda data: data["userId"] == second["userId"])
    assert cut["cut"] is True and cut["updatedBy"] == "host"
    assert on_b.get("/api/rotation", size=2, floor=3).json()["nextUp"] is None
    assert host.http.post(f"{host.url}/api/rotation/{second['userId']}/uncut", timeout=10).status_code == 200
    screen.wait_for("server:uncut", lambda data: data["userId"] == second["userId"])
    assert on_b.get("/api/rotation", size=2, floor=3).json()["nextUp"]["userId"] == second["userId"]
