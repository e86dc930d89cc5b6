"""Undo at the door (issue 26): a party seated from the waitlist, moved or joined by a second table is taken
back from the notice's Undo, as a new change every screen hears; refused, the notice names the table and who."""

import pytest

from tests.browser.conftest import look_at, tile
from tests.browser.test_host_stand import BY_PIXELS, SIZES, assert_fits
from tests.browser.test_waitlist import OCCUPIED, PARTY, add_party, clear_the_line, only_free

pytestmark = pytest.mark.browser

AVAILABLE = '#floor-plan [data-table-id="{}"][data-status="available"]'


def seat_from_the_line(page, party: dict, table: dict) -> None:
    """Two taps: the party on the waitlist (a tab away on a phone), then its table on the plan."""
    tab = page.locator('[data-door-tab="waitlist"]')
    if tab.is_visible():
        tab.click()
    page.locator(PARTY.format(party["partyId"]) + " [data-party-pick]").click()
    tile(page, table["tableId"]).click()


def test_a_seating_from_the_waitlist_undone_puts_the_party_back_in_line_on_another_screen(open_page, live):
    """Seated from the line, then Undo: the second page shows the party back in line, waiting, and the table
    free; the server has it in line with its place, and both changes in the table's history."""
    clear_the_line(live)
    (table,) = only_free(live, "T-05")
    first = add_party(live, size=2, name="First In Line")
    party = add_party(live, size=4, name="Undo Me")
    host = open_page("host")
    other = open_page("manager", viewport=SIZES["host-stand"])
    other.locator(PARTY.format(party["partyId"])).wait_for()

    seat_from_the_line(host, party, table)
    other.wait_for_selector(OCCUPIED.format(table["tableId"]), timeout=5_000)
    other.wait_for_selector(PARTY.format(party["partyId"]), state="detached", timeout=5_000)
    notice = host.locator(f'[data-banner="undo-{table["tableId"]}"]')
    assert notice.locator(".banner__text").inner_text() == "Undo Me (4) seated at T-05."

    notice.get_by_role("button", name="Undo").click()
    back = other.locator(PARTY.format(party["partyId"]) + '[data-state="waiting"]')
    back.wait_for(timeout=5_000)
    other.wait_for_selector(AVAILABLE.format(table["tableId"]), timeout=5_000)
    host.wait_for_selector(AVAILABLE.format(table["tableId"]), timeout=5_000)
    host.locator(PARTY.format(party["partyId"])).wait_for(timeout=5_000)
    cards = other.locator("[data-waitlist] [data-party-id]")
    order = cards.evaluate_all("(items) => items.map((item) => item.dataset.partyId)")
    assert order.index(str(first["partyId"])) < order.index(str(party["partyId"]))
    assert notice.count() == 0

    now = live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()
    assert (now["state"], now["joinedAt"], now["quotedAt"], now["tableIds"]) == (
        "waiting",
        party["joinedAt"],
        party["quotedAt"],
        [],
    )
    history = live.manager.get(f"{live.url}/api/tables/{table['tableId']}/history?limit=2").json()["events"]
    assert [(event["oldStatus"], event["newStatus"], event["by"]) for event in history] == [
        ("occupied", "available", "host"),
        ("available", "occupied", "host"),
    ]
    # The undo is not itself offered for undoing.
    host.wait_for_timeout(300)
    assert host.locator(f'[data-banner="undo-{table["tableId"]}"]').count() == 0


def test_a_seating_undone_after_someone_changed_its_table_is_refused_naming_them(open_page, live):
    """The manager set a note on the seated table meanwhile: Undo is refused, the party stays seated."""
    clear_the_line(live)
    (table,) = only_free(live, "T-06")
    party = add_party(live, size=2, name="Too Late Undo")
    host = open_page("host")
    seat_from_the_line(host, party, table)
    notice = host.locator(f'[data-banner="undo-{table["tableId"]}"]')
    notice.wait_for(timeout=5_000)
    changed = live.manager.patch(
        f"{live.url}/api/tables/{table['tableId']}/status", json={"status": "occupied", "notes": "Birthday cake"}
    )
    assert changed.status_code == 200, changed.text

    notice.get_by_role("button", name="Undo").click()
    refused = host.locator(f'[data-banner="door-unseat-{party["partyId"]}"]')
    refused.wait_for(timeout=5_000)
    assert refused.locator(".banner__text").inner_text() == (
        "Undo for Too Late Undo (2): Table T-06 was changed since: nothing was undone. Changed by manager."
    )
    assert live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()["state"] == "seated"
    assert live.table("T-06")["status"] == "occupied"


def test_a_move_undone_takes_the_party_back_to_its_table(open_page, live):
    """Move party from the table's dialog, then Undo: the party is at its first table again, the other free."""
    clear_the_line(live)
    source, target = only_free(live, "T-07", "T-08")
    party = add_party(live, size=2, name="Moved Back")
    host = open_page("host")
    seat_from_the_line(host, party, source)
    host.locator(f'[data-banner="undo-{source["tableId"]}"]').wait_for(timeout=5_000)
    host.wait_for_selector(OCCUPIED.format(source["tableId"]) + ":not([data-pending])")

    tile(host, source["tableId"]).click()
    host.click('#table-dialog [data-party-tables-choice="move"]')
    host.locator("[data-party-tables-offer] button", has_text="T-08").click()
    notice = host.locator(f'[data-banner="undo-{target["tableId"]}"]')
    notice.wait_for(timeout=5_000)
    assert notice.locator(".banner__text").inner_text() == "The party at T-07 moved to T-08."
    host.wait_for_selector(OCCUPIED.format(target["tableId"]), timeout=5_000)

    notice.get_by_role("button", name="Undo").click()
    host.wait_for_selector(OCCUPIED.format(source["tableId"]), timeout=5_000)
    host.wait_for_selector(AVAILABLE.format(target["tableId"]), timeout=5_000)
    assert live.table("T-07")["partyId"] == party["partyId"]
    assert live.table("T-08")["status"] == "available"


@pytest.mark.parametrize("size", ["390x844", "1920x1080"])
def test_the_door_undo_notice_is_on_screen_with_a_button_to_tap(open_page, live, size):
    """At a phone's and a host stand's size the seating's Undo notice and its button are inside the screen."""
    clear_the_line(live)
    (table,) = only_free(live, "T-12")
    party = add_party(live, size=2, name="On Screen")
    host = open_page("host", viewport=BY_PIXELS[size])
    seat_from_the_line(host, party, table)
    notice = host.locator(f'[data-banner="undo-{table["tableId"]}"]')
    notice.wait_for(timeout=5_000)
    assert_fits(host, notice)
    button = notice.get_by_role("button", name="Undo")
    assert button.is_visible() and button.bounding_box()["height"] >= 44
    look_at(host, f"door-undo-{size}")
