"""The page gets each fact from the server: event names, limits, plan geometry, messages and pacing.

The scripts read them from the page's initial state; the forms' attributes are the limits the
API documents. Nothing here is written a second time in JS.
"""

import re
from pathlib import Path

import pytest

from app.models.event import EventType
from tests.views.test_floor_plan import initial_state

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def facts_of(staff, path: str = "/tables?floor=1") -> dict:
    response = staff.get(path)
    assert response.status_code == 200
    return initial_state(response.get_data(as_text=True))["facts"]


def input_attributes(html: str, name: str) -> dict[str, str]:
    """The attributes of the form control named `name`."""
    match = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*>', html)
    assert match, name
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', match.group(0)))


@pytest.mark.parametrize("path", ["/tables?floor=1", "/tables?view=list", "/tables/layout?floor=1"])
def test_every_tables_page_names_each_logged_event_as_the_server_does(manager, path):
    """Plan, list and layout editor carry the event names, one per kind the log records."""
    assert facts_of(manager, path)["events"] == {kind.name: kind.value for kind in EventType}


def test_the_page_gets_the_documented_limits_and_the_plan_geometry(viewer, document):
    """The layout editor's and the covers chips' limits are the API's; the plan's margin and least size are given."""
    facts = facts_of(viewer)
    table = document["components"]["schemas"]["TableChanges"]["properties"]
    for name in ("x", "y", "width", "height", "rotation"):
        assert facts["limits"][name] == [table[name]["minimum"], table[name]["maximum"]]
    covers = document["components"]["schemas"]["StatusChange"]["properties"]["covers"]
    assert facts["limits"]["covers"] == [covers["minimum"], covers["maximum"]]
    assert facts["plan"] == {"margin": 40, "minWidth": 800, "minHeight": 480}


def test_the_page_says_the_contracts_words_the_server_says(viewer, host, make_table):
    """The rate-limit message the page shows is the one the API answers a 429 with."""
    tables = [make_table(floor=1) for _ in range(6)]
    refused = [host.patch(f"/api/tables/{t['tableId']}/status", json={"status": "occupied"}) for t in tables][-1]
    assert refused.status_code == 429
    messages = facts_of(viewer)["messages"]
    assert messages["rateLimited"] == refused.get_json()["message"] == "Too many requests. Please slow down."
    assert messages["conflict"].replace("{name}", "Sam") == "Table was updated by Sam. Refresh to see latest?"


@pytest.mark.parametrize(("limit", "spacing"), [("5 per second", 230), ("2 per second", 530), ("30 per minute", 2030)])
def test_the_pages_pace_follows_the_servers_status_limit(app, viewer, limit, spacing):
    """Queued changes are sent one window's share apart (plus slack), whatever the limit is set to."""
    app.config["STATUS_RATE_LIMIT"] = limit
    assert facts_of(viewer)["statusSpacingMs"] == spacing


def test_the_table_forms_attributes_are_the_documented_limits(manager, document):
    """maxlength, min and max on the table form are the API's bounds for the same fields."""
    table = document["components"]["schemas"]["TableChanges"]["properties"]
    html = manager.get("/tables/new").get_data(as_text=True)
    assert input_attributes(html, "notes")["maxlength"] == str(table["notes"]["maxLength"])
    assert input_attributes(html, "section")["maxlength"] == str(table["section"]["maxLength"])
    for name in ("capacity", "x", "y", "width", "height", "rotation"):
        control = input_attributes(html, name)
        assert (control["min"], control["max"]) == (str(table[name]["minimum"]), str(table[name]["maximum"])), name


def test_the_floors_forms_attributes_are_the_documented_limits(manager, document):
    """The turn time's min and max and the name's maxlength are the API's."""
    floor = document["components"]["schemas"]["FloorChanges"]["properties"]
    html = manager.get("/floors").get_data(as_text=True)
    turn = input_attributes(html, "turn_minutes")
    assert (turn["min"], turn["max"]) == (str(floor["turnMinutes"]["minimum"]), str(floor["turnMinutes"]["maximum"]))
    assert input_attributes(html, "name")["maxlength"] == str(floor["name"]["maxLength"])


def test_no_script_writes_an_event_name_or_a_server_message_again():
    """The scripts take these from the page's state: a second copy would drift from the server's."""
    facts = [kind.value for kind in EventType] + [
        "Too many requests",
        "Your session has ended",
        "Refresh to see latest",
    ]
    copies = [
        (script.name, fact)
        for script in SCRIPTS.glob("*.js")
        for fact in facts
        if f'"{fact}' in script.read_text() or f"`{fact}" in script.read_text()
    ]
    assert copies == []
