"""Small request helpers shared by the JSON API and the HTML views."""

from flask import request

from app.services.errors import ServiceError


class BadRequest(ServiceError):
    status_code = 400
    code = "bad_request"


def wants_json() -> bool:
    """True for API routes, which always answer in JSON."""
    return request.path.startswith("/api/") or request.path in ("/healthz", "/metrics")


def request_json() -> dict:
    """The request body as a JSON object, or a 400 that says what is wrong with it."""
    if not request.is_json:
        raise BadRequest("Send a JSON body with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if body is None:
        raise BadRequest("The body is not valid JSON.")
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    return body
