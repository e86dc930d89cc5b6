"""Sign-in pages and the token endpoint."""

from urllib.parse import urljoin, urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp
from app.auth.sign_in import begin_sign_in, end_sign_in
from app.auth.tokens import issue_token
from app.extensions import db, limiter
from app.openapi import operation
from app.services.errors import Unauthorized
from app.services.users import end_sign_in_sockets, find_user
from app.services.validation import unstorable
from app.shapes.auth import Credentials, CsrfToken, Token

BAD_CREDENTIALS = "Invalid username or password."
UNSTORABLE_CREDENTIALS = "The username or password holds a character no account can have (a NUL or a lone surrogate)."


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _username_key() -> str:
    """Rate-limit key for guessing one account's password from many addresses."""
    body = request.get_json(silent=True) if request.is_json else request.form
    name = body.get("username") if isinstance(body, dict) or hasattr(body, "get") else None
    return f"login-user:{str(name)[:80].lower()}"


def safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site."""
    fallback = url_for("tables.floor_plan")
    if not target or target.startswith(("//", "\\")) or "\\" in target:
        return fallback
    parts = urlsplit(urljoin(request.host_url, target))
    host = urlsplit(request.host_url)
    if parts.scheme != host.scheme or parts.netloc != host.netloc:
        return fallback
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_credentials(username: object, password: object):
    """The active user with these credentials, or None (the same answer for every failure)."""
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 1024:
        return None
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_username_key)
def login():
    """Show the sign-in form and sign a member of staff in."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    error, status = None, 200
    username, password = request.form.get("username", ""), request.form.get("password", "")
    if request.method == "POST" and (unstorable(username) or unstorable(password)):
        # Refused as the token endpoint refuses it (422), before a query could carry it.
        error, status = UNSTORABLE_CREDENTIALS, 422
    elif request.method == "POST":
        user = check_credentials(username, password)
        if user is not None:
            login_user(user, remember=bool(request.form.get("remember")))
            begin_sign_in()
            return redirect(safe_next(request.args.get("next") or request.form.get("next")))
        error, status = BAD_CREDENTIALS, 401
    return render_template(
        "auth/login.html", error=error, username=request.form.get("username", ""), next=request.args.get("next", "")
    ), status


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """Sign out (POST); GET shows the button, so a link from elsewhere cannot sign anyone out."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    logout_user()
    end_sign_in_sockets(end_sign_in())
    response = redirect(url_for("auth.login"))
    # The next person on this tablet must not find this one's kept pages, tables or queue.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/api/auth/token")
@limiter.limit(_login_limit)
@limiter.limit(_login_limit, key_func=_username_key)
@operation({200: Token}, body=Credentials, refusals=(400, 401, 422, 429), public=True, tag="sign-in")
def token(body: Credentials):
    """Exchange a username and password for a short-lived JWT."""
    user = check_credentials(body.username, body.password)
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS)
    db.session.commit()
    return issue_token(user).wire()


@bp.get("/api/auth/csrf")
@operation({200: CsrfToken}, public=True, tag="sign-in")
def csrf_token():
    """A CSRF token for clients that call the API with the session cookie."""
    from flask_wtf.csrf import generate_csrf

    return CsrfToken(csrf_token=generate_csrf()).wire()
