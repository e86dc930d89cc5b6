"""The session cookie's signer, built once per key instead of on every request and socket event.

Flask builds a new signing serializer each time it opens a session, and Flask-SocketIO opens
one for every Socket.IO event (connect, join, sync...), then sets it aside for the socket's own
session. In a reconnect storm that was about 6% of the server's time. The serializer depends
only on the secret key and its fallbacks, so it is kept until either changes.

A request carrying a bearer token is authenticated by that token alone: its session cookie is
not opened and nothing is written back. Opened, a cookie session holding anything but a sign-in
(a CSRF secret, say) made Flask-Login's strong session protection mark the request anonymous
before the token was even looked at, and the token was refused with 401.
"""

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class BearerSession(SecureCookieSession):
    """The empty session of a request that carries a bearer token; never saved."""


def carries_bearer_token(request: Request) -> bool:
    """True when the request names its user by `Authorization: Bearer`."""
    return request.headers.get("Authorization", "")[:7].lower() == "bearer "


class KeptSignerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer kept per (key, fallbacks)."""

    def __init__(self) -> None:
        self._kept: tuple[object, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if carries_bearer_token(request):
            return BearerSession()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SecureCookieSession, response: Response) -> None:
        if isinstance(session, BearerSession):
            return
        super().save_session(app, session, response)
