"""TR-001: signing out or switching an account off closes its live connections."""

import pytest

from tests.support.api import StaffApi
from tests.support.database import add_staff
from tests.support.live_server import PASSWORD, flask_cli
from tests.support.sockets import refused_handshake, signed_in_cookie

pytestmark = pytest.mark.live
SESSION_ENDED = {"code": "session_ended", "message": "Your session has ended. Please sign in again."}


def test_logout_disconnects_the_sockets_of_that_sign_in(server, connect):
    """POST /logout tells the tab's socket its session ended and closes it."""
    browser, cookie = signed_in_cookie(server.url, "host")
    first_tab, second_tab = connect(cookie=cookie), connect(cookie=cookie)
    first_tab.join(1)
    response = browser.post(f"{server.url}/logout", allow_redirects=False)
    assert response.status_code == 302
    for tab in (first_tab, second_tab):
        assert tab.disconnected.wait(3), "the signed-out tab is still connected"
        assert tab.received("tables:error") == [SESSION_ENDED]


def test_logout_leaves_other_sign_ins_of_the_same_person_connected(server, connect):
    """Signing out on one tablet does not cut off the same host's other device or API token."""
    tablet, tablet_cookie = signed_in_cookie(server.url, "host")
    _, phone_cookie = signed_in_cookie(server.url, "host")
    on_tablet, on_phone, with_token = connect(cookie=tablet_cookie), connect(cookie=phone_cookie), connect("host")
    tablet.post(f"{server.url}/logout", allow_redirects=False)
    assert on_tablet.disconnected.wait(3)
    assert on_phone.join(1)["ok"] is True and with_token.join(1)["ok"] is True
    assert on_phone.connected and with_token.connected


def test_signed_out_cookie_cannot_open_a_new_socket(server):
    """After logout the cookie the browser was left with no longer authenticates a handshake."""
    browser, _ = signed_in_cookie(server.url, "viewer")
    browser.post(f"{server.url}/logout", allow_redirects=False)
    stale_cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    assert refused_handshake(server.url, cookie=stale_cookie) == {"message": "unauthorized"}


def test_deactivating_a_user_from_the_cli_disconnects_their_sockets(server, connect):
    """`flask users deactivate` in another process (no Redis) still ends the user's open sockets."""
    add_staff(server.database_url, ["leaving"], "host", PASSWORD)
    token_socket = connect(token=StaffApi(server.url, "leaving").token)
    _, cookie = signed_in_cookie(server.url, "leaving")
    cookie_socket = connect(cookie=cookie)
    token_socket.join(1)
    result = flask_cli(server.env, "users", "deactivate", "leaving")
    assert result.returncode == 0, result.stderr
    for socket in (token_socket, cookie_socket):
        assert socket.disconnected.wait(4), "a deactivated user's socket stayed open"
        assert socket.received("tables:error") == [SESSION_ENDED]


def test_a_deactivated_users_token_cannot_reconnect(server):
    """The token of a switched-off account is refused at the handshake."""
    add_staff(server.database_url, ["gone"], "viewer", PASSWORD)
    token = StaffApi(server.url, "gone").token
    assert flask_cli(server.env, "users", "deactivate", "gone").returncode == 0
    assert refused_handshake(server.url, token=token) == {"message": "unauthorized"}
