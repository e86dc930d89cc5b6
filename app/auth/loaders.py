"""How Flask-Login finds the user: the session cookie, or a bearer token instead of it."""

from flask import request

from app.auth.tokens import user_from_token
from app.extensions import db, login_manager
from app.models import User


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header, if the request has one."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def user_from_session_id(user_id: str) -> User | None:
    """The active user a session identity "id:generation" names, if still current."""
    try:
        raw_id, generation = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, AttributeError):
        return None
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


@login_manager.user_loader
def load_session_user(user_id: str) -> User | None:
    """A request carrying a bearer token is authenticated by that token alone."""
    if "Authorization" in request.headers:
        return None
    return user_from_session_id(user_id)


@login_manager.request_loader
def load_bearer_user(_request) -> User | None:
    token = bearer_token()
    return user_from_token(token) if token is not None else None
