"""A browser's sign-in as its cookies carry it: begun at the form, checked by the user loader,
renewed when the remember cookie brings it back, ended at sign-out (app/services/sign_ins.py
keeps the record on the server).

Flask-Login's session identity, which the remember cookie carries too, is
"user:generation:sign-in:secret". The session also keeps the secret under SESSION_KEY, so the
loader can tell a request of a live session from one the remember cookie is bringing back: only
the latter renews the secret.
"""

import hmac

from flask import g, session
from flask_login import current_user, login_user, logout_user

from app.models import User
from app.services.sign_ins import SignInKey, begin_sign_in, check_sign_in, end_sign_in, renew_sign_in

# Key in the Flask session: the secret of its sign-in, as this session last received it.
SESSION_KEY = "tableside_sign_in"
_NO_COOKIES = "tableside_answer_sets_no_cookies"


def sign_in(user: User, remember: bool) -> None:
    """Sign a member of staff in on this browser: a new sign-in on the server, and a new session.

    Nothing of the session from before survives, its CSRF secret included, so a page or token
    handed out before signing in is no use after.
    """
    key = begin_sign_in(user, remember)
    session.clear()
    _hold(user, key, remember)


def sign_out() -> None:
    """End this browser's sign-in on the server (its sockets too) and empty its session, CSRF secret included."""
    key = signed_in_with()
    session.clear()
    logout_user()  # after the clear: it asks for the remember cookie to be deleted in the answer
    if key is not None:
        end_sign_in(key.id)


def signed_in_with() -> SignInKey | None:
    """The sign-in of this request's user, when they came by session cookie (not by token)."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return getattr(user, "signed_in_with", None)


def without_setting_cookies() -> None:
    """Say this request's answer cannot set cookies (a socket handshake), so the remember cookie may
    not bring a sign-in back in it: its renewal would never reach the browser. The page does that."""
    g.setdefault(_NO_COOKIES, True)


def load_signed_in_user(identity: str) -> User | None:
    """The user a session identity names, while its sign-in lasts; renewed if the remember cookie brought it."""
    parsed = _parse(identity)
    if parsed is None:
        return None
    user_id, generation, key = parsed
    found = check_sign_in(user_id, generation, key)
    if found is None:
        return None
    kept = session.get(SESSION_KEY)
    if found.current and isinstance(kept, str) and hmac.compare_digest(kept, key.secret):
        found.user.signed_in_with = key
        return found.user
    if g.get(_NO_COOKIES):
        return None
    _hold(found.user, renew_sign_in(found, key.secret), found.sign_in.remember, fresh=False)
    return found.user


def _hold(user: User, key: SignInKey, remember: bool, fresh: bool = True) -> None:
    """Put the sign-in in this session (and in a new remember cookie when it is remembered)."""
    session[SESSION_KEY] = key.secret
    user.signed_in_with = key
    login_user(user, remember=remember, fresh=fresh)


def _parse(identity: object) -> tuple[int, int, SignInKey] | None:
    """(user id, generation, sign-in key) of "user:generation:sign-in:secret"; None for anything else."""
    parts = identity.split(":") if isinstance(identity, str) else []
    if len(parts) != 4 or not parts[3]:
        return None
    try:
        return int(parts[0]), int(parts[1]), SignInKey(int(parts[2]), parts[3])
    except ValueError:
        return None
