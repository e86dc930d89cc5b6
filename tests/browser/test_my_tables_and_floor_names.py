"""'My tables' showing a host's tables alone (and following live reassignments), and a floor renamed by a
manager reaching the other screens without a reload, in real Chromium."""

import pytest

from tests.browser.conftest import look_at, tile, wait_for_state
from tests.browser.test_host_stand import SIZES

pytestmark = pytest.mark.browser

VISIBLE_CARDS = """() => [...document.querySelectorAll('#floor-plan [data-table-id]')]
  .filter((card) => card.offsetParent !== null).map((card) => Number(card.dataset.tableId)).sort((a, b) => a - b)"""
LIST_ROWS = """() => [...document.querySelectorAll('#table-list tr[data-table-id]')]
  .map((row) => Number(row.dataset.tableId)).sort((a, b) => a - b)"""


def section(live, name: str) -> dict:
    sections = live.manager.get(f"{live.url}/api/floors/1/sections").json()
    return next(entry for entry in sections if entry["name"] == name)


def assign(live, name: str, username: str | None) -> None:
    """A manager gives a section of the main room to `username` (None: to nobody)."""
    staff = {person["username"]: person["userId"] for person in live.manager.get(f"{live.url}/api/staff").json()}
    body = {"userId": staff[username] if username else None}
    response = live.manager.put(f"{live.url}/api/sections/{section(live, name)['sectionId']}/assignee", json=body)
    assert response.status_code == 200, response.text


def ids(live, *numbers: str) -> list[int]:
    return sorted(live.table(number)["tableId"] for number in numbers)


def rename(live, floor: int, name: str) -> None:
    response = live.manager.patch(f"{live.url}/api/floors/{floor}", json={"name": name})
    assert response.status_code == 200, response.text


def test_mine_only_shows_the_hosts_tables_alone_and_follows_a_live_reassignment(open_page, live):
    """The Bar is the host's: Mine only shows its two cards; given to someone else, the page says the host has
    none; the Window given to the host brings its four; the drawn plan keeps the others, faint."""
    assign(live, "Bar", "host")
    try:
        page = open_page("host", viewport=SIZES["phone"])
        bar, window = ids(live, "T-10", "T-11"), ids(live, "T-01", "T-02", "T-03", "T-04")
        empty = page.locator("[data-my-tables-empty]")
        page.click('[data-my-tables-mode="only"]')
        assert page.evaluate(VISIBLE_CARDS) == bar
        look_at(page, "mine-only-phone")
        assert page.locator("#floor-plan .plan__section:visible").all_text_contents() == ["My tables"]
        assert empty.is_hidden()

        assign(live, "Bar", "manager")
        page.wait_for_function(f"() => ({VISIBLE_CARDS})().length === 0")
        empty.wait_for(state="visible")
        assert "No section on this floor is assigned to you" in empty.inner_text()
        look_at(page, "mine-only-none-phone")

        assign(live, "Window", "host")
        page.wait_for_function(f"() => JSON.stringify(({VISIBLE_CARDS})()) === '{window}'.replaceAll(' ', '')")
        assert empty.is_hidden()
        page.reload()
        wait_for_state(page, "live")
        assert page.get_attribute('[data-my-tables-mode="only"]', "aria-pressed") == "true", "kept on the device"
        assert page.evaluate(VISIBLE_CARDS) == window

        # The drawn plan (a tablet) keeps every table in its place: the host's at full strength, the others faint.
        plan = open_page("host")
        plan.click('[data-my-tables-mode="only"]')
        assert len(plan.evaluate(VISIBLE_CARDS)) == 12
        opacity = "el => Number(getComputedStyle(el).opacity)"
        assert tile(plan, window[0]).evaluate(opacity) == 1
        assert tile(plan, bar[0]).evaluate(opacity) < 0.5
        look_at(plan, "mine-only-plan-tablet")

        # The list leaves the others out too; "Show all tables" in the empty notice brings every row back.
        listing = open_page("host", path="/tables?view=list")
        listing.click('[data-my-tables-mode="only"]')
        assert listing.evaluate(LIST_ROWS) == window
        assign(live, "Window", None)
        listing.locator("[data-my-tables-empty]").wait_for(state="visible")
        assert listing.evaluate(LIST_ROWS) == []
        assert listing.locator(".list-frame [data-empty]").is_hidden(), "one notice, saying why"
        listing.click('[data-my-tables-empty] [data-my-tables-mode="all"]')
        assert len(listing.evaluate(LIST_ROWS)) >= 12
        assert listing.get_attribute('[data-my-tables] [data-my-tables-mode="all"]', "aria-pressed") == "true"
    finally:
        assign(live, "Bar", None)
        assign(live, "Window", None)


def test_a_floor_renamed_by_a_manager_reaches_the_switcher_title_and_list_without_a_reload(open_page, live):
    """The manager renames the Main room and the Mezzanine over the API: a plan open on the Main room renames its
    link, title and heading; an open list renames its floor column and filter; neither page reloads."""
    host = open_page("host")
    listing = open_page("viewer", path="/tables?view=list")
    for page in (host, listing):
        page.evaluate("() => { window.notReloaded = true; }")
    assert host.title() == "Main room · Floor plan · Tableside"
    t01 = live.table("T-01")["tableId"]
    floor_cell = listing.locator(f"#table-list tr[data-table-id='{t01}'] td[data-column='floor']")
    try:
        rename(live, 1, "Garden room")
        host.wait_for_function("() => document.title === 'Garden room · Floor plan · Tableside'")
        assert host.locator(".floor-tabs [data-floor='1']").inner_text() == "Garden room"
        assert host.locator("[data-floor-heading]").text_content() == "Garden room"
        listing.wait_for_function("el => el.textContent === 'Garden room'", arg=floor_cell.element_handle())

        rename(live, 2, "Upstairs")
        option = listing.locator("[data-list-filters] select[name=floor] option[value='2']")
        listing.wait_for_function("el => el.textContent === 'Upstairs'", arg=option.element_handle())
        assert listing.locator("[data-list-filters] select[name=floor] option[value='1']").inner_text() == "Garden room"
        for page in (host, listing):
            assert page.evaluate("() => window.notReloaded") is True

        # The plan follows its own floor's room; switching floors brings the other floor's new name with it.
        host.click(".floor-tabs [data-floor='2']")
        host.wait_for_function("() => document.title === 'Upstairs · Floor plan · Tableside'")
        assert host.locator(".floor-tabs [data-floor='2']").inner_text() == "Upstairs"
    finally:
        rename(live, 1, "Main room")
        rename(live, 2, "Mezzanine")
