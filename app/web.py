"""Small request helpers shared by the JSON API and the HTML views."""

from typing import TypeVar

from flask import request
from pydantic import ValidationError
from werkzeug.routing import IntegerConverter

from app.services.errors import ServiceError
from app.shapes.base import Query
from app.shapes.fields import LARGEST_NUMBER
from app.shapes.problems import problems_of

Q = TypeVar("Q", bound=Query)


class BadRequest(ServiceError):
    status_code = 400
    code = "bad_request"


class StoredInteger(IntegerConverter):
    """`<int:...>` in every route: numbers past the database's range match no route (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=LARGEST_NUMBER, signed=False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def whole_number(raw: str, name: str) -> int:
    """A whole number a client sent as text, within the database's range, or a 400 naming it."""
    try:
        number = int(raw.strip())
    except ValueError:
        raise BadRequest(f"{name} must be a whole number.") from None
    if abs(number) > LARGEST_NUMBER:
        raise BadRequest(f"{name} is out of range.")
    return number


def whole_number_arg(name: str) -> int | None:
    """A query parameter that must be a whole number when present."""
    raw = request.args.get(name, "").strip()
    return whole_number(raw, name) if raw else None


def read_query(shape: type[Q]) -> Q:
    """The query string read as `shape`, or a 400 naming the parameter (e.g. "floor must be a whole number.")."""
    try:
        return shape.model_validate(request.args.to_dict(), by_name=False)
    except ValidationError as error:
        _, fields = problems_of(error)
        name, problem = next(iter(fields.items()))
        raise BadRequest(f"{name} {problem}", fields=fields) from None


def wants_json() -> bool:
    """True for API routes, which always answer in JSON."""
    return request.path.startswith("/api/") or request.path in ("/healthz", "/metrics")


def request_json() -> dict:
    """The request body as a JSON object, or a 400 or 422 that says what is wrong with it."""
    if not request.is_json:
        raise BadRequest("Send a JSON body with Content-Type: application/json.")
    # A body that is not JSON, nests too deep or holds unstorable text is refused while it
    # is decoded (app.request_json.ClientRequest), naming the fields where it can.
    body = request.get_json()
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    return body
