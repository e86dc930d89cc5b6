"""Debian's Chromium driven by Python Playwright, one instance for the whole test run.

Playwright's sync API runs its own event loop; two of them at once in one thread refuse
to start, so every test that needs a browser shares the session's `browser` fixture.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"width": 768, "height": 1024}


def chromium_path() -> str:
    """Debian's chromium, or fail under CI and skip elsewhere."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test; each test opens its own contexts."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


def signed_in_page(context, server_url: str, username: str = "manager"):
    """A new page of CONTEXT, signed in through the login form as USERNAME (staff password)."""
    from tests.support.live_server import PASSWORD

    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{server_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/tables**")
    return page
