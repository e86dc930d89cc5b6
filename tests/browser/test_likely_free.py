"""A seated table says when it is likely free, in real Chromium, in the viewer's own time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import ARTIFACTS, wait_for_state
from tests.support.browser import signed_in_page

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 768, "height": 1024}}
SIZES["desktop"] = {"width": 1920, "height": 1080}


def page_in_paris(browser, live, path: str, viewport: dict, scheme: str):
    """A host's page in a browser set to British English in Paris's time zone, once it shows Live."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-GB", timezone_id="Europe/Paris")
    page = signed_in_page(context, live.url, "host")
    page.goto(f"{live.url}{path}")
    wait_for_state(page, "live", timeout=5_000)
    return page


def test_a_seated_tile_says_likely_free_in_local_time(browser, live):
    """A party of 7 seated on the mezzanine, with no history of 7s there: the tile reads "likely free ~HH:MM",
    the seating plus the floor's turn time, in the viewer's zone (Paris here); free again, it says nothing."""
    table = live.create(tableNumber="LF-1", floor=2, capacity=8, x=200, y=200)
    seated = live.manager.patch(
        f"{live.url}/api/tables/{table['tableId']}/status", json={"status": "occupied", "covers": 7, "critical": True}
    )
    assert seated.status_code == 200, seated.text
    turn = next(floor for floor in live.manager.get(f"{live.url}/api/floors").json() if floor["floor"] == 2)
    at = datetime.fromisoformat(seated.json()["statusChangedAt"].replace("Z", "+00:00"))
    expected = (at + timedelta(minutes=turn["turnMinutes"])).astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M")
    tile = f'.tile[data-table-id="{table["tableId"]}"]'
    for name, viewport in SIZES.items():
        for scheme in ("light", "dark"):
            page = page_in_paris(browser, live, "/tables?floor=2", viewport, scheme)
            likely = page.locator(f"{tile} .tile__likely")
            assert likely.inner_text() == f"likely free ~{expected}"
            assert f"likely free around {expected}" in page.locator(tile).get_attribute("aria-label")
            page.locator(tile).scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"likely-free-{name}-{scheme}.png"))
            # The main room's seated tiles among their neighbours, to look at.
            page.goto(f"{live.url}/tables?floor=1")
            wait_for_state(page, "live", timeout=5_000)
            page.screenshot(path=str(ARTIFACTS / f"likely-free-main-room-{name}-{scheme}.png"))
            page.context.close()
    live.set_status(table["tableId"], "available")
    page = page_in_paris(browser, live, "/tables?floor=2", SIZES["tablet"], "light")
    assert page.locator(f"{tile} .tile__likely").is_hidden()
    page.context.close()
    live.manager.delete(f"{live.url}/api/tables/{table['tableId']}")
