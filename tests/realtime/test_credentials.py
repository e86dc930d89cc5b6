"""Issue 23: whether a socket's handshake carries credentials, read by signature before its session opens."""

from app.realtime.credentials import shows_credentials


def handshake(cookie: str | None = None, authorization: str | None = None) -> dict:
    """The environ of a WebSocket handshake to /socket.io/ carrying this cookie and Authorization header."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/socket.io/", "QUERY_STRING": "EIO=4&transport=websocket"}
    if cookie is not None:
        environ["HTTP_COOKIE"] = cookie
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    return environ


def session_cookie(client) -> str:
    """The Cookie header a browser holding this test client's session cookie sends."""
    return f"session={client.get_cookie('session').value}"


def test_a_signed_in_session_cookie_is_credentials(app, viewer):
    """The cookie a screen's page signed in with."""
    assert shows_credentials(app, handshake(cookie="theme=dark; " + session_cookie(viewer.client)))


def test_a_session_cookie_of_nobody_signed_in_is_not(app, client):
    """A visitor of the sign-in page has a session cookie too, without a user in it."""
    assert client.get("/api/auth/csrf").status_code == 200
    assert not shows_credentials(app, handshake(cookie=session_cookie(client)))


def test_a_session_cookie_with_a_changed_signature_is_not(app, viewer):
    """Anyone can send a cookie named `session`; only this server's signature counts."""
    cookie = session_cookie(viewer.client)
    assert not shows_credentials(app, handshake(cookie=cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB")))


def test_a_bearer_token_is_credentials_and_a_forged_or_other_scheme_is_not(app, bearer):
    """`Authorization: Bearer <token>` as the API takes it; a token not signed here, or Basic, is nothing."""
    header = bearer("viewer")["Authorization"]
    assert shows_credentials(app, handshake(authorization=header))
    assert not shows_credentials(app, handshake(authorization=header[:-3] + "xyz"))
    assert not shows_credentials(app, handshake(authorization="Basic dmlld2VyOnNlY3JldA=="))


def test_the_authorization_header_alone_decides_as_for_the_api(app, viewer):
    """A bad Authorization header is not made good by a signed-in cookie beside it (app/auth/loaders.py)."""
    assert not shows_credentials(app, handshake(cookie=session_cookie(viewer.client), authorization="Bearer nonsense"))


def test_a_handshake_with_neither_is_not(app):
    """What a stranger, or a client whose token comes later in `auth`, sends."""
    assert not shows_credentials(app, handshake())
    assert not shows_credentials(app, handshake(cookie="session=; other=1"))
