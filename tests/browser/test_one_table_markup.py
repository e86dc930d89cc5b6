"""One table, one markup: a tile, a card or a row changed or added live is the same as the server draws it.

Each view's markup is one macro (templates/tables/_table.html); the page fills it with one `fill`
(static/js/table-fill.js) on the first render and on every change, and clones it from the page's
<template> for a table that arrives later. Here another member of staff changes one table and adds
another while a page is open; then a fresh page draws both from the server, and the two pages'
elements are compared attribute by attribute and text by text, at the same moment by both clocks.
"""

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import wait_for_state
from tests.browser.test_host_stand import SIZES

pytestmark = pytest.mark.browser

VIEWS = {
    "plan": ("/tables?floor=1", SIZES["tablet"], "#floor-plan"),
    "cards": ("/tables?floor=1", SIZES["phone"], "#floor-plan"),
    "list": ("/tables?view=list", SIZES["tablet"], "#table-list"),
}

# An element as markup, with its attributes in name order and its classes sorted, the classes of a
# running animation left out: what a person sees and tools read, whatever order the page wrote it in.
# The plan's one tab stop is left out too: it is the plan's (its first tile, or the last one used), and
# a table added live comes last in the plan while a fresh page puts the tables in number order.
MARKUP = """(element) => {
  const motion = new Set(["is-entering", "is-changed", "is-leaving"]);
  const ignored = new Set(["tabindex"]);
  const tidy = (name, value) =>
    name === "class" ? value.split(/\\s+/).filter((word) => word && !motion.has(word)).sort().join(" ") : value;
  const write = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    const attributes = [...node.attributes]
      .filter((attribute) => !ignored.has(attribute.name))
      .map((attribute) => [attribute.name, tidy(attribute.name, attribute.value)])
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => ` ${name}="${value}"`)
      .join("");
    return `<${node.localName}${attributes}>${[...node.childNodes].map(write).join("")}</${node.localName}>`;
  };
  return write(element);
}"""


def markup_at(page, root: str, table_ids: list[int], moment: datetime) -> dict[int, str]:
    """Each table's element as markup, once the page's clock reads `moment` and its times have ticked."""
    page.clock.set_fixed_time(moment)
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")  # the ticker's beat, now
    return {table_id: page.locator(f'{root} [data-table-id="{table_id}"]').evaluate(MARKUP) for table_id in table_ids}


@pytest.mark.parametrize("view", VIEWS, ids=list(VIEWS))
def test_a_table_changed_or_added_live_is_drawn_as_the_server_draws_it(open_page, live, view):
    """A seated table and a table added on hold, shown live, match a fresh page's in every attribute and word."""
    path, viewport, root = VIEWS[view]
    seated = live.table("T-08")
    live.set_status(seated["tableId"], "available")
    watching = open_page("host", path=path, viewport=viewport)
    added = None
    try:
        # Another member of staff: notes on one table (table:updated), then seating it (table:status_changed),
        # and a new table (table:created), held for half an hour.
        response = live.manager.patch(f"{live.url}/api/tables/{seated['tableId']}", json={"notes": "Anniversary"})
        assert response.status_code == 200, response.text
        response = live.manager.patch(
            f"{live.url}/api/tables/{seated['tableId']}/status",
            json={"status": "occupied", "covers": 5, "critical": True},
        )
        assert response.status_code == 200, response.text
        added = live.create(tableNumber="M-01", floor=1, section="Bar", capacity=4, shape="round", x=640, y=40)
        until = (datetime.now(UTC) + timedelta(minutes=30)).isoformat()
        response = live.manager.patch(
            f"{live.url}/api/tables/{added['tableId']}/status",
            json={"status": "reserved", "reservedUntil": until, "critical": True},
        )
        assert response.status_code == 200, response.text
        watching.wait_for_function(
            """([root, seated, added]) => {
              const shown = (id) => document.querySelector(`${root} [data-table-id="${id}"]`);
              return shown(seated)?.dataset.status === "occupied" && shown(added)?.dataset.status === "reserved";
            }""",
            arg=[root, seated["tableId"], added["tableId"]],
        )
        fresh = open_page("host", path=path, viewport=viewport)

        ids = [seated["tableId"], added["tableId"]]
        moment = datetime.now(UTC) + timedelta(minutes=2)
        live_markup, drawn_markup = markup_at(watching, root, ids, moment), markup_at(fresh, root, ids, moment)
        # What changed is there to compare: the party of five, the notes (the list shows them), the hold.
        assert ">5/6<" in drawn_markup[seated["tableId"]] and ">28 min left<" in drawn_markup[added["tableId"]]
        assert (">Anniversary<" in drawn_markup[seated["tableId"]]) == (view == "list")
        for table_id in ids:
            assert live_markup[table_id] == drawn_markup[table_id]
    finally:
        if added:
            assert live.manager.delete(f"{live.url}/api/tables/{added['tableId']}").status_code == 204
        live.manager.patch(f"{live.url}/api/tables/{seated['tableId']}", json={"notes": None})
        live.set_status(seated["tableId"], "available")


# A slot the scripts have never heard of, put into each view's markup as a new field's would be.
PROBE = '<span class="probe" data-field="version" data-attrs="notes"></span>'
PROBED = {"plan": ('<span class="tile__label">', "#floor-plan"), "list": ('<span class="row__notes"', "#table-list")}


@pytest.mark.parametrize("view", PROBED, ids=list(PROBED))
def test_a_slot_added_to_the_markup_is_filled_first_and_live_with_no_script_naming_it(open_page, live, view):
    """A slot in the macro's markup (and so in the page's <template>) shows its field at once and after each change."""
    anchor, root = PROBED[view]
    path = VIEWS[view][0]
    changed = live.table("T-09")
    page = open_page("host", path=None, wait_live=False, service_workers="block")

    def with_probe(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(anchor, f"{PROBE}{anchor}"))

    page.route(f"{live.url}{path}", with_probe)
    page.goto(f"{live.url}{path}")
    wait_for_state(page, "live")
    probe = f'{root} [data-table-id="{{}}"] .probe'
    first = live.table("T-01")
    assert page.locator(probe.format(first["tableId"])).inner_text() == str(first["version"])

    added = None
    try:
        response = live.manager.patch(f"{live.url}/api/tables/{changed['tableId']}", json={"notes": "Booster seat"})
        assert response.status_code == 200, response.text
        shown = page.locator(probe.format(changed["tableId"]))
        shown.wait_for(state="attached")
        page.wait_for_function(
            "([element, version]) => element.textContent === version",
            arg=[shown.element_handle(), str(response.json()["version"])],
        )
        assert shown.get_attribute("data-notes") == "Booster seat"

        added = live.create(tableNumber="P-01", floor=1, capacity=2, x=640, y=40)
        arrived = page.locator(probe.format(added["tableId"]))
        arrived.wait_for(state="attached")
        assert (arrived.inner_text(), arrived.get_attribute("data-notes")) == ("1", None)
    finally:
        if added:
            assert live.manager.delete(f"{live.url}/api/tables/{added['tableId']}").status_code == 204
        live.manager.patch(f"{live.url}/api/tables/{changed['tableId']}", json={"notes": None})
