"""One tablet, two people: the tables one person saw are never offered to the next, even by a tab left open."""

import json

import pytest

from tests.browser.conftest import wait_for_state
from tests.browser.test_offline_reload import (
    kept_by_browser,
    sign_out,
    wait_until,
    wait_until_controlled,
    wait_until_kept,
)
from tests.support.browser import TABLET, signed_in_page
from tests.support.live_server import PASSWORD

pytestmark = pytest.mark.browser

LAST_SEEN_KEYS = "() => Object.keys(localStorage).filter((key) => key.startsWith('tableside:last-seen:'))"
SHOWN_ROWS = "() => [...document.querySelectorAll('#table-list tr[data-table-id]')].map((row) => +row.dataset.tableId)"
# True when some copy of the tables as last seen, whoever's, holds the table.
KEPT_ON_DEVICE = """(tableId) => Object.keys(localStorage).filter((key) => key.startsWith("tableside:last-seen:"))
  .some((key) => JSON.parse(localStorage.getItem(key)).tables.some((table) => table.tableId === tableId))"""


def test_a_tab_left_open_by_the_last_person_never_gives_the_next_their_tables(browser, live):
    """The manager (every floor) signs out in one tab, leaving their list open in another; floor2host signs in,
    the open list is tapped and keeps the manager's tables again; floor2host opens the list offline: only
    floor2host's tables, and nothing of the manager's is left on the device."""
    context = browser.new_context(viewport=TABLET)
    try:
        left_open = signed_in_page(context, live.url, "manager")
        left_open.goto(f"{live.url}/tables?view=list")
        wait_for_state(left_open, "live")
        floor_one = live.table("T-02")

        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live.url}/tables?view=list")
        wait_until_controlled(page)
        wait_until(page, KEPT_ON_DEVICE, floor_one["tableId"])
        sign_out(page)
        assert kept_by_browser(page) == {"caches": [], "storage": [], "workers": 0}

        # floor2host signs in on the sign-in page the sign-out left; the worker keeps their list.
        page.fill("input[name=username]", "floor2host")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/tables**")
        wait_for_state(page, "live")
        wait_until_controlled(page)
        wait_until_kept(page, "/tables?view=list")

        # Someone taps the manager's list, still open in the first tab: that page keeps what it shows again.
        left_open.locator(f'#table-list tr[data-table-id="{floor_one["tableId"]}"] [data-open-table]').click()
        left_open.click('[data-set-status="maintenance"]')
        wait_until(left_open, KEPT_ON_DEVICE, floor_one["tableId"])
        assert live.table("T-02")["status"] == floor_one["status"], "not changed by a page whose person left"

        # Offline, floor2host opens the list for the first time: the worker's copy, and the tables as last seen.
        page.context.set_offline(True)
        page.goto(f"{live.url}/tables?view=list")
        assert page.evaluate("() => document.documentElement.dataset.offlineCopy") == "true"
        wait_for_state(page, "disconnected", timeout=3_000)
        assert json.loads(page.locator("#initial-state").text_content())["me"]["username"] == "floor2host"
        own = {table["tableId"] for table in live.server.api("floor2host").get(f"{live.url}/api/tables").json()}
        assert set(page.evaluate(SHOWN_ROWS)) == own, "floor2host is shown their tables, and only those"
        assert {table["floor"] for table in page.evaluate("() => window.tableside.store.all()")} <= {2}
        kept = page.evaluate(LAST_SEEN_KEYS)
        assert kept and all(key.startswith("tableside:last-seen:floor2host:") for key in kept), kept
    finally:
        context.set_offline(False)
        context.close()
