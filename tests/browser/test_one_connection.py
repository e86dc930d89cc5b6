"""One connection per browser (issue 28): a browser's Tableside tabs share one Socket.IO connection.

Five tabs of one browser on three floors and the list make one socket at the server (its metrics
say so), each tab receives exactly the events of its own view, closing a tab leaves only the rooms no
other tab needs, a killed and restarted server gets one connection back and one sync, and closing
the last tab disconnects. The same five tabs in a browser without SharedWorker make five connections
and see the same events.
"""

import time

import pytest

from tests.browser.conftest import wait_for_state
from tests.support.browser import TABLET, signed_in_page
from tests.support.metrics import scrape
from tests.support.servers import start_sqlite_server

VIEWS = {"floor 1": "/tables?floor=1", "floor 1 again": "/tables?floor=1", "floor 2": "/tables?floor=2",
         "floor 3": "/tables?floor=3", "list": "/tables?view=list"}  # fmt: skip
FLOORS = {"floor 1": {1}, "floor 1 again": {1}, "floor 2": {2}, "floor 3": {3}, "list": {1, 2, 3}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = start_sqlite_server(tmp_path_factory.mktemp("one-connection"), BATCH_WINDOW_MS="50", OFFLINE_AFTER_SECONDS="3")
    furnish(live)
    yield live
    live.stop()


def furnish(live) -> None:
    """Two tables on each of floors 1-3, known by number in `live.tables`."""
    manager = live.api("manager")
    live.tables = {}
    for floor in (1, 2, 3):
        for place in (1, 2):
            number = f"F{floor}-{place}"
            body = {"tableNumber": number, "floor": floor, "capacity": 4, "x": 60 + 160 * place, "y": 80}
            response = manager.post(f"{live.url}/api/tables", json=body)
            assert response.status_code == 201, response.text
            live.tables[number] = response.json()["tableId"]


def sample(server, name: str) -> float:
    return scrape(server.url).get(name, 0.0)


def eventually(read, expected, timeout: float = 10.0):
    """The value `read()` settles on within `timeout` (the expected one, or the last seen)."""
    deadline = time.monotonic() + timeout
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def open_tabs(browser, server, shared: bool):
    context = browser.new_context(viewport=TABLET)
    if not shared:
        context.add_init_script("delete window.SharedWorker")
    first = signed_in_page(context, server.url, "host")
    tabs = {}
    for view, path in VIEWS.items():
        page = first if not tabs else context.new_page()
        page.goto(f"{server.url}{path}")
        wait_for_state(page, "live")
        tabs[view] = page
    for page in tabs.values():  # joined and synced: the page holds its tables
        page.wait_for_function("() => window.tableside.store.tables.size > 0")
    return context, tabs


def shows(page, table_id: int, status: str) -> None:
    page.wait_for_function(
        "([id, status]) => window.tableside.store.get(id)?.status === status", arg=[table_id, status], timeout=10_000
    )


def received(page) -> list[dict]:
    return page.evaluate("() => window.tableside.received.map(({name, eventId, floor}) => ({name, eventId, floor}))")


def change_each_floor(server, status: str) -> None:
    """A status change on one table of each floor."""
    host = server.api("host")
    for floor in (1, 2, 3):
        table_id = server.tables[f"F{floor}-1"]
        response = host.patch(f"{server.url}/api/tables/{table_id}/status", json={"status": status})
        assert response.status_code == 200, response.text


def each_tab_got_its_floors(server, tabs, status):
    change_each_floor(server, status)
    for view, page in tabs.items():
        for floor in FLOORS[view]:
            shows(page, server.tables[f"F{floor}-1"], status)
    time.sleep(0.5)  # anything misrouted would have arrived by now
    for view, page in tabs.items():
        changes = [item for item in received(page) if item["name"] in ("table:status_changed", "tables:batch_update")]
        assert sorted(item["floor"] for item in changes) == sorted(FLOORS[view]), (view, changes)


def test_five_tabs_of_one_browser_share_one_connection(browser, server):
    before = sample(server, "tableside_ws_connections")
    context, tabs = open_tabs(browser, server, shared=True)
    try:
        assert eventually(lambda: sample(server, "tableside_ws_connections"), before + 1) == before + 1
        rooms = scrape(server.url)
        for room in ("floor:1", "floor:2", "floor:3", "all_tables"):
            assert rooms.get(f'tableside_room_members{{room="{room}"}}') == 1, room

        each_tab_got_its_floors(server, tabs, "occupied")

        # Closing one of the two floor-1 tabs keeps the floor; closing the floor-2 tab leaves its room.
        tabs.pop("floor 1 again").close()
        tabs.pop("floor 2").close()
        members = lambda room: sample(server, f'tableside_room_members{{room="{room}"}}')  # noqa: E731
        assert eventually(lambda: members("floor:2"), 0) == 0
        assert members("floor:1") == 1 and members("all_tables") == 1
        FLOORS_LEFT = {"floor 1": {1}, "floor 3": {3}, "list": {1, 2, 3}}
        change_each_floor(server, "reserved")
        for view, page in tabs.items():
            for floor in FLOORS_LEFT[view]:
                shows(page, server.tables[f"F{floor}-1"], "reserved")
        assert sample(server, "tableside_ws_connections") == before + 1

        # All closed: the connection ends.
        for page in tabs.values():
            page.close()
        assert eventually(lambda: sample(server, "tableside_ws_connections"), before) == before
    finally:
        context.close()


def test_a_restarted_server_gets_one_connection_back_and_one_sync(browser, server):
    context, tabs = open_tabs(browser, server, shared=True)
    try:
        server.kill()
        for page in tabs.values():
            wait_for_state(page, "reconnecting")
        # A change made while the server was away, seen by every tab that shows its floor after one sync.
        server.start()
        host = server.api("host")
        table_id = server.tables["F2-2"]
        assert host.patch(f"{server.url}/api/tables/{table_id}/status", json={"status": "maintenance"}).status_code == 200
        for page in tabs.values():
            wait_for_state(page, "live", timeout=20_000)
        for view in ("floor 2", "list"):
            shows(tabs[view], table_id, "maintenance")
        assert eventually(lambda: sample(server, "tableside_ws_connections"), 1) == 1
        time.sleep(2)  # a second sync, if any tab asked on its own, would be answered by now
        metrics = scrape(server.url)
        syncs = sum(value for name, value in metrics.items() if name.startswith("tableside_syncs_total"))
        assert syncs == 1, {name: value for name, value in metrics.items() if "sync" in name}
        assert metrics.get("tableside_reconnects_total") == 1
        for view in ("floor 1", "floor 1 again", "floor 3"):
            assert tabs[view].evaluate("id => window.tableside.store.get(id)", table_id) is None
    finally:
        context.close()


def test_without_shared_worker_each_tab_has_its_own_connection(browser, server):
    before = sample(server, "tableside_ws_connections")
    context, tabs = open_tabs(browser, server, shared=False)
    try:
        assert eventually(lambda: sample(server, "tableside_ws_connections"), before + 5) == before + 5
        assert sample(server, 'tableside_room_members{room="floor:1"}') == 2
        each_tab_got_its_floors(server, tabs, "available")
    finally:
        context.close()
    assert eventually(lambda: sample(server, "tableside_ws_connections"), before) == before
