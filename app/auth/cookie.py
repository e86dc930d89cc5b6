"""The session cookie's signer, built once per key instead of on every request and socket event.

Flask builds a new signing serializer each time it opens a session, and Flask-SocketIO opens
one for every Socket.IO event (connect, join, sync...), then sets it aside for the socket's own
session. In a reconnect storm that was about 6% of the server's time. The serializer depends
only on the secret key and its fallbacks, so it is kept until either changes.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSignerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer kept per (key, fallbacks)."""

    def __init__(self) -> None:
        self._kept: tuple[object, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]
