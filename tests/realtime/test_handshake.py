"""TR-001: who may open a live connection to a real server, and what it is told on connect."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tests.support.live_server import base_env
from tests.support.sockets import refused_handshake, signed_in_cookie

pytestmark = pytest.mark.live

SECRET_KEY = base_env("sqlite://")["SECRET_KEY"]


def refusal(server, **options) -> object:
    """Try a handshake that must fail; return what the client was told."""
    return refused_handshake(server.url, **options)


def token_like(real_token: str, *, expires_in: float = 3600, key: str = SECRET_KEY, **changes) -> str:
    """A token with the real one's claims, re-signed with `key` and a new expiry."""
    claims = jwt.decode(real_token, options={"verify_signature": False})
    now = datetime.now(UTC)
    claims.update(iat=now, exp=now + timedelta(seconds=expires_in), **changes)
    return jwt.encode(claims, key, algorithm="HS256")


def test_token_handshake_is_accepted_and_told_its_socket_id(connect):
    """A client sending auth {token} connects and gets tables:connected with its own socket id."""
    socket = connect("viewer")
    assert socket.wait_for("tables:connected") == {"socketId": socket.sio.get_sid("/")}


def test_session_cookie_from_the_login_form_is_accepted(server, connect):
    """A browser signed in through /login connects with nothing but its session cookie."""
    _, cookie = signed_in_cookie(server.url, "host")
    socket = connect(cookie=cookie)
    assert socket.wait_for("tables:connected")["socketId"]
    assert socket.join(1)["ok"] is True


def test_handshake_without_credentials_is_refused_as_unauthorized(server):
    """No cookie and no token: connect_error with the message "unauthorized"."""
    assert refusal(server) == {"message": "unauthorized"}


def test_a_cookie_that_was_never_signed_in_is_refused(server):
    """A session cookie that carries no sign-in is no credential."""
    assert refusal(server, cookie="session=not-a-real-session") == {"message": "unauthorized"}


def test_expired_token_is_refused(server, staff):
    """A token past its expiry is refused even though its signature is good."""
    assert refusal(server, token=token_like(staff("viewer").token, expires_in=-5)) == {"message": "unauthorized"}


def test_forged_token_is_refused(server, staff):
    """A token signed with another key is refused."""
    forged = token_like(staff("viewer").token, key="someone-elses-key-that-is-long-enough")
    assert refusal(server, token=forged) == {"message": "unauthorized"}


def test_garbage_token_is_refused(server):
    """A token that is not a JWT is refused like no token at all."""
    assert refusal(server, token="not.a.jwt") == {"message": "unauthorized"}


def test_token_from_an_ended_session_generation_is_refused(server, staff):
    """A correctly signed token whose session generation has been ended is refused."""
    assert refusal(server, token=token_like(staff("viewer").token, gen=0)) == {"message": "unauthorized"}


def test_a_re_signed_token_with_the_right_key_is_accepted(connect, staff):
    """The helper that builds the bad tokens above makes a good one with the server's key."""
    socket = connect(token=token_like(staff("viewer").token))
    assert socket.wait_for("tables:connected")


def test_cross_origin_handshake_is_refused_even_with_a_valid_cookie(server):
    """A page on another origin cannot ride a signed-in user's cookie into a socket."""
    _, cookie = signed_in_cookie(server.url, "manager")
    refused_handshake(server.url, cookie=cookie, origin="http://evil.example")
    assert "not an accepted origin" in server.log()


def test_same_origin_handshake_with_a_cookie_is_accepted(server, connect):
    """The app's own page (Origin equal to the server's) connects with the cookie."""
    _, cookie = signed_in_cookie(server.url, "manager")
    socket = connect(cookie=cookie, origin=server.url)
    assert socket.wait_for("tables:connected")


def test_several_sockets_of_one_user_each_get_their_own_id(connect):
    """Two tabs of one user are two connections with two socket ids."""
    first, second = connect("host"), connect("host")
    assert first.wait_for("tables:connected") != second.wait_for("tables:connected")
