"""Real headless Chromium against one real Tableside server, shared by every browser test.

Chromium is Debian's (`/usr/bin/chromium`), driven by Python Playwright; it is never
downloaded. Without it the tests skip locally and fail under CI=true.
"""

import os
import time
from pathlib import Path

import pytest

from tests.support.browser import TABLET, signed_in_page
from tests.support.live_server import ROOT, LiveServer, base_env, prepare_database

OFFLINE_AFTER_SECONDS = 3
ARTIFACTS = ROOT / "test-artifacts"
# A dining room for the screenshots and the tests: (number, section, seats, shape, x, y, w, h, rotation)
MAIN_ROOM = [
    ("T-01", "Window", 2, "rect", 40, 40, 90, 70, 0),
    ("T-02", "Window", 2, "rect", 190, 40, 90, 70, 0),
    ("T-03", "Window", 2, "rect", 340, 40, 90, 70, 0),
    ("T-04", "Window", 4, "rect", 490, 40, 120, 70, 0),
    ("T-05", "Centre", 4, "round", 60, 190, 100, 100, 0),
    ("T-06", "Centre", 4, "round", 230, 190, 100, 100, 0),
    ("T-07", "Centre", 6, "round", 400, 180, 120, 120, 0),
    ("T-08", "Booths", 6, "rect", 40, 360, 140, 90, 0),
    ("T-09", "Booths", 6, "rect", 230, 360, 140, 90, 0),
    ("T-10", "Bar", 2, "round", 440, 370, 70, 70, 0),
    ("T-11", "Bar", 2, "round", 540, 370, 70, 70, 0),
    ("T-12", "Terrace door", 8, "rect", 600, 180, 100, 150, 90),
]
OPENING_STATUSES = {
    "T-02": "occupied",
    "T-04": "reserved",
    "T-07": "occupied",
    "T-09": "occupied",
    "T-11": "maintenance",
}


def service_app(database_url: str):
    """The app in this process on the server's database, to change tables while the server is down."""
    from app import create_app
    from app.config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    return create_app(Config)


class Restaurant:
    """The running server, its database, and ways to change tables as other staff would."""

    def __init__(self, server: LiveServer, database_url: str) -> None:
        self.server = server
        self.url = server.url
        self.database_url = database_url
        self.manager = server.api("manager")
        self.host = server.api("host")

    @property
    def running(self) -> bool:
        return self.server.process is not None and self.server.process.poll() is None

    def table(self, number: str) -> dict:
        tables = self.manager.get(f"{self.url}/api/tables").json()
        return next(table for table in tables if table["tableNumber"] == number)

    def table_by_id(self, table_id: int) -> dict:
        return self.manager.get(f"{self.url}/api/tables/{table_id}").json()

    def set_status(self, table_id: int, status: str) -> dict:
        """A manager's critical change over the API (not rate limited), as another member of staff."""
        response = self.manager.patch(
            f"{self.url}/api/tables/{table_id}/status", json={"status": status, "critical": True}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def create(self, **fields) -> dict:
        response = self.manager.post(f"{self.url}/api/tables", json=fields)
        assert response.status_code == 201, response.text
        return response.json()

    def change_while_down(self, table_id: int, status: str, by: str = "manager") -> None:
        """Change a table through the service layer while the server is stopped (logged as usual)."""
        assert not self.running
        self.change_unannounced(table_id, status, by)

    def change_unannounced(self, table_id: int, status: str, by: str = "manager") -> None:
        """Change a table from this process: logged, but its broadcast reaches no browser."""
        from app.extensions import db
        from app.services.status import change_status

        app = service_app(self.database_url)
        with app.app_context():
            change_status(table_id, status, by=by)
            db.session.remove()
            db.engine.dispose()

    def restart(self) -> None:
        self.server.start()
        self.manager = self.server.api("manager")
        self.host = self.server.api("host")


@pytest.fixture(scope="session")
def restaurant(tmp_path_factory) -> Restaurant:
    """One server (OFFLINE_AFTER_SECONDS=3) on a fresh SQLite database with a furnished main room."""
    folder = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{folder / 'live.db'}"
    prepare_database(database_url)
    from app.extensions import db
    from app.services.floors import rename_floor

    app = service_app(database_url)
    with app.app_context():
        for number, name in ((1, "Main room"), (2, "Mezzanine"), (3, "Terrace")):
            rename_floor(number, name)
        db.session.remove()
        db.engine.dispose()
    env = base_env(
        database_url,
        BATCH_WINDOW_MS="50",
        OFFLINE_AFTER_SECONDS=str(OFFLINE_AFTER_SECONDS),
        LOGIN_RATE_LIMIT="1000 per minute",
    )
    server = LiveServer(env, folder / "server.log").start()
    place = Restaurant(server, database_url)
    for number, section, seats, shape, x, y, width, height, rotation in MAIN_ROOM:
        table = place.create(
            tableNumber=number, floor=1, section=section, capacity=seats, shape=shape,
            x=x, y=y, width=width, height=height, rotation=rotation,
        )  # fmt: skip
        if number in OPENING_STATUSES:
            place.set_status(table["tableId"], OPENING_STATUSES[number])
    yield place
    server.stop()


def another_host(restaurant: Restaurant, username: str):
    """A further host on the shared server, and an API session signed in as them."""
    from tests.support.database import add_staff
    from tests.support.live_server import PASSWORD

    add_staff(restaurant.database_url, [username], "host", PASSWORD)
    return restaurant.server.api(username)


@pytest.fixture
def live(restaurant):
    """The shared server, running again after a test that stopped it, whatever the outcome."""
    yield restaurant
    if not restaurant.running:
        restaurant.restart()


@pytest.fixture
def open_page(browser, live):
    """Factory: a signed-in page (tablet-sized unless told) on PATH in a context of its own, once it shows Live."""
    contexts = []

    def open_as(
        username: str,
        path: str = "/tables?floor=1",
        wait_live: bool = True,
        viewport=TABLET,
        color_scheme="light",
        service_workers="allow",
        shared_connection=True,
    ):
        # service_workers="block" for a test that rewrites pages with page.route: Playwright does not
        # route what a service worker answers, and the worker takes over once it is active.
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, service_workers=service_workers)
        if not shared_connection:
            without_shared_worker(context)
        contexts.append(context)
        page = signed_in_page(context, live.url, username)
        if path:
            page.goto(f"{live.url}{path}")
        if wait_live:
            wait_for_state(page, "live", timeout=5_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def editor(browser, live):
    """Factory: a manager's layout editor of FLOOR in a context of its own (touch screen or mouse)."""
    contexts, pages = [], []

    def open_editor(
        floor: int, touch: bool = False, viewport: dict = TABLET, username: str = "manager", color_scheme: str = "light"
    ):
        context = browser.new_context(viewport=viewport, has_touch=touch, color_scheme=color_scheme)
        contexts.append(context)
        page = signed_in_page(context, live.url, username)
        page.goto(f"{live.url}/tables/layout?floor={floor}")
        page.wait_for_selector("#layout-plan")
        pages.append(page)
        return page

    yield open_editor
    # Each editor gives its floor back as a closing page does, so the next test finds the floor free.
    for page in pages:
        if not page.is_closed():
            page.evaluate("() => window.layoutHold?.putDown()")
    for context in contexts:
        context.close()


def without_shared_worker(context) -> None:
    """The context's pages run as in a browser without SharedWorker: each tab opens its own connection."""
    context.add_init_script("delete window.SharedWorker")


def within_the_limit(send):
    """`send()` again after a 429 (party and status changes are limited per person, and the person's
    count is kept in Redis, which other tests' servers share): the answer to the change, not to the limit."""
    for _ in range(30):
        response = send()
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("Retry-After", "1")))
    return response


def wait_for_state(page, state: str, timeout: float = 10_000) -> float:
    """Wait until the connection indicator shows `state`; returns the seconds it took."""
    started = time.monotonic()
    page.wait_for_function(
        "state => document.querySelector('#connection-status')?.dataset.state === state", arg=state, timeout=timeout
    )
    return time.monotonic() - started


def indicator(page) -> tuple[str, str]:
    """The indicator's data-state and its words."""
    element = page.locator("#connection-status")
    return element.get_attribute("data-state"), element.inner_text().strip()


def tile(page, table_id: int):
    return page.locator(f'#floor-plan [data-table-id="{table_id}"]')


def look_at(page, name: str) -> None:
    """A picture for a person to look at, in the folder named by SHOTS, when it is set."""
    if folder := os.environ.get("SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(400)  # let colour transitions finish
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def screenshot(page, name: str) -> Path:
    """Keep a screenshot under test-artifacts/ (gitignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
