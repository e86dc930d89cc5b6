"""A change queued offline for a table deleted meanwhile is refused with a notice, and lands on no other table."""

import json

import pytest

from app.services.tables import create_table, delete_table
from tests.browser.conftest import OFFLINE_AFTER_SECONDS, tile, wait_for_state
from tests.support.browser import TABLET, signed_in_page
from tests.support.database import app_context
from tests.support.servers import start_postgres_server, start_sqlite_server

pytestmark = pytest.mark.browser

# Backoff is 1, 2, 4, 8, 16 s with jitter: after a few seconds down, the next try can be ~16 s away.
RECONNECT_TIMEOUT_MS = 25_000


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def restaurant(request, tmp_path):
    """A server of its own on the named database (the test stops it and deletes tables)."""
    start = start_sqlite_server if request.param == "sqlite" else start_postgres_server
    server = start(tmp_path, OFFLINE_AFTER_SECONDS=str(OFFLINE_AFTER_SECONDS), BATCH_WINDOW_MS="50")
    yield server
    server.stop()


def test_a_change_queued_for_a_table_deleted_meanwhile_is_refused_with_a_notice(browser, restaurant):
    """A host queues "Occupied" for the terrace's last table while offline; meanwhile it is deleted and a
    table is added on floor 1. Back online, the host is told the terrace table was deleted and the change
    not made; the floor 1 table stays available and the queue is empty."""
    manager = restaurant.api("manager")
    for number, floor in (("T-101", 1), ("T-301", 3)):
        made = manager.post(f"{restaurant.url}/api/tables", json={"tableNumber": number, "floor": floor, "capacity": 4})
        assert made.status_code == 201, made.text
    terrace = made.json()
    context = browser.new_context(viewport=TABLET)
    try:
        page = signed_in_page(context, restaurant.url, "host")
        page.goto(f"{restaurant.url}/tables?floor=3")
        wait_for_state(page, "live", timeout=5_000)

        restaurant.stop()
        wait_for_state(page, "disconnected", timeout=(OFFLINE_AFTER_SECONDS + 3) * 1000)
        tile(page, terrace["tableId"]).click()
        page.click('[data-set-status="occupied"]')
        page.locator("#table-dialog").wait_for(state="hidden")
        queued = json.loads(page.evaluate("() => localStorage.getItem('tableside:queue:host')"))
        assert [(entry["tableId"], entry["status"]) for entry in queued] == [(terrace["tableId"], "occupied")]

        with app_context(restaurant.database_url):
            delete_table(terrace["tableId"], by="manager")
            added = create_table({"table_number": "T-102", "floor": 1, "capacity": 4}, by="manager").id
        restaurant.start()

        wait_for_state(page, "live", timeout=RECONNECT_TIMEOUT_MS)
        notice = page.locator(f'[data-banner="gone-{terrace["tableId"]}"]')
        notice.wait_for(timeout=5_000)
        assert notice.get_attribute("role") == "alert"
        assert notice.locator(".banner__text").inner_text() == (
            "Table T-301 was deleted by manager. Your change to Occupied was not made."
        )
        assert tile(page, terrace["tableId"]).count() == 0
        assert page.evaluate("() => localStorage.getItem('tableside:queue:host')") == "[]"
        notice.get_by_role("button", name="Dismiss").click()
        assert notice.count() == 0
    finally:
        context.close()

    floor_one = restaurant.api("manager").get(f"{restaurant.url}/api/tables?floor=1").json()
    assert [(table["tableNumber"], table["status"], table["version"]) for table in floor_one] == [
        ("T-101", "available", 1),
        ("T-102", "available", 1),
    ]
    assert added != terrace["tableId"]
