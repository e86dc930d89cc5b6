"""A server going away and coming back: indicator, banners, sync, and the offline queue."""

import json
import time

import pytest

from tests.browser.conftest import OFFLINE_AFTER_SECONDS, indicator, screenshot, tile, wait_for_state

pytestmark = pytest.mark.browser

LOST = "Connection lost. Reconnecting..."
OFFLINE = "You are working offline. Changes will sync when connection is restored."
# Backoff is 1, 2, 4, 8, 16 s with jitter: after a few seconds down, the next try can be ~16 s away.
RECONNECT_TIMEOUT_MS = 25_000


# Notes, in order since the connection was last lost, what the page asks the server and each room head it hears.
RECORD_CATCH_UP = """() => {
  const { connection } = window.tableside;
  window.catchUp = [];
  connection.addEventListener("lost", () => { window.catchUp = []; });
  connection.addEventListener("head", () => window.catchUp.push("head"));
  const ask = connection.ask.bind(connection);
  connection.ask = (event, payload) => { window.catchUp.push(event); return ask(event, payload); };
}"""


def banner(page, name: str):
    return page.locator(f'[data-banner="{name}"]')


def test_restart_shows_reconnecting_then_restores_and_syncs_missed_changes(open_page, live):
    """Stopping the server shows Reconnecting within 5 s; after a restart both screens are Live and caught up."""
    numbers = ("T-01", "T-03", "T-10", "T-12")
    tables = [live.table(number) for number in numbers]
    for table in tables:
        live.set_status(table["tableId"], "available")
    host = open_page("host")
    viewer = open_page("viewer", "/tables?view=list")
    for table in tables:
        host.wait_for_selector(f'#floor-plan [data-table-id="{table["tableId"]}"][data-status="available"]')
    for page in (host, viewer):
        page.evaluate(RECORD_CATCH_UP)

    stopped_at = time.monotonic()
    live.server.stop()
    for page in (host, viewer):
        wait_for_state(page, "reconnecting", timeout=5_000)
        banner(page, "connection-lost").wait_for(timeout=max(100, 5_000 - (time.monotonic() - stopped_at) * 1000))
        assert banner(page, "connection-lost").inner_text() == LOST
        assert indicator(page) == ("reconnecting", "Reconnecting...")
    assert time.monotonic() - stopped_at < 5
    screenshot(host, "floor-plan-reconnecting")

    for table, status in zip(tables, ("occupied", "reserved", "maintenance", "occupied"), strict=True):
        live.change_while_down(table["tableId"], status, by="manager")
    live.restart()

    for page in (host, viewer):
        wait_for_state(page, "live", timeout=RECONNECT_TIMEOUT_MS)
        banner(page, "connection-restored").wait_for(timeout=2_000)
        assert banner(page, "connection-restored").inner_text() == "Connection restored"
        assert banner(page, "connection-lost").count() == 0
        page.wait_for_selector('[data-banner="synced"]', timeout=3_000)
        assert banner(page, "synced").inner_text() == "Synced 4 table updates"
        # Caught up by the page's own sync on reconnecting, not later by noticing a room's newer head.
        notes = page.evaluate("() => window.catchUp")
        assert "tables:sync" in notes and notes.index("tables:sync") < (notes + ["head"]).index("head"), notes
    assert tile(host, tables[0]["tableId"]).get_attribute("data-status") == "occupied"
    assert tile(host, tables[1]["tableId"]).get_attribute("data-status") == "reserved"
    row = viewer.locator(f'#table-list tr[data-table-id="{tables[2]["tableId"]}"]')
    assert row.get_attribute("data-status") == "maintenance"

    # Live again: a new change flows as before.
    live.set_status(tables[3]["tableId"], "available")
    viewer.wait_for_selector(f'#table-list tr[data-table-id="{tables[3]["tableId"]}"][data-status="available"]')


def test_offline_queue_survives_a_reload_and_syncs_after_restart_with_conflicts_shown(open_page, live):
    """Changes made offline wait in localStorage, outlive the page, reach others after restart; a clash is shown."""
    seated, clashing = live.table("T-02"), live.table("T-04")
    live.set_status(seated["tableId"], "available")
    live.set_status(clashing["tableId"], "available")
    manager = open_page("manager")
    viewer = open_page("viewer")

    live.server.stop()
    wait_for_state(manager, "disconnected", timeout=(OFFLINE_AFTER_SECONDS + 3) * 1000)
    assert indicator(manager) == ("disconnected", "Disconnected")
    assert banner(manager, "offline").inner_text() == OFFLINE
    assert banner(manager, "connection-lost").count() == 0

    tile(manager, seated["tableId"]).click()
    assert manager.locator("[data-delete-link]").get_attribute("aria-disabled") == "true"
    manager.click('[data-set-status="occupied"]')
    # Queued counts as done: the dialog closes (two taps) and a notice says where the change waits.
    manager.locator("#table-dialog").wait_for(state="hidden")
    queued = banner(manager, f"queued-{seated['tableId']}")
    assert "will be sent when the connection returns" in queued.inner_text()
    tile(manager, clashing["tableId"]).click()
    manager.click('[data-set-status="reserved"]')
    manager.locator("#table-dialog").wait_for(state="hidden")
    for table, status in ((seated, "occupied"), (clashing, "reserved")):
        shown = tile(manager, table["tableId"])
        assert shown.get_attribute("data-status") == status
        assert shown.get_attribute("data-pending") == "true"
    manager.wait_for_timeout(700)  # let the colour transitions finish for the picture
    screenshot(manager, "floor-plan-offline")
    queued = json.loads(manager.evaluate("() => localStorage.getItem('tableside:queue:manager')"))
    assert [(entry["tableId"], entry["status"], entry["expectedStatus"]) for entry in queued] == [
        (seated["tableId"], "occupied", "available"),
        (clashing["tableId"], "reserved", "available"),
    ]
    assert len({entry["key"] for entry in queued}) == 2

    # Meanwhile another host puts the second table out of service, and the tablet's page goes away.
    live.change_while_down(clashing["tableId"], "maintenance", by="host")
    manager.goto("about:blank")
    live.restart()
    manager.goto(f"{live.url}/tables?floor=1")

    sent = f'#floor-plan [data-table-id="{seated["tableId"]}"][data-status="occupied"]:not([data-pending])'
    manager.wait_for_selector(sent)
    conflict = banner(manager, f"conflict-{clashing['tableId']}")
    conflict.wait_for(timeout=5_000)
    assert conflict.locator(".banner__text").inner_text() == (
        "T-04 was changed by host: it is Maintenance now, and you chose Reserved."
    )
    assert tile(manager, clashing["tableId"]).get_attribute("data-status") == "maintenance"
    assert live.table("T-04")["status"] == "maintenance"
    assert live.table("T-02")["status"] == "occupied"
    assert manager.evaluate("() => localStorage.getItem('tableside:queue:manager')") == "[]"

    wait_for_state(viewer, "live", timeout=RECONNECT_TIMEOUT_MS)
    viewer.wait_for_selector(f'#floor-plan [data-table-id="{seated["tableId"]}"][data-status="occupied"]')
    viewer.wait_for_selector(f'#floor-plan [data-table-id="{clashing["tableId"]}"][data-status="maintenance"]')

    conflict.get_by_role("button", name="Use Reserved").click()
    viewer.wait_for_selector(f'#floor-plan [data-table-id="{clashing["tableId"]}"][data-status="reserved"]')
    assert live.table("T-04")["status"] == "reserved"
    assert json.loads(manager.evaluate("() => localStorage.getItem('tableside:conflicts:manager')")) == []
