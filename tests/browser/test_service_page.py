"""Service on the floor in real Chromium: covers in two taps, seated timers and turn time, each table's
history in its dialog, the live summary, and sections' assignees, with the page's clock under control."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import another_host, tile, wait_for_state
from tests.browser.test_host_stand import SIZES, WORDS_CONTRAST, keep_picture

pytestmark = pytest.mark.browser

SUMMARY = "() => ({ ...document.querySelector('[data-summary]').dataset })"


@pytest.fixture(scope="module")
def second_host(restaurant):
    """Another host, Nadia, changing tables over the API."""
    return another_host(restaurant, "nadia")


def seat(live, number: str, covers: int | None = None, session=None) -> dict:
    """Free a table, then seat it (with a party of `covers`) as the manager or another member of staff."""
    table = live.table(number)
    live.set_status(table["tableId"], "available")
    body = {"status": "occupied"} if covers is None else {"status": "occupied", "covers": covers}
    response = (session or live.manager).patch(f"{live.url}/api/tables/{table['tableId']}/status", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def set_turn(live, floor: int, minutes: int) -> None:
    response = live.manager.patch(f"{live.url}/api/floors/{floor}", json={"turnMinutes": minutes})
    assert response.status_code == 200, response.text


def no_syncing_notice(page) -> bool:
    return page.locator('#banners [data-banner="syncing"]').count() == 0


def test_tapping_a_table_then_four_seats_four_and_the_covers_reach_the_api(open_page, live):
    """Two taps, the table then "4": the API has four covers, and the table shows "4/4" and a timer."""
    table = live.table("T-05")
    live.set_status(table["tableId"], "available")
    host = open_page("host")
    tile(host, table["tableId"]).click()
    chips = host.locator("[data-covers-chips] [data-seat-covers]")
    assert chips.all_inner_texts() == ["1", "2", "3", "4", "More…"]
    host.click('[data-seat-covers="4"]')
    host.locator("#table-dialog").wait_for(state="hidden")

    seated = live.table("T-05")
    assert (seated["status"], seated["covers"]) == ("occupied", 4)
    shown = tile(host, table["tableId"])
    assert shown.get_attribute("data-status") == "occupied"
    assert shown.locator("[data-covers]").inner_text() == "4/4"
    assert shown.locator("[data-timer]").inner_text() == "0 min"

    # A larger party through "More…", then the plain Occupied button still seats in one tap (covers kept).
    shown.click()
    host.click('[data-seat-covers="more"]')
    host.fill("[data-covers-input]", "7")
    host.click("[data-covers-more-form] button[type=submit]")
    host.locator("#table-dialog").wait_for(state="hidden")
    assert live.table("T-05")["covers"] == 7
    assert shown.locator("[data-covers]").inner_text() == "7/4"
    live.set_status(table["tableId"], "available")
    shown.locator("[data-covers]").wait_for(state="hidden")


def test_a_change_queued_offline_keeps_its_covers(open_page, live, second_host):
    """Seating with a chip while offline queues the covers, and they reach the API once back online."""
    table = live.table("T-06")
    live.set_status(table["tableId"], "available")
    host = open_page("nadia")
    host.context.set_offline(True)
    host.evaluate("() => window.tableside.connection.socket.disconnect()")
    tile(host, table["tableId"]).click()
    host.click('[data-seat-covers="3"]')
    host.locator("#table-dialog").wait_for(state="hidden")
    queued = host.evaluate("() => JSON.parse(localStorage.getItem('tableside:queue:nadia'))")
    assert [(entry["status"], entry["covers"]) for entry in queued] == [("occupied", 3)]
    assert tile(host, table["tableId"]).locator("[data-covers]").inner_text() == "3/4"
    host.context.set_offline(False)
    host.evaluate("() => window.tableside.connection.socket.connect()")
    wait_for_state(host, "live")
    sent = "() => JSON.parse(localStorage.getItem('tableside:queue:nadia')).length === 0"
    host.wait_for_function(sent, timeout=20_000)
    assert (live.table("T-06")["status"], live.table("T-06")["covers"]) == ("occupied", 3)


def test_the_seated_timer_moves_when_21_minutes_pass_without_redrawing(open_page, live):
    """A party seated now shows "0 min"; 21 minutes later by the page's clock it shows "21 min"."""
    seated = seat(live, "T-03", covers=2)
    host = open_page("host")
    timer = tile(host, seated["tableId"]).locator("[data-timer]")
    assert timer.inner_text() == "0 min"
    host.evaluate("""() => { window.planMutations = 0;
      new MutationObserver((m) => { window.planMutations += m.length; })
        .observe(document.getElementById('floor-plan'), { subtree: true, childList: true }); }""")
    host.clock.set_fixed_time(datetime.now(UTC) + timedelta(minutes=21, seconds=5))
    host.wait_for_function("el => el.textContent === '21 min'", arg=timer.element_handle())
    assert host.evaluate("() => window.planMutations") == 0, "the timer ticks in place"
    assert tile(host, seated["tableId"]).get_attribute("data-overdue") is None


def test_a_table_turns_overdue_past_its_floors_turn_time_on_plan_cards_and_list(open_page, live):
    """With a 30-minute turn, a party seated 31 minutes ago is overdue, in words, on every view."""
    seated = seat(live, "T-01", covers=2)
    set_turn(live, 1, 30)
    try:
        later = datetime.now(UTC) + timedelta(minutes=31)
        for viewport in (SIZES["tablet"], SIZES["phone"]):
            host = open_page("host", viewport=viewport)
            host.clock.set_fixed_time(later)
            shown = tile(host, seated["tableId"])
            host.wait_for_function("el => el.dataset.overdue === 'true'", arg=shown.element_handle())
            assert shown.locator("[data-timer]").inner_text() == "31 min · Overdue"
            described = shown.get_attribute("aria-describedby")
            assert host.locator(f"#{described}").inner_text().endswith("Overdue"), "read out with the table"
            host.goto(f"{live.url}/tables?view=list")
            wait_for_state(host, "live")
            row = host.locator(f'#table-list tr[data-table-id="{seated["tableId"]}"]')
            host.wait_for_function("el => el.dataset.overdue === 'true'", arg=row.element_handle())
            assert "Overdue" in row.locator("[data-timer]").inner_text()

        # "Overdue" reads at 4.5:1 or more on its pill, light and dark.
        for theme in ("light", "dark"):
            host = open_page("host", color_scheme=theme)
            host.clock.set_fixed_time(later)
            shown = tile(host, seated["tableId"])
            host.wait_for_function("el => el.dataset.overdue === 'true'", arg=shown.element_handle())
            assert shown.locator("[data-timer]").evaluate(WORDS_CONTRAST) >= 4.5, theme

        # A manager gives the floor more time: the page follows live, without a sync notice.
        host = open_page("host")
        host.clock.set_fixed_time(later)
        shown = tile(host, seated["tableId"])
        host.wait_for_function("el => el.dataset.overdue === 'true'", arg=shown.element_handle())
        set_turn(live, 1, 90)
        host.wait_for_function("el => el.dataset.overdue === undefined", arg=shown.element_handle())
        assert shown.locator("[data-timer]").inner_text() == "31 min"
        assert no_syncing_notice(host)
    finally:
        set_turn(live, 1, 90)


def test_overdue_begins_only_once_a_whole_minute_past_the_turn_on_plan_and_list(open_page, live):
    """A 30-minute turn: seated exactly 30:00 or 30:59 is "30 min", not overdue; at 31:00 it is, on plan and list."""
    seated = seat(live, "T-04", covers=2)
    set_turn(live, 1, 30)
    # The seated time is counted in whole minutes, as the timer shows it: "longer than the turn"
    # means a minute shown past it, so the words and the number never disagree.
    sides = (
        (timedelta(minutes=30), "30 min", None),
        (timedelta(minutes=30, seconds=59, milliseconds=999), "30 min", None),
        (timedelta(minutes=31), "31 min · Overdue", "true"),
    )
    seated_at = datetime.fromisoformat(seated["statusChangedAt"].replace("Z", "+00:00"))
    try:
        host = open_page("host")
        for view, shown in (
            ("plan", tile(host, seated["tableId"])),
            ("list", host.locator(f'#table-list tr[data-table-id="{seated["tableId"]}"]')),
        ):
            if view == "list":
                host.goto(f"{live.url}/tables?view=list")
                wait_for_state(host, "live")
            for after, words, overdue in sides:
                host.clock.set_fixed_time(seated_at + after)
                # The ticker's next beat, at once: the page comes back into view (it ticks there and then).
                host.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
                said = (shown.locator("[data-timer]").inner_text(), shown.get_attribute("data-overdue"))
                assert said == (words, overdue), f"{view}, seated {after}"
    finally:
        set_turn(live, 1, 90)


def test_the_dialog_names_both_hosts_who_changed_a_table(open_page, live, second_host):
    """Nadia seats T-08 for five, the host frees it: the dialog's history names both, newest first."""
    earlier = live.table("T-08")
    for status in ("reserved", "maintenance"):
        live.set_status(earlier["tableId"], status)
    table = seat(live, "T-08", covers=5, session=second_host)
    response = live.host.patch(f"{live.url}/api/tables/{table['tableId']}/status", json={"status": "available"})
    assert response.status_code == 200, response.text
    host = open_page("host")
    tile(host, table["tableId"]).click()
    items = host.locator("[data-history-list] li")
    items.first.wait_for()
    texts = items.all_inner_texts()
    assert "host" in texts[0] and "Occupied → Available" in texts[0], texts
    assert "nadia" in texts[1] and "Available → Occupied (5 covers)" in texts[1], texts
    assert len(texts) == 5

    more = host.locator("[data-history-more]")
    more.click()
    host.wait_for_function("() => document.querySelectorAll('[data-history-list] li').length > 5")


def test_the_summary_changes_in_a_second_browser_when_a_table_is_seated(open_page, live):
    """The host seats three at T-10; the viewer's plan and list summaries count them at once."""
    table = live.table("T-10")
    live.set_status(table["tableId"], "available")
    host = open_page("host")
    viewer = open_page("viewer")
    listing = open_page("viewer", path="/tables?view=list")
    before = viewer.evaluate(SUMMARY)
    before_all = listing.evaluate(SUMMARY)
    assert int(before["tables"]) == 12 and int(before_all["tables"]) >= 12

    tile(host, table["tableId"]).click()
    host.click('[data-seat-covers="2"]')
    expected = str(int(before["covers"]) + 2)
    viewer.wait_for_function(f"() => document.querySelector('[data-summary]').dataset.covers === '{expected}'")
    after = viewer.evaluate(SUMMARY)
    assert int(after["occupied"]) == int(before["occupied"]) + 1
    assert int(after["occupiedSeats"]) == int(before["occupiedSeats"]) + 2
    assert viewer.locator('[data-summary] [data-summary-value="covers"]').inner_text() == expected
    listing.wait_for_function(
        f"() => document.querySelector('[data-summary]').dataset.covers === '{int(before_all['covers']) + 2}'"
    )


def test_an_assignees_initials_appear_live_and_my_tables_comes_first(open_page, live):
    """A manager gives the Bar to the host: its tables show the initials live, and "My tables" puts them first."""
    sections = live.manager.get(f"{live.url}/api/floors/1/sections").json()
    bar = next(section for section in sections if section["name"] == "Bar")
    staff = live.manager.get(f"{live.url}/api/staff").json()
    host_user = next(person for person in staff if person["username"] == "host")
    page = open_page("host", viewport=SIZES["phone"])
    bar_tables = [live.table(number)["tableId"] for number in ("T-10", "T-11")]
    assert tile(page, bar_tables[0]).locator("[data-assignee]").is_hidden()

    assigned = live.manager.put(
        f"{live.url}/api/sections/{bar['sectionId']}/assignee", json={"userId": host_user["userId"]}
    )
    assert assigned.status_code == 200, assigned.text
    try:
        for table_id in bar_tables:
            initials = tile(page, table_id).locator("[data-assignee]")
            initials.wait_for(state="visible")
            assert initials.inner_text() == host_user["initials"]
        assert no_syncing_notice(page)

        page.click('[data-my-tables-mode="first"]')
        order = page.locator("#floor-plan [data-table-id]").evaluate_all("ts => ts.map(t => Number(t.dataset.tableId))")
        assert sorted(order[:2]) == sorted(bar_tables)
        assert page.locator("#floor-plan .plan__section").first.text_content() == "My tables"
        page.reload()
        chosen = page.locator('[data-my-tables-mode="first"]')
        assert chosen.get_attribute("aria-pressed") == "true", "remembered on the device"
        page.click('[data-my-tables-mode="all"]')
    finally:
        live.manager.put(f"{live.url}/api/sections/{bar['sectionId']}/assignee", json={"userId": None})


def test_pictures_of_the_plan_in_service(open_page, live, second_host):
    """Screenshots (UPDATE_SCREENSHOTS=1): parties seated a while with covers, one overdue, a hold, an assignee."""
    for number, covers in (("T-02", 2), ("T-07", 5), ("T-09", 4)):
        seat(live, number, covers=covers, session=second_host)
    sections = live.manager.get(f"{live.url}/api/floors/1/sections").json()
    window = next(section for section in sections if section["name"] == "Window")
    staff = {person["username"]: person for person in live.manager.get(f"{live.url}/api/staff").json()}
    live.manager.put(
        f"{live.url}/api/sections/{window['sectionId']}/assignee", json={"userId": staff["nadia"]["userId"]}
    )
    held = live.table("T-04")
    live.set_status(held["tableId"], "available")
    until = (datetime.now(UTC) + timedelta(minutes=125)).isoformat()
    response = live.manager.patch(
        f"{live.url}/api/tables/{held['tableId']}/status", json={"status": "reserved", "reservedUntil": until}
    )
    assert response.status_code == 200, response.text
    try:
        for name in ("tablet", "phone"):
            page = open_page("host", viewport=SIZES[name])
            page.clock.set_fixed_time(datetime.now(UTC) + timedelta(minutes=95))
            page.wait_for_function("() => document.querySelectorAll('[data-overdue=\"true\"]').length >= 3")
            assert "min left" in tile(page, held["tableId"]).locator("[data-timer]").inner_text()
            keep_picture(page, f"service-{name}")
    finally:
        live.manager.put(f"{live.url}/api/sections/{window['sectionId']}/assignee", json={"userId": None})
