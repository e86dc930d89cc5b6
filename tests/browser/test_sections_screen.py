"""A manager draws a section on the plan of the sections screen, gives it a server and saves; another page
shows its colour band and legend live. Screenshots of both at each size, light and dark, in docs/screens/."""

import pytest

from tests.browser.conftest import wait_for_state
from tests.browser.test_host_stand import BY_PIXELS, SIZES, assert_fits, keep_picture

pytestmark = pytest.mark.browser
VERMILION = "rgb(213, 94, 0)"


@pytest.fixture
def opening_sections(live):
    """The main room's sections as they were, put back after the test through a preset."""
    saved = live.manager.post(f"{live.url}/api/floors/1/presets", json={"name": "Opening (test)"})
    assert saved.status_code in (200, 201), saved.text
    preset = saved.json()["presetId"]
    yield
    assert live.manager.post(f"{live.url}/api/presets/{preset}/load").status_code == 200
    assert live.manager.delete(f"{live.url}/api/presets/{preset}").status_code == 204


def sections_tile(page, table_id: int):
    return page.locator(f'#sections-plan [data-table-id="{table_id}"]')


def test_a_manager_draws_a_section_and_another_page_shows_it_live(open_page, live, opening_sections):
    """Patio: tap T-05 and T-06, Vermilion, looked after by host, Save; the host's plan outlines both in
    vermilion with the name beside them, and its legend says Patio · host, without a reload."""
    t05, t06 = live.table("T-05")["tableId"], live.table("T-06")["tableId"]
    plan = open_page("host")
    screen = open_page("manager", path="/sections?floor=1", wait_live=False, viewport=SIZES["host-stand"])
    screen.fill("#new-section-name", "Patio")
    screen.click("text=Add section")
    sections_tile(screen, t05).click()
    sections_tile(screen, t06).click()
    screen.click(".palette__choice:has-text('Vermilion')")
    screen.select_option("#section-staff", label="host (host)")
    assert sections_tile(screen, t05).get_attribute("aria-pressed") == "true"
    assert "2 tables · host" in screen.locator('.section-pick[aria-pressed="true"]').inner_text()
    screen.click("[data-save]")
    screen.locator("[data-message]").filter(has_text="Sections saved").wait_for()
    assert screen.locator("[data-save]").is_disabled()

    badge = f'#floor-plan [data-table-id="{t06}"] .tile__section'
    plan.wait_for_function(f"""() => document.querySelector('{badge}')?.title === 'Patio section'""")
    for table_id in (t05, t06):
        tile = plan.locator(f'#floor-plan [data-table-id="{table_id}"]')
        badge = tile.locator(".tile__section")
        assert badge.is_visible() and badge.inner_text() == "PA" and badge.get_attribute("title") == "Patio section"
        assert tile.locator(".tile__shape").evaluate("el => getComputedStyle(el).outlineColor") == VERMILION
        assert "Patio section, looked after by host" in tile.get_attribute("aria-label")
    patio = plan.locator("[data-section-legend] li", has_text="Patio")
    assert patio.inner_text().split() == ["PA", "Patio", "host"]
    assert patio.locator(".section-legend__swatch").evaluate("el => getComputedStyle(el).backgroundColor") == VERMILION

    shoot(open_page)


def shoot(open_page) -> None:
    """The sections screen and the plan with its legend at each size, light and dark: no sideways scrolling,
    the picked section, Save and the legend inside the screen, buttons 44 px tall; in docs/screens/."""
    for scheme in ("light", "dark"):
        for size, viewport in BY_PIXELS.items():
            screen = open_page(
                "manager", path="/sections?floor=1", wait_live=False, viewport=viewport, color_scheme=scheme
            )
            screen.locator(".section-pick", has_text="Patio").click()
            assert_fits(screen, screen.locator('.section-pick[aria-pressed="true"]'))
            assert_fits(screen, screen.locator("[data-save]"))
            screen.evaluate("() => window.scrollTo(0, 0)")
            keep_picture(screen, f"sections-screen-{size}-{scheme}", full_page=True)
            plan = open_page("host", viewport=viewport, color_scheme=scheme)
            wait_for_state(plan, "live")
            plan.locator("[data-section-legend] li").first.wait_for()
            assert_fits(plan, plan.locator("[data-section-legend]"))
            plan.evaluate("() => window.scrollTo(0, 0)")
            keep_picture(plan, f"sections-plan-{size}-{scheme}")
