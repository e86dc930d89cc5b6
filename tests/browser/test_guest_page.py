"""The guest's own page in real Chromium on a phone: place in line, then "Your table is ready" the moment a
host notifies (within a second, the issue's figure), with a vibration; "On my way" reaches the host stand.

With SHOTS=docs/screens the pictures of the page are kept (light and dark, 320 and 390 px wide).
"""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import look_at, within_the_limit

pytestmark = pytest.mark.browser
PHONES = {"320": {"width": 320, "height": 640}, "390": {"width": 390, "height": 844}}
# Records each vibration the page asks for, where Chromium on a desktop has no motor.
VIBRATIONS = (
    "window.vibrations = []; navigator.vibrate = (pattern) => { window.vibrations.push(pattern); return true; };"
)
READY = "[data-guest-ready]:not([hidden])"


def open_guest_page(browser, live, party: dict, phone: str = "390", color_scheme: str = "light"):
    """The guest's phone: no sign-in, the link opened, once its socket is live."""
    context = browser.new_context(viewport=PHONES[phone], color_scheme=color_scheme, has_touch=True, is_mobile=True)
    context.add_init_script(VIBRATIONS)
    page = context.new_page()
    page.goto(f"{live.url}{party['guestUrl']}")
    page.wait_for_function("() => document.querySelector('[data-live]').textContent === 'Live'", timeout=5_000)
    return context, page


def add_party(live, size: int, **fields) -> dict:
    response = within_the_limit(lambda: live.host.post(f"{live.url}/api/parties", json={"size": size, **fields}))
    assert response.status_code == 201, response.text
    return response.json()


def notify(live, party: dict) -> None:
    url = f"{live.url}/api/parties/{party['partyId']}"
    response = within_the_limit(lambda: live.host.patch(url, json={"state": "notified"}))
    assert response.status_code == 200, response.text


def test_the_table_is_ready_within_a_second_and_on_my_way_reaches_the_stand(browser, live, open_page):
    """Waiting, then notified by a host: the page says "Your table is ready" within 1 s of the host's request
    and vibrates; "On my way" shows on the page and in a staff page's line (party:updated onTheWayAt)."""
    party = add_party(live, 4, name="Adeyemi", quotedMinutes=20)
    stand = open_page("viewer", path="/tables?floor=1")
    context, page = open_guest_page(browser, live, party)
    try:
        assert page.locator("[data-guest-waiting] h1").inner_text() == "You're in line"
        assert page.locator("[data-time-left]").inner_text().startswith(("About", "Any minute"))
        assert not page.locator(READY).count()

        started = time.monotonic()
        notify(live, party)
        page.wait_for_selector(READY, timeout=1_000)
        took = time.monotonic() - started
        assert took < 1.0, f"the page turned after {took:.2f}s"
        assert page.locator(f"{READY} h1").inner_text() == "Your table is ready"
        assert page.evaluate("window.vibrations.length") == 1
        assert page.title() == "Your table is ready"

        page.get_by_role("button", name="On my way").click()
        page.wait_for_selector("[data-on-the-way-note]:not([hidden])", timeout=5_000)
        stand.wait_for_function(
            f"() => Boolean(window.tableside.line.parties.get({party['partyId']})?.onTheWayAt)", timeout=5_000
        )
        # The host reads it on the waitlist, in words, and the party links to its QR code page.
        shown = stand.locator(f'[data-waitlist] [data-party-id="{party["partyId"]}"]')
        expect(shown.locator("[data-party-wait]")).to_contain_text("On the way · notified")
        assert shown.locator("[data-party-guest]").get_attribute("href") == f"/parties/{party['partyId']}/guest"
    finally:
        context.close()


def test_cancel_my_spot_asks_once_then_ends_the_page(browser, live):
    """Cancel asks to confirm; confirmed, the page says the spot is cancelled and the link is dead on reload."""
    party = add_party(live, 2)
    context, page = open_guest_page(browser, live, party, phone="320")
    try:
        page.get_by_role("button", name="Cancel my spot").click()
        page.get_by_role("button", name="Yes, cancel my spot").click()
        page.wait_for_selector("[data-guest-ended]:not([hidden])", timeout=5_000)
        assert page.locator("[data-ended-title]").inner_text() == "Your spot is cancelled"
        state = live.host.get(f"{live.url}/api/parties/{party['partyId']}").json()["state"]
        assert state == "cancelled"
        assert page.goto(f"{live.url}{party['guestUrl']}").status == 404
        assert page.locator("h1").inner_text() == "This link has expired"
    finally:
        context.close()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("phone", ["320", "390"])
def test_the_page_fits_a_phone_in_either_theme(browser, live, phone, color_scheme):
    """Nothing wider than the phone, waiting and ready; pictures kept with SHOTS."""
    add_party(live, 2, name="Ahead of them")
    party = add_party(live, 6, name="Nakamura-Whitfield", quotedMinutes=35)
    context, page = open_guest_page(browser, live, party, phone=phone, color_scheme=color_scheme)
    try:
        width = PHONES[phone]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        look_at(page, f"guest-waiting-{phone}-{color_scheme}")
        notify(live, party)
        page.wait_for_selector(READY, timeout=5_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        look_at(page, f"guest-ready-{phone}-{color_scheme}")
    finally:
        context.close()


def test_the_staff_link_page_shows_the_qr_code(open_page, live):
    """/parties/<id>/guest: the QR code loads, and the link is the absolute guest URL."""
    party = add_party(live, 3, name="QR")
    page = open_page("host", path=f"/parties/{party['partyId']}/guest", wait_live=False)
    assert page.locator(".guest-link__qr").evaluate("img => img.naturalWidth") > 0
    assert page.locator("[data-guest-url]").input_value() == f"{live.url}{party['guestUrl']}"
    look_at(page, "guest-link-staff")
