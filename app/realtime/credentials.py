"""Whether a socket's handshake carries credentials, read before its session opens, without the database.

A screen's page sends its session cookie with the handshake; a client with a token may send it
as `Authorization: Bearer` (python-socketio's `headers=`, socket.io-client's `extraHeaders`),
as it would to the API. Either is checked here by its signature alone: this says the client
signed in once with this server's key, which nobody without an account can forge. The full
check (active account, current session, the token in `auth: {token}`) is still the Socket.IO
connect's, one round trip later (app/realtime/handlers.py). Admission uses the answer to keep
places for such handshakes that no number of strangers can take (app/realtime/transport/admission.py).
"""

from flask import Flask
from itsdangerous import BadSignature
from werkzeug.http import parse_cookie

from app.auth.tokens import token_claims

# Where Flask-Login keeps the signed-in user's identity in the session.
SIGNED_IN_KEY = "_user_id"


def shows_credentials(app: Flask, environ: dict) -> bool:
    """Whether this handshake request carries a valid bearer token or a signed-in session cookie of this app."""
    authorization = environ.get("HTTP_AUTHORIZATION")
    if authorization is not None:
        # As for the API (app/auth/loaders.py): a request with an Authorization header is
        # judged by that header alone, whatever cookie it carries.
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return False
        with app.app_context():
            return token_claims(token.strip()) is not None
    cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(app.config["SESSION_COOKIE_NAME"])
    if not cookie:
        return False
    signer = app.session_interface.get_signing_serializer(app)
    if signer is None:
        return False
    try:
        session = signer.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds()))
    except BadSignature:
        return False
    return isinstance(session, dict) and SIGNED_IN_KEY in session
