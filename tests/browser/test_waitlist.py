"""The waitlist at the host stand, in real Chromium against the live server: a walk-in added in three
taps on a phone reaches another screen, Notify, seating in two taps, neighbouring tables together,
an overdue wait in words, and changes made offline reaching the server once after reconnect."""

import json
import sqlite3
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MAIN_ROOM, OFFLINE_AFTER_SECONDS, look_at, tile, wait_for_state, within_the_limit
from tests.browser.test_host_stand import SIZES, keep_picture

pytestmark = pytest.mark.browser

PARTY = '[data-waitlist] [data-party-id="{}"]'
OCCUPIED = '#floor-plan [data-table-id="{}"][data-status="occupied"]'
# Texts of the waitlist wider than their box (cut off), shown ones only.
CUT_TEXTS = """() => [...document.querySelectorAll(
    '[data-waitlist] [data-party-id] span:not(.visually-hidden), [data-waitlist] .button')]
  .filter((el) => el.offsetParent && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline')
  .map((el) => el.textContent)"""
# Every party id the waitlist shows, and when each first showed (the page's clock, ms), kept by an observer.
WATCH_LINE = """() => {
  window.partiesSeen = {};
  const note = () => { for (const item of document.querySelectorAll('[data-waitlist] [data-party-id]'))
    if (!(item.dataset.partyId in window.partiesSeen)) window.partiesSeen[item.dataset.partyId] = Date.now(); };
  note();
  new MutationObserver(note).observe(document.querySelector('[data-waitlist-parties]'), { childList: true });
}"""
# A walk-in in one tap each, timed on the page's clock from the last tap.
TAP = "(selector) => { const at = Date.now(); document.querySelector(selector).click(); return at; }"
# Coming back can wait out a reconnect backoff of up to ~16 s.
RECONNECT_TIMEOUT_MS = 25_000


def in_line(live) -> list[dict]:
    return live.manager.get(f"{live.url}/api/parties").json()


def add_party(live, **fields) -> dict:
    response = within_the_limit(lambda: live.host.post(f"{live.url}/api/parties", json=fields))
    assert response.status_code == 201, response.text
    return response.json()


def only_free(live, *numbers: str) -> list[dict]:
    """Make these tables of the main room available and every other one occupied; return these.

    The free ones first: clearing a table clears every table of its party, so one cleared last
    could free a table already made occupied for the test."""
    for free in (True, False):
        for number, *_ in MAIN_ROOM:
            table = live.table(number)
            wanted = "available" if number in numbers else "occupied"
            if (number in numbers) == free and table["status"] != wanted:
                live.set_status(table["tableId"], wanted)
    return [live.table(number) for number in numbers]


def sent(page, path: str):
    """Wait, around a tap, for the server's answer to the change it sends: the page shows a seating at
    once and may hear the tables' events before the answer, so what it shows is not yet what the server has."""
    return page.expect_response(lambda response: path in response.url and response.request.method in ("POST", "PATCH"))


def clear_the_line(live) -> None:
    """Cancel every party in line, as a manager would one by one (party changes are limited per person)."""
    for party in in_line(live):
        url = f"{live.url}/api/parties/{party['partyId']}"
        response = within_the_limit(lambda url=url: live.manager.patch(url, json={"state": "cancelled"}))
        assert response.status_code in (200, 409), response.text  # 409: it left the line meanwhile
    assert in_line(live) == []


def test_a_walk_in_added_in_three_taps_on_a_phone_shows_on_another_screen_within_500_ms(open_page, live):
    phone = open_page("host", viewport=SIZES["phone"])
    stand = open_page("manager", viewport=SIZES["host-stand"])
    stand.evaluate(WATCH_LINE)
    before = {str(party["partyId"]) for party in in_line(live)}

    phone.click('[data-door-tab="waitlist"]')  # tap 1
    phone.click('[data-walk-in] [data-party-size="3"]')  # tap 2
    assert phone.locator("[data-walk-in-add]").inner_text() == "Add a party of 3"
    tapped = phone.evaluate(TAP, "[data-walk-in-add]")  # tap 3

    new = "(before) => Object.keys(window.partiesSeen).filter((id) => !before.includes(id))"
    stand.wait_for_function(f"(before) => ({new})(before).length > 0", arg=sorted(before), timeout=5_000)
    (party_id,) = stand.evaluate(new, sorted(before))
    added = [party for party in in_line(live) if str(party["partyId"]) not in before]
    assert [(str(party["partyId"]), party["size"], party["state"]) for party in added] == [(party_id, 3, "waiting")]
    shown_after = stand.evaluate(f"() => window.partiesSeen['{party_id}']") - tapped
    print(f"walk-in added on a phone shown on the host stand after {shown_after} ms")
    assert shown_after < 500
    card = stand.locator(PARTY.format(party_id))
    assert card.get_attribute("data-state") == "waiting"
    assert "Party of 3" in card.inner_text()
    assert phone.locator(PARTY.format(party_id)).count() == 1


def test_notify_and_back_to_waiting_reach_every_screen(open_page, live):
    party = add_party(live, size=2, name="Notify Me", tags=["vip", "birthday"], quotedMinutes=25)
    host = open_page("host")
    other = open_page("viewer", viewport=SIZES["host-stand"])
    card = host.locator(PARTY.format(party["partyId"]))
    assert "VIP · Birthday" in card.inner_text()
    assert card.locator("[data-party-wait]").inner_text() == "0 of 25 min"

    card.locator('[data-party-action="notify"]').click()
    other.wait_for_selector(PARTY.format(party["partyId"]) + '[data-state="notified"]', timeout=5_000)
    wait = other.locator(PARTY.format(party["partyId"]) + " [data-party-wait]")
    assert wait.inner_text().startswith("Notified just now")
    assert live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()["state"] == "notified"

    card.locator('[data-party-action="waiting"]').click()
    other.wait_for_selector(PARTY.format(party["partyId"]) + '[data-state="waiting"]', timeout=5_000)

    card.locator("[data-party-pick]").click()
    card.locator('[data-party-action="remove"]').click()
    assert "Take Notify Me (2) out of the line?" in card.locator("[data-party-confirm]").inner_text()
    card.locator('[data-party-end="no_show"]').click()
    other.wait_for_selector(PARTY.format(party["partyId"]), state="detached", timeout=5_000)
    assert live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()["state"] == "no_show"


def test_seat_in_two_taps_turns_the_table_occupied_on_both_pages(open_page, live):
    clear_the_line(live)
    only_free(live, "T-01", "T-05", "T-06", "T-07", "T-08", "T-12")
    party = add_party(live, size=4, name="Two Taps")
    host = open_page("host")
    other = open_page("manager", viewport=SIZES["host-stand"])
    card = host.locator(PARTY.format(party["partyId"]))
    assert card.locator("[data-party-suggest]").inner_text() == "Suggested: T-05"

    card.locator("[data-party-pick]").click()  # tap 1
    fits = host.locator('#floor-plan [data-fits="fits"]')
    assert fits.count() == 5  # T-05, T-06, T-07, T-08, T-12; not the 2-top T-01
    assert "tap a table marked “Fits”" in host.locator("[data-seating-text]").inner_text()
    smallest = live.table("T-05")
    assert tile(host, smallest["tableId"]).get_attribute("data-fits") == "fits"
    with sent(host, "/seat"):
        tile(host, smallest["tableId"]).click()  # tap 2

    for page in (host, other):
        page.wait_for_selector(OCCUPIED.format(smallest["tableId"]), timeout=5_000)
        page.wait_for_selector(PARTY.format(party["partyId"]), state="detached", timeout=5_000)
    assert host.locator("#table-dialog").is_visible() is False
    seated = live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()
    assert (seated["state"], seated["tableIds"]) == ("seated", [smallest["tableId"]])
    assert live.table("T-05")["covers"] == 4
    assert host.locator("[data-seating-bar]").is_hidden()


def test_a_table_taken_meanwhile_is_a_conflict_notice_naming_the_table_and_who(open_page, live):
    clear_the_line(live)
    (table,) = only_free(live, "T-05")
    party = add_party(live, size=4, name="Too Late")
    host = open_page("host")
    host.locator(PARTY.format(party["partyId"]) + " [data-party-pick]").click()
    assert tile(host, table["tableId"]).get_attribute("data-fits") == "fits"
    live.change_unannounced(table["tableId"], "occupied", by="manager")  # this page does not hear of it

    tile(host, table["tableId"]).click()
    notice = host.locator(f'#banners [data-banner="door-seat-{party["partyId"]}"]')
    notice.wait_for(timeout=5_000)
    assert notice.locator(".banner__text").inner_text() == (
        "Too Late (4) was not seated: Table T-05 is occupied now, not available. Changed by manager."
    )
    assert "banner--warning" in notice.get_attribute("class")
    host.wait_for_selector(OCCUPIED.format(table["tableId"]) + ":not([data-pending])")
    assert host.locator(PARTY.format(party["partyId"])).get_attribute("data-state") == "waiting"
    assert live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()["state"] == "waiting"


def test_a_party_bigger_than_any_free_table_is_seated_at_neighbours_together(open_page, live):
    clear_the_line(live)
    tables = only_free(live, "T-01", "T-08", "T-09")[1:]
    party = add_party(live, size=11, name="Big Table")
    host = open_page("host", viewport=SIZES["host-stand"])
    card = host.locator(PARTY.format(party["partyId"]))
    assert card.locator("[data-party-suggest]").inner_text() == "Together: T-08 + T-09"

    card.locator("[data-party-pick]").click()
    bar = host.locator("[data-seating-text]").inner_text()
    assert "no free table is big enough; seat at T-08 + T-09 together" in bar
    assert tile(host, tables[0]["tableId"]).get_attribute("data-fits") == "together"
    with sent(host, "/seat"):
        host.get_by_role("button", name="Seat at T-08 + T-09").first.click()
    for table in tables:
        host.wait_for_selector(OCCUPIED.format(table["tableId"]) + ":not([data-pending])", timeout=5_000)
    seated = live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()
    assert seated["tableIds"] == [table["tableId"] for table in tables]
    assert [live.table(number)["covers"] for number in ("T-08", "T-09")] == [6, 5]


def test_a_tables_dialog_seats_a_walk_in_party_of_n_or_a_party_from_the_line(open_page, live):
    clear_the_line(live)
    walk_in, from_line = only_free(live, "T-05", "T-06")
    waiting = add_party(live, size=4, name="From The Line")
    add_party(live, size=7, name="Too Big")
    host = open_page("host")

    tile(host, walk_in["tableId"]).click()
    assert host.locator("#covers-picker-label").inner_text() == "Seat a walk-in party of"
    with sent(host, "/status"):
        host.get_by_role("button", name="Seat a party of 3").click()
    host.wait_for_selector(OCCUPIED.format(walk_in["tableId"]) + ":not([data-pending])")
    seated = live.table("T-05")
    assert seated["covers"] == 3
    party = live.host.get(f"{live.url}/api/parties/{seated['partyId']}").json()
    assert (party["size"], party["state"], party["tableIds"]) == (3, "seated", [walk_in["tableId"]])

    tile(host, from_line["tableId"]).click()
    offered = host.locator("[data-dialog-line] [data-seat-party]")
    assert offered.all_inner_texts() == ["From The Line (4)"]  # the party of 7 does not fit a 4-top
    with sent(host, "/seat"):
        offered.click()
    host.wait_for_selector(OCCUPIED.format(from_line["tableId"]) + ":not([data-pending])")
    host.wait_for_selector(PARTY.format(waiting["partyId"]), state="detached")
    assert live.table("T-06")["partyId"] == waiting["partyId"]


def shift_joined(live, party_id: int, minutes: float) -> None:
    """Move a party's joining time back, as if it had waited that long (the server keeps UTC)."""
    path = live.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as database:
        (joined,) = database.execute("select joined_at from parties where id = ?", (party_id,)).fetchone()
        earlier = datetime.fromisoformat(joined) - timedelta(minutes=minutes)
        database.execute("update parties set joined_at = ? where id = ?", (str(earlier), party_id))


def test_a_wait_past_its_quote_is_overdue_in_words(open_page, live):
    party = add_party(live, size=5, name="Late Quote", quotedMinutes=0)
    shift_joined(live, party["partyId"], 3.5)
    host = open_page("host")
    card = host.locator(PARTY.format(party["partyId"]))
    assert card.get_attribute("data-state") == "overdue"
    assert card.locator("[data-party-wait]").inner_text() == "Overdue by 3 min"


def test_an_offline_added_party_and_an_offline_seat_reach_the_server_once(open_page, live):
    clear_the_line(live)
    (table,) = only_free(live, "T-06")
    waiting = add_party(live, size=3, name="Seated Offline")
    host = open_page("host")
    host.locator(PARTY.format(waiting["partyId"])).wait_for()

    live.server.stop()
    wait_for_state(host, "disconnected", timeout=(OFFLINE_AFTER_SECONDS + 3) * 1000)
    host.click('[data-walk-in] [data-party-size="2"]')
    host.click("[data-walk-in] summary")
    host.fill('[data-walk-in] input[name="name"]', "Added Offline")
    host.click("[data-walk-in-add]")
    pending = host.locator("[data-waitlist] [data-party-id^='local:']")
    assert "Added Offline" in pending.inner_text()
    assert "waiting to sync" in pending.inner_text()
    host.locator(PARTY.format(waiting["partyId"]) + " [data-party-pick]").click()
    tile(host, table["tableId"]).click()
    assert tile(host, table["tableId"]).get_attribute("data-pending") == "true"
    assert tile(host, table["tableId"]).get_attribute("data-status") == "occupied"
    queued = json.loads(host.evaluate("() => localStorage.getItem('tableside:door-queue:host')"))
    assert [entry["kind"] for entry in queued] == ["add", "seat"]

    live.restart()
    wait_for_state(host, "live", timeout=RECONNECT_TIMEOUT_MS)
    host.wait_for_function("() => localStorage.getItem('tableside:door-queue:host') === '[]'", timeout=10_000)
    host.wait_for_selector(OCCUPIED.format(table["tableId"]) + ":not([data-pending])")
    line = in_line(live)
    seated = live.manager.get(f"{live.url}/api/parties?state=seated").json()
    assert [party["size"] for party in line + seated if party["name"] == "Added Offline"] == [2]
    assert [party["tableIds"] for party in seated if party["partyId"] == waiting["partyId"]] == [[table["tableId"]]]
    assert live.table("T-06")["partyId"] == waiting["partyId"]
    added = next(party for party in line if party["name"] == "Added Offline")
    host.wait_for_selector(PARTY.format(added["partyId"]))
    assert host.locator("[data-waitlist] [data-party-id^='local:']").count() == 0
    assert host.locator('#banners [data-banner^="door-"]').count() == 0


# What of the parties in sight (within the strip's box) the closed servers drawer lies over.
UNDER_THE_DRAWER = """() => {
  const drawer = document.querySelector("[data-servers-panel]").getBoundingClientRect();
  const strip = document.querySelector("[data-waitlist-parties]").getBoundingClientRect();
  const meet = (a, b) => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  return [...document.querySelectorAll("[data-waitlist] .party__who, [data-waitlist] [data-party-action]")]
    .filter((e) => e.checkVisibility() && meet(e.getBoundingClientRect(), strip))
    .filter((e) => meet(e.getBoundingClientRect(), drawer)).map((e) => e.textContent);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "tablet", "host-stand"])
def test_the_waitlist_fits_every_screen(open_page, live, size, theme):
    """Nothing of the panel is cut or overlaps at each size; pictures for docs/screens/ when asked."""
    clear_the_line(live)
    only_free(live, "T-01", "T-03", "T-05", "T-06", "T-08", "T-10", "T-12")
    add_party(live, size=2, name="Okafor", tags=["vip"], quotedMinutes=15)
    tags = ["high_chair", "allergy", "birthday"]
    late = add_party(live, size=6, name="Lindqvist-Barrington family", tags=tags, quotedMinutes=10)
    shift_joined(live, late["partyId"], 14)
    told = add_party(live, size=4, name="Nguyen", quotedMinutes=20)
    live.host.patch(f"{live.url}/api/parties/{told['partyId']}", json={"state": "notified"})
    add_party(live, size=3, phone="+44 20 7946 0000", notes="By the window", quotedMinutes=20)
    page = open_page("host", viewport=SIZES[size], color_scheme=theme)
    if size == "phone":
        page.click('[data-door-tab="waitlist"]')
    else:
        page.locator(PARTY.format(told["partyId"]) + " [data-party-pick]").click()
    panel = page.locator("[data-waitlist]").bounding_box()
    width = page.evaluate("() => window.innerWidth")
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= width + 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # Every text of every party inside its card.
    cut = page.evaluate(CUT_TEXTS)
    assert cut == []
    if size == "host-stand":
        plan = page.locator("[data-plan-frame]").bounding_box()
        assert plan["x"] + plan["width"] <= panel["x"], "the plan and the waitlist side by side"
    if size == "tablet":
        # Upright, the line is below the plan, which keeps the whole width and the room's own shape (not turned a
        # quarter into a narrow column); the first party's size, name and wait are on the screen as it opens.
        plan = page.locator("[data-plan-frame]").bounding_box()
        assert plan["y"] + plan["height"] <= panel["y"], "the waitlist below the plan"
        assert plan["width"] >= 0.9 * width and page.locator("[data-plan-frame][data-turned]").count() == 0
        page.locator("[data-waitlist] .party [data-party-pick]").first.scroll_into_view_if_needed()
        assert page.evaluate("() => window.scrollY") == 0, "the page itself did not have to scroll"
        first = page.locator("[data-waitlist] .party [data-party-pick]").first.bounding_box()
        assert first["y"] >= 0 and first["y"] + first["height"] <= page.evaluate("() => window.innerHeight")
        # The servers drawer's button in the band's corner lies over no party's name or Notify in sight.
        assert page.evaluate(UNDER_THE_DRAWER) == []
    keep_picture(page, f"waitlist-{size}-{theme}")
    if size == "phone":
        page.locator(PARTY.format(told["partyId"]) + " [data-party-pick]").click()
        assert page.locator("[data-door-layout]").get_attribute("data-door-view") == "floor"
        page.wait_for_function("() => document.querySelector('[data-seating-bar]').getBoundingClientRect().top > 0")
        assert page.locator("[data-seating-bar]").is_visible()
        keep_picture(page, f"waitlist-{size}-seating-{theme}")


@pytest.mark.parametrize("size", ["tablet", "host-stand"])
def test_the_list_page_has_the_waitlist_and_seats_from_it_in_two_taps(open_page, live, size):
    clear_the_line(live)
    (table,) = only_free(live, "T-10")
    party = add_party(live, size=2, name="By The List", quotedMinutes=5)
    host = open_page("host", path="/tables?view=list", viewport=SIZES[size])
    card = host.locator(PARTY.format(party["partyId"]))
    # The list holds every floor this host may see; other tests may have left free tables elsewhere.
    free = [table for table in live.host.get(f"{live.url}/api/tables").json() if table["status"] == "available"]
    smallest = min(free, key=lambda table: (table["capacity"], table["tableNumber"]))
    assert card.locator("[data-party-suggest]").inner_text() == f"Suggested: {smallest['tableNumber']}"
    card.locator("[data-party-pick]").click()
    row = host.locator(f'#table-list tr[data-table-id="{table["tableId"]}"]')
    assert row.get_attribute("data-fits") == "fits"
    assert row.locator(".row__open").evaluate("el => getComputedStyle(el, '::before').content") == '"Fits · "'
    assert page_width_fits(host)
    keep_picture(host, f"waitlist-list-{size}-light")
    with sent(host, "/seat"):
        row.locator(".row__open").click()
    # Shown at once while it is sent; confirmed when the server answers.
    host.wait_for_selector(
        f'#table-list tr[data-table-id="{table["tableId"]}"][data-status="occupied"]:not([data-pending])'
    )
    assert host.locator("#table-dialog").is_visible() is False
    assert live.table("T-10")["partyId"] == party["partyId"]


def page_width_fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_seating_bar_stays_in_sight_while_a_phone_scrolls_the_plan(open_page, live):
    """On a phone the plan is taller than the screen: scrolled to its bottom table, the bar that says what to tap
    (and its Cancel) is still on screen, under the top bar, not over it."""
    only_free(live, "T-01", "T-08", "T-09")
    party = add_party(live, size=2, name="Scroll")
    host = open_page("host", viewport=SIZES["phone"])
    try:
        host.click('[data-door-tab="waitlist"]')
        host.locator(PARTY.format(party["partyId"]) + " [data-party-pick]").click()  # the plan's tab shows
        bar = host.locator("[data-seating-bar]")
        expect(bar).to_be_visible()
        tile(host, live.table("T-09")["tableId"]).scroll_into_view_if_needed()
        host.mouse.wheel(0, 2000)
        host.wait_for_timeout(300)
        top = host.locator(".topbar").bounding_box()
        box = bar.bounding_box()
        assert box["y"] >= top["y"] + top["height"] - 1, (box, top)
        assert box["y"] + box["height"] <= SIZES["phone"]["height"]
        assert host.evaluate("() => window.scrollY") > 0, "the plan did scroll"
        look_at(host, "seating-bar-scrolled-phone")
        host.locator("[data-seating-cancel]").click()
        expect(bar).to_be_hidden()
    finally:
        clear_the_line(live)


# The box of an element as drawn and the box of the line's strip it scrolls in (its visible part).
CARD_AND_STRIP = """(card) => {
  const strip = card.closest("[data-waitlist-parties]");
  const a = card.getBoundingClientRect(), s = strip.getBoundingClientRect();
  return { card: [a.left, a.right, a.top, a.bottom], strip: [s.left, s.left + strip.clientWidth, s.top,
    s.top + strip.clientHeight], scrolledBy: strip.scrollLeft, page: [window.scrollX, window.scrollY] };
}"""


def test_a_party_picked_at_the_edge_of_the_strip_comes_whole_into_sight_on_an_upright_tablet(open_page, live):
    """Upright, the line is a strip of cards that scrolls sideways, the third card half out of it: tapping that
    party (on the part in sight) brings its card, with the Seat button it gains, whole into the strip; the page
    itself does not move."""
    clear_the_line(live)
    only_free(live, "T-01", "T-03", "T-05", "T-06", "T-08", "T-10", "T-12")
    parties = [add_party(live, size=2, name=f"Edge {n}", quotedMinutes=15) for n in range(4)]
    host = open_page("host", viewport=SIZES["tablet"])
    try:
        third = host.locator(PARTY.format(parties[2]["partyId"]))
        before = third.evaluate(CARD_AND_STRIP)
        assert before["card"][0] < before["strip"][1] < before["card"][1], before  # half in sight, half out
        # A tap where the host sees it: dispatched, since Playwright's own click would scroll the card in first.
        third.locator("[data-party-pick]").dispatch_event("click")
        expect(third.locator("[data-party-pick]")).to_have_attribute("aria-pressed", "true")
        seat = third.locator('[data-party-action="seat"]')
        expect(seat).to_be_visible()
        host.wait_for_function(
            "(card) => { const s = card.closest('[data-waitlist-parties]'); const a = card.getBoundingClientRect();"
            " return a.right <= s.getBoundingClientRect().left + s.clientWidth + 1; }",
            arg=third.element_handle(),
        )
        after = third.evaluate(CARD_AND_STRIP)
        left, right, top, bottom = after["card"]
        assert after["strip"][0] - 1 <= left and right <= after["strip"][1] + 1, after
        assert after["scrolledBy"] > 0 and after["page"] == [0, 0], after
        button = seat.bounding_box()
        assert after["strip"][0] <= button["x"] and button["x"] + button["width"] <= after["strip"][1] + 1, button
        assert button["y"] + button["height"] <= after["strip"][3] + 1, (button, after)
        look_at(host, "waitlist-picked-at-the-edge-tablet")
    finally:
        clear_the_line(live)
