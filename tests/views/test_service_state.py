"""The pages hand their client what service needs: covers, assignees, sections and turn times."""

from tests.views.test_floor_plan import initial_state


def test_the_plan_state_carries_sections_turn_times_and_the_party(manager, host, make_table, app):
    """A seated table in an assigned section: its covers and assignee, the floor's sections and turn time."""
    table = make_table(floor=1, section="Window")
    host.patch(f"/api/tables/{table['tableId']}/status", json={"status": "occupied", "covers": 3})
    manager.put(f"/api/sections/{table['sectionId']}/assignee", json={"userId": 2})
    manager.patch("/api/floors/1", json={"turnMinutes": 75})
    state = initial_state(host.get("/tables?floor=1").get_data(as_text=True))
    (seated,) = state["tables"]
    assert seated["covers"] == 3 and seated["assignee"] == {"userId": 2, "username": "host", "initials": "HO"}
    assert [(s["name"], s["assignee"]["userId"]) for s in state["sections"]] == [("Window", 2)]
    assert {f["floor"]: f["turnMinutes"] for f in state["floors"]}[1] == 75
    assert state["me"]["userId"] == 2


def test_a_limited_host_gets_only_their_floors_sections(as_staff, make_table):
    """floor2host's list view names floor 2's sections only."""
    make_table(floor=1, section="Window")
    make_table(floor=2, section="Booths")
    state = initial_state(as_staff("floor2host").get("/tables?view=list").get_data(as_text=True))
    assert [s["name"] for s in state["sections"]] == ["Booths"]


def test_the_sections_screen_state_carries_the_floors_newest_event(manager, make_table):
    """The sections screen follows its floor live: its state names the floor's newest event, as the plan's does,
    so its first sync asks only for what came after the page was drawn."""
    make_table(floor=1, section="Window")
    manager.patch("/api/floors/1", json={"turnMinutes": 80})
    screen = initial_state(manager.get("/sections?floor=1").get_data(as_text=True))
    plan = initial_state(manager.get("/tables?floor=1").get_data(as_text=True))
    assert screen["lastEventId"] is not None
    assert screen["lastEventId"] == plan["lastEventId"]
    assert screen["offlineAfterSeconds"] == plan["offlineAfterSeconds"]
