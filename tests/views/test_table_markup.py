"""Each view's table markup is filled from the table the page is sent, and names only a table's fields.

The markup (templates/tables/_table.html) marks its slots: `data-field` (text), `data-flag` (shown
while true) and `data-attrs` (fields as attributes). The page's script fills the same slots from the
same table later (static/js/table-fill.js); the field list it keeps comes from the page's facts.
"""

import html as entities
import re

import pytest

from tests.views.test_floor_plan import initial_state, tile_of

VIEWS = {"plan": "/tables?floor=1", "list": "/tables?view=list"}


def row_of(page: str, table_id: int) -> str:
    match = re.search(rf'<tr class="row"[^>]*data-table-id="{table_id}".*?</tr>', page, re.S)
    assert match, f"table {table_id} is not listed"
    return match.group(0)


def template_of(page: str) -> str:
    """What the page clones for a table that arrives later."""
    match = re.search(r"<template data-table-template>(.*?)</template>", page, re.S)
    assert match, "the page has no table template"
    return match.group(1)


def slot_names(markup: str) -> set[str]:
    """Every field a slot of the markup names."""
    names = set(re.findall(r'data-(?:field|flag)="(\w+)"', markup))
    for listed in re.findall(r'data-attrs="([\w ]+)"', markup):
        names.update(listed.split())
    return names


def test_the_page_keeps_the_fields_a_table_is_sent_with(viewer, make_table):
    """The page's facts name the Table's fields: those the API answers with and the page's state holds."""
    table = make_table(floor=1)
    page = viewer.get("/tables?floor=1").get_data(as_text=True)
    fields = initial_state(page)["facts"]["tableFields"]
    assert fields[:2] == ["tableId", "tableNumber"] and len(fields) == len(set(fields))
    assert set(fields) == set(viewer.get(f"/api/tables/{table['tableId']}").get_json())
    assert set(fields) == set(initial_state(page)["tables"][0])


@pytest.mark.parametrize("view", VIEWS)
def test_every_slot_names_a_field_of_a_table_and_the_template_holds_no_values(manager, make_table, view):
    """The markup's slots name fields the page keeps; the template carries no table's id, number or status."""
    make_table(floor=1, section="Window")
    page = manager.get(VIEWS[view]).get_data(as_text=True)
    template = template_of(page)
    names = slot_names(template)
    assert {"tableId", "tableNumber", "status"} <= names
    assert names <= set(initial_state(page)["facts"]["tableFields"])
    assert "data-table-id=" not in template and "data-status=" not in template
    assert re.search(r'data-field="tableNumber"[^>]*>\s*<', template)


@pytest.mark.parametrize("view", VIEWS)
def test_the_server_fills_each_slot_from_the_table_the_page_is_sent(manager, host, make_table, view):
    """Each text slot holds the field's value and each attribute slot the field, as the page's state has them."""
    table = make_table(floor=1, section="Window", notes="Birthday & cake", capacity=6, shape="round")
    host.patch(f"/api/tables/{table['tableId']}/status", json={"status": "occupied", "covers": 4})
    page = manager.get(VIEWS[view]).get_data(as_text=True)
    (sent,) = [t for t in initial_state(page)["tables"] if t["tableId"] == table["tableId"]]
    markup = tile_of(page, table["tableId"]) if view == "plan" else row_of(page, table["tableId"])
    texts = re.findall(r'data-field="(\w+)"[^>]*>([^<]*)<', markup)
    shown = {"plan": {"tableNumber"}, "list": {"tableNumber", "section", "capacity", "notes"}}[view]
    assert {name for name, _ in texts} == shown
    for name, text in texts:
        assert entities.unescape(text) == str(sent[name]), name
    for listed in re.findall(r'data-attrs="([\w ]+)"', markup):
        for name in listed.split():
            attribute = re.sub(r"[A-Z]", lambda capital: f"-{capital.group(0).lower()}", name)
            assert f'data-{attribute}="{sent[name]}"' in markup, name
