"""Who a reserved table is held for shows on the plan, not only in the dialog (issue 26, readability):
the hold's notes under the status, live, cut short on a small table, read out with it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import look_at, tile

pytestmark = pytest.mark.browser

SIZES = {"390x844": {"width": 390, "height": 844}, "768x1024": {"width": 768, "height": 1024},
         "1920x1080": {"width": 1920, "height": 1080}}  # fmt: skip


def test_a_hold_names_its_guest_on_every_screen_live(open_page, live):
    table = live.table("T-03")
    live.set_status(table["tableId"], "available")
    page = open_page("viewer")
    held = tile(page, table["tableId"]).locator(".tile__held")
    expect(held).to_be_hidden()

    live.manager.patch(
        f"{live.url}/api/tables/{table['tableId']}/status",
        json={"status": "reserved", "notes": "Okafor, 8 pm", "critical": True},
    ).raise_for_status()
    expect(held).to_have_text("Okafor, 8 pm")
    expect(held).to_be_visible()
    assert "held: Okafor, 8 pm" in tile(page, table["tableId"]).get_attribute("aria-label")

    live.set_status(table["tableId"], "available")
    expect(held).to_be_hidden()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_the_name_fits_its_table(open_page, live, size, theme):
    table = live.table("T-04")
    live.manager.patch(
        f"{live.url}/api/tables/{table['tableId']}/status",
        json={"status": "reserved", "notes": "Okafor family, 8 pm, window please", "critical": True},
    ).raise_for_status()
    page = open_page("viewer", viewport=SIZES[size], color_scheme=theme)
    one = tile(page, table["tableId"])
    held = one.locator(".tile__held")
    expect(held).to_be_visible()
    outer, inner = one.bounding_box(), held.bounding_box()
    assert inner["x"] >= outer["x"] - 1 and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
    look_at(page, f"held-for-{size}-{theme}")
