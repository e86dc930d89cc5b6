"""Against real servers: an event flood, production cookies, and a role taken away in every process."""

import threading
import time

import pytest
import requests

from tests.production.conftest import Cluster
from tests.support.api import StaffApi
from tests.support.live_server import PASSWORD
from tests.support.servers import start_sqlite_server
from tests.support.sockets import LiveSocket, eventually, signed_in_cookie

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = start_sqlite_server(tmp_path_factory.mktemp("hostile"))
    yield live
    live.stop()


def test_an_event_flood_from_one_client_does_not_delay_another(server):
    """While one socket fires syncs without waiting and is refused, a bystander still gets every change."""
    manager, viewer = StaffApi(server.url, "manager"), StaffApi(server.url, "viewer")
    table = manager.create_table(floor=1)
    bystander = LiveSocket(server.url, token=viewer.token).connect()
    flooder = LiveSocket(server.url, token=StaffApi(server.url, "host").token).connect()
    try:
        assert bystander.join(1)["ok"]
        stop = threading.Event()

        def flood():
            # Bounded: it ends when the test says so, or after 120 s whatever happens. A breath
            # every 10 sends (still hundreds a second against a limit of two) lets this client's
            # own thread answer pings on a loaded machine, or the server rightly drops it.
            deadline = time.monotonic() + 120
            sent = 0
            while not stop.is_set() and flooder.connected and time.monotonic() < deadline:
                flooder.sio.emit("tables:sync", {"lastEventId": None})
                sent += 1
                if sent % 10 == 0:
                    time.sleep(0.005)

        def refusals() -> int:
            return sum(error.get("code") == "rate_limited" for error in flooder.received("tables:error"))

        thread = threading.Thread(target=flood, daemon=True)
        thread.start()
        assert eventually(lambda: refusals() > 0, timeout=10), "the flood was never refused"
        seen = []
        for status in ("occupied", "available", "reserved", "available"):
            assert manager.set_status(table["tableId"], status, critical=True).status_code == 200
            bystander.wait_for("table:status_changed", lambda data, s=status: data["newStatus"] == s, timeout=10)
            # The change reached the bystander while the flood was still going on and being refused.
            seen.append((thread.is_alive(), refusals()))
            bystander.clear()
        stop.set()
        thread.join(timeout=30)
        assert all(flooding for flooding, _ in seen), seen
        assert seen[-1][1] > seen[0][1], "the flood was not refused throughout"
        assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
    finally:
        bystander.close()
        flooder.close()


def test_production_cookies_are_secure_httponly_and_lax(tmp_path):
    """With TABLESIDE_ENV=production the session and remember-me cookies carry Secure, HttpOnly and SameSite=Lax."""
    live = start_sqlite_server(tmp_path, TABLESIDE_ENV="production")
    try:
        # requests keeps Secure cookies to itself over http, so the session goes back by hand.
        first = requests.get(f"{live.url}/api/auth/csrf", timeout=10)
        csrf = first.json()["csrfToken"]
        response = requests.post(
            f"{live.url}/login",
            data={"username": "manager", "password": PASSWORD, "remember": "1", "csrf_token": csrf},
            headers={"Cookie": f"session={first.cookies['session']}"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:300]
        cookies = {header.split("=", 1)[0]: header for header in response.raw.headers.getlist("Set-Cookie")}
        assert {"session", "remember_token"} <= set(cookies)
        for name in ("session", "remember_token"):
            flags = [part.strip().lower() for part in cookies[name].split(";")]
            assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, cookies[name]
        assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    finally:
        live.stop()


@pytest.mark.postgres
@pytest.mark.redis
def test_losing_a_role_disconnects_the_users_sockets_in_every_process_at_once(tmp_path):
    """A host demoted to viewer on one process loses the sockets on both processes, by the change itself.

    The periodic account check runs every 30 s here: a socket closed well before that, with
    session_ended, was closed by the role change. (How soon is no test's business: bench/.)
    """
    cluster = Cluster(tmp_path, HEAD_INTERVAL_SECONDS="30")  # the periodic account check cannot help
    sockets = []
    try:
        token = StaffApi(cluster.webs[0].url, "host").token
        sockets = [LiveSocket(web.url, token=token).connect() for web in cluster.webs]
        bystander = LiveSocket(cluster.webs[1].url, token=StaffApi(cluster.webs[1].url, "viewer").token).connect()
        sockets.append(bystander)
        for socket in sockets:
            assert socket.join(1)["ok"]
        manager, _ = signed_in_cookie(cluster.webs[0].url, "manager")
        users = manager.get(f"{cluster.webs[0].url}/api/tables").status_code
        assert users == 200
        from tests.support.database import app_context

        with app_context(cluster.database_url):
            from app.services.users import find_user

            host_id = find_user("host").id
        response = manager.post(
            f"{cluster.webs[0].url}/users/{host_id}/access",
            data={"role": "viewer", "floors": "", "csrf_token": manager.headers["X-CSRFToken"]},
            allow_redirects=False,
        )
        assert response.status_code == 302
        for socket in sockets[:2]:
            assert socket.disconnected.wait(10), "a demoted host's socket stayed open"
            assert any(e.get("code") == "session_ended" for e in socket.received("tables:error"))
        assert not bystander.disconnected.is_set()
        assert eventually(lambda: bystander.connected, 1)
    finally:
        for socket in sockets:
            socket.close()
        cluster.stop()
