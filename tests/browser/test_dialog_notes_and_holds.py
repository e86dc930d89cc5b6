"""A table's notes and its reservation hold, changed from the table's dialog in real Chromium: saved,
seen on another screen, counting down under a controlled clock, queued offline, refused and asked about."""

import itertools
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.browser.conftest import another_host, look_at, tile, wait_for_state
from tests.browser.test_host_stand import SIZES, keep_picture

pytestmark = pytest.mark.browser

DIALOG = "#table-dialog"
RATE_LIMITED = "Too many requests. Please slow down."


@pytest.fixture(scope="module")
def omar(restaurant):
    """A host of his own, so his offline queue and his rate limit are nobody else's."""
    return another_host(restaurant, "omar")


def fresh(live, number: str, status: str = "available") -> dict:
    """A table back to `status` with no notes and no hold, as another member of staff leaves it."""
    table = live.table(number)
    response = live.manager.patch(
        f"{live.url}/api/tables/{table['tableId']}/status", json={"status": status, "notes": None, "critical": True}
    )
    assert response.status_code == 200, response.text
    return response.json()


@contextmanager
def other_device_busy(live, username: str, most_seconds: float = 8):
    """Another device of `username` changing tables faster than 5 a second (bounded in time) while the block runs."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {live.server.token(username)}"
    others = [live.table(number)["tableId"] for number in ("T-01", "T-02", "T-08", "T-09", "T-10")]
    done = threading.Event()

    def keep_busy():
        ends = time.monotonic() + most_seconds
        for n in itertools.count():
            if done.is_set() or time.monotonic() > ends:
                return
            body = {"status": ("occupied", "available")[n // len(others) % 2]}
            session.patch(f"{live.url}/api/tables/{others[n % len(others)]}/status", json=body)

    # Until its first refusal the limit is not yet full.
    for n in range(20):
        answer = session.patch(f"{live.url}/api/tables/{others[n % len(others)]}/status", json={"status": "available"})
        if answer.status_code == 429:
            break
    worker = threading.Thread(target=keep_busy, daemon=True)
    worker.start()
    try:
        yield
    finally:
        done.set()
        worker.join()


def minutes_from(iso: str, start: datetime) -> float:
    return (datetime.fromisoformat(iso.replace("Z", "+00:00")) - start).total_seconds() / 60


def open_dialog(page, table_id: int):
    tile(page, table_id).click()
    page.locator(DIALOG).wait_for(state="visible")
    return page.locator(DIALOG)


def test_notes_saved_in_the_dialog_reach_the_api_and_another_screen_and_can_be_cleared(open_page, live):
    """The host types notes and saves: the API has them and a viewer's list shows them live; clearing clears both."""
    table = fresh(live, "T-05", "occupied")
    host = open_page("host")
    viewer = open_page("viewer", path="/tables?view=list")
    row_notes = viewer.locator(f'#table-list tr[data-table-id="{table["tableId"]}"] .row__notes')

    dialog = open_dialog(host, table["tableId"])
    assert dialog.locator("[data-notes-input]").input_value() == ""
    dialog.locator("[data-notes-input]").fill("Birthday: cake at 21:00")
    dialog.locator("[data-notes-save]").click()
    dialog.wait_for(state="hidden")
    saved = live.table("T-05")
    assert (saved["notes"], saved["status"]) == ("Birthday: cake at 21:00", "occupied"), "notes alone, status kept"
    viewer.wait_for_function("el => el.textContent === 'Birthday: cake at 21:00'", arg=row_notes.element_handle())

    dialog = open_dialog(host, table["tableId"])
    assert dialog.locator("[data-notes-input]").input_value() == "Birthday: cake at 21:00"
    host.wait_for_function(
        "() => document.querySelector('[data-history-list] li')?.textContent"
        ".endsWith('notes “Birthday: cake at 21:00”')"
    )
    dialog.locator("[data-notes-input]").fill("")
    dialog.locator("[data-notes-save]").click()
    dialog.wait_for(state="hidden")
    assert live.table("T-05")["notes"] is None
    viewer.wait_for_function("el => el.textContent === ''", arg=row_notes.element_handle())


def test_a_hold_picked_in_the_dialog_counts_down_changes_and_reaches_the_other_screen(open_page, live):
    """Two taps, the table then "30 min", reserve it with a hold that ticks down; "60 min" and "No hold" change it."""
    table = fresh(live, "T-06")
    host = open_page("host")
    viewer = open_page("viewer")
    asked_at = datetime.now(UTC)
    dialog = open_dialog(host, table["tableId"])
    assert dialog.locator('[data-hold-minutes="none"]').is_hidden(), "nothing to end on an available table"
    dialog.locator('[data-hold-minutes="30"]').click()
    dialog.wait_for(state="hidden")

    held = live.table("T-06")
    assert held["status"] == "reserved"
    assert 29.5 <= minutes_from(held["reservedUntil"], asked_at) <= 31
    assert tile(host, table["tableId"]).locator("[data-timer]").inner_text() == "30 min left"
    seen = tile(viewer, table["tableId"]).locator("[data-timer]")
    viewer.wait_for_function("el => el.textContent === '30 min left'", arg=seen.element_handle())

    # 21 minutes on by the host's clock: 9 left, on the table and in its dialog.
    later = datetime.fromisoformat(held["reservedUntil"].replace("Z", "+00:00")) - timedelta(minutes=9)
    host.clock.set_fixed_time(later)
    timer = tile(host, table["tableId"]).locator("[data-timer]")
    host.wait_for_function("el => el.textContent === '9 min left'", arg=timer.element_handle())
    dialog = open_dialog(host, table["tableId"])
    assert dialog.locator("[data-hold-label]").inner_text() == "Change the hold"
    assert dialog.locator("[data-hold-left]").inner_text() == "9 min left"

    # A new hold of an hour from the host's now: the viewer's clock says about 81 minutes are left.
    dialog.locator('[data-hold-minutes="60"]').click()
    dialog.wait_for(state="hidden")
    assert 59.5 <= minutes_from(live.table("T-06")["reservedUntil"], later) <= 60.5
    viewer.wait_for_function("el => ['80 min left', '81 min left'].includes(el.textContent)", arg=seen.element_handle())

    dialog = open_dialog(host, table["tableId"])
    dialog.locator('[data-hold-minutes="none"]').click()
    dialog.wait_for(state="hidden")
    kept = live.table("T-06")
    assert (kept["status"], kept["reservedUntil"]) == ("reserved", None)
    seen.wait_for(state="hidden")


def test_a_hold_until_a_time_of_day_and_a_time_already_passed(open_page, live):
    """ "Until…" takes a time: two hours on holds the table till then; a time earlier today is refused in the dialog."""
    table = fresh(live, "T-07")
    host = open_page("host")
    at = host.evaluate("""() => { const pad = (n) => String(n).padStart(2, '0');
      const when = (ms) => {
        const d = new Date(Date.now() + ms);
        return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
      };
      // An hour ago, or midnight when that was yesterday: either has passed today.
      const hourAgo = new Date(Date.now() - 3600e3);
      const earlier = hourAgo.getDate() === new Date().getDate() ? when(-3600e3) : '00:00';
      return { later: when(2 * 3600e3 + 60e3), earlier }; }""")
    asked_at = datetime.now(UTC)
    dialog = open_dialog(host, table["tableId"])
    dialog.locator('[data-hold-minutes="until"]').click()
    dialog.locator("[data-hold-until-input]").fill(at["earlier"])
    dialog.locator("[data-hold-until-form] button[type=submit]").click()
    message = dialog.locator("[data-dialog-message]")
    message.wait_for(state="visible")
    assert message.inner_text() == f"{at['earlier']} has passed today: pick a later time."
    assert live.table("T-07")["status"] == "available", "nothing was sent"

    dialog.locator("[data-hold-until-input]").fill(at["later"])
    dialog.locator("[data-hold-until-form] button[type=submit]").click()
    dialog.wait_for(state="hidden")
    held = live.table("T-07")
    assert held["status"] == "reserved"
    assert 119.5 <= minutes_from(held["reservedUntil"], asked_at) <= 121.5


def test_notes_and_a_hold_made_offline_are_queued_and_delivered_on_reconnect(open_page, live, omar):
    """Offline: notes typed then "15 min", then the notes changed again; one queued change, delivered whole later."""
    table = fresh(live, "T-12")
    host = open_page("omar")
    host.context.set_offline(True)
    host.evaluate("() => window.tableside.connection.socket.disconnect()")
    dialog = open_dialog(host, table["tableId"])
    dialog.locator("[data-notes-input]").fill("Smith, 6 at 20:00")
    dialog.locator('[data-hold-minutes="15"]').click()  # the typed notes go with the pick
    dialog.wait_for(state="hidden")
    shown = tile(host, table["tableId"])
    assert shown.get_attribute("data-status") == "reserved" and shown.get_attribute("data-pending") == "true"
    assert shown.locator("[data-timer]").inner_text() == "15 min left"

    dialog = open_dialog(host, table["tableId"])
    assert dialog.locator("[data-notes-input]").input_value() == "Smith, 6 at 20:00", "the queued notes are shown"
    dialog.locator("[data-notes-input]").fill("Smith, 7 at 20:00")
    dialog.locator("[data-notes-save]").click()
    dialog.wait_for(state="hidden")
    notice = host.locator(f'[data-banner="queued-{table["tableId"]}"]')
    assert notice.inner_text().startswith("Notes for T-12: saved on this device; they will be sent")
    queued = host.evaluate("() => JSON.parse(localStorage.getItem('tableside:queue:omar'))")
    assert [(entry["status"], entry["expectedStatus"], entry["notes"]) for entry in queued] == [
        ("reserved", "available", "Smith, 7 at 20:00")
    ]
    assert queued[0]["reservedUntil"]
    assert live.table("T-12")["status"] == "available", "nothing reached the server while offline"

    host.context.set_offline(False)
    host.evaluate("() => window.tableside.connection.socket.connect()")
    wait_for_state(host, "live")
    sent = "() => JSON.parse(localStorage.getItem('tableside:queue:omar')).length === 0"
    host.wait_for_function(sent, timeout=20_000)
    delivered = live.table("T-12")
    assert (delivered["status"], delivered["notes"]) == ("reserved", "Smith, 7 at 20:00")
    assert minutes_from(delivered["reservedUntil"], datetime.fromisoformat(queued[0]["reservedUntil"])) == 0


def test_refusals_and_a_conflict_are_said_in_the_dialog(open_page, live):
    """Over-long notes are refused with the server's words, a change made meanwhile is asked about by name,
    and a sixth change in a second is refused with the rate-limit message; the dialog stays open each time."""
    table = fresh(live, "T-03")
    host = open_page("host")
    dialog = open_dialog(host, table["tableId"])
    notes = dialog.locator("[data-notes-input]")
    host.evaluate("() => document.querySelector('[data-notes-input]').removeAttribute('maxlength')")
    notes.fill("x" * 501)
    dialog.locator("[data-notes-save]").click()
    message = dialog.locator("[data-dialog-message]")
    message.wait_for(state="visible")
    assert message.inner_text() == "T-03 was not changed: At most 500 characters."
    assert live.table("T-03")["notes"] is None

    # The manager puts T-03 under maintenance while the host's dialog is open: saving notes asks first.
    live.set_status(table["tableId"], "maintenance")
    notes.fill("Wobbly leg, wedge under it")
    dialog.locator("[data-notes-save]").click()
    host.wait_for_function(
        "() => document.querySelector('[data-dialog-message]').textContent.startsWith("
        "'T-03 was changed by manager: it is Maintenance now. Save your notes anyway?')"
    )
    assert dialog.locator("[data-conflict-choice]").all_inner_texts() == ["Discard my notes", "Save my notes"]
    assert live.table("T-03")["notes"] is None, "never overwritten silently"
    dialog.locator('[data-conflict-choice="mine"]').click()
    dialog.wait_for(state="hidden")
    kept = live.table("T-03")
    assert (kept["status"], kept["notes"]) == ("maintenance", "Wobbly leg, wedge under it")

    # The same host's other device keeps using up every second's five changes while the host saves.
    dialog = open_dialog(host, table["tableId"])
    dialog.locator("[data-notes-input]").fill("Fixed")
    with other_device_busy(live, "host"):
        dialog.locator("[data-notes-save]").click()
        message = dialog.locator("[data-dialog-message]")
        host.wait_for_function(f"el => el.textContent === '{RATE_LIMITED}'", arg=message.element_handle())
    assert dialog.is_visible() and dialog.locator("[data-notes-input]").input_value() == "Fixed", "the draft is kept"
    assert live.table("T-03")["notes"] == "Wobbly leg, wedge under it"


def test_the_dialog_with_notes_and_a_hold_fits_a_phone_a_tablet_and_the_host_stand(open_page, live):
    """A reserved table's dialog, its hold counting down and its notes, in both themes: nothing runs off the side,
    the hold choices are 44 px targets, and the notes field shows the notes. Pictures: UPDATE_SCREENSHOTS=1
    (docs/screens) and SHOTS=folder (every size and theme)."""
    table = fresh(live, "T-04", "reserved")
    until = (datetime.now(UTC) + timedelta(minutes=42, seconds=55)).isoformat()
    response = live.manager.patch(
        f"{live.url}/api/tables/{table['tableId']}/status",
        json={"status": "reserved", "reservedUntil": until, "notes": "Okafor, party of 4: window seat asked for"},
    )
    assert response.status_code == 200, response.text
    for size in ("phone", "tablet", "host-stand"):
        for scheme in ("light", "dark"):
            page = open_page("host", viewport=SIZES[size], color_scheme=scheme)
            dialog = open_dialog(page, table["tableId"])
            assert dialog.locator("[data-hold-left]").inner_text() == "43 min left"
            assert dialog.locator("[data-notes-input]").input_value() == "Okafor, party of 4: window seat asked for"
            assert dialog.evaluate("el => el.scrollWidth <= el.clientWidth"), f"no sideways scrolling ({size})"
            heights = dialog.locator("[data-hold-minutes]:visible").evaluate_all(
                "chips => chips.map((chip) => chip.getBoundingClientRect().height)"
            )
            assert len(heights) == 5 and min(heights) >= 44, heights
            dialog.locator("[data-hold-picker]").scroll_into_view_if_needed()
            look_at(page, f"dialog-{size}-{scheme}")
            if scheme == "light" and size != "host-stand":
                keep_picture(page, f"service-dialog-{size}")
            page.context.close()
