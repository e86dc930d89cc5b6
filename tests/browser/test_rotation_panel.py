"""The servers panel on the floor plan, in real Chromium: each server's figures, who is next up for a
party, and a host's cut reaching another screen; pictured at a big screen and a phone, light and dark."""

import pytest

from tests.browser.conftest import within_the_limit
from tests.browser.test_host_stand import BOXES_MEET, FINISHED_MOVING, assert_fits, keep_picture
from tests.browser.test_host_stand import BY_PIXELS as SIZES

pytestmark = pytest.mark.browser


@pytest.fixture
def servers(live):
    """The host looks after Window and the viewer after Centre on the main room; unassigned afterwards."""
    manager = live.manager
    sections = {s["name"]: s["sectionId"] for s in manager.get(f"{live.url}/api/floors/1/sections").json()}
    staff = {member["username"]: member["userId"] for member in manager.get(f"{live.url}/api/staff").json()}
    given = {"Window": "host", "Centre": "viewer"}
    for number in ("T-01", "T-02", "T-03", "T-04", "T-05", "T-06"):  # their tables free, whatever ran before
        table = live.table(number)
        if table["status"] != "available":
            live.set_status(table["tableId"], "available")
    for name, username in given.items():
        answer = manager.put(f"{live.url}/api/sections/{sections[name]}/assignee", json={"userId": staff[username]})
        assert answer.status_code == 200, answer.text
    yield staff
    for username in given.values():
        manager.post(f"{live.url}/api/rotation/{staff[username]}/uncut")
    for name in given:
        manager.put(f"{live.url}/api/sections/{sections[name]}/assignee", json={"userId": None})


def open_panel(page) -> None:
    """Open the servers drawer (closed when the page opens, so the plan keeps the screen)."""
    page.locator("[data-servers-panel] > summary").click()


def server_item(page, user_id: int):
    return page.locator(f'[data-servers-panel] [data-server="{user_id}"]')


def test_the_panel_shows_each_server_and_who_is_next_up(open_page, servers):
    """Both servers with their tables and covers; a party of 4 is told who is next up and at which table;
    a host's cut of the viewer shows on another screen, and the viewer's own screen has no buttons."""
    host_page = open_page("host", viewport=SIZES["1920x1080"])
    other = open_page("manager", viewport=SIZES["1920x1080"])
    for page in (host_page, other):
        open_panel(page)
        server_item(page, servers["viewer"]).wait_for(timeout=5_000)
    viewer_item = server_item(host_page, servers["viewer"])
    assert "T-05" in viewer_item.locator("[data-server-tables]").inner_text()
    assert viewer_item.locator("[data-covers-shift]").inner_text().isdigit()
    size = host_page.locator("[data-rotation-size]")
    size.fill("4")
    size.dispatch_event("change")
    answer = host_page.evaluate("() => window.tableside.rotation.nextUpFor(4)")
    assert answer["tableNumber"] in ("T-04", "T-05", "T-06")  # the 4-tops of Window and Centre
    told = f"Next up: {answer['name']} — {answer['tableNumber']}"
    host_page.locator("[data-next-up]").filter(has_text=told).wait_for(timeout=5_000)

    viewer_item.get_by_role("button", name="Cut viewer").click()
    cut_elsewhere = server_item(other, servers["viewer"]).locator("[data-server-state]")
    cut_elsewhere.filter(has_text="Cut").wait_for(timeout=5_000)
    assert server_item(other, servers["viewer"]).get_by_role("button", name="Uncut viewer").is_visible()

    own = open_page("viewer", viewport=SIZES["390x844"])
    open_panel(own)
    server_item(own, servers["host"]).wait_for(timeout=5_000)
    assert own.locator("[data-servers-panel] button").count() == 0


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("drawer", ["open", "closed"])
def test_the_panel_fits_the_screen(open_page, servers, size, theme, drawer):
    """No sideways scrolling, 44 px buttons, the panel inside the screen; closed, it leaves the plan's tables
    and the notices uncovered. Pictured in docs/screens/rotation[-closed]-<size>-<theme>.png."""
    page = open_page("host", viewport=SIZES[size], color_scheme=theme)
    panel = page.locator("[data-servers-panel]")
    if drawer == "open":
        open_panel(page)
        server_item(page, servers["viewer"]).wait_for(timeout=5_000)
        assert_fits(page, panel.locator(".servers-panel__summary"))
        assert_fits(page, server_item(page, servers["viewer"]))
        # Open, it stays below the floor's counts, summary and legend: their ends are read, not covered.
        page.evaluate("() => window.scrollTo(0, 0)")
        covered = page.evaluate(COVERED_HEADINGS)
        assert covered == [], f"the open drawer covers {covered}"
    else:
        page.wait_for_function("() => document.querySelector('[data-next-up-short]').textContent")
        assert_fits(page, panel)
        covered = page.evaluate(COVERED_TABLES)
        assert covered == [], f"the closed drawer covers {covered}"
    panel.evaluate("el => { el.scrollTop = 0; el.scrollIntoView({ block: 'nearest' }); }")
    keep_picture(page, f"rotation{'' if drawer == 'open' else '-closed'}-{size}-{theme}")


# The tables whose middle lies under the servers drawer (where a tap would reach the drawer, not the table).
COVERED_TABLES = """() => {
  const drawer = document.querySelector("[data-servers-panel]").getBoundingClientRect();
  return [...document.querySelectorAll("#floor-plan [data-table-id]")].filter((tile) => {
    const r = tile.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    return r.width > 0 && x >= drawer.left && x <= drawer.right && y >= drawer.top && y <= drawer.bottom;
  }).map((tile) => tile.querySelector(".tile__number").textContent);
}"""


# What of the floor's heading the open drawer lies over: the counts, the summary's figures, the legend's sections.
COVERED_HEADINGS = (
    "() => { "
    + BOXES_MEET
    + """
  const drawer = document.querySelector("[data-servers-panel]").getBoundingClientRect();
  const parts = document.querySelectorAll(".counts > li, [data-summary] .summary__item, [data-section-legend] li");
  return [...parts].filter((part) => meet(drawer, part.getBoundingClientRect())).map((part) => part.textContent.trim());
}"""
)

# Each corner badge on the plan (assignee, section) that lies over a pill (likely free, covers, timer, joined
# tables, waiting to sync) of any table, or of its own table only when asked; boxes as drawn, transforms included.
BADGES_OVER_PILLS = (
    "(ownOnly) => { "
    + BOXES_MEET
    + """
  const shown = (e) => e.checkVisibility() && e.getBoundingClientRect().width > 0;
  const tiles = [...document.querySelectorAll("#floor-plan [data-table-id]")];
  const named = (tile, what) => `${tile.querySelector(".tile__number").textContent} ${what}`;
  const badges = tiles.flatMap((tile) => [...tile.querySelectorAll(".tile__assignee, .tile__section")].filter(shown)
    .map((e) => ({ tile, name: named(tile, e.textContent), box: e.getBoundingClientRect() })));
  const pills = tiles.flatMap((tile) => {
    const found = [...tile.querySelectorAll(".tile__likely, .tile__covers, .tile__timer, .tile__joined")].filter(shown)
      .map((e) => ({ tile, name: named(tile, e.textContent), box: e.getBoundingClientRect() }));
    const pending = getComputedStyle(tile, "::after");
    if (tile.dataset.pending === "true" && pending.content !== "none") {
      const t = tile.getBoundingClientRect(), width = parseFloat(pending.width), height = parseFloat(pending.height);
      const right = t.right - parseFloat(pending.right), top = t.top + parseFloat(pending.top);
      const box = { left: right - width, right, top, bottom: top + height };
      found.push({ tile, name: named(tile, "Waiting to sync"), box });
    }
    return found;
  });
  const over = (badge, pill) => (!ownOnly || pill.tile === badge.tile) && meet(badge.box, pill.box);
  return badges.flatMap((badge) => pills.filter((pill) => over(badge, pill)).map((pill) => [badge.name, pill.name]));
}"""
)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_corner_badges_never_sit_over_a_tables_pills(open_page, live, servers, size, theme):
    """Window's narrow tables looked after by host, two of them seated together and one alone: neither the
    initials of the server nor the section's badge lies over "likely free", the covers and timer or the joined
    tables' label of any table, at any size (an upright tablet draws them smallest). On a phone, the cards;
    its drawn plan, at half size, keeps each table's own badges off its own pills."""
    tables = {number: live.table(number)["tableId"] for number in ("T-01", "T-02", "T-03", "T-09")}
    for number in ("T-01", "T-02", "T-03", "T-09"):
        if live.table(number)["status"] != "available":
            live.set_status(tables[number], "available")
    parties = []
    for seat_at in ([tables["T-01"], tables["T-02"]], [tables["T-03"]], [tables["T-09"]]):
        added = within_the_limit(
            lambda seat_at=seat_at: live.host.post(
                f"{live.url}/api/parties", json={"size": 2, "name": "Badges", "seatAt": seat_at}
            )
        )
        assert added.status_code == 201, added.text
        parties.append(added.json()["partyId"])
    try:
        page = open_page("host", viewport=SIZES[size], color_scheme=theme)
        # Arrived (shown, or set aside where a small table has no room for them: plan-badges.js).
        arrived = [(number, "tile__likely") for number in ("T-01", "T-03", "T-09")]
        for number, badge in [*arrived, ("T-02", "tile__joined"), ("T-03", "tile__assignee")]:
            shown_or_set_aside = f'#floor-plan [data-table-id="{tables[number]}"] .{badge}:not([hidden])'
            page.locator(shown_or_set_aside).wait_for(state="attached", timeout=5_000)
        page.locator("html").evaluate(FINISHED_MOVING)
        keep_picture(page, f"badges-{size}-{theme}")
        assert page.evaluate(BADGES_OVER_PILLS, False) == []
        if size == "390x844":
            page.click('[data-plan-mode="plan"]')
            page.locator("html").evaluate(FINISHED_MOVING)
            assert page.evaluate(BADGES_OVER_PILLS, True) == []
    finally:
        for table_id in tables.values():
            live.set_status(table_id, "available")


def test_picking_a_party_on_the_waitlist_names_the_server_next_up_and_marks_their_table(open_page, live, servers):
    """Tap a party of 4: the seating bar says who is next up and at which table, and that table is marked
    "Next up" among those that fit (any other that fits may still be taken)."""
    added = within_the_limit(
        lambda: live.host.post(f"{live.url}/api/parties", json={"size": 4, "name": "Rotation Test"})
    )
    assert added.status_code == 201, added.text
    party = added.json()
    page = open_page("host", viewport=SIZES["1920x1080"])
    try:
        page.locator(f'[data-waitlist] [data-party-id="{party["partyId"]}"] [data-party-pick]').click()
        nextup = page.locator("[data-seating-next]")
        nextup.filter(has_text="Next up: ").wait_for(timeout=5_000)
        answer = page.evaluate("() => window.tableside.rotation.nextUpFor(4)")
        assert nextup.inner_text() == f"Next up: {answer['name']} — {answer['tableNumber']}"
        marked = page.locator("#floor-plan [data-next-table]")
        assert marked.count() == 1
        assert marked.get_attribute("data-table-id") == str(answer["tableId"])
        assert marked.get_attribute("data-fits") == "fits"
    finally:
        live.host.patch(f"{live.url}/api/parties/{party['partyId']}", json={"state": "cancelled"})
