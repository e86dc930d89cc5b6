"""Behind nginx: the configuration in docs/deployment.md carries a browser's socket; `Host $host` does not.

Debian's nginx terminates TLS in front of a production-mode server (secure cookies,
PROXY_FIX_HOPS=1), with the nginx block read from the docs. Real Chromium signs in through
it. A second nginx with the common `proxy_set_header Host $host;` may stand in front of the
same server: cookies ignore ports, so a browser signed in through one proxy is signed in
through the other.
"""

import json

import pytest
import requests

from tests.support.api import StaffApi
from tests.support.browser import TABLET
from tests.support.live_server import PASSWORD, LiveServer, prepare_database
from tests.support.nginx import Nginx
from tests.support.servers import live_env
from tests.support.sockets import eventually

pytestmark = [pytest.mark.live, pytest.mark.browser]
COMMON_HOST_LINE = "proxy_set_header Host $host;"


class Site:
    """A production-mode server behind the documented nginx and, on request, behind a `$host` one."""

    def __init__(self, directory, with_common_proxy: bool, allow_common_proxy_origin: bool) -> None:
        database_url = f"sqlite:///{directory / 'live.db'}"
        prepare_database(database_url)
        env = live_env(database_url, TABLESIDE_ENV="production", PROXY_FIX_HOPS="1", BATCH_WINDOW_MS="0")
        self.server = LiveServer(env, directory / "server.log")
        self.proxy = Nginx(directory / "documented", self.server.port)
        self.common_proxy = (
            Nginx(directory / "common", self.server.port, COMMON_HOST_LINE) if with_common_proxy else None
        )
        if allow_common_proxy_origin:
            self.server.env["ALLOWED_ORIGINS"] = self.common_proxy.url
        self.proxies = [proxy for proxy in (self.proxy, self.common_proxy) if proxy]

    def start(self) -> "Site":
        self.server.start()
        for proxy in self.proxies:
            proxy.start()
        self.manager = StaffApi(self.server.url, "manager").on(self.proxy.url)
        # Trust the proxy's own certificate (REQUESTS_CA_BUNDLE in the environment would win over it).
        self.manager.http.trust_env = False
        self.manager.http.verify = str(self.proxy.certificate)
        return self

    def stop(self) -> None:
        for proxy in self.proxies:
            proxy.stop()
        self.server.stop()


@pytest.fixture
def site(tmp_path):
    """Factory: a started Site; everything it started is stopped after the test."""
    started: list[Site] = []

    def start(with_common_proxy: bool = False, allow_common_proxy_origin: bool = False) -> Site:
        place = Site(tmp_path, with_common_proxy, allow_common_proxy_origin)
        started.append(place)
        return place.start()

    yield start
    for place in started:
        place.stop()


@pytest.fixture
def tablet(browser):
    """A tablet-sized Chromium page that accepts the proxies' made-up certificates."""
    context = browser.new_context(viewport=TABLET, ignore_https_errors=True)
    # The page opens its own connection here (no SharedWorker), so that the test sees its WebSocket: with the
    # shared connection the socket is the worker's, out of the page's sight, and against these made-up
    # certificates it came up on long-polling (ignore_https_errors did not reach the worker's WebSocket).
    context.add_init_script("delete window.SharedWorker")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, url: str, username: str):
    """Fill in the sign-in form at `url`; the response to the form's POST."""
    page.goto(f"{url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_response(lambda response: response.url.endswith("/login")) as posted:
        page.click("button[type=submit]")
    return posted.value


def wait_until_live(page) -> None:
    page.locator('#connection-status[data-state="live"]').wait_for()


def tile_showing(page, table_id: int, status: str):
    return page.locator(f'#floor-plan [data-table-id="{table_id}"][data-status="{status}"]')


def logged(server: LiveServer, message: str, **fields) -> list[dict]:
    """The server's JSON log lines with this message and these fields."""
    lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("message") == message and fields.items() <= line.items()]


def handshake_status(proxy: Nginx) -> int:
    """Status of a polling handshake through `proxy` carrying the page's own Origin, as a browser sends it."""
    response = requests.get(
        f"{proxy.url}/socket.io/?EIO=4&transport=polling",
        headers={"Origin": proxy.url},
        verify=proxy.certificate,
        timeout=10,
    )
    return response.status_code


def test_documented_config_carries_a_hosts_page_live_and_a_change_reaches_it(site, tablet):
    """Through the documented nginx block the host signs in, the floor plan goes Live and shows a manager's change."""
    place = site()
    table = place.manager.create_table(floor=1)
    websockets = []
    tablet.on("websocket", lambda websocket: websockets.append(websocket.url))
    assert sign_in(tablet, place.proxy.url, "host").status == 302
    tablet.goto(f"{place.proxy.url}/tables?floor=1")
    wait_until_live(tablet)
    assert tile_showing(tablet, table["tableId"], "available").count() == 1
    assert any(url.startswith(f"wss://127.0.0.1:{place.proxy.port}/socket.io/") for url in websockets), websockets

    response = place.manager.set_status(table["tableId"], "occupied", critical=True)

    assert response.status_code == 200, response.text
    tile_showing(tablet, table["tableId"], "occupied").wait_for()
    assert handshake_status(place.proxy) == 200
    # PROXY_FIX_HOPS=1: the logs name the browser (127.0.0.1), not nginx's own address (127.0.0.2).
    # (The page the sign-in led to may have opened its socket before the test moved on: one or two.)
    assert [line["remote"] for line in logged(place.server, "request", method="POST", path="/login")] == ["127.0.0.1"]
    assert {line["remote"] for line in logged(place.server, "socket connect", user="host")} == {"127.0.0.1"}


def test_common_host_line_refuses_sign_in_and_every_socket(site, tablet):
    """With `Host $host` the sign-in form is refused, and a signed-in page loads but its socket gets 400, never Live."""
    place = site(with_common_proxy=True)
    table = place.manager.create_table(floor=1)

    refused = sign_in(tablet, place.common_proxy.url, "host")

    assert refused.status == 400
    assert sign_in(tablet, place.proxy.url, "host").status == 302
    tablet.goto(f"{place.common_proxy.url}/tables?floor=1")
    assert tile_showing(tablet, table["tableId"], "available").count() == 1
    assert eventually(lambda: any(status == 400 for _, status in place.common_proxy.socket_requests()), timeout=10)
    assert 101 not in [status for _, status in place.common_proxy.socket_requests()]
    assert tablet.locator("#connection-status").get_attribute("data-state") != "live"
    assert handshake_status(place.common_proxy) == 400


def test_allowed_origins_lets_sockets_through_the_common_host_line(site, tablet):
    """`Host $host` with ALLOWED_ORIGINS naming its public origin: a signed-in page goes Live and gets changes."""
    place = site(with_common_proxy=True, allow_common_proxy_origin=True)
    table = place.manager.create_table(floor=1)
    assert sign_in(tablet, place.proxy.url, "host").status == 302
    tablet.goto(f"{place.common_proxy.url}/tables?floor=1")
    wait_until_live(tablet)

    place.manager.set_status(table["tableId"], "reserved", critical=True)

    tile_showing(tablet, table["tableId"], "reserved").wait_for()
    assert handshake_status(place.common_proxy) == 200
    assert handshake_status(place.proxy) == 400
