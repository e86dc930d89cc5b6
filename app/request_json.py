"""Decoding a client's JSON body, once, with the checks every JSON endpoint needs.

Every `request.get_json()` in the app decodes through `CheckedJSONProvider` (Flask hands the
app's provider to each request), so no view, rate-limit key or decorator ever sees a body
nested past `limits.JSON_DEPTH` (deeper ones made the decoder recurse until it failed) or
text a database cannot store (a NUL or a lone surrogate, which a JSON "\\ud800" escape
decodes to). `ClientRequest` answers a refused body with a 400, or a 422 naming each field
(by its JSON path, e.g. `notes` or `tables.0.notes`) that holds such text. The session
cookie, which Flask also decodes through the provider, is our own signed JSON and passes.
"""

import json
from collections import deque

from flask import Request
from flask.json.provider import DefaultJSONProvider

from app.models import limits
from app.services.errors import ValidationError
from app.services.validation import UNSTORABLE, UNSTORABLE_TEXT, unstorable
from app.web import BadRequest

# A body full of bad strings is answered with the first few, not a copy of itself.
REPORTED_FIELDS = 20
TOO_DEEP = f"The JSON body is nested more than {limits.JSON_DEPTH} levels deep."


class RefusedJson(ValueError):
    """A body that decoded as JSON but is refused; a ValueError so that `get_json(silent=True)` gives None."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


def _dotted(path: tuple, key: object) -> str:
    """A JSON path as the API names fields (tables.0.notes), unstorable characters replaced."""
    return ".".join(UNSTORABLE.sub("\ufffd", step) if isinstance(step, str) else str(step) for step in (*path, key))


def unstorable_fields(value: object) -> dict[str, str]:
    """Each JSON path whose text (or key) cannot be stored, up to REPORTED_FIELDS; refuses deep nesting."""
    if isinstance(value, str):
        return {"body": UNSTORABLE_TEXT} if unstorable(value) else {}
    found: dict[str, str] = {}
    # Containers only, with the keys that lead to them: text is checked where it is met, and a
    # path is spelled out only for a field that is refused.
    waiting = deque([(value, ())]) if isinstance(value, dict | list) else deque()
    while waiting and len(found) < REPORTED_FIELDS:
        container, path = waiting.popleft()
        if len(path) >= limits.JSON_DEPTH:
            raise RefusedJson(TOO_DEEP)
        for key, child in container.items() if isinstance(container, dict) else enumerate(container):
            if isinstance(key, str) and unstorable(key) or isinstance(child, str) and unstorable(child):
                found[_dotted(path, key)] = UNSTORABLE_TEXT
            elif isinstance(child, dict | list):
                waiting.append((child, (*path, key)))
    return found


class CheckedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, decoding with the depth limit and the text check."""

    def loads(self, s: str | bytes, **kwargs: object) -> object:
        """The decoded value, or RefusedJson when it nests too deep or holds unstorable text."""
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise RefusedJson(TOO_DEEP) from None
        fields = unstorable_fields(value)
        if fields:
            raise RefusedJson("Some fields are not valid.", fields)
        return value


class ClientRequest(Request):
    """Flask's request, saying what was wrong with a body it could not decode."""

    def on_json_loading_failed(self, e: ValueError | None):
        if isinstance(e, RefusedJson) and e.fields:
            raise ValidationError(e.message, fields=e.fields)
        if isinstance(e, RefusedJson):
            raise BadRequest(e.message)
        if e is None:
            raise BadRequest("Send a JSON body with Content-Type: application/json.")
        raise BadRequest("The body is not valid JSON.")
