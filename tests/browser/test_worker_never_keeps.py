"""The service worker never keeps or answers the API, the socket or sign-in, however the path is written."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.test_offline_reload import wait_until_worker_controls

pytestmark = pytest.mark.browser

# What the worker may keep: the shell's files, the manifest, and the signed-in person's pages.
KEPT_PATHS = re.compile(r"^/static/.+|^/manifest\.webmanifest$|^/tables(\?floor=\d+|\?view=list)?$")
READ = """async (path) => {
  try {
    const response = await fetch(location.origin + path, { credentials: "same-origin", cache: "no-store" });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { failed: String(error) };
  }
}"""
KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""


def reads_of(table_id: int) -> list[str]:
    """GETs that reach the API, the socket or sign-in, spelled as a client or a proxy might."""
    return [
        f"/api/tables/{table_id}/history",
        f"/api/tables/{table_id}/history?limit=5",
        f"/api/tables/{table_id}",
        "/api/summary?floor=1",
        "/api/floors",
        f"/%61pi/tables/{table_id}/history",  # the server decodes the escape: still the API
        f"//api/tables/{table_id}/history",  # the server merges the slashes: still the API
        "/socket.io/?EIO=4&transport=polling",
        "/login",
    ]


def test_no_api_socket_or_sign_in_answer_is_kept_or_given_offline(open_page, live):
    """Read online through the worker, then offline: every read fails; none was kept or answered by the worker."""
    table = live.table("T-04")
    page = open_page("host")
    wait_until_worker_controls(page)
    answered_by_worker = []
    page.on("response", lambda response: response.from_service_worker and answered_by_worker.append(response.url))

    reads = reads_of(table["tableId"])
    for path in reads:
        online = page.evaluate(READ, path)
        assert online.get("status") == 200, (path, online)
    history = page.evaluate(READ, reads[0])["body"]
    assert f'"tableId":{table["tableId"]}' in history.replace(" ", "")
    page.goto(f"{live.url}{reads[0]}")  # opened as a page too
    assert [url for url in answered_by_worker if not KEPT_PATHS.match(path_of(url))] == []

    # A change after the read: a kept copy would now be stale.
    live.set_status(table["tableId"], "maintenance")
    live.set_status(table["tableId"], "reserved")
    page.goto(f"{live.url}/tables?floor=1")
    kept = page.evaluate(KEPT_URLS)
    assert kept and [url for url in kept if not KEPT_PATHS.match(path_of(url))] == []

    page.context.set_offline(True)
    for path in reads:
        offline = page.evaluate(READ, path)
        assert "failed" in offline, f"{path} was answered offline: {offline}"
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(f"{live.url}{reads[0]}")
    page.context.set_offline(False)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
