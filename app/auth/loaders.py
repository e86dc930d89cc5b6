"""How Flask-Login finds the user: the session (or remember) cookie's sign-in, or a bearer token instead of it."""

from flask import request

from app.auth.cookie import carries_bearer_token
from app.auth.sign_in import load_signed_in_user
from app.auth.tokens import user_from_token
from app.extensions import login_manager
from app.logs import name_in_log
from app.models import User


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header, if the request has one."""
    if carries_bearer_token(request):
        return request.headers["Authorization"][7:].strip()
    return None


@login_manager.user_loader
def load_session_user(identity: str) -> User | None:
    """A request carrying a bearer token is authenticated by that token alone."""
    if "Authorization" in request.headers:
        return None
    user = load_signed_in_user(identity)
    name_in_log(user)
    return user


@login_manager.request_loader
def load_bearer_user(_request) -> User | None:
    """The user of an `Authorization: Bearer` token, when the request has one."""
    token = bearer_token()
    user = user_from_token(token) if token is not None else None
    name_in_log(user)
    return user
