"""Signing in over the API: the credentials a client sends and the token it gets."""

from typing import Annotated, Any

from pydantic import WithJsonSchema

from app.shapes.base import Shape
from app.shapes.fields import Moment

# Anything is read, and anything missing or not text is refused as bad credentials (401), never
# a 422 that would tell a guesser which part was wrong.
Credential = Annotated[Any, WithJsonSchema({"type": "string"})]


class Credentials(Shape):
    """`POST /api/auth/token`: a staff member's name and password."""

    username: Credential = None
    password: Credential = None


class Token(Shape):
    """A signed, short-lived token for the API and the socket's handshake."""

    token: str
    expires_at: Moment


class CsrfToken(Shape):
    """`GET /api/auth/csrf`: the token a cookie-signed-in client sends as X-CSRFToken."""

    csrf_token: str
