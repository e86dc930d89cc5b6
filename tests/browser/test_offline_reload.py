"""The floor plan survives a reload without network, leaves nothing behind at sign-out, and installs."""

import json
import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import indicator, screenshot, tile, wait_for_state
from tests.support.browser import CHROMIUM_ARGS, TABLET, chromium_path
from tests.support.live_server import PASSWORD

pytestmark = pytest.mark.browser

OFFLINE = "You are working offline. Changes will sync when connection is restored."
PHONE = {"width": 390, "height": 844}
# Backoff is 1, 2, 4, 8, 16 s with jitter: after a while offline the next try can be ~16 s away.
RECONNECT_TIMEOUT_MS = 25_000

KEPT_PAGE = """async (url) => {
  const kept = await caches.match(url);
  return kept ? await kept.text() : null;
}"""
KEPT_STATE = """() => Object.fromEntries(
  Object.keys(localStorage).filter((key) => key.startsWith("tableside:")).map((key) => [key, localStorage.getItem(key)])
)"""


def wait_until(page, script: str, arg=None, timeout: float = 10) -> None:
    """Wait until an async page script answers true (page.evaluate awaits it; wait_for_function would not)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false: {script} {arg}"
        page.wait_for_timeout(100)


def wait_until_kept(page, *urls: str) -> None:
    """Wait until the worker has kept every URL."""
    kept = "async (urls) => (await Promise.all(urls.map((url) => caches.match(url)))).every(Boolean)"
    wait_until(page, kept, list(urls), timeout=30)


ACTIVE_WORKER = """async () => {
  const registration = await navigator.serviceWorker.getRegistration("/");
  return Boolean(registration && registration.active && registration.active.state === "activated");
}"""


def wait_until_controlled(page) -> None:
    """The service worker has installed and controls the page."""
    # Installing fetches the whole shell: on a loaded machine that can take a while.
    wait_until(page, ACTIVE_WORKER, timeout=45)
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        # Active but not yet controlling this page (its claim raced the page's load): a
        # reload is a navigation, and an active worker controls every navigation in scope.
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)


def wait_until_worker_controls(page) -> None:
    """The service worker has installed, taken the page, and kept its floors and the list."""
    wait_until_controlled(page)
    wait_until_kept(page, "/tables?floor=1", "/tables?floor=2", "/tables?view=list")


def kept_tile_status(page, url: str, table_id: int) -> str:
    """The status a kept page's HTML (its server-rendered state) gives a table."""
    html = page.evaluate(KEPT_PAGE, url)
    assert html is not None, f"{url} was not kept"
    match = re.search(rf'data-table-id="{table_id}" data-status="(\w+)"', html)
    assert match, f"table {table_id} is not in the kept {url}"
    return match.group(1)


def wait_until_last_seen(page, key: str, table_id: int, status: str) -> None:
    """Wait until the device's copy of the tables (localStorage KEY) has the table in STATUS."""
    script = """([key, id, status]) => (JSON.parse(localStorage.getItem(key) || '{"tables": []}').tables)
      .some((table) => table.tableId === id && table.status === status)"""
    wait_until(page, script, [key, table_id, status])


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/tables**")


def sign_out(page) -> None:
    page.click("form[action='/logout'] button[type=submit]")
    page.wait_for_url("**/login**")


def kept_by_browser(page) -> dict:
    """What the site keeps in this browser: cache names, tableside localStorage keys, worker registrations."""
    return page.evaluate(
        """async () => ({
          caches: await caches.keys(),
          storage: Object.keys(localStorage).filter((key) => key.startsWith("tableside:")),
          workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )


def test_reload_offline_shows_the_floor_as_last_seen_queues_a_change_and_syncs_when_back(open_page, live):
    """Offline reload: the floor as last seen, Disconnected; a change queued, sent later."""
    changed_live, queued = live.table("T-06"), live.table("T-03")
    for table in (changed_live, queued):
        live.set_status(table["tableId"], "available")
    host = open_page("host")
    viewer = open_page("viewer")
    wait_until_worker_controls(host)

    # Another member of staff seats T-06 while the tablet is online: it arrives live.
    live.set_status(changed_live["tableId"], "occupied")
    host.wait_for_selector(f'#floor-plan [data-table-id="{changed_live["tableId"]}"][data-status="occupied"]')
    wait_until_last_seen(host, "tableside:last-seen:host:floor-1", changed_live["tableId"], "occupied")
    # The kept page was rendered before that change: it alone would show T-06 available.
    assert kept_tile_status(host, "/tables?floor=1", changed_live["tableId"]) == "available"

    host.context.set_offline(True)
    host.reload()
    assert host.evaluate("() => document.documentElement.dataset.offlineCopy") == "true"
    host.wait_for_function("() => window.tableside !== undefined")  # the page's script has run
    # At once, not after OFFLINE_AFTER_SECONDS: a kept copy means the network is away.
    assert indicator(host) == ("disconnected", "Disconnected")
    assert host.locator('[data-banner="offline"]').inner_text() == OFFLINE
    assert tile(host, changed_live["tableId"]).get_attribute("data-status") == "occupied"
    assert tile(host, queued["tableId"]).get_attribute("data-status") == "available"
    assert host.locator("#floor-plan [data-table-id]").count() == live_table_count(live)

    tile(host, queued["tableId"]).click()
    host.click('[data-set-status="reserved"]')
    # Queued counts as done: the dialog closes (two taps) and a notice says where the change waits.
    host.locator("#table-dialog").wait_for(state="hidden")
    queued_notice = host.locator(f'[data-banner="queued-{queued["tableId"]}"]')
    assert "will be sent when the connection returns" in queued_notice.inner_text()
    assert tile(host, queued["tableId"]).get_attribute("data-status") == "reserved"
    assert tile(host, queued["tableId"]).get_attribute("data-pending") == "true"
    entries = json.loads(host.evaluate("() => localStorage.getItem('tableside:queue:host')"))
    assert [(e["tableId"], e["status"], e["expectedStatus"]) for e in entries] == [
        (queued["tableId"], "reserved", "available")
    ]
    host.wait_for_timeout(700)  # let the colour transitions finish for the pictures
    screenshot(host, "offline-reload-tablet")
    host.set_viewport_size(PHONE)
    host.wait_for_timeout(300)
    screenshot(host, "offline-reload-phone")
    assert live.table("T-03")["status"] == "available"
    assert tile(viewer, queued["tableId"]).get_attribute("data-status") == "available"

    host.context.set_offline(False)
    wait_for_state(host, "live", timeout=RECONNECT_TIMEOUT_MS)
    sent = f'#floor-plan [data-table-id="{queued["tableId"]}"][data-status="reserved"]:not([data-pending])'
    host.wait_for_selector(sent)
    assert live.table("T-03")["status"] == "reserved"
    viewer.wait_for_selector(f'#floor-plan [data-table-id="{queued["tableId"]}"][data-status="reserved"]')
    assert host.evaluate("() => localStorage.getItem('tableside:queue:host')") == "[]"


def test_the_list_reloaded_offline_shows_the_tables_as_last_seen(open_page, live):
    """The list, too, comes back without network with the tables as last seen, Disconnected."""
    table = live.table("T-08")
    live.set_status(table["tableId"], "available")
    viewer = open_page("viewer", "/tables?view=list")
    wait_until_worker_controls(viewer)
    live.set_status(table["tableId"], "maintenance")
    row = viewer.locator(f'#table-list tr[data-table-id="{table["tableId"]}"]')
    viewer.wait_for_selector(f'#table-list tr[data-table-id="{table["tableId"]}"][data-status="maintenance"]')
    wait_until_last_seen(viewer, "tableside:last-seen:viewer:list", table["tableId"], "maintenance")
    assert kept_tile_status(viewer, "/tables?view=list", table["tableId"]) == "available"

    viewer.context.set_offline(True)
    viewer.reload()
    viewer.wait_for_function("() => window.tableside !== undefined")
    assert indicator(viewer) == ("disconnected", "Disconnected")
    assert viewer.locator('[data-banner="offline"]').inner_text() == OFFLINE
    assert row.get_attribute("data-status") == "maintenance"
    viewer.context.set_offline(False)


def live_table_count(live) -> int:
    return sum(1 for table in live.manager.get(f"{live.url}/api/tables").json() if table["floor"] == 1)


def test_after_sign_out_an_offline_reload_shows_no_floor_and_nothing_is_kept(open_page, live):
    """Signing out clears the worker, its caches and the page's copies; offline, no floor plan appears."""
    host = open_page("host")
    wait_until_worker_controls(host)
    host.wait_for_function("() => localStorage.getItem('tableside:last-seen:host:floor-1') !== null")

    sign_out(host)
    kept = kept_by_browser(host)
    assert kept == {"caches": [], "storage": [], "workers": 0}

    host.context.set_offline(True)
    for attempt in (host.reload, lambda: host.goto(f"{live.url}/tables?floor=1")):
        try:
            attempt()
        except PlaywrightError as error:
            assert "ERR_INTERNET_DISCONNECTED" in str(error)
        assert host.locator("#floor-plan").count() == 0
        assert host.locator("[data-table-id]").count() == 0
    host.context.set_offline(False)


def test_a_session_that_ended_takes_the_kept_pages_and_tables_with_it(open_page, live):
    """A visit sent to sign in (the session ended) removes the kept pages and table copies; offline, no floor."""
    host = open_page("host")
    wait_until_worker_controls(host)
    host.wait_for_function("() => localStorage.getItem('tableside:last-seen:host:floor-1') !== null")

    host.context.clear_cookies()  # the session ends: expired, or ended on the server
    host.goto(f"{live.url}/tables?floor=1")
    host.wait_for_url("**/login**")
    wait_until(
        host,
        """async () => !(await caches.keys()).some((name) => name.startsWith("tableside-pages:"))
          && !Object.keys(localStorage).some((key) => key.startsWith("tableside:last-seen:"))""",
    )

    host.context.set_offline(True)
    host.goto(f"{live.url}/tables?floor=1")  # the worker is still there, with no page to give
    assert host.locator("h1").inner_text() == "You are offline"
    assert host.locator("#floor-plan").count() == 0
    assert host.locator("[data-table-id]").count() == 0
    host.context.set_offline(False)


def test_the_next_person_on_the_same_tablet_finds_nothing_of_the_last(open_page, live):
    """A signs out, B signs in on the same browser: B's pages, copies and queue are B's alone."""
    manager = open_page("manager")
    wait_until_worker_controls(manager)
    manager.wait_for_function("() => localStorage.getItem('tableside:last-seen:manager:floor-1') !== null")
    manager.evaluate("() => localStorage.setItem('tableside:queue:manager', '[]')")
    sign_out(manager)

    sign_in(manager, live.url, "floor2host")
    page = manager
    wait_for_state(page, "live", timeout=5_000)
    wait_until_controlled(page)
    wait_until_kept(page, "/tables?floor=2", "/tables?view=list")
    kept = kept_by_browser(page)
    assert kept["caches"] and all("manager" not in name for name in kept["caches"])
    assert [name for name in kept["caches"] if name.startswith("tableside-pages:")] == ["tableside-pages:floor2host"]
    assert all(":manager" not in key for key in kept["storage"]), kept["storage"]
    assert page.evaluate(KEPT_PAGE, "/tables?floor=1") is None  # a floor B may not see is not kept
    assert 'data-user="floor2host"' in page.evaluate(KEPT_PAGE, "/tables?floor=2")

    page.context.set_offline(True)
    page.reload()
    wait_for_state(page, "disconnected", timeout=3_000)
    state = json.loads(page.locator("#initial-state").text_content())
    assert state["me"]["username"] == "floor2host"
    assert {t["floor"] for t in page.evaluate("() => window.tableside.store.all()")} <= {2}
    page.context.set_offline(False)


@pytest.fixture
def profile_page(browser, live, tmp_path):
    """The host's floor plan in a browser profile on disk (ordinary contexts are incognito: nothing installs)."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=chromium_path(), args=CHROMIUM_ARGS, viewport=TABLET
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live.url, "host")
    yield page
    context.close()


def read_manifest(page, url: str) -> dict:
    """The web app manifest Chromium has for the page (CDP), checked to be Tableside's and free of errors."""
    manifest = page.context.new_cdp_session(page).send("Page.getAppManifest")
    assert manifest["url"] == f"{url}/manifest.webmanifest"
    assert manifest["errors"] == []
    data = json.loads(manifest["data"] or "{}")
    assert data.get("name") == "Tableside", manifest
    return data


def installability_errors(page) -> list:
    return page.context.new_cdp_session(page).send("Page.getInstallabilityErrors")["installabilityErrors"]


def test_manifest_is_valid_and_the_floor_plan_is_installable(profile_page, live):
    """Chromium reads the manifest without errors and reports no installability error for the floor plan."""
    wait_until_worker_controls(profile_page)
    read_manifest(profile_page, live.url)
    assert installability_errors(profile_page) == []


def test_a_floor_plan_reloaded_offline_has_its_manifest_and_icons_and_installs_when_back(profile_page, live):
    """Reloaded without network, the page gets its manifest and icons from the worker; back online it installs."""
    page = profile_page
    wait_until_worker_controls(page)
    manifest_answers = []
    page.on(
        "response",
        lambda response: (
            response.url == f"{live.url}/manifest.webmanifest"
            and manifest_answers.append((response.status, response.from_service_worker))
        ),
    )

    page.context.set_offline(True)
    page.reload()
    assert page.evaluate("() => document.documentElement.dataset.offlineCopy") == "true"
    wait_for_state(page, "disconnected", timeout=3_000)
    manifest = read_manifest(page, live.url)
    # Chromium's own fetch of the linked manifest, not only the page's, was answered by the worker.
    assert manifest_answers and set(manifest_answers) == {(200, True)}, manifest_answers
    for icon in manifest["icons"]:
        fetched = page.evaluate(
            """async (src) => { const response = await fetch(src);
              return [response.status, response.headers.get("Content-Type"), (await response.blob()).size]; }""",
            icon["src"],
        )
        assert fetched[0] == 200 and fetched[1] == icon["type"] and fetched[2] > 0, (icon, fetched)
    assert installability_errors(page) == []

    page.context.set_offline(False)
    wait_for_state(page, "live", timeout=RECONNECT_TIMEOUT_MS)
    assert page.evaluate("() => document.documentElement.dataset.offlineCopy") == "true", "the same page came back"
    read_manifest(page, live.url)
    assert installability_errors(page) == []


def test_a_new_release_is_offered_as_a_reload_never_mixed_in_silently(open_page, live):
    """After a deploy the open page says a new version is ready; Reload brings the new worker and shell."""
    page = open_page("host")
    wait_until_worker_controls(page)
    before = page.evaluate("async () => (await caches.keys()).filter((name) => name.startsWith('tableside-shell-'))")
    previous = live.server.env.get("RELEASE")
    try:
        live.server.stop()
        live.server.env["RELEASE"] = "next-release"
        live.restart()
        notice = page.locator('[data-banner="new-release"]')
        notice.wait_for(timeout=RECONNECT_TIMEOUT_MS)
        assert notice.locator(".banner__text").inner_text() == "A new version of Tableside is ready."
        assert page.evaluate("() => window.tableside !== undefined")
        with page.expect_navigation():
            notice.get_by_role("button", name="Reload").click()
        wait_for_state(page, "live", timeout=10_000)
        version = re.search(r'const VERSION = "(\w+)"', live.manager.get(f"{live.url}/sw.js").text).group(1)
        page.wait_for_function(
            "async (name) => (await caches.keys()).filter((n) => n.startsWith('tableside-shell-')).join() === name",
            arg=f"tableside-shell-{version}",
        )
        assert before != [f"tableside-shell-{version}"]
        assert page.locator('[data-banner="new-release"]').count() == 0
    finally:
        live.server.stop()
        if previous is None:
            live.server.env.pop("RELEASE", None)
        else:
            live.server.env["RELEASE"] = previous
        live.restart()
