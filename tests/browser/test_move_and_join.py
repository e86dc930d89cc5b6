"""Move and join in real Chromium: from a seated table's dialog, "Move party" keeps the timer's minutes,
"Add a table" shows both tables joined by name, and clearing one clears both; pictured big and on a phone."""

from datetime import timedelta

import pytest

from tests.browser.conftest import look_at, service_app, within_the_limit
from tests.browser.test_host_stand import BY_PIXELS, SIZES, assert_fits, keep_picture

pytestmark = pytest.mark.browser


def seated_a_while(live, table_id: int, minutes: float) -> None:
    """The table's party sat down `minutes` ago (as if seated then)."""
    from app.extensions import db
    from app.models import Party, Table
    from app.models.time import utcnow

    app = service_app(live.database_url)
    with app.app_context():
        table = db.session.get(Table, table_id)
        then = utcnow() - timedelta(minutes=minutes)
        table.status_changed_at = then
        db.session.get(Party, table.party_id).seated_at = then
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def tile(page, table: dict):
    return page.locator(f'#floor-plan [data-table-id="{table["tableId"]}"]')


def wait_status(page, table: dict, status: str) -> None:
    page.wait_for_function(
        f"() => window.tableside.store.get({table['tableId']})?.status === '{status}'", timeout=5_000
    )


# The symbol a pressed choice shows before its words ("none" when it shows none).
TICK = "button => getComputedStyle(button, '::before').content"


def assert_picking(dialog, pressed) -> None:
    """PRESSED says it is pressed with a tick as well as its colour, and a line in words says a table is being
    picked for the party and that Cancel stops it, with the Cancel button beside it."""
    assert pressed.get_attribute("aria-pressed") == "true"
    assert pressed.evaluate(TICK) == '"\u2713"'
    picking = dialog.locator("[data-party-tables-picking]")
    assert picking.is_visible()
    words = picking.locator("[data-party-tables-hint]").inner_text()
    assert words.startswith("Picking a table to add to this party") and "Cancel" in words, words
    assert picking.get_by_role("button", name="Cancel").is_visible()


def test_move_add_a_table_and_clear_from_the_dialog(open_page, live):
    first, second, spare = (
        live.create(tableNumber=f"MJ-0{n}", floor=2, capacity=seats, x=x, y=40, width=110, height=80)
        for n, seats, x in ((1, 4, 40), (2, 4, 400), (3, 6, 220))
    )
    walk_in = live.host.post(f"{live.url}/api/parties", json={"size": 5, "name": "Moved", "seatAt": [first["tableId"]]})
    assert walk_in.status_code == 201, walk_in.text
    seated_a_while(live, first["tableId"], 12.3)
    page = open_page("host", path="/tables?floor=2")
    timer = tile(page, first).locator(".tile__timer")
    before = timer.inner_text()
    assert "12" in before

    tile(page, first).click()
    dialog = page.locator("#table-dialog")
    dialog.get_by_role("button", name="Move party").click()
    dialog.get_by_role("button", name="Move the party to MJ-03, 6 seats").click()
    wait_status(page, spare, "occupied")
    wait_status(page, first, "available")
    assert tile(page, spare).locator(".tile__timer").inner_text() == before
    assert tile(page, spare).locator(".tile__covers").inner_text().startswith("5")

    tile(page, spare).click()
    add = dialog.locator('[data-party-tables-choice="join"]')
    add.click()
    assert_picking(dialog, add)
    # Cancel stops picking: nothing pressed, nothing offered, no words about picking.
    dialog.locator("[data-party-tables-picking]").get_by_role("button", name="Cancel").click()
    assert add.get_attribute("aria-pressed") == "false" and add.evaluate(TICK) == "none"
    assert dialog.locator("[data-party-tables-picking]").is_hidden()
    assert dialog.locator("[data-party-tables-offer] button").count() == 0
    assert page.evaluate("() => document.activeElement.dataset.partyTablesChoice") == "join"
    add.click()
    offered = dialog.locator("[data-party-tables-offer] button").all_inner_texts()
    # The nearest free table first (of this test's tables: others may be free on the floor too).
    assert [text for text in offered if text.startswith("MJ-")][0].startswith("MJ-01")
    dialog.get_by_role("button", name="Add MJ-02, 4 seats").click()
    wait_status(page, second, "occupied")
    for table in (spare, second):
        # Shown, or set aside by plan-badges.js where the floor is crowded: the table's name says it all the same.
        label = tile(page, table).locator(".tile__joined:not([hidden])")
        label.wait_for(state="attached", timeout=5_000)
        assert label.text_content() == "MJ-02 + MJ-03"
        assert label.is_visible() or label.get_attribute("data-crowded") == "true"
        assert "joined MJ-02 + MJ-03" in tile(page, table).get_attribute("aria-label")
    assert tile(page, second).locator(".tile__timer").inner_text() == before

    for size, viewport in BY_PIXELS.items():
        for theme in ("light", "dark"):
            shot = open_page("host", path="/tables?floor=2", viewport=viewport, color_scheme=theme)
            for table in (spare, second):
                # Shown where it has room (then inside the screen); set aside where floor 2 is crowded by other tests.
                joined = tile(shot, table).locator(".tile__joined:not([hidden])")
                joined.wait_for(state="attached", timeout=5_000)
                if joined.get_attribute("data-crowded") != "true":
                    joined.wait_for(state="visible", timeout=5_000)
                    assert_fits(shot, joined)
            keep_picture(shot, f"move-join-{size}-{theme}")
            tile(shot, second).click()
            choices = shot.locator("#table-dialog [data-party-tables]")
            pressed = choices.locator('[data-party-tables-choice="join"]')
            pressed.click()
            assert_picking(shot.locator("#table-dialog"), pressed)
            assert_fits(shot, choices)
            keep_picture(shot, f"move-join-dialog-{size}-{theme}")

    tile(page, second).click()
    dialog.locator('[data-set-status="available"]').click()
    for table in (spare, second):
        wait_status(page, table, "available")
        assert tile(page, table).locator(".tile__joined").is_hidden()


def move_mode(page, table: dict, choice: str, how: str, opening=tile, picture: str | None = None) -> None:
    """Open TABLE's dialog, pick CHOICE ("Move party" or "Add a table"), then the chip that picks on the plan
    (its choices pictured as PICTURE first, when named)."""
    opening(page, table).click()
    dialog = page.locator("#table-dialog")
    dialog.get_by_role("button", name=choice).click()
    if picture:
        assert_fits(page, dialog.locator("[data-party-tables]"))
        look_at(page, picture)
    dialog.get_by_role("button", name=how).click()
    dialog.wait_for(state="hidden")


def test_move_and_add_a_table_by_tapping_the_plan(open_page, live):
    """From the dialog, Move party, then On the plan: the dialog closes, a bar says what to tap and offers Cancel,
    the free tables that fit are marked and the rest dimmed; a tap on a small one says why and moves nothing;
    Cancel ends it; a tap on a marked table moves the party, and another page shows it there with its seated time.
    Add a table works the same way, the tables it may add marked "Add"."""
    # Where the server finds room: tables other tests left on floor 2 must not lie over these.
    first, small, spare = (
        live.create(tableNumber=f"MT-0{n}", floor=2, capacity=seats, width=110, height=80)
        for n, seats in ((1, 4), (2, 2), (3, 6))
    )
    walk_in = live.host.post(f"{live.url}/api/parties", json={"size": 4, "seatAt": [first["tableId"]]})
    assert walk_in.status_code == 201, walk_in.text
    seated_a_while(live, first["tableId"], 17.4)
    page = open_page("host", path="/tables?floor=2")
    other = open_page("manager", path="/tables?floor=2")
    seated_at = other.evaluate(f"() => window.tableside.store.get({first['tableId']}).statusChangedAt")
    before = tile(other, first).locator(".tile__timer").inner_text()
    assert "17" in before

    bar = page.locator("[data-seating-bar]")
    move_mode(page, first, "Move party", "Move the party: tap the table on the plan")
    assert bar.locator("[data-seating-text]").inner_text() == "Tap a free table to move the party of 4 at MT-01 to."
    assert bar.get_by_role("button", name="Cancel").is_visible()
    assert tile(page, spare).get_attribute("data-fits") == "fits"
    for unfit in (small, first):
        assert tile(page, unfit).get_attribute("data-fits") is None
        assert tile(page, unfit).evaluate("el => getComputedStyle(el).opacity") == "0.4"
    tile(page, small).click()
    assert bar.locator("[data-seating-text]").inner_text() == "MT-02 is too small: tap a marked table, or Cancel."
    assert page.locator("#table-dialog").is_hidden()
    bar.get_by_role("button", name="Cancel").click()
    assert bar.is_hidden() and page.locator("#floor-plan [data-fits]").count() == 0
    assert page.evaluate(f"() => window.tableside.store.get({first['tableId']}).status") == "occupied"

    move_mode(page, first, "Move party", "Move the party: tap the table on the plan")
    tile(page, spare).click()
    assert bar.is_hidden()
    for seen in (page, other):
        wait_status(seen, spare, "occupied")
        wait_status(seen, first, "available")
    assert other.evaluate(f"() => window.tableside.store.get({spare['tableId']}).statusChangedAt") == seated_at
    assert tile(other, spare).locator(".tile__timer").inner_text() == before
    assert tile(other, spare).locator(".tile__covers").inner_text().startswith("4")

    shoot_move_mode(open_page, spare)

    move_mode(page, spare, "Add a table", "Add a table: tap it on the plan")
    assert bar.locator("[data-seating-text]").inner_text() == "Tap a free table to add to the party of 4 at MT-03."
    assert tile(page, small).get_attribute("data-fits") == "add"
    assert tile(page, small).evaluate("el => getComputedStyle(el, '::before').content") == '"Add"'
    tile(page, small).click()
    wait_status(other, small, "occupied")
    # On this crowded floor the label may have no room on the upright tablet (plan-badges.js sets it aside):
    # the table's name says it all the same.
    joined = tile(other, small).locator(".tile__joined:not([hidden])")
    joined.wait_for(state="attached", timeout=5_000)
    assert joined.text_content() == "MT-02 + MT-03"
    assert "joined MT-02 + MT-03" in tile(other, small).get_attribute("aria-label")
    # One timer: the added table counts from when the party sat (minutes have passed while pictures were taken).
    assert other.evaluate(f"() => window.tableside.store.get({small['tableId']}).statusChangedAt") == seated_at

    # Someone clears the party while this page is about to move it: the mode ends, and the host is told why.
    move_mode(page, small, "Move party", "Move the party: tap the table on the plan")
    cleared = within_the_limit(
        lambda: live.manager.patch(f"{live.url}/api/tables/{spare['tableId']}/status", json={"status": "available"})
    )
    assert cleared.status_code == 200, cleared.text
    for table in (spare, small):
        wait_status(page, table, "available")
    bar.wait_for(state="hidden", timeout=5_000)
    notice = page.locator('[data-banner="move-ended"]')
    assert notice.inner_text() == "The party at MT-02 was moved or cleared meanwhile: nothing was moved."
    assert page.locator("#floor-plan [data-fits]").count() == 0


def shoot_move_mode(open_page, table: dict) -> None:
    """Move mode at three sizes, light and dark, in the SHOTS folder: the bar and its Cancel on screen, 44 px tall."""
    for theme in ("light", "dark"):
        for size in ("phone", "tablet", "host-stand"):
            shot = open_page("host", path="/tables?floor=2", viewport=SIZES[size], color_scheme=theme)
            how = "Move the party: tap the table on the plan"
            move_mode(shot, table, "Move party", how, picture=f"move-dialog-{size}-{theme}")
            bar = shot.locator("[data-seating-bar]")
            assert_fits(shot, bar)
            look_at(shot, f"move-mode-{size}-{theme}")


def row(page, table: dict):
    return page.locator(f'#table-list [data-table-id="{table["tableId"]}"]')


def test_move_by_tapping_a_row_of_the_list(open_page, live):
    """On the list, the same move marks the rows of free tables that fit and a tap on one moves the party there."""
    seated, spare = (
        live.create(tableNumber=f"ML-0{n}", floor=3, capacity=4, x=x, y=500, width=90, height=80)
        for n, x in ((1, 40), (2, 300))
    )
    walk_in = live.host.post(f"{live.url}/api/parties", json={"size": 3, "seatAt": [seated["tableId"]]})
    assert walk_in.status_code == 201, walk_in.text
    page = open_page("host", path="/tables?view=list")
    move_mode(page, seated, "Move party", "Move the party: tap the table in the list", opening=row)
    assert row(page, spare).get_attribute("data-fits") == "fits"
    assert row(page, seated).get_attribute("data-fits") is None
    row(page, spare).click()
    wait_status(page, spare, "occupied")
    wait_status(page, seated, "available")
    assert page.locator("#table-dialog").is_hidden()
    page.locator("#table-list [data-table-id] .row__open").first.wait_for()
    row(page, spare).click()
    page.locator('#table-dialog [data-set-status="available"]').click()
    wait_status(page, spare, "available")
