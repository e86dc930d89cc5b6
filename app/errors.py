"""The one place exceptions become responses: JSON for the API, HTML pages elsewhere."""

import logging
import math
import time

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.extensions import csrf, db, limiter
from app.messages import RATE_LIMITED
from app.services import outbox
from app.services.errors import ServiceError
from app.shapes.errors import error_body
from app.web import wants_json

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def _page(status: int, message: str):
    return render_template("error.html", status=status, message=message), status


def _retry_after(error: RateLimitExceeded) -> int:
    """Whole seconds until the window resets, rounded up: never 0, which would invite a retry storm."""
    current = limiter.current_limit
    if current is not None:
        return max(1, math.ceil(current.reset_at - time.time()))
    return max(1, int(error.limit.limit.get_expiry()))


def register(app: Flask) -> None:
    """Install the error handlers and the CSRF check that knows about bearer tokens."""

    @app.before_request
    def check_csrf():
        # A bearer token cannot ride along from a foreign page, so only cookie-authenticated
        # unsafe requests need the CSRF token (form field or X-CSRFToken header).
        if request.method in ("GET", "HEAD", "OPTIONS") or request.endpoint == "auth.token":
            return None
        if request.blueprint == "guests":
            return None  # the guest's link is its credential, in the path: nothing ambient to forge (app/guests)
        if "Authorization" in request.headers:
            return None
        if wants_json() and not current_user.is_authenticated:
            return None  # nothing to forge without a signed-in session: the view answers 401
        csrf.protect()
        return None

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        if wants_json():
            return jsonify(error.to_dict()), error.status_code
        return _page(error.status_code, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if wants_json():
            return jsonify(error_body("csrf_failed", error.description)), 400
        return _page(400, "This form has expired or did not come from Tableside. Go back, reload and try again.")

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded):
        retry = _retry_after(error)
        if wants_json():
            response = jsonify(error_body("rate_limited", RATE_LIMITED))
        else:
            response = _page(429, RATE_LIMITED)[0]
            response = app.make_response(response)
        response.status_code = 429
        response.headers["Retry-After"] = str(retry)
        return response

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        # A restart or lock timeout of the database: nothing was saved, and a retry may work.
        db.session.rollback()
        if outbox.saved_in_this_context():
            return saved_but_unanswered(error)
        log.warning("database unavailable on %s %s: %s", request.method, request.path, error.orig)
        message = "The database is not answering right now; nothing was saved. Try again in a moment."
        if wants_json():
            response = jsonify(error_body("unavailable", message))
        else:
            response = app.make_response(_page(503, message))
        response.status_code = 503
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 401 and not wants_json():
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if wants_json():
            code = _CODES.get(error.code, "error")
            return jsonify(error_body(code, error.description or error.name)), error.code
        return _page(error.code, error.description)

    def saved_but_unanswered(error: Exception):
        # The change is committed (and published); only the answer failed. Never say "nothing was
        # saved": the sender cannot tell, and a reload shows the truth.
        log.warning("answer lost after a commit on %s %s: %r", request.method, request.path, error)
        message = "The change was saved, but the server could not send it back. Reload to see it."
        if wants_json():
            return jsonify(error_body("saved_unconfirmed", message)), 500
        return _page(500, message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        if outbox.saved_in_this_context():
            return saved_but_unanswered(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error_body("internal_error", "Something went wrong on the server.")), 500
        return _page(500, "Something went wrong on the server. Your saved tables are unchanged.")
