"""Signing in over the API: the credentials a client sends and the token it gets."""

from typing import Annotated, Any

from pydantic import Field, WithJsonSchema

from app.shapes.base import Shape
from app.shapes.fields import Moment

# Anything is read, and anything not text is refused as bad credentials (401), never a 422
# that would tell a guesser which part of the form was wrong.
Credential = Annotated[Any, WithJsonSchema({"type": "string"})]


class Credentials(Shape):
    """`POST /api/auth/token`."""

    username: Credential = Field(description="The staff member's name.")
    password: Credential


class Token(Shape):
    """A signed, short-lived token for the API and the socket's handshake."""

    token: str
    expires_at: Moment


class CsrfToken(Shape):
    """`GET /api/auth/csrf`: the token a cookie-signed-in client sends as X-CSRFToken."""

    csrf_token: str
