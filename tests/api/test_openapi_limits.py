"""The OpenAPI document's limits are the ones the validation enforces: a value at each bound
passes, one just past it is refused, for every bounded field the document describes."""

import pytest

from app.services.errors import ValidationError
from app.services.floors import clean_floor_changes
from app.services.sections import clean_section_fields
from app.services.validation import clean_status_change, clean_table_fields


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def schema_of(document: dict, name: str) -> dict:
    return document["components"]["schemas"][name]["properties"]


def edges(field: dict) -> tuple[list, list]:
    """Values the field's schema allows at its very bounds, and values just past them."""
    step = 1 if field["type"] == "integer" else 0.5
    if "maxLength" in field:
        longest = field["maxLength"]
        return ["x" * longest], ["x" * (longest + 1)]
    return [field["minimum"], field["maximum"]], [field["minimum"] - step, field["maximum"] + step]


def bounded(properties: dict) -> list[str]:
    return [name for name, field in properties.items() if "maximum" in field or "maxLength" in field]


def refused_field(clean, body: dict) -> set[str]:
    """The fields the validation names as wrong (empty when it accepts the body)."""
    try:
        clean(body)
    except ValidationError as error:
        return set(error.fields)
    return set()


def test_every_bounded_table_field_is_checked_at_the_documented_bounds(document):
    """Seats, floor, place, size, turn, notes and section name: allowed at the bound, refused past it."""
    properties = schema_of(document, "TableChanges")
    names = bounded(properties)
    assert {"floor", "capacity", "x", "y", "width", "height", "rotation", "notes", "section"} <= set(names)
    for name in names:
        allowed, refused = edges(properties[name])
        for value in allowed:
            assert refused_field(lambda body: clean_table_fields(body, creating=False), {name: value}) == set(), (
                name,
                value,
            )
        for value in refused:
            assert refused_field(lambda body: clean_table_fields(body, creating=False), {name: value}) == {name}, (
                name,
                value,
            )


def test_the_table_number_pattern_is_the_validations(document):
    """The longest table number the document's pattern allows is accepted; one character more is not."""
    pattern = schema_of(document, "TableChanges")["tableNumber"]["pattern"]
    longest = 1 + int(pattern.split("{0,")[1].split("}")[0])
    clean = lambda body: clean_table_fields(body, creating=False)  # noqa: E731
    assert refused_field(clean, {"tableNumber": "T" * longest}) == set()
    assert refused_field(clean, {"tableNumber": "T" * (longest + 1)}) == {"tableNumber"}


def test_covers_are_checked_at_the_documented_bounds(document):
    """A party size at the document's bounds seats the table; one past them is refused."""
    covers = schema_of(document, "StatusChange")["covers"]
    allowed, refused = edges(covers)
    for value in allowed:
        assert refused_field(clean_status_change, {"status": "occupied", "covers": value}) == set()
    for value in refused:
        assert refused_field(clean_status_change, {"status": "occupied", "covers": value}) == {"covers"}


def test_turn_time_and_floor_name_are_checked_at_the_documented_bounds(document):
    """A floor's turnMinutes and name: allowed at the bound, refused past it."""
    properties = schema_of(document, "FloorChanges")
    for name in ("turnMinutes", "name"):
        allowed, refused = edges(properties[name])
        for value in allowed:
            assert refused_field(clean_floor_changes, {name: value}) == set(), (name, value)
        for value in refused:
            assert refused_field(clean_floor_changes, {name: value}) == {name}, (name, value)


def test_section_names_are_checked_at_the_documented_bound(document):
    """A section's name as long as the document allows is kept; one character more is refused."""
    allowed, refused = edges(schema_of(document, "NewSection")["name"])
    clean = lambda body: clean_section_fields(body, creating=True)  # noqa: E731
    assert refused_field(clean, {"name": allowed[0]}) == set()
    assert refused_field(clean, {"name": refused[0]}) == {"name"}


def test_history_length_is_checked_at_the_documented_bounds(document, viewer, make_table):
    """?limit at the document's bounds reads the history; past them it is a 400."""
    table_id = make_table(floor=1)["tableId"]
    operation = document["paths"]["/api/tables/{table_id}/history"]["get"]
    (limit,) = [parameter["schema"] for parameter in operation["parameters"] if parameter["name"] == "limit"]
    allowed, refused = edges(limit)
    for value in allowed:
        assert viewer.get(f"/api/tables/{table_id}/history?limit={value}").status_code == 200
    for value in refused:
        assert viewer.get(f"/api/tables/{table_id}/history?limit={value}").status_code == 400
