"""The list of all tables on a phone, a tablet and a big screen: every cell of every row on screen and in its box."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import look_at
from tests.browser.test_host_stand import SIZES
from tests.browser.test_service_page import seat

pytestmark = pytest.mark.browser

# The longest table number there may be (20 characters, nothing to break at).
LONG_NUMBER = "TERRACECORNER12ABCDE"
LONG_NOTES = (
    "Regulars, anniversary: the window seat was promised. Allergies: shellfish and tree nuts. "
    "Cake from the kitchen at half past nine, candles on the side, no singing please."
)
# Every shown cell of the header and of each row, the box of what it holds, and the frame around them.
MEASURE_LIST = """() => {
  const box = (r) => ({ x: r.left, y: r.top, right: r.right, bottom: r.bottom });
  const frame = document.querySelector(".list-frame");
  const cells = [];
  for (const row of document.querySelectorAll(".table-list tr")) {
    for (const cell of row.children) {
      if (getComputedStyle(cell).display === "none") continue;
      const content = document.createRange();
      content.selectNodeContents(cell);
      cells.push({
        row: row.dataset.tableId || "header", text: cell.innerText.trim(), box: box(cell.getBoundingClientRect()),
        content: content.getClientRects().length ? box(content.getBoundingClientRect()) : null,
        clipped: cell.scrollWidth > cell.clientWidth,
      });
    }
  }
  return {
    innerWidth: window.innerWidth, frame: box(frame.getBoundingClientRect()),
    frameScrolls: frame.scrollWidth > frame.clientWidth, cells,
  };
}"""
# The words drawn after any part of a row (CSS ::after).
WAITING_WORDS = """(row) => [row, ...row.querySelectorAll("*")]
  .map((element) => getComputedStyle(element, "::after").content).filter((words) => words.includes("sync"))"""


def within(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return inner["x"] >= outer["x"] - slack and inner["right"] <= outer["right"] + slack


def assert_every_cell_fits(page) -> None:
    """Every shown cell lies on the screen and inside the list's box, and holds its words inside itself."""
    measured = page.evaluate(MEASURE_LIST)
    screen = {"x": 0, "right": measured["innerWidth"]}
    for cell in measured["cells"]:
        assert within(cell["box"], screen), f"off the screen: {cell}"
        assert within(cell["box"], measured["frame"]), f"outside the list's box: {cell}"
        assert not cell["clipped"] and within(cell["content"] or cell["box"], cell["box"]), f"words cut off: {cell}"
    assert not measured["frameScrolls"], "the list scrolls sideways inside its box"


@pytest.mark.parametrize("size", ["phone", "tablet", "host-stand"])
def test_every_cell_of_every_row_fits_the_screen_and_the_list_box(open_page, live, size):
    """The longest number, a party long overdue, a change waiting to sync, "since" a day ago: nothing is cut off."""
    long_named = live.create(
        tableNumber=LONG_NUMBER, floor=3, section="Conservatory by the fountain", capacity=4, notes=LONG_NOTES
    )
    try:
        seat(live, "T-02", covers=12)
        waiting = live.table("T-05")
        live.set_status(waiting["tableId"], "available")
        page = open_page("host", path="/tables?view=list", viewport=SIZES[size])
        # A change queued offline: its row says it is waiting to sync.
        page.context.set_offline(True)
        page.evaluate("() => window.tableside.connection.socket.disconnect()")
        page.locator(f'#table-list tr[data-table-id="{waiting["tableId"]}"] [data-open-table]').click()
        page.click('[data-set-status="maintenance"]')
        page.locator("#table-dialog").wait_for(state="hidden")
        pending = page.locator('#table-list tr[data-pending="true"]')
        pending.wait_for()
        assert pending.evaluate(WAITING_WORDS) == ['" · waiting to sync"'], "said once, with its spaces"

        # The same list an hour and a half later, then a day and more: "since" grows longest.
        seated = page.locator(f'#table-list tr[data-table-id="{live.table("T-02")["tableId"]}"]')
        for later, since in (
            (timedelta(minutes=95), "text === '1 h 35 min ago'"),
            (timedelta(hours=26), "!text.endsWith('ago')"),
        ):
            page.clock.set_fixed_time(datetime.now(UTC) + later)
            page.wait_for_function(
                f"row => {{ const text = row.querySelector('time').textContent; return {since}; }}",
                arg=seated.element_handle(),
            )
            assert seated.get_attribute("data-overdue") == "true"
            look_at(page, f"list-{size}-{later.total_seconds():.0f}")
            assert_every_cell_fits(page)
        # The page stays offline: its queued change goes with its context, never reaching the server.
    finally:
        response = live.manager.delete(f"{live.url}/api/tables/{long_named['tableId']}")
        assert response.status_code == 204, response.text
