"""Sign-ins kept on the server: begun at the sign-in form, checked on each request, renewed when
the remember cookie brings one back, ended at sign-out.

A browser's session and remember cookies name a sign-in by its id and a secret; only the
secret's SHA-256 is stored. Signing out deletes the row, so a copy of either cookie taken
before then names nothing afterwards. Other sign-ins of the same person are other rows.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_login.config import COOKIE_DURATION
from sqlalchemy import bindparam, delete, select

from app.extensions import db
from app.models import SignIn, User
from app.models.time import as_utc, utcnow
from app.services import outbox


@dataclass(frozen=True)
class SignInKey:
    """What a session names: the sign-in's id and its current secret."""

    id: int
    secret: str


@dataclass(frozen=True)
class Found:
    """A user and the sign-in a key named; `current` is False for the secret a renewal just replaced."""

    user: User
    sign_in: SignIn
    current: bool


# Built once: every request and socket handshake signed in by cookie runs it, and building the
# statement cost about as much as running it on SQLite.
_SIGNED_IN = (
    select(User, SignIn)
    .join(SignIn, SignIn.user_id == User.id)
    .where(SignIn.id == bindparam("sign_in"), User.id == bindparam("user"), SignIn.expires_at > bindparam("now"))
)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _successor(secret: str) -> str:
    """The secret a renewal gives for `secret`: derived from it with the app's key, so that requests
    which crossed the renewal (a reopened browser asks several things at once, each with the old
    remember cookie) are all handed the same new one, and nobody without the key can work it out."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"renewed:{secret}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _lifetime(remember: bool) -> timedelta:
    """How long a sign-in lasts unused: the remember cookie's life, or the session cookie's."""
    if remember:
        return current_app.config.get("REMEMBER_COOKIE_DURATION") or COOKIE_DURATION
    return current_app.permanent_session_lifetime


def begin_sign_in(user: User, remember: bool) -> SignInKey:
    """Record a new sign-in of this user (and forget their sign-ins that have run out)."""
    now = utcnow()
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id, SignIn.expires_at < now))
    secret = secrets.token_urlsafe(32)
    sign_in = SignIn(
        user_id=user.id, key_hash=_hash(secret), remember=remember, created_at=now, expires_at=now + _lifetime(remember)
    )
    db.session.add(sign_in)
    db.session.commit()
    return SignInKey(sign_in.id, secret)


def check_sign_in(user_id: int, generation: int, key: SignInKey) -> Found | None:
    """The active user and their unexpired sign-in this key names, at this session generation; else None.

    One query, as the user alone was before. The secret a renewal replaced is still taken for
    SIGN_IN_RENEWAL_GRACE_SECONDS; after that only a copy of an old cookie can carry it, and the
    sign-in is ended for everyone holding it, the thief and the device it was taken from alike.
    """
    now = utcnow()
    row = db.session.execute(_SIGNED_IN, {"sign_in": key.id, "user": user_id, "now": now}).first()
    if row is None:
        return None
    user, sign_in = row
    if not user.active or user.session_generation != generation:
        return None
    given = _hash(key.secret)
    if hmac.compare_digest(given, sign_in.key_hash):
        return Found(user, sign_in, current=True)
    if sign_in.previous_key_hash is None or not hmac.compare_digest(given, sign_in.previous_key_hash):
        return None
    grace = timedelta(seconds=current_app.config["SIGN_IN_RENEWAL_GRACE_SECONDS"])
    if sign_in.renewed_at is not None and as_utc(sign_in.renewed_at) + grace > now:
        return Found(user, sign_in, current=False)
    end_sign_in(sign_in.id)
    return None


def renew_sign_in(found: Found, secret: str) -> SignInKey:
    """The key a remember cookie bringing this sign-in back gets instead of `secret`.

    For the current secret, a new one (and the sign-in lasts its whole life again from now); for
    the one a renewal just replaced, the same new one that renewal gave.
    """
    sign_in, renewed = found.sign_in, _successor(secret)
    if found.current:
        now = utcnow()
        sign_in.previous_key_hash, sign_in.key_hash = sign_in.key_hash, _hash(renewed)
        sign_in.renewed_at, sign_in.expires_at = now, now + _lifetime(sign_in.remember)
        db.session.commit()
    return SignInKey(sign_in.id, renewed)


def end_sign_in(sign_in_id: int) -> None:
    """End one sign-in: its row goes, and its sockets are closed in every process once that is committed."""
    with outbox.change() as change:
        db.session.execute(delete(SignIn).where(SignIn.id == sign_in_id))
        change.end_sockets(outbox.Ending(sign_in=sign_in_id))
