"""The layout editor in Chromium: drag, resize and rotate, saved only by Save, seen live elsewhere;
finger-sized handles, overlaps pointed out, tables added from the editor."""

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
    """The client tries websocket first and backs off 1 s doubling to 30 s with 25% jitter, forever: read from a
    tab's own connection (a browser without SharedWorker); the shared connection is opened with the same
    options (socket-options.js, checked below as the worker reads them)."""
    page = open_page("viewer", shared_connection=False)
    shared = page.evaluate("""async () => {
      const { socketOptions } = await import("/static/js/socket-options.js");
      const { transports, reconnectionDelay, reconnectionDelayMax, randomizationFactor, reconnectionAttempts, path } =
        socketOptions(() => false);
      return { transports, delay: reconnectionDelay, max: reconnectionDelayMax, jitter: randomizationFactor,
               attempts: reconnectionAttempts, path };
    }""")
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
    assert shared == {**settings, "attempts": shared["attempts"]} and shared["attempts"] in (None, float("inf"))


def piece_of(page, table: dict):
    return page.locator(f'#layout-plan [data-table-id="{table["tableId"]}"]')


def handle_sizes(page, table: dict) -> list[tuple[float, float]]:
    """The on-screen width and height of the selected table's handles."""
    handles = piece_of(page, table).locator("[data-handle]")
    return [(box["width"], box["height"]) for box in (handles.nth(i).bounding_box() for i in range(handles.count()))]


def test_handles_are_finger_sized_on_a_touch_tablet(editor, live):
    """On a touch screen the resize and rotate handles are at least 44x44 px on screen, whatever the plan's scale."""
    table = live.create(tableNumber="H-01", floor=2, capacity=4, x=60, y=60, width=70, height=70)
    page = editor(2, touch=True)
    piece_of(page, table).tap()
    scale = float(
        page.evaluate("getComputedStyle(document.getElementById('layout-plan')).getPropertyValue('--editor-scale')")
    )
    sizes = handle_sizes(page, table)
    assert scale < 1 and len(sizes) == 2
    assert all(width >= 44 and height >= 44 for width, height in sizes), sizes
    mouse = editor(2, touch=False)
    piece_of(mouse, table).click()
    assert all(20 <= width < 30 for width, _ in handle_sizes(mouse, table))


def test_overlapping_tables_are_pointed_out_and_saving_asks_first(editor, live):
    """A table dragged onto another: both are marked and named; Save asks, and only a yes saves."""
    first = live.create(tableNumber="V-01", floor=2, capacity=4, x=400, y=300, width=100, height=100)
    second = live.create(tableNumber="V-02", floor=2, capacity=4, x=600, y=300, width=100, height=100)
    page = editor(2)
    warning = page.locator("[data-overlap-warning]")
    assert warning.is_hidden() and piece_of(page, first).get_attribute("data-overlapping") is None
    scale = float(
        page.evaluate("getComputedStyle(document.getElementById('layout-plan')).getPropertyValue('--editor-scale')")
    )
    drag(page, piece_of(page, second), -150 * scale, 0)

    assert warning.inner_text() == "These tables overlap: V-01 and V-02."
    assert piece_of(page, first).get_attribute("data-overlapping") == "true"
    assert piece_of(page, second).get_attribute("data-overlapping") == "true"
    badge = page.evaluate(
        "id => getComputedStyle(document.querySelector(`#layout-plan [data-table-id='${id}']`), '::after').content",
        second["tableId"],
    )
    assert badge == '"Overlaps"'

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("[data-save]")
    assert asked == ["V-01 and V-02 overlap. Save the layout anyway?"]
    assert page.locator("[data-editor-message]").inner_text() == "Not saved: the marked tables overlap."
    assert live.table("V-02")["x"] == 600

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-save]")
    page.wait_for_selector("text=Layout saved (1 table).")
    assert 440 <= live.table("V-02")["x"] <= 460

    drag(page, piece_of(page, second), 200 * scale, 0)
    assert warning.is_hidden() and piece_of(page, first).get_attribute("data-overlapping") is None


def test_layout_saved_is_shown_beside_the_save_button(editor, live):
    """The confirmation appears on the Save button's row, right next to it, not far below the plan."""
    table = live.create(tableNumber="S-01", floor=2, capacity=2, x=700, y=40, width=80, height=80)
    page = editor(2)
    piece_of(page, table).press("ArrowDown")
    page.click("[data-save]")
    message = page.locator("[data-editor-message]", has_text="Layout saved (1 table).")
    message.wait_for(state="visible")
    said, save = message.bounding_box(), page.locator("[data-save]").bounding_box()
    assert abs((said["y"] + said["height"] / 2) - (save["y"] + save["height"] / 2)) < 10
    assert 0 <= save["x"] - (said["x"] + said["width"]) <= 16


def test_a_table_added_from_the_editor_lands_on_a_free_spot(editor, live):
    """The editor's small form creates the table at once, away from the others, and shows it selected."""
    page = editor(2)
    page.fill("#add-number", "A-01")
    page.fill("#add-capacity", "6")
    page.select_option("#add-shape", "round")
    page.click("[data-add-table] button[type=submit]")
    page.wait_for_selector("text=Table A-01 added at a free spot.")
    added = live.table("A-01")
    assert (added["floor"], added["capacity"], added["shape"]) == (2, 6, "round")
    piece = piece_of(page, added)
    assert piece.get_attribute("aria-pressed") == "true" and "A-01" in piece.inner_text()
    assert piece.get_attribute("data-overlapping") is None
    assert page.locator("[data-overlap-warning]").is_hidden() or "A-01" not in page.inner_text("[data-overlap-warning]")

    page.fill("#add-number", "a-01")
    page.click("[data-add-table] button[type=submit]")
    error = page.locator('[data-add-error="tableNumber"]')
    error.wait_for(state="visible")
    assert error.inner_text() == "a-01 is already used (as A-01)."
    assert page.locator("#add-number").get_attribute("aria-invalid") == "true"
    assert [t["tableNumber"] for t in live.manager.get(f"{live.url}/api/tables?floor=2").json()].count("A-01") == 1
