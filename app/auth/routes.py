"""Sign-in pages and the token endpoint."""

from urllib.parse import urljoin, urlsplit

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.auth import bp, guessing
from app.auth.sign_in import sign_in, sign_out
from app.auth.tokens import issue_token
from app.extensions import db
from app.messages import RATE_LIMITED
from app.openapi import operation
from app.services.errors import Unauthorized
from app.services.users import find_user
from app.services.validation import unstorable
from app.shapes.auth import Credentials, CsrfToken, Token

BAD_CREDENTIALS = "Invalid username or password."
UNSTORABLE_CREDENTIALS = "The username or password holds a character no account can have (a NUL or a lone surrogate)."


def safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site, as a browser would read it once normalised."""
    fallback = url_for("tables.floor_plan")
    # Browsers drop tabs and newlines from a URL and read "\\" as "/": either could turn a path into "//host".
    if not target or any(char == "\\" or not char.isprintable() or char.isspace() for char in target):
        return fallback
    parts = urlsplit(urljoin(request.host_url, target))
    host = urlsplit(request.host_url)
    if parts.scheme != host.scheme or parts.netloc != host.netloc:
        return fallback
    # Dot segments resolved, "/.//evil.example" is "//evil.example": a path never starts with two slashes.
    path = "/" + parts.path.lstrip("/")
    return path + (f"?{parts.query}" if parts.query else "")


def check_credentials(username: object, password: object):
    """The active user with these credentials, or None (the same answer for every failure)."""
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 1024:
        return None
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign a member of staff in."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    error, status, headers = None, 200, {}
    username, password = request.form.get("username", ""), request.form.get("password", "")
    if request.method == "POST" and (unstorable(username) or unstorable(password)):
        # Refused as the token endpoint refuses it (422), before a query could carry it.
        error, status = UNSTORABLE_CREDENTIALS, 422
    elif request.method == "POST":
        attempt = guessing.attempt_for(username)
        wait = guessing.seconds_to_wait(attempt)
        user = None if wait else check_credentials(username, password)
        if user is not None:
            sign_in(user, remember=bool(request.form.get("remember")))
            response = redirect(safe_next(request.args.get("next") or request.form.get("next")))
            guessing.succeeded(attempt, response)
            return response
        if wait:
            error, status, headers = f"{RATE_LIMITED} Try again in {wait} s.", 429, {"Retry-After": str(wait)}
        else:
            guessing.failed(attempt)
            error, status = BAD_CREDENTIALS, 401
    page = render_template(
        "auth/login.html", error=error, username=request.form.get("username", ""), next=request.args.get("next", "")
    )
    return page, status, headers


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """Sign out (POST); GET shows the button, so a link from elsewhere cannot sign anyone out."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    sign_out()
    response = redirect(url_for("auth.login"))
    # The next person on this tablet must not find this one's kept pages, tables or queue.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/api/auth/token")
@operation({200: Token}, body=Credentials, refusals=(400, 401, 422, 429), public=True, tag="sign-in")
def token(body: Credentials):
    """Exchange a username and password for a short-lived JWT."""
    attempt = guessing.attempt_for(body.username)
    wait = guessing.seconds_to_wait(attempt)
    if wait:
        return jsonify(error="rate_limited", message=RATE_LIMITED), 429, {"Retry-After": str(wait)}
    user = check_credentials(body.username, body.password)
    if user is None:
        guessing.failed(attempt)
        raise Unauthorized(BAD_CREDENTIALS)
    db.session.commit()
    response = jsonify(issue_token(user).wire())
    guessing.succeeded(attempt, response)
    return response


@bp.get("/api/auth/csrf")
@operation({200: CsrfToken}, public=True, tag="sign-in")
def csrf_token():
    """A CSRF token for clients that call the API with the session cookie."""
    from flask_wtf.csrf import generate_csrf

    return CsrfToken(csrf_token=generate_csrf()).wire()
