"""Short-lived JWTs for API clients and socket handshakes."""

from datetime import timedelta

import jwt
from flask import current_app

from app.extensions import db
from app.models import User
from app.models.time import utcnow
from app.shapes.auth import Token

ALGORITHM = "HS256"


def issue_token(user: User) -> Token:
    """A signed token naming the user and its session generation, with its expiry."""
    # A JWT's exp is a whole second: the expiry said to the client is that second, not later.
    expires = (utcnow() + timedelta(seconds=current_app.config["TOKEN_LIFETIME_SECONDS"])).replace(microsecond=0)
    claims = {"sub": str(user.id), "gen": user.session_generation, "exp": expires, "iat": utcnow()}
    token = jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=ALGORITHM)
    return Token(token=token, expires_at=expires)


def token_claims(token: object) -> tuple[float, int, object] | None:
    """(expiry as a UNIX time, user id, session generation) of a valid, unexpired token; None otherwise."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(
            token, current_app.config["SECRET_KEY"], algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        return float(claims["exp"]), int(claims["sub"]), claims.get("gen")
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


def user_from_token(token: object) -> User | None:
    """The active user a valid, unexpired token names; None for anything else."""
    claims = token_claims(token)
    if claims is None:
        return None
    _, user_id, generation = claims
    user = db.session.get(User, user_id)
    if user is None or not user.active or generation != user.session_generation:
        return None
    return user
