"""The host stand in real Chromium at a phone's, a tablet's (both ways) and a big screen's size.

Measured as a host would meet them: the plan filling the screen, words of at least 12 px inside
their tables, thumb-sized cards on a phone, no sideways scrolling, two taps per change, a stale
dialog asking instead of overwriting, notices that never move the plan, the change animation and
its announcement, readable colours in both themes, and coming back at once when asked.
"""

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser.conftest import wait_for_state
from tests.support.live_server import ROOT

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
    "tablet-landscape": {"width": 1024, "height": 768},
    "host-stand": {"width": 1920, "height": 1080},
}
# Set UPDATE_SCREENSHOTS=1 to refresh the README's pictures under docs/screens/.
SCREENS = ROOT / "docs" / "screens"

# Every table as drawn: its box, its status words' box and size, and the page's width.
MEASURE_PLAN = r"""() => {
  const box = (element) => { const r = element.getBoundingClientRect();
    return { x: r.left, y: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height }; };
  const shown = (element) => element && getComputedStyle(element).display !== "none";
  const frame = document.querySelector("[data-plan-frame]");
  const style = getComputedStyle(frame);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    cards: frame.classList.contains("is-cards"),
    frame: box(frame),
    framePadding: parseFloat(style.paddingLeft) + parseFloat(style.paddingRight),
    plan: box(document.getElementById("floor-plan")),
    waitlist: box(document.querySelector("[data-waitlist]")),
    sections: [...document.querySelectorAll("#floor-plan .plan__section")].filter(shown).map((h) => h.textContent),
    tiles: [...document.querySelectorAll("#floor-plan [data-table-id]")].map((tile) => {
      // The whole word, or on a narrow table its short form, drawn after the symbol from data-short.
      const status = tile.querySelector(".tile__status");
      const whole = tile.querySelector(".tile__word");
      const short = getComputedStyle(status, "::after").content;
      const word = shown(whole) ? whole.textContent : short.startsWith('"') ? JSON.parse(short) : null;
      return {
        id: tile.dataset.tableId, status: tile.dataset.status, box: box(tile), text: tile.innerText,
        word: shown(status) ? word : null, wordBox: box(shown(whole) ? whole : status),
        wordSize: parseFloat(getComputedStyle(shown(whole) ? whole : status).fontSize),
        numberSize: parseFloat(getComputedStyle(tile.querySelector(".tile__number")).fontSize),
        timerSize: shown(tile.querySelector(".tile__timer:not([hidden])"))
          ? parseFloat(getComputedStyle(tile.querySelector(".tile__timer")).fontSize) : null,
        // Seats in words ("4 seats"), or a seated small table's covers over its seats ("2/4").
        seatsShown: shown(tile.querySelector(".tile__seats"))
          || (shown(tile.querySelector(".tile__covers:not([hidden])"))
              && /^\d+\/\d+$/.test(tile.querySelector(".tile__covers").textContent.trim())),
      };
    }),
  };
}"""

# WCAG contrast in a page script: rgb("rgb(1, 2, 3)"), lum([r, g, b]) and ratio(a, b) of two colours.
CONTRAST = """
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const channel = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };"""

# WCAG contrast of each status's words on its fill, from the colours the browser computed.
STATUS_CONTRAST = (
    "() => {"
    + CONTRAST
    + """
  const out = {};
  for (const tile of document.querySelectorAll("#floor-plan [data-table-id]")) {
    // The fill as its custom property gives it: maintenance is drawn as stripes of it.
    const probe = document.createElement("span");
    probe.style.color = `var(--${tile.dataset.status}-fill)`;
    tile.append(probe);
    const fill = rgb(getComputedStyle(probe).color);
    probe.remove();
    out[tile.dataset.status] = ratio(rgb(getComputedStyle(tile).color), fill);
  }
  const body = getComputedStyle(document.body);
  out.page = ratio(rgb(body.color), rgb(getComputedStyle(document.documentElement).backgroundColor));
  out.pageLuminance = lum(rgb(getComputedStyle(document.documentElement).backgroundColor));
  return out;
}"""
)

# WCAG contrast of an element's words on its own background colour.
WORDS_CONTRAST = (
    "(element) => {"
    + CONTRAST
    + """
  const style = getComputedStyle(element);
  return ratio(rgb(style.color), rgb(style.backgroundColor));
}"""
)

# Records each table that takes the change animation, with the animations running on it.
WATCH_CHANGES = """() => {
  window.changesSeen = [];
  new MutationObserver((changes) => {
    for (const change of changes) {
      const tile = change.target;
      const seen = window.changesSeen.some((known) => known.id === tile.dataset.tableId);
      if (tile.classList?.contains("is-changed") && !seen) {
        const running = tile.querySelector(".tile__shape").getAnimations();
        const animations = running.map((a) => a.animationName).filter(Boolean);
        window.changesSeen.push({ id: tile.dataset.tableId, animations });
      }
    }
  }).observe(document.getElementById("floor-plan"), { subtree: true, attributes: true, attributeFilter: ["class"] });
}"""


def keep_picture(page, name: str, full_page: bool = False) -> None:
    """Refresh docs/screens/NAME.png when asked to (UPDATE_SCREENSHOTS=1), or write it to the folder
    named by SHOTS to look at first (the pictures in docs/screens left as they are)."""
    folder = Path(os.environ["SHOTS"]) if os.environ.get("SHOTS") else SCREENS
    if os.environ.get("UPDATE_SCREENSHOTS") or os.environ.get("SHOTS"):
        folder.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(700)  # let colour transitions finish for the picture
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def assert_words_readable(plan: dict) -> None:
    """Every table shows its status word at 12 px or more, inside the table."""
    for tile in plan["tiles"]:
        assert tile["word"], f"table {tile['id']} shows no status word"
        assert tile["wordSize"] >= 12, tile
        assert inside(tile["wordBox"], tile["box"]), tile


def assert_no_sideways_scrolling(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide on a {width[1]} px screen"


# The four screens of issue 26, named by their pixels: "390x844", "768x1024", "1024x768", "1920x1080".
BY_PIXELS = {f"{size['width']}x{size['height']}": size for size in SIZES.values()}


# Wait for the element's own and its children's animations to end (a notice sliding in is measured where it stops).
FINISHED_MOVING = """(element) => Promise.all(element.getAnimations({ subtree: true })
  .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => null)))"""


# Whether two boxes as drawn (DOMRect-like: left, right, top, bottom) share any area, for the fit checks' scripts.
BOXES_MEET = (
    "const meet = (a, b) => a.left < b.right - 0.5 && a.right > b.left + 0.5"
    " && a.top < b.bottom - 0.5 && a.bottom > b.top + 0.5;"
)


def assert_fits(page, element) -> None:
    """No sideways scrolling; ELEMENT shown and inside the screen; each button shown in it 44 px tall or more."""
    assert_no_sideways_scrolling(page)
    element.scroll_into_view_if_needed()
    assert element.is_visible()
    element.evaluate(FINISHED_MOVING)
    box, screen = element.bounding_box(), page.viewport_size
    assert box["x"] >= -1 and box["y"] >= -1, box
    assert box["x"] + box["width"] <= screen["width"] + 1 and box["y"] + box["height"] <= screen["height"] + 1, box
    heights = element.evaluate_all(
        "els => els.flatMap(e => [...(e.matches('button') ? [e] : e.querySelectorAll('button'))])"
        ".filter(b => b.checkVisibility()).map(b => [b.innerText, b.getBoundingClientRect().height])"
    )
    assert all(height >= 44 for _, height in heights), heights


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_the_floor_fills_the_screen_with_readable_words_and_the_list_fits(open_page, live, size):
    """The plan fills each screen (cards on a phone), words are 12 px and inside tables, the list fits."""
    # One table in each status, whatever the tests before left: each status's words are measured.
    for number, status in (("T-06", "available"), ("T-07", "occupied"), ("T-04", "reserved"), ("T-11", "maintenance")):
        if live.table(number)["status"] != status:
            live.set_status(live.table(number)["tableId"], status)
    viewport = SIZES[size]
    host = open_page("host", viewport=viewport)
    plan = host.evaluate(MEASURE_PLAN)
    assert plan["scrollWidth"] <= plan["innerWidth"]
    assert_words_readable(plan)
    contrast = host.evaluate(STATUS_CONTRAST)
    assert min(contrast[status] for status in ("available", "occupied", "reserved", "maintenance", "page")) >= 4.5
    keep_picture(host, f"{size}-light")

    if size == "phone":
        assert plan["cards"], "a phone shows the floor as cards"
        assert plan["sections"][:2] == ["Bar", "Booths"]
        for tile in plan["tiles"]:
            assert tile["box"]["width"] >= 44 and tile["box"]["height"] >= 44, tile
            assert tile["box"]["right"] <= plan["innerWidth"]
            number_and_seats = re.match(r"T-\d\d\s+\d seats\s+\W?\s*(\w+)", tile["text"])
            assert number_and_seats and number_and_seats.group(1) == tile["word"], tile["text"]
        host.click('[data-plan-mode="plan"]')
        drawn = host.evaluate(MEASURE_PLAN)
        assert not drawn["cards"] and drawn["plan"]["right"] <= drawn["innerWidth"]
        assert drawn["scrollWidth"] <= drawn["innerWidth"]
        assert_words_readable(drawn)
        keep_picture(host, "phone-plan-light")
        host.click('[data-plan-mode="cards"]')
        assert host.evaluate(MEASURE_PLAN)["cards"]
    else:
        # The frame reaches the bottom of the screen (upright, the waitlist just below it does), and the plan
        # fills it one way or the other.
        below = plan["waitlist"]["y"] >= plan["frame"]["bottom"]
        assert below == (size == "tablet"), "the waitlist below the plan on an upright tablet only"
        if below:
            assert plan["waitlist"]["y"] - plan["frame"]["bottom"] <= 16
        assert (plan["waitlist"] if below else plan["frame"])["bottom"] >= plan["innerHeight"] - 16
        inner_width = plan["frame"]["width"] - plan["framePadding"] - 2
        inner_height = plan["frame"]["height"] - plan["framePadding"] - 2
        assert plan["plan"]["width"] >= 0.97 * inner_width or plan["plan"]["height"] >= 0.97 * inner_height
        left = min(tile["box"]["x"] for tile in plan["tiles"])
        right = max(tile["box"]["right"] for tile in plan["tiles"])
        top = min(tile["box"]["y"] for tile in plan["tiles"])
        bottom = max(tile["box"]["bottom"] for tile in plan["tiles"])
        if size == "host-stand":
            across, down = (right - left) / plan["innerWidth"], (bottom - top) / plan["innerHeight"]
            assert across >= 0.70 or down >= 0.60, (across, down)
            # Timers grow with their tables: not stuck at 12 px beside a 30 px table number.
            timed = [tile for tile in plan["tiles"] if tile["timerSize"]]
            assert timed and all(tile["timerSize"] >= 0.55 * tile["numberSize"] for tile in timed), timed
        # Every table tall enough for its seats (over 100 px) shows them, upright tablet included.
        assert all(tile["seatsShown"] for tile in plan["tiles"] if tile["box"]["height"] > 100), plan["tiles"]

    host.goto(f"{live.url}/tables?view=list")
    wait_for_state(host, "live")
    assert_no_sideways_scrolling(host)
    bulk = host.locator("[data-bulk-bar]")
    assert bulk.is_hidden(), "the bulk bar waits for a selection"
    width = viewport["width"]
    for badge in host.locator("#table-list tr[data-table-id] .badge").all():
        box = badge.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert float(badge.evaluate("b => getComputedStyle(b).fontSize").removesuffix("px")) >= 12
    host.locator("#table-list [data-select-table]").first.check()
    assert bulk.is_visible() and host.locator("[data-bulk-count]").inner_text() == "1 selected"
    assert_no_sideways_scrolling(host)
    keep_picture(host, f"{size}-list-light")
    host.locator("#table-list [data-select-table]").first.uncheck()
    assert bulk.is_hidden()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_two_taps_a_stale_pick_is_asked_and_notices_never_move_the_plan(open_page, live, size):
    """Dark theme: a pick closes the dialog; a pick on a stale dialog is a conflict naming who, nothing overwritten."""
    seated, picked, still = live.table("T-07"), live.table("T-03"), live.table("T-05")
    for table in (seated, picked):
        live.set_status(table["tableId"], "available")
    host = open_page("host", viewport=SIZES[size], color_scheme="dark")
    assert host.evaluate("() => document.documentElement.dataset.theme") == "dark"
    contrast = host.evaluate(STATUS_CONTRAST)
    assert contrast["pageLuminance"] < 0.05, "the page is dark"
    assert min(contrast[status] for status in ("available", "occupied", "reserved", "maintenance", "page")) >= 4.5
    keep_picture(host, f"{size}-dark")
    dialog = host.locator("#table-dialog")

    # Two taps: the table, then the status; the dialog closes once the server has it.
    host.locator(f'#floor-plan [data-table-id="{picked["tableId"]}"]').click()
    host.click('[data-set-status="occupied"]')
    dialog.wait_for(state="hidden")
    assert live.table("T-03")["status"] == "occupied"
    host.wait_for_function("() => document.getElementById('announcer').textContent.includes('T-03 is now Occupied.')")

    # A opens T-07 as Available; the manager seats it meanwhile; A picks Reserved from what A saw.
    host.evaluate(WATCH_CHANGES)
    host.locator(f'#floor-plan [data-table-id="{seated["tableId"]}"]').click()
    watched = host.locator(f'#floor-plan [data-table-id="{still["tableId"]}"]')
    before = watched.bounding_box()
    live.set_status(seated["tableId"], "occupied")
    host.locator("[data-dialog-banner]").wait_for(state="visible")
    assert host.locator("[data-dialog-banner-text]").inner_text() == (
        "Table was updated by manager. Refresh to see latest?"
    )
    host.wait_for_function("() => window.changesSeen.length > 0")
    assert host.evaluate("() => window.changesSeen") == [{"id": str(seated["tableId"]), "animations": ["status-ring"]}]
    host.wait_for_function(
        "() => document.getElementById('announcer').textContent.includes('T-07 is now Occupied (manager).')"
    )
    host.click('[data-set-status="reserved"]')
    said = "T-07 was changed by manager: it is Occupied now, and you chose Reserved."
    message = host.locator("[data-dialog-message]")
    message.wait_for(state="visible")
    assert message.inner_text().startswith(said)
    assert dialog.is_visible()
    # The stale choice is asked on screen, its two answers a finger's height (44 px), a phone included.
    assert_fits(host, message)
    assert message.locator("button").count() == 2
    assert live.table("T-07")["status"] == "occupied"
    if size == "phone":
        keep_picture(host, "phone-conflict-dark")

    # The same question waits as a notice at the bottom edge until answered; the plan did not move.
    host.keyboard.press("Escape")
    notice = host.locator(f'#banners[aria-live="polite"] [data-banner="conflict-{seated["tableId"]}"]')
    assert notice.locator(".banner__text").inner_text() == said
    assert watched.bounding_box() == before
    box = notice.bounding_box()
    assert box["y"] + box["height"] <= SIZES[size]["height"] and box["x"] >= 0
    assert host.evaluate("() => getComputedStyle(document.getElementById('banners')).position") == "fixed"
    notice.get_by_role("button", name="Keep Occupied").click()
    assert notice.count() == 0
    assert live.table("T-07")["status"] == "occupied"
    assert_no_sideways_scrolling(host)


def test_retry_now_coming_online_and_coming_into_view_reconnect_at_once(open_page, live):
    """With the next automatic attempt a minute away, Retry now, `online` and a visible tab each reconnect at once.

    Each tab has its own connection here (no SharedWorker), so that the test can push its library's backoff."""
    pages = [open_page(user, shared_connection=False) for user in ("host", "viewer", "manager")]
    for page in pages:
        # Push the library's next attempt 45-75 s away: only the page's own retry can explain a quick return.
        page.evaluate("() => window.tableside.connection.socket.io.reconnectionDelay(6e4).reconnectionDelayMax(6e4)")
        assert page.locator("[data-retry]").is_hidden()
    live.server.stop()
    for page in pages:
        wait_for_state(page, "reconnecting", timeout=5_000)
    retry = pages[0].locator("[data-retry]")
    assert retry.is_visible() and retry.inner_text() == "Retry now"
    live.restart()

    retry.click()
    pages[1].evaluate("() => window.dispatchEvent(new Event('online'))")
    pages[2].evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    for page in pages:
        wait_for_state(page, "live", timeout=10_000)
        assert page.locator("[data-retry]").is_hidden()
    # Information leaves by itself: "Connection restored" goes without a tap.
    restored = pages[0].locator('#banners [data-banner="connection-restored"]')
    assert restored.inner_text() == "Connection restored"
    restored.wait_for(state="detached", timeout=8_000)


def test_arrow_keys_ticking_times_and_a_remembered_theme(open_page, live):
    """One tab stop with arrow keys between tables; "since" ticks without redrawing; the theme switch is kept."""
    for number in ("T-02", "T-06"):
        live.set_status(live.table(number)["tableId"], "available")
    # A real change just now (re-sending the same status keeps the time it began).
    live.set_status(live.table("T-06")["tableId"], "reserved")
    live.set_status(live.table("T-06")["tableId"], "available")
    # A big screen draws the room as it is (an upright tablet too, with the waitlist below it).
    host = open_page("host", viewport=SIZES["host-stand"])
    tiles = host.locator("#floor-plan [data-table-id]")
    assert tiles.evaluate_all("ts => ts.filter(t => t.tabIndex === 0).length") == 1
    first = host.locator('#floor-plan [data-table-id][tabindex="0"]')
    first.focus()
    focused = "() => document.activeElement.querySelector('.tile__number')?.textContent"
    assert host.evaluate(focused) == "T-01"
    host.keyboard.press("ArrowRight")
    assert host.evaluate(focused) == "T-02"
    host.keyboard.press("ArrowDown")
    assert host.evaluate(focused) == "T-06"
    tab_stops = "ts => ts.filter(t => t.tabIndex === 0).map(t => t.querySelector('.tile__number').textContent)"
    assert tiles.evaluate_all(tab_stops) == ["T-06"]
    host.keyboard.press("Enter")
    since = host.locator('#table-dialog [data-detail="since"]')
    assert host.locator("#dialog-title").inner_text() == "T-06" and since.inner_text() == "just now"

    # Three minutes later, by the page's clock: the time moves on, the plan is not redrawn.
    host.evaluate("""() => { window.planMutations = 0;
      new MutationObserver((m) => { window.planMutations += m.length; })
        .observe(document.getElementById('floor-plan'), { subtree: true, childList: true, attributes: true }); }""")
    later = datetime.now(UTC) + timedelta(minutes=3, seconds=5)
    host.clock.set_fixed_time(later)
    host.wait_for_function("el => el.textContent === '3 min ago'", arg=since.element_handle())
    assert host.evaluate("() => window.planMutations") == 0
    host.keyboard.press("Escape")
    host.goto(f"{live.url}/tables?view=list")
    host.clock.set_fixed_time(later + timedelta(minutes=2))
    row = host.locator(f'#table-list tr[data-table-id="{live.table("T-06")["tableId"]}"] time')
    host.wait_for_function("el => el.textContent === '5 min ago'", arg=row.element_handle())

    # The switch beats the system setting and is remembered on this device.
    switch = host.locator("[data-theme-switch]")
    assert host.evaluate("() => document.documentElement.dataset.theme") == "light"
    switch.click()
    assert host.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert switch.get_attribute("aria-pressed") == "true"
    host.reload()
    assert host.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert host.evaluate("() => getComputedStyle(document.documentElement).colorScheme") == "dark"
