"""Move and join in real Chromium: from a seated table's dialog, "Move party" keeps the timer's minutes,
"Add a table" shows both tables joined by name, and clearing one clears both; pictured big and on a phone."""

from datetime import timedelta

import pytest

from tests.browser.conftest import service_app
from tests.browser.test_host_stand import BY_PIXELS, assert_fits, keep_picture

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
    add = dialog.get_by_role("button", name="Add a table")
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
        label = tile(page, table).locator(".tile__joined")
        label.wait_for(state="visible", timeout=5_000)
        assert label.inner_text() == "MJ-02 + MJ-03"
        assert "joined MJ-02 + MJ-03" in tile(page, table).get_attribute("aria-label")
    assert tile(page, second).locator(".tile__timer").inner_text() == before

    for size, viewport in BY_PIXELS.items():
        for theme in ("light", "dark"):
            shot = open_page("host", path="/tables?floor=2", viewport=viewport, color_scheme=theme)
            for table in (spare, second):
                tile(shot, table).locator(".tile__joined").wait_for(state="visible", timeout=5_000)
                assert_fits(shot, tile(shot, table).locator(".tile__joined"))
            keep_picture(shot, f"move-join-{size}-{theme}")
            tile(shot, second).click()
            choices = shot.locator("#table-dialog [data-party-tables]")
            pressed = choices.get_by_role("button", name="Add a table")
            pressed.click()
            assert_picking(shot.locator("#table-dialog"), pressed)
            assert_fits(shot, choices)
            keep_picture(shot, f"move-join-dialog-{size}-{theme}")

    tile(page, second).click()
    dialog.locator('[data-set-status="available"]').click()
    for table in (spare, second):
        wait_status(page, table, "available")
        assert tile(page, table).locator(".tile__joined").is_hidden()
