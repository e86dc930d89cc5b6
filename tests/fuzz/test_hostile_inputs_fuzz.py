"""Hypothesis sends every JSON endpoint bodies carrying the inputs that once made the server fail, on
SQLite and on PostgreSQL: text with a NUL or a lone surrogate anywhere, dates at the calendar's ends,
nesting around the depth limit and thousands deep. Each is refused for what it carries (a 422
naming the field, a 400 for the nesting), nothing is a 5xx, and nothing unstorable is ever saved.
"""

import itertools
import json
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import limits
from app.request_json import TOO_DEEP
from app.services.validation import UNSTORABLE_TEXT
from tests.conftest import PASSWORD
from tests.support.hostile import (
    edge_date_times,
    holds_unstorable,
    nested_text,
    nested_value,
    raw_json,
    unstorable_text,
)

HOSTILE = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
LATER = "2030-01-01T20:00:00Z"
# A tap a minute before the test ran, as a change queued offline carries it.
EARLIER = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()


# The moments a client sends: a hold's end, and when a change queued offline was tapped.
DATE_FIELDS = ("reservedUntil", "tappedAt")


def endpoints(table_id: int, section_id: int) -> list[tuple[str, str, dict]]:
    """Each JSON endpoint with a body it would accept."""
    return [
        ("POST", "/api/tables", {"tableNumber": "H-1", "floor": 1, "capacity": 4, "notes": "Window", "section": "Bar",
                                 "status": "reserved", "reservedUntil": LATER}),
        ("PATCH", f"/api/tables/{table_id}", {"notes": "Window", "section": "Bar", "status": "reserved",
                                              "reservedUntil": LATER}),
        ("PATCH", f"/api/tables/{table_id}/status", {"status": "reserved", "notes": "Booked", "reservedUntil": LATER}),
        ("PATCH", f"/api/tables/{table_id}/status", {"status": "maintenance", "tappedAt": EARLIER}),
        ("POST", "/api/parties", {"size": 4, "name": "Okafor", "phone": "+44 20 7946 0000", "notes": "Pram",
                                  "tags": ["vip"], "tappedAt": EARLIER}),
        ("POST", "/api/floors/1/presets", {"name": "Friday dinner"}),
        ("POST", "/api/floors/1/layout/hold", {"editor": "editor-fuzz-0001"}),
        ("PATCH", "/api/floors/1", {"name": "Main room", "turnMinutes": 90}),
        ("PUT", "/api/floors/1/layout", {"tables": [{"tableId": table_id, "x": 100, "y": 100}]}),
        ("POST", "/api/floors/1/sections", {"name": "Window", "colour": "#2ca02c"}),
        ("PATCH", f"/api/sections/{section_id}", {"name": "Terrace"}),
        ("PUT", f"/api/sections/{section_id}/assignee", {"userId": None}),
        ("POST", "/api/auth/token", {"username": "manager", "password": PASSWORD}),
    ]  # fmt: skip


def leaves(value: object, path: tuple = ()) -> list[tuple]:
    """The path to every value in a body that is neither an object nor a list."""
    if isinstance(value, dict):
        return [leaf for key, child in value.items() for leaf in leaves(child, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, child in enumerate(value) for leaf in leaves(child, (*path, index))]
    return [path]


def replaced(body: dict, path: tuple, value: object) -> dict:
    """A copy of the body with the value at `path` replaced."""
    copy = json.loads(json.dumps(body))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return copy


def saved_text_is_storable(fuzzed) -> None:
    """Nothing the API reads back holds a NUL or a lone surrogate."""
    client = fuzzed.app.test_client()
    for path in ("/api/tables", "/api/floors", "/api/sections"):
        response = client.get(path, headers=fuzzed.headers)
        assert response.status_code == 200
        kept = json.loads(response.get_data())  # the standard decoder: the app's own would refuse such text
        assert not holds_unstorable(kept), kept


def test_hostile_bodies_are_refused_for_what_they_carry(fuzzed):
    """Each spoiled body gets the refusal its input calls for; no answer is a 5xx; nothing unstorable is saved."""
    client = fuzzed.app.test_client()
    table_id = fuzzed.tables_read_back()[0]
    section = client.post("/api/floors/1/sections", json={"name": "Window"}, headers=fuzzed.headers)
    targets = endpoints(table_id, section.get_json()["sectionId"])
    seen = set()
    numbers = itertools.count(1)

    @given(data=st.data())
    @HOSTILE
    def send(data):
        method, path, body = data.draw(st.sampled_from(targets), label="endpoint")
        if "tableNumber" in body:
            # A table number of its own: an example that creates H-1 must not make the next one a clash.
            body = {**body, "tableNumber": f"H-{next(numbers)}"}
        spoil = data.draw(st.sampled_from(["text", "date", "nesting", "whole body"]), label="spoil")
        where = data.draw(st.sampled_from(leaves(body)), label="field")
        field = ".".join(str(step) for step in where)
        if spoil == "text":
            text = raw_json(replaced(body, where, data.draw(unstorable_text(), label="text")))
        elif spoil == "date" and (moment := next((name for name in DATE_FIELDS if name in body), None)):
            text = raw_json({**body, moment: data.draw(edge_date_times(), label="moment")})
        elif spoil == "nesting":
            depth = data.draw(st.integers(1, 2 * limits.JSON_DEPTH), label="depth")
            text = raw_json(replaced(body, where, nested_value(depth)))
        else:
            spoil = "whole body"
            text = nested_text(data.draw(st.integers(1, 6000), label="depth"))
        response = client.open(path, method=method, data=text, content_type="application/json", headers=fuzzed.headers)
        seen.add(spoil)
        assert response.status_code < 500, (method, path, text[:300], response.get_data(as_text=True))
        answer = response.get_json()
        if spoil == "text":
            assert response.status_code == 422 and answer["fields"] == {field: UNSTORABLE_TEXT}, (text, answer)
        elif spoil == "date" and moment and response.status_code >= 400:
            assert response.status_code == 422 and moment in answer["fields"], answer
        elif spoil == "nesting" and len(where) + depth > limits.JSON_DEPTH:
            assert response.status_code == 400 and answer["message"] == TOO_DEEP, answer
        elif spoil == "whole body":
            assert response.status_code == 400, answer
        if response.status_code >= 400:
            assert answer["error"] and answer["message"], answer

    send()
    assert seen == {"text", "date", "nesting", "whole body"}
    fuzzed.every_table_reads_back()
    saved_text_is_storable(fuzzed)
