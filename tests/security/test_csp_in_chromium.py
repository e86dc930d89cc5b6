"""The Content-Security-Policy in real Chromium: every page loads with no violation and its socket goes Live."""

import pytest

from tests.support.browser import TABLET, signed_in_page
from tests.support.servers import start_sqlite_server

pytestmark = [pytest.mark.live, pytest.mark.browser]
LIVE_PAGES = ["/tables?floor=1", "/tables?view=list"]
OTHER_PAGES = ["/tables/layout?floor=1", "/tables/new", "/floors", "/users"]
# Collects what the browser itself reports, before any page script runs.
REPORTER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory, browser):
    """A manager signed in in headless Chromium on a real server, console messages recorded."""
    server = start_sqlite_server(tmp_path_factory.mktemp("csp"))
    context = None
    try:
        context = browser.new_context(viewport=TABLET)
        context.add_init_script(REPORTER)
        tab = signed_in_page(context, server.url)
        tab.console = []
        tab.on("console", lambda message: tab.console.append(message.text))
        tab.server_url = server.url
        yield tab
    finally:
        if context is not None:
            context.close()
        server.stop()


def violations(page) -> list[str]:
    reported = page.evaluate("window.__violations")
    return reported + [text for text in page.console if "Content Security Policy" in text]


@pytest.mark.parametrize("path", LIVE_PAGES)
def test_live_pages_open_their_socket_with_no_csp_violation(page, path):
    """The floor plan and the list show "Live" under the policy, and Chromium reports no violation."""
    page.console.clear()
    response = page.goto(f"{page.server_url}{path}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_function("() => document.querySelector('#connection-status')?.dataset.state === 'live'")
    assert page.locator("#connection-status").inner_text().strip() == "Live"
    assert violations(page) == []


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_managers_pages_load_with_no_csp_violation(page, path):
    """The layout editor, forms, floors and staff pages run their scripts and styles within the policy."""
    page.console.clear()
    response = page.goto(f"{page.server_url}{path}")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert violations(page) == []


def test_an_injected_inline_script_is_blocked(page):
    """Proof the policy is enforced: an inline script added to the page never runs and is reported."""
    page.goto(f"{page.server_url}/tables?floor=1")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = true";
        document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in violation for violation in violations(page))
