"""Against real servers: what a floor-limited manager sees of the staff, who may read /metrics, and
which pages a browser or proxy may keep."""

import pytest
import requests

from tests.support.api import StaffApi
from tests.support.live_server import PASSWORD
from tests.support.servers import start_sqlite_server
from tests.support.sockets import signed_in_cookie

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = start_sqlite_server(tmp_path_factory.mktemp("staff"))
    from tests.support.database import app_context

    with app_context(live.database_url, PASSWORD_HASH_FAST=True):
        from app.services.users import create_user

        create_user("terrace.only", PASSWORD, "host", [3])
        create_user("floors.two.three", PASSWORD, "viewer", [2, 3])
    yield live
    live.stop()


def test_a_floor_limited_manager_lists_only_staff_who_share_a_floor(server):
    """floor2manager sees everyone who works floor 2 (all-floor staff included), never a terrace-only host."""
    staff = StaffApi(server.url, "floor2manager").get("/api/staff")
    assert staff.status_code == 200
    listed = {person["username"]: person["floors"] for person in staff.json()}
    assert "terrace.only" not in listed
    assert {"manager", "host", "viewer", "floor2host", "floor2manager", "floors.two.three"} <= set(listed)
    # Floors the manager may not see are not named either.
    assert listed["floors.two.three"] == [2] and listed["host"] == []
    everyone = {person["username"] for person in StaffApi(server.url, "manager").get("/api/staff").json()}
    assert {"terrace.only", "floors.two.three"} <= everyone


def test_signed_in_pages_are_never_kept_by_a_cache(server):
    """Every page a signed-in manager opens says Cache-Control: no-store, not only the plan and the list."""
    browser, _ = signed_in_cookie(server.url, "manager")
    table = StaffApi(server.url, "manager").create_table(floor=1)
    paths = [
        "/tables",
        "/tables?view=list",
        "/tables/new",
        f"/tables/{table['tableId']}/edit",
        f"/tables/{table['tableId']}/delete",
        "/tables/layout?floor=1",
        "/floors",
        "/users",
        "/logout",
    ]
    for path in paths:
        response = browser.get(f"{server.url}{path}", allow_redirects=False, timeout=10)
        assert response.status_code == 200, (path, response.status_code)
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_metrics_are_closed_in_production_without_a_token(tmp_path):
    """TABLESIDE_ENV=production with no METRICS_TOKEN: /metrics answers 403 and says what to set."""
    live = start_sqlite_server(tmp_path, TABLESIDE_ENV="production")
    try:
        response = requests.get(f"{live.url}/metrics", timeout=10)
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden" and "METRICS_TOKEN" in response.json()["message"]
        assert "tableside_ws_connections" not in response.text
    finally:
        live.stop()


def test_metrics_are_read_with_the_token_in_production(tmp_path):
    """With METRICS_TOKEN set, production serves /metrics to its bearer only."""
    live = start_sqlite_server(tmp_path, TABLESIDE_ENV="production", METRICS_TOKEN="scrape-me-please")
    try:
        assert requests.get(f"{live.url}/metrics", timeout=10).status_code == 401
        scraped = requests.get(f"{live.url}/metrics", headers={"Authorization": "Bearer scrape-me-please"}, timeout=10)
        assert scraped.status_code == 200 and "tableside_ws_connections" in scraped.text
    finally:
        live.stop()
