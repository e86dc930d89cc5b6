"""The sign-in a browser session carries, so that a logout ends just that session's sockets."""

import secrets

from flask import session

# Key in the Flask session naming this sign-in.
SESSION_KEY = "tableside_sign_in"


def begin_sign_in() -> None:
    """Name a new sign-in in the session cookie."""
    session[SESSION_KEY] = secrets.token_urlsafe(16)


def current_sign_in() -> str | None:
    """The name of the session's sign-in, if it has one."""
    return session.get(SESSION_KEY)


def end_sign_in() -> str | None:
    """Forget the session's sign-in, and return the name it had."""
    return session.pop(SESSION_KEY, None)
