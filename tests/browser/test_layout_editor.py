"""The layout editor in Chromium: drag, resize and rotate, saved only by Save, seen live elsewhere."""

import pytest

from tests.browser.conftest import tile

pytestmark = pytest.mark.browser


def drag(page, locator, dx: float, dy: float) -> None:
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=6)
    page.mouse.up()


def test_layout_changes_wait_for_save_and_then_reach_other_screens(open_page, live):
    """Moving, resizing and rotating mark the layout unsaved; only Save stores it, and others see it move."""
    table = live.create(tableNumber="R-20", floor=3, capacity=4, x=100, y=100, width=90, height=90)
    viewer = open_page("viewer", "/tables?floor=3")
    drawn_left = tile(viewer, table["tableId"]).evaluate("element => element.style.left")
    editor = open_page("manager", "/tables?floor=3", wait_live=False)
    editor.click("text=Edit layout")
    editor.wait_for_url("**/tables/layout?floor=3")
    piece = editor.locator(f'#layout-plan [data-table-id="{table["tableId"]}"]')
    unsaved = editor.locator("[data-unsaved]")
    assert unsaved.is_hidden() and editor.locator("[data-save]").is_disabled()

    drag(editor, piece, 120, 60)
    drag(editor, piece.locator('[data-handle="resize"]'), 30, 20)
    editor.click('[data-rotate-by="15"]')
    assert unsaved.is_visible() and unsaved.inner_text() == "Unsaved changes (1 table)"
    stored = live.table("R-20")
    assert (stored["x"], stored["y"], stored["rotation"]) == (100, 100, 0)

    asked = []
    editor.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    editor.click('.floor-tabs [data-floor="1"]')
    assert asked == ["You have unsaved layout changes. Leave without saving them?"]
    assert editor.url.endswith("/tables/layout?floor=3")

    editor.click("[data-save]")
    editor.wait_for_selector("text=Layout saved (1 table).")
    assert unsaved.is_hidden()
    saved = live.table("R-20")
    assert saved["x"] > 150 and saved["y"] > 120 and saved["rotation"] == 15
    assert saved["width"] > 90 and saved["height"] > 90
    # The viewer's plan is drawn to fill its screen, so the tile moves in screen pixels, not plan units.
    viewer.wait_for_function(
        """([id, x, left]) => window.tableside.store.get(id).x === x
          && document.querySelector(`#floor-plan [data-table-id="${id}"]`).style.left !== left""",
        arg=[table["tableId"], saved["x"], drawn_left],
    )
    assert "rotate(15deg)" in tile(viewer, table["tableId"]).locator(".tile__shape").get_attribute("style")


def test_connection_follows_the_contract(open_page):
    """The client tries websocket first and backs off 1 s doubling to 30 s with 25% jitter, forever."""
    page = open_page("viewer")
    settings = page.evaluate("""() => {
      const manager = window.tableside.connection.socket.io;
      return {
        transports: manager.opts.transports,
        delay: manager.reconnectionDelay(),
        max: manager.reconnectionDelayMax(),
        jitter: manager.randomizationFactor(),
        attempts: manager.reconnectionAttempts(),
        path: manager.opts.path,
      };
    }""")
    assert settings["transports"][0] == "websocket"
    assert (settings["delay"], settings["max"], settings["jitter"]) == (1000, 30000, 0.25)
    assert settings["attempts"] is None or settings["attempts"] > 10**9  # Infinity crosses as null
    assert settings["path"] == "/socket.io"
