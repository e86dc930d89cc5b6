"""Against a real server: signing out ends that sign-in everywhere a copy of its cookies could be used.

A cookie copied before sign-out (by someone at the tablet, or from a backup of the browser
profile) must stop working at sign-out on the API, the pages and a new socket; so must a copied
`remember_token` alone. The remember cookie is renewed each time it brings a sign-in back, the
old one is then refused, and the CSRF secret changes at sign-in and sign-out. Other devices of
the same person stay signed in.
"""

import copy
import time

import pytest
import requests

from tests.support.live_server import PASSWORD
from tests.support.servers import start_server
from tests.support.sockets import USER_AGENT, LiveSocket, refused_handshake

pytestmark = pytest.mark.live
# A remember cookie that was renewed may still come back this long (requests that crossed).
GRACE_SECONDS = 3


@pytest.fixture(scope="module", params=["sqlite", "postgres-redis"])
def server(request, tmp_path_factory):
    """A server on SQLite alone, then one on PostgreSQL with Redis, as in production."""
    live = start_server(
        request.param, tmp_path_factory.mktemp("sign-out"), SIGN_IN_RENEWAL_GRACE_SECONDS=str(GRACE_SECONDS)
    )
    yield live
    live.stop()


def new_browser() -> requests.Session:
    """A browser with no cookies yet, presenting the live tests' User-Agent."""
    browser = requests.Session()
    browser.headers["User-Agent"] = USER_AGENT
    return browser


def csrf_of(url: str, browser: requests.Session) -> str:
    return browser.get(f"{url}/api/auth/csrf", timeout=10).json()["csrfToken"]


def sign_in(url: str, username: str, remember: bool = False) -> requests.Session:
    """A browser signed in through the form, with the page's CSRF header set for its writes."""
    browser = new_browser()
    form = {"username": username, "password": PASSWORD, "csrf_token": csrf_of(url, browser)}
    if remember:
        form["remember"] = "1"
    response = browser.post(f"{url}/login", data=form, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    browser.headers["X-CSRFToken"] = csrf_of(url, browser)
    return browser


def copy_of(browser: requests.Session, *names: str) -> requests.Session:
    """Another browser holding copies of some (or all) of this one's cookies."""
    other = new_browser()
    for cookie in browser.cookies:
        if not names or cookie.name in names:
            other.cookies.set_cookie(copy.copy(cookie))
    return other


def cookie_header(browser: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def sign_out(url: str, browser: requests.Session) -> None:
    response = browser.post(f"{url}/logout", allow_redirects=False, timeout=10)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def api_status(url: str, browser: requests.Session) -> int:
    return browser.get(f"{url}/api/tables", timeout=10).status_code


def page_status(url: str, browser: requests.Session) -> tuple[int, str]:
    """The floor plan's status, and where a redirect leads."""
    response = browser.get(f"{url}/tables", allow_redirects=False, timeout=10)
    return response.status_code, response.headers.get("Location", "")


def test_a_session_cookie_copied_before_sign_out_is_dead_after_it(server):
    """The copy reads the API, the pages and opens a socket before; after sign-out all three are refused."""
    tablet = sign_in(server.url, "host")
    copy = copy_of(tablet)
    assert api_status(server.url, copy) == 200 and page_status(server.url, copy)[0] == 200
    LiveSocket(server.url, cookie=cookie_header(copy)).connect().close()
    sign_out(server.url, tablet)
    assert api_status(server.url, copy) == 401
    status, location = page_status(server.url, copy)
    assert status == 302 and "/login" in location
    assert refused_handshake(server.url, cookie=cookie_header(copy)) == {"message": "unauthorized"}


def test_a_remember_cookie_copied_before_sign_out_is_dead_after_it(server):
    """A copy of `remember_token` alone, taken while signed in, brings nothing back after sign-out."""
    tablet = sign_in(server.url, "host", remember=True)
    assert "remember_token" in tablet.cookies
    thief = copy_of(tablet, "remember_token")
    sign_out(server.url, tablet)
    assert api_status(server.url, thief) == 401
    status, location = page_status(server.url, thief)
    assert status == 302 and "/login" in location


def test_the_remember_cookie_is_renewed_on_use_and_the_old_one_then_refused(server):
    """A browser coming back by its remember cookie gets a new one; the one it had stops working."""
    tablet = sign_in(server.url, "viewer", remember=True)
    first = tablet.cookies["remember_token"]
    replay = copy_of(tablet, "remember_token")
    reopened = copy_of(tablet, "remember_token")  # the browser restarted: only the remember cookie is left
    assert page_status(server.url, reopened)[0] == 200
    renewed = reopened.cookies["remember_token"]
    assert renewed != first
    assert api_status(server.url, reopened) == 200
    time.sleep(GRACE_SECONDS + 0.5)
    assert api_status(server.url, replay) == 401
    # The old cookie coming back after its renewal means it was copied: that sign-in ends for both.
    assert api_status(server.url, reopened) == 401


def test_requests_that_crossed_a_renewal_all_get_the_same_new_cookie(server):
    """A reopened page asks several things at once with its old remember cookie: each answer gives the
    same new one, and it keeps working after the old one's grace."""
    tablet = sign_in(server.url, "host", remember=True)
    first, second = copy_of(tablet, "remember_token"), copy_of(tablet, "remember_token")
    assert api_status(server.url, first) == 200 and api_status(server.url, second) == 200
    renewed = first.cookies["remember_token"]
    assert second.cookies["remember_token"] == renewed != tablet.cookies["remember_token"]
    time.sleep(GRACE_SECONDS + 0.5)
    assert api_status(server.url, first) == 200 and api_status(server.url, second) == 200
    assert api_status(server.url, copy_of(first, "remember_token")) == 200


def test_a_socket_is_not_opened_by_a_remember_cookie_alone(server):
    """A handshake cannot set cookies, so it never brings a sign-in back: the page does that first."""
    tablet = sign_in(server.url, "viewer", remember=True)
    only_remembered = copy_of(tablet, "remember_token")
    assert refused_handshake(server.url, cookie=cookie_header(only_remembered)) == {"message": "unauthorized"}
    assert page_status(server.url, only_remembered)[0] == 200
    LiveSocket(server.url, cookie=cookie_header(only_remembered)).connect().close()


def test_other_devices_of_the_same_person_stay_signed_in(server):
    """Signing out on the tablet leaves the same host's phone signed in, on the API, pages and sockets."""
    tablet, phone = sign_in(server.url, "host"), sign_in(server.url, "host", remember=True)
    sign_out(server.url, tablet)
    assert api_status(server.url, phone) == 200 and page_status(server.url, phone)[0] == 200
    LiveSocket(server.url, cookie=cookie_header(phone)).connect().close()
    assert api_status(server.url, copy_of(phone, "remember_token")) == 200


def test_the_csrf_secret_changes_at_sign_in(server):
    """A CSRF token handed out before signing in is refused once signed in."""
    browser = new_browser()
    before = csrf_of(server.url, browser)
    form = {"username": "manager", "password": PASSWORD, "csrf_token": before}
    assert browser.post(f"{server.url}/login", data=form, allow_redirects=False, timeout=10).status_code == 302
    body = {"tableNumber": "CS-1", "floor": 1, "capacity": 2}
    refused = browser.post(f"{server.url}/api/tables", json=body, headers={"X-CSRFToken": before}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"] == "csrf_failed"
    accepted = browser.post(
        f"{server.url}/api/tables", json=body, headers={"X-CSRFToken": csrf_of(server.url, browser)}, timeout=10
    )
    assert accepted.status_code == 201


def test_the_csrf_secret_changes_at_sign_out(server):
    """A CSRF token of the signed-in session cannot be used on the sign-in form after signing out."""
    browser = sign_in(server.url, "viewer")
    during = browser.headers["X-CSRFToken"]
    sign_out(server.url, browser)
    del browser.headers["X-CSRFToken"]
    form = {"username": "viewer", "password": PASSWORD, "csrf_token": during}
    response = browser.post(f"{server.url}/login", data=form, allow_redirects=False, timeout=10)
    assert response.status_code == 400
    form["csrf_token"] = csrf_of(server.url, browser)
    assert browser.post(f"{server.url}/login", data=form, allow_redirects=False, timeout=10).status_code == 302


@pytest.mark.parametrize(
    "target", ["/.//evil.example", "/./\\evil.example", "/%09/evil.example", "/a/..//evil.example"]
)
def test_next_never_leads_off_the_site(server, target):
    """`next` after signing in is a path on this site once normalised; never `//host`."""
    browser = new_browser()
    form = {"username": "viewer", "password": PASSWORD, "csrf_token": csrf_of(server.url, browser)}
    response = requests.Request("POST", f"{server.url}/login?next={target}", data=form)
    prepared = browser.prepare_request(response)
    prepared.url = f"{server.url}/login?next={target}"  # sent as typed, not re-encoded by requests
    answer = browser.send(prepared, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
    assert requests.compat.urljoin(server.url + "/", location).startswith(server.url + "/")
