"""Presence in Chromium (issue 28): the top bar says who else is on the floor, and a table another
host has in hand says so on the plan ("rosa is on T-05"), live, and clears when they put it down."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import another_host, look_at, tile

pytestmark = pytest.mark.browser

SIZES = {"390x844": {"width": 390, "height": 844}, "768x1024": {"width": 768, "height": 1024},
         "1920x1080": {"width": 1920, "height": 1080}}  # fmt: skip


@pytest.fixture(scope="module")
def rosa(restaurant):
    """A second host on the shared server (added once: usernames are unique)."""
    return another_host(restaurant, "rosa")


def person(page, username: str):
    return page.locator(f'[data-presence-people] [title="{username}"]')


def test_the_other_host_and_the_table_in_their_hand_show_on_the_plan(open_page, live, rosa):
    table = live.table("T-05")
    manager = open_page("manager")
    her_page = open_page("rosa")
    expect(person(manager, "rosa")).to_have_text("RO")
    expect(person(her_page, "manager")).to_have_text("MA")
    expect(person(manager, "manager")).to_have_count(0)  # yourself is not "someone else"

    tile(her_page, table["tableId"]).click()
    claimed = tile(manager, table["tableId"])
    expect(claimed).to_have_attribute("data-claimed-by", "rosa")
    expect(claimed.locator(".claim")).to_have_text("rosa is on T-05")

    manager.locator("[data-presence-toggle]").click()
    expect(manager.locator("[data-presence-list]")).to_contain_text("rosa, on T-05")

    her_page.locator("#table-dialog [data-dialog-close]").click()
    expect(claimed).not_to_have_attribute("data-claimed-by", "rosa")
    expect(claimed.locator(".claim")).to_have_count(0)

    her_page.close()
    expect(person(manager, "rosa")).to_have_count(0, timeout=8_000)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_presence_on_screen(open_page, live, rosa, size, theme):
    """The badges fit the top bar and the claim sits under its table, inside the screen, at every size."""
    table = live.table("T-05")
    manager = open_page("manager", viewport=SIZES[size], color_scheme=theme)
    her_page = open_page("rosa")
    tile(her_page, table["tableId"]).click()
    claim = tile(manager, table["tableId"]).locator(".claim")
    expect(claim).to_have_text("rosa is on T-05")
    expect(person(manager, "rosa")).to_be_visible()
    width = SIZES[size]["width"]
    assert manager.evaluate("() => document.documentElement.scrollWidth") <= width
    box = person(manager, "rosa").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    look_at(manager, f"presence-{size}-{theme}")
    her_page.locator("#table-dialog [data-dialog-close]").click()


def test_the_table_a_host_is_seating_a_party_at_shows_on_other_screens(open_page, live, rosa):
    """A host picks a party from the line: the table it fits (the one the bar offers) shows "rosa is on T-..." on
    another screen; Cancel puts it down."""
    from tests.browser.test_waitlist import PARTY, add_party, clear_the_line, only_free

    clear_the_line(live)
    free = only_free(live, "T-05")[0]
    party = add_party(live, name="Okafor", size=3)
    manager = open_page("manager")
    her_page = open_page("rosa")
    try:
        her_page.locator(PARTY.format(party["partyId"]) + " [data-party-pick]").click()
        claimed = tile(manager, free["tableId"])
        expect(claimed).to_have_attribute("data-claimed-by", "rosa")
        expect(claimed.locator(".claim")).to_have_text("rosa is on T-05")
        her_page.locator("[data-seating-cancel]").click()
        expect(claimed).not_to_have_attribute("data-claimed-by", "rosa")
    finally:
        clear_the_line(live)
