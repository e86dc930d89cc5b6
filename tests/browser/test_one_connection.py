"""One connection per browser (issue 28): a browser's Tableside tabs share one Socket.IO connection.

Five tabs of one browser on three floors and the list make one socket at the server (its metrics
say so), each tab receives exactly the events of its own view, closing a tab leaves only the rooms no
other tab needs, a killed and restarted server gets one connection back and one sync, and closing
the last tab disconnects. The same five tabs in a browser without SharedWorker make five connections
and see the same events.
"""

import time

import pytest

from tests.browser.conftest import wait_for_state, within_the_limit, without_shared_worker
from tests.support.browser import TABLET, signed_in_page
from tests.support.metrics import scrape
from tests.support.servers import start_sqlite_server

VIEWS = {"floor 1": "/tables?floor=1", "floor 1 again": "/tables?floor=1", "floor 2": "/tables?floor=2",
         "floor 3": "/tables?floor=3", "list": "/tables?view=list"}  # fmt: skip
FLOORS = {"floor 1": {1}, "floor 1 again": {1}, "floor 2": {2}, "floor 3": {3}, "list": {1, 2, 3}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-connection")
    live = start_sqlite_server(folder, BATCH_WINDOW_MS="50", OFFLINE_AFTER_SECONDS="3")
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
        without_shared_worker(context)
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
        url = f"{server.url}/api/tables/{table_id}/status"
        response = within_the_limit(lambda url=url: host.patch(url, json={"status": status}))
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
    wires_before = sample(server, "tableside_wires")
    context, tabs = open_tabs(browser, server, shared=True)
    try:
        assert eventually(lambda: sample(server, "tableside_ws_connections"), before + 1) == before + 1
        assert sample(server, "tableside_wires") == wires_before + 1, "the shared connection is a WebSocket"
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


@pytest.mark.parametrize("shared", [True, False], ids=["shared-worker", "own-connections"])
def test_a_restarted_server_gets_one_connection_back_and_one_sync(browser, server, shared):
    """Shared, the five tabs come back as one connection and one sync; each on its own, as five of each."""
    each = 1 if shared else len(VIEWS)
    context, tabs = open_tabs(browser, server, shared=shared)
    try:
        server.kill()
        for page in tabs.values():
            wait_for_state(page, "reconnecting")
        # A change made while the server was away, seen by every tab that shows its floor after one sync.
        server.start()
        host = server.api("host")
        table_id = server.tables["F2-2"]
        url = f"{server.url}/api/tables/{table_id}/status"
        changed = within_the_limit(lambda: host.patch(url, json={"status": "maintenance"}))
        assert changed.status_code == 200
        for page in tabs.values():
            wait_for_state(page, "live", timeout=20_000)
        for view in ("floor 2", "list"):
            shows(tabs[view], table_id, "maintenance")
        assert eventually(lambda: sample(server, "tableside_ws_connections"), each) == each
        time.sleep(2)  # a second sync, if any tab asked on its own, would be answered by now
        metrics = scrape(server.url)
        syncs = sum(value for name, value in metrics.items() if name.startswith("tableside_syncs_total"))
        assert syncs == each, {name: value for name, value in metrics.items() if "sync" in name}
        assert metrics.get("tableside_reconnects_total") == each
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


def test_two_tabs_on_one_floor_claim_through_the_one_connection(browser, server):
    """The table shown in hand to others is the one the most recent of the browser's tabs opened; when
    that tab puts it down, the other tab's open table shows again, and nothing once both are closed."""
    from playwright.sync_api import expect

    context, tabs = open_tabs(browser, server, shared=True)
    other = browser.new_context(viewport=TABLET)
    try:
        watching = signed_in_page(other, server.url, "manager")
        watching.goto(f"{server.url}/tables?floor=1")
        wait_for_state(watching, "live")
        first, second = server.tables["F1-1"], server.tables["F1-2"]
        tile = lambda table_id: watching.locator(f'#floor-plan [data-table-id="{table_id}"]')  # noqa: E731

        tabs["floor 1"].locator(f'#floor-plan [data-table-id="{first}"]').click()
        expect(tile(first)).to_have_attribute("data-claimed-by", "host")
        tabs["floor 1 again"].locator(f'#floor-plan [data-table-id="{second}"]').click()
        expect(tile(second)).to_have_attribute("data-claimed-by", "host")
        expect(tile(first)).not_to_have_attribute("data-claimed-by", "host")

        tabs["floor 1 again"].locator("#table-dialog [data-dialog-close]").click()
        expect(tile(first)).to_have_attribute("data-claimed-by", "host")
        tabs["floor 1"].locator("#table-dialog [data-dialog-close]").click()
        expect(tile(first)).not_to_have_attribute("data-claimed-by", "host")
        expect(watching.locator('[data-presence-people] [title="host"]')).to_have_count(1)
    finally:
        other.close()
        context.close()


def test_a_change_made_offline_is_sent_by_one_tab(browser, server):
    """Two tabs of one browser come back together: the queued change is sent once, and one tab says so."""
    from playwright.sync_api import expect

    context, tabs = open_tabs(browser, server, shared=True)
    try:
        table_id = server.tables["F1-2"]
        server.stop()
        tapping = tabs["floor 1"]
        wait_for_state(tapping, "reconnecting")
        tapping.locator(f'#floor-plan [data-table-id="{table_id}"]').click()
        tapping.click('[data-set-status="maintenance"]')
        expect(tapping.locator(f'[data-banner="queued-{table_id}"]')).to_be_visible()

        server.start()
        for page in tabs.values():
            wait_for_state(page, "live", timeout=20_000)
        for page in (tabs["floor 1"], tabs["floor 1 again"]):
            shows(page, table_id, "maintenance")
        said = [page.locator('#banners [data-banner="queue-sent"]') for page in tabs.values()]
        deadline = time.monotonic() + 5
        while not any(notice.count() for notice in said) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [notice.inner_text() for notice in said if notice.count()] == ["1 change made offline was sent"]
        history = server.api("host").get(f"{server.url}/api/tables/{table_id}/history").json()["events"]
        assert [entry.get("newStatus") for entry in history].count("maintenance") == 1
    finally:
        context.close()


def test_a_tab_whose_shared_worker_cannot_start_connects_on_its_own(browser, server):
    """The worker's script does not load (offline and not kept, say): the tab opens its own connection."""
    context = browser.new_context(viewport=TABLET, service_workers="block")
    try:
        context.route("**/shared-socket/worker*.js", lambda route: route.abort())
        page = signed_in_page(context, server.url, "host")
        page.goto(f"{server.url}/tables?floor=2")
        wait_for_state(page, "live")
        assert page.evaluate("() => window.tableside.connection.socket.shared") is False
        host = server.api("host")
        table_id = server.tables["F2-1"]
        url = f"{server.url}/api/tables/{table_id}/status"
        assert within_the_limit(lambda: host.patch(url, json={"status": "reserved"})).status_code == 200
        shows(page, table_id, "reserved")
    finally:
        context.close()
