"""Signing in and out, tokens, and where `next` may lead."""

import time
from datetime import UTC, datetime

import jwt
import pytest

from tests.conftest import PASSWORD, csrf_token, sign_in


def test_login_page_shows_the_form(client):
    """/login shows username and password fields."""
    page = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page


def test_pages_redirect_anonymous_staff_to_login(client):
    """Opening the floor plan without signing in leads to /login with next."""
    response = client.get("/tables?floor=2")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize(("username", "password"), [("host", "wrong-password"), ("nobody", PASSWORD)])
def test_bad_credentials_get_one_generic_message(client, username, password):
    """A wrong password and an unknown user read the same, and nobody is signed in."""
    response = sign_in(client, username, password)
    assert response.status_code == 401
    assert "Invalid username or password." in response.get_data(as_text=True)
    assert client.get("/api/tables").status_code == 401


def test_deactivated_user_cannot_sign_in(app, client):
    """An account switched off is refused like a wrong password."""
    with app.app_context():
        from app.services.users import deactivate, find_user

        deactivate(find_user("viewer"))
    assert sign_in(client, "viewer").status_code == 401


def test_login_without_csrf_token_is_refused(client):
    """The sign-in form needs its CSRF token."""
    response = client.post("/login", data={"username": "host", "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/tables?view=list", "/tables?view=list"),
        ("https://evil.example/phish", "/tables"),
        ("//evil.example/phish", "/tables"),
        ("/\\evil.example", "/tables"),
        ("javascript:alert(1)", "/tables"),
    ],
)
def test_next_only_leads_within_the_site(client, target, expected):
    """After signing in, `next` is followed only to a path on this site."""
    response = client.post(
        "/login?next=" + target, data={"username": "host", "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_needs_a_post(host):
    """GET /logout only shows the button; POST signs out."""
    assert host.get("/logout").status_code == 200
    assert host.get("/api/tables").status_code == 200
    assert host.post("/logout").status_code == 302
    assert host.get("/api/tables").status_code == 401


def test_token_for_good_credentials(client):
    """POST /api/auth/token returns a token and its expiry; the token reads the API."""
    body = client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD}).get_json()
    assert set(body) == {"token", "expiresAt"}
    response = client.get("/api/floors", headers={"Authorization": f"Bearer {body['token']}"})
    assert response.status_code == 200


def test_a_tokens_expiry_is_the_second_it_stops_working(client):
    """expiresAt names the token's own expiry: a client renewing at expiresAt is never late.

    A JWT's exp is a whole second; an expiresAt with the fraction a signing-in took was up
    to a second later than the moment the token was refused.
    """
    body = client.post("/api/auth/token", json={"username": "viewer", "password": PASSWORD}).get_json()
    expiry = jwt.decode(body["token"], options={"verify_signature": False})["exp"]
    said = datetime.fromisoformat(body["expiresAt"].replace("Z", "+00:00"))
    assert said == datetime.fromtimestamp(expiry, UTC)


def test_token_for_bad_credentials_is_401(client):
    """A wrong password gets 401 JSON from the token endpoint."""
    response = client.post("/api/auth/token", json={"username": "viewer", "password": "nope"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def _forged(app, **claims) -> str:
    secret = app.config["SECRET_KEY"]
    return jwt.encode({"sub": "1", "gen": 1, "exp": int(time.time()) + 60, **claims}, secret, algorithm="HS256")


def test_expired_forged_and_unsigned_tokens_are_refused(app, client):
    """Expired, wrongly signed and alg:none tokens all get 401."""
    expired = _forged(app, exp=int(time.time()) - 5)
    wrong_key = jwt.encode({"sub": "1", "gen": 1, "exp": int(time.time()) + 60}, "another-key-of-32-bytes-or-more!!")
    unsigned = jwt.encode({"sub": "1", "gen": 1, "exp": int(time.time()) + 60}, None, algorithm="none")
    for token in (expired, wrong_key, unsigned, "not-a-token"):
        assert client.get("/api/tables", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_password_reset_ends_old_tokens_and_sessions(app, client, host, bearer):
    """After a password reset the old token and the old session stop working."""
    headers = bearer("host")
    with app.app_context():
        from app.services.users import find_user, reset_password

        reset_password(find_user("host"), "a-brand-new-password")
    assert client.get("/api/tables", headers=headers).status_code == 401
    assert host.get("/api/tables").status_code == 401


def test_passwords_are_stored_as_argon2id(app):
    """Stored hashes are argon2id, never the password."""
    with app.app_context():
        from app.services.users import find_user

        stored = find_user("host").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_rotated_secret_key_keeps_signed_in_staff_only_while_the_old_key_is_a_fallback(app, client):
    """The kept cookie signer follows SECRET_KEY and SECRET_KEY_FALLBACKS as they change."""
    assert sign_in(client, "host").status_code == 302
    assert client.get("/api/tables").status_code == 200
    old_key = app.secret_key
    app.config.update(SECRET_KEY="rotated-" + old_key, SECRET_KEY_FALLBACKS=[old_key])
    assert client.get("/api/tables").status_code == 200
    app.config.update(SECRET_KEY_FALLBACKS=[])
    assert client.get("/api/tables").status_code == 401


def test_signing_out_everywhere_forgets_every_sign_in(app, as_staff):
    """A password reset ends each of the person's sign-ins (their rows go too); a colleague's stays."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import SignIn
    from app.services.users import find_user, reset_password

    tablet, phone, colleague = as_staff("host"), as_staff("host"), as_staff("viewer")
    with app.app_context():
        host_id = find_user("host").id

        def rows(user_id: int) -> int:
            return db.session.scalar(select(func.count()).select_from(SignIn).where(SignIn.user_id == user_id))

        assert rows(host_id) == 2
        reset_password(find_user("host"), "a-brand-new-password")
        assert rows(host_id) == 0 and rows(find_user("viewer").id) == 1
    assert tablet.get("/api/tables").status_code == 401 and phone.get("/api/tables").status_code == 401
    assert colleague.get("/api/tables").status_code == 200
