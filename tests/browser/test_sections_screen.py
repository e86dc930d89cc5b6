"""A manager draws a section on the plan of the sections screen, gives it a server and saves; another page
shows its colour band and legend live. Screenshots of both at each size, light and dark, in docs/screens/."""

import pytest

from tests.browser.conftest import look_at, wait_for_state
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
    # Free, as a manager sets up after closing: a seated table's covers and timer take the room its
    # section initials need, and earlier tests may have left a party there.
    for table_id in (t05, t06):
        if live.table_by_id(table_id)["status"] != "available":
            live.set_status(table_id, "available")
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


def pick(page, name: str):
    return page.locator(".section-pick", has_text=name)


def wait_in_section(page, table_id: int, section_id: int | None) -> None:
    """The sections screen's tile of TABLE_ID shows SECTION_ID (None: no section)."""
    page.wait_for_function(
        "([id, section]) => document.querySelector(`#sections-plan [data-table-id='${id}']`)"
        "?.getAttribute('data-section-id') === section",
        arg=[table_id, None if section_id is None else str(section_id)],
        timeout=5_000,
    )


def test_an_open_sections_screen_follows_another_managers_changes(open_page, live, opening_sections):
    """Two managers on the sections screen: one draws Live patio (T-05) and saves; the other's open screen shows it
    without a reload, beside its own unsaved Bar rail (T-07); then a table put in the section, a rename and a
    recolour through the API, and a preset loaded, each reach both screens."""
    from tests.support.database import add_staff
    from tests.support.live_server import PASSWORD

    add_staff(live.database_url, ["manager26"], "manager", PASSWORD)
    other = live.server.api("manager26")  # the second manager's changes through the API
    t05, t06, t07 = (live.table(number)["tableId"] for number in ("T-05", "T-06", "T-07"))
    mine = open_page("manager", path="/sections?floor=1", viewport=SIZES["host-stand"])
    theirs = open_page("manager26", path="/sections?floor=1", viewport=SIZES["host-stand"])
    theirs.fill("#new-section-name", "Bar rail")
    theirs.click("text=Add section")
    sections_tile(theirs, t07).click()

    mine.fill("#new-section-name", "Live patio")
    mine.click("text=Add section")
    sections_tile(mine, t05).click()
    mine.click("[data-save]")
    mine.locator("[data-message]").filter(has_text="Sections saved").wait_for()
    patio = next(s for s in live.manager.get(f"{live.url}/api/floors/1/sections").json() if s["name"] == "Live patio")

    pick(theirs, "Live patio").wait_for(timeout=5_000)
    wait_in_section(theirs, t05, patio["sectionId"])
    assert "1 table · nobody yet" in pick(theirs, "Live patio").inner_text()
    assert "1 table" in pick(theirs, "Bar rail").inner_text()  # its own unsaved section is kept
    assert sections_tile(theirs, t07).get_attribute("aria-pressed") == "true"
    assert theirs.locator("[data-save]").is_enabled()
    notice = theirs.locator('[data-banner="sections-changed"]')
    assert notice.inner_text() == "manager changed the sections: shown here with your unsaved changes."

    moved = other.patch(f"{live.url}/api/tables/{t06}", json={"sectionId": patio["sectionId"]})
    assert moved.status_code == 200, moved.text
    for page in (mine, theirs):
        wait_in_section(page, t06, patio["sectionId"])
        pick(page, "Live patio").filter(has_text="2 tables").wait_for(timeout=5_000)
    renamed = other.patch(
        f"{live.url}/api/sections/{patio['sectionId']}", json={"name": "Courtyard", "colour": "#d55e00"}
    )
    assert renamed.status_code == 200, renamed.text
    for page in (mine, theirs):
        pick(page, "Courtyard").wait_for(timeout=5_000)
        assert pick(page, "Live patio").count() == 0
        badge = sections_tile(page, t05).locator(".tile__section")
        assert badge.inner_text() == "CO"
        outline = sections_tile(page, t05).locator(".tile__shape").evaluate("el => getComputedStyle(el).outlineColor")
        assert outline == VERMILION
    # The manager's own screen had nothing unsaved: it shows the change, and there is nothing to Save.
    assert mine.locator("[data-save]").is_disabled()
    notice = mine.locator('[data-banner="sections-changed"]')
    assert notice.inner_text() == "manager26 changed the sections: shown here."

    # Both change Courtyard's colour: the second manager's unsaved Purple is kept, and they are told.
    pick(theirs, "Courtyard").click()
    theirs.click(".palette__choice:has-text('Purple')")
    green = live.manager.patch(f"{live.url}/api/sections/{patio['sectionId']}", json={"colour": "#009e73"})
    assert green.status_code == 200, green.text
    mine.wait_for_function(
        f"() => getComputedStyle(document.querySelector(`#sections-plan [data-table-id='{t05}'] .tile__shape`))"
        ".outlineColor === 'rgb(0, 158, 115)'"
    )
    clash = theirs.locator('[data-banner="sections-changed"]')
    clash.filter(has_text="manager also changed Courtyard").wait_for(timeout=5_000)
    assert theirs.locator("[data-edit-colour][value='#cc79a7']").is_checked()
    shoot_live(theirs)

    preset = next(
        p for p in live.manager.get(f"{live.url}/api/floors/1/presets").json() if p["name"] == "Opening (test)"
    )
    mine.select_option("[data-preset-pick]", str(preset["presetId"]))
    mine.click("[data-preset-load]")
    mine.locator("[data-message]").filter(has_text="Opening (test) loaded").wait_for()
    pick(mine, "Courtyard").wait_for(state="detached", timeout=5_000)
    for page in (mine, theirs):
        wait_in_section(page, t05, live.table("T-05")["sectionId"])
    # The preset removed Courtyard, which the second manager had changed: kept on their screen, made again on Save.
    assert "1 table" in pick(theirs, "Bar rail").inner_text()
    assert "0 tables" in pick(theirs, "Courtyard").inner_text()
    clash.filter(has_text="manager also changed Courtyard").wait_for(timeout=5_000)


def test_a_preset_saved_on_one_sections_screen_is_listed_on_another_without_a_reload(open_page, live, opening_sections):
    """Two managers' sections screens of floor 1, the second with Opening (test) picked: the first saves the
    sections as Friday late (live); the second lists it at once, Opening (test) still picked. Deleted through the
    API, it leaves both lists."""
    saving = open_page("manager", path="/sections?floor=1", viewport=SIZES["host-stand"])
    other = open_page("manager", path="/sections?floor=1", viewport=SIZES["host-stand"])
    picker = other.locator("[data-preset-pick]")
    picker.select_option(label="Opening (test)")
    opening = picker.input_value()
    other.evaluate("() => { window.sameDocument = true; }")  # gone if the page were reloaded

    saving.fill("#preset-name", "Friday late (live)")
    saving.click("text=Save as preset")
    saving.locator("[data-message]").filter(has_text="Preset Friday late (live) saved.").wait_for()
    friday = other.locator("[data-preset-pick] option", has_text="Friday late (live)")
    friday.wait_for(state="attached", timeout=5_000)
    names = picker.locator("option").all_inner_texts()
    assert names.index("Friday late (live)") < names.index("Opening (test)")  # by name, as the server lists them
    assert picker.input_value() == opening and other.locator("[data-preset-load]").is_enabled()
    assert other.evaluate("() => window.sameDocument === true")

    deleted = live.manager.delete(f"{live.url}/api/presets/{friday.get_attribute('value')}")
    assert deleted.status_code == 204, deleted.text
    for page in (saving, other):
        page.locator("[data-preset-pick] option", has_text="Friday late (live)").wait_for(state="detached")
    assert picker.input_value() == opening


def shoot_live(page) -> None:
    """The screen that took in another manager's change beside its own unsaved one, at three sizes in light and
    dark (in the SHOTS folder): no sideways scrolling, the message, the picks and Save on screen."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for size in ("phone", "tablet", "host-stand"):
            page.set_viewport_size(SIZES[size])
            for shown in (pick(page, "Bar rail"), page.locator("[data-save]")):
                assert_fits(page, shown)
            page.evaluate("() => window.scrollTo(0, 0)")
            look_at(page, f"sections-live-{size}-{scheme}")
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            look_at(page, f"sections-live-{size}-{scheme}-end")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(SIZES["host-stand"])
