"""Against a real server behind a proxy: guessing is slowed down, yet no stranger can lock a host out.

The server trusts one X-Forwarded-For hop, so each request may come from its own address as
it would through the platform's router.
"""

import time

import pytest
import requests

from tests.support.live_server import PASSWORD
from tests.support.servers import start_server

pytestmark = pytest.mark.live
RESTAURANT = "192.0.2.10"
BACKOFF_AFTER = 3


@pytest.fixture(scope="module", params=["sqlite", "postgres-redis"])
def server(request, tmp_path_factory):
    """A server counting in its own memory, then one on PostgreSQL counting in Redis, as in production."""
    live = start_server(
        request.param,
        tmp_path_factory.mktemp("guessing"),
        PROXY_FIX_HOPS="1",
        LOGIN_RATE_LIMIT="8 per minute",
        LOGIN_BACKOFF_AFTER=str(BACKOFF_AFTER),
        LOGIN_BACKOFF_SECONDS="2",
    )
    yield live
    live.stop()


def from_address(address: str, browser: requests.Session | None = None) -> requests.Session:
    """A browser (a fresh one unless given) whose requests come from `address`."""
    browser = browser or requests.Session()
    browser.headers["X-Forwarded-For"] = address
    return browser


def form_sign_in(url: str, browser: requests.Session, username: str, password: str) -> requests.Response:
    csrf = browser.get(f"{url}/api/auth/csrf", timeout=10).json()["csrfToken"]
    form = {"username": username, "password": password, "csrf_token": csrf}
    return browser.post(f"{url}/login", data=form, allow_redirects=False, timeout=10)


def token_for(url: str, browser: requests.Session, username: str, password: str) -> requests.Response:
    return browser.post(f"{url}/api/auth/token", json={"username": username, "password": password}, timeout=10)


def attack(url: str, username: str, attempts: int = 24) -> list[int]:
    """Wrong passwords for `username` from many addresses, on the form and the token endpoint."""
    codes = []
    for n in range(attempts):
        stranger = from_address(f"198.51.100.{n + 1}")
        guess = form_sign_in if n % 2 else token_for
        codes.append(guess(url, stranger, username, f"guess-{n}").status_code)
    return codes


def test_a_device_that_signed_in_before_still_gets_in_while_strangers_guess(server):
    """The host's tablet signs in and gets a token during an attack on its account; the strangers are refused."""
    tablet = from_address(RESTAURANT)
    assert form_sign_in(server.url, tablet, "host", PASSWORD).status_code == 302
    assert tablet.post(
        f"{server.url}/logout", headers={"X-CSRFToken": tablet.get(f"{server.url}/api/auth/csrf").json()["csrfToken"]}
    ).ok
    codes = attack(server.url, "host")
    assert 429 in codes, codes
    assert form_sign_in(server.url, from_address("198.51.100.200"), "host", PASSWORD).status_code == 429
    # The tablet moved to another network meanwhile: its device cookie still vouches for it.
    tablet.headers["X-Forwarded-For"] = "203.0.113.50"
    assert form_sign_in(server.url, tablet, "host", PASSWORD).status_code == 302
    assert token_for(server.url, tablet, "host", PASSWORD).status_code == 200


def test_an_address_that_signed_in_before_still_gets_a_token_while_strangers_guess(server):
    """An API client without cookies, from the address it signed in from before, is not locked out."""
    assert token_for(server.url, from_address(RESTAURANT), "viewer", PASSWORD).status_code == 200
    assert 429 in attack(server.url, "viewer")
    assert token_for(server.url, from_address(RESTAURANT), "viewer", PASSWORD).status_code == 200
    assert form_sign_in(server.url, from_address(RESTAURANT), "viewer", PASSWORD).status_code == 302


def test_guesses_from_one_address_wait_longer_and_longer(server):
    """After a few wrong passwords one address must wait, even with the right one, and each wait doubles."""
    guesser = from_address("203.0.113.77")
    for n in range(BACKOFF_AFTER):
        assert token_for(server.url, guesser, "manager", f"wrong-{n}").status_code == 401
    first = token_for(server.url, guesser, "manager", "wrong-again")
    assert first.status_code == 401
    waiting = token_for(server.url, guesser, "manager", PASSWORD)
    assert waiting.status_code == 429
    assert waiting.json() == {"error": "rate_limited", "message": "Too many requests. Please slow down."}
    first_wait = int(waiting.headers["Retry-After"])
    assert 1 <= first_wait <= 2
    page = form_sign_in(server.url, guesser, "manager", PASSWORD)
    assert page.status_code == 429 and "Too many requests. Please slow down." in page.text
    time.sleep(first_wait + 0.2)
    assert token_for(server.url, guesser, "manager", "wrong-once-more").status_code == 401
    second_wait = int(token_for(server.url, guesser, "manager", PASSWORD).headers["Retry-After"])
    assert 3 <= second_wait <= 4
