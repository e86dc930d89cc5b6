"""The layout editor is one manager's at a time (issue 28), in Chromium: a second manager's editor says
who has the floor and keeps Save off; after "Take over" and confirming, the first editor says it was taken
over and cannot save."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import look_at

pytestmark = pytest.mark.browser
FLOOR = 3


@pytest.fixture(scope="module")
def second_manager(restaurant):
    from tests.support.database import add_staff
    from tests.support.live_server import PASSWORD

    add_staff(restaurant.database_url, ["sam"], "manager", PASSWORD)
    return "sam"


@pytest.fixture
def editors(editor, second_manager):
    """Factory: a layout editor of FLOOR signed in as USERNAME (the layout editor tests' own factory)."""
    return lambda username, **options: editor(FLOOR, username=username, **options)


def test_the_second_manager_is_told_and_may_take_over(editors, live):
    live.create(tableNumber="H-30", floor=FLOOR, capacity=2, x=40, y=40, width=80, height=80)
    first = editors("manager")
    expect(first.locator("[data-layout-hold]")).to_be_hidden()
    second = editors("sam")
    banner = second.locator("[data-layout-hold]")
    expect(banner).to_contain_text(f"The layout of floor {FLOOR} is being edited by manager.")
    second.locator("#layout-plan [data-table-id]").first.focus()
    second.keyboard.press("ArrowRight")
    expect(second.locator("[data-unsaved]")).to_be_visible()
    expect(second.locator("[data-save]")).to_be_disabled()
    look_at(second, "layout-hold-told")

    second.once("dialog", lambda dialog: dialog.accept())
    second.locator("[data-take-over]").click()
    expect(banner).to_be_hidden()
    expect(second.locator("[data-save]")).to_be_enabled()

    told = first.locator("[data-layout-hold]")
    expect(told).to_contain_text("sam took over the layout editor", timeout=8_000)
    expect(first.locator("[data-save]")).to_be_disabled()
    second.locator("[data-save]").click()
    expect(second.locator("[data-editor-message]")).to_contain_text("Layout saved")


def test_the_same_manager_opening_the_editor_again_takes_it_quietly(editors):
    first = editors("manager")
    expect(first.locator("[data-layout-hold]")).to_be_hidden()
    again = editors("manager")
    expect(again.locator("[data-layout-hold]")).to_be_hidden()
    told = "edited by you, in another tab or device"
    expect(first.locator("[data-layout-hold]")).to_contain_text(told, timeout=8_000)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 1920, "height": 1080}])
def test_the_notice_on_screen(editors, size, theme):
    editors("manager")
    second = editors("sam", viewport=size, color_scheme=theme)
    banner = second.locator("[data-layout-hold]")
    expect(banner).to_be_visible()
    button = second.locator("[data-take-over]")
    assert button.bounding_box()["height"] >= 44
    assert second.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
    look_at(second, f"layout-hold-{size['width']}x{size['height']}-{theme}")
