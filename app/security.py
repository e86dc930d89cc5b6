"""Security headers on every response: no inline scripts, no framing, no sniffing, and no
signed-in page kept by a cache."""

from flask import Flask, Response
from flask_login import current_user

# Styles may be set inline (table positions); scripts may not, except those named by their
# hash (the page's import map, app.assets). 'self' covers the same-origin WebSocket in
# current browsers; ws:/wss: are listed for older ones.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; worker-src 'self'; manifest-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


def content_security_policy(script_sources: list[str]) -> str:
    """The policy, allowing the given inline scripts (as 'sha256-...' sources) besides same-origin files."""
    return CONTENT_SECURITY_POLICY.format(scripts="".join(f" {source}" for source in script_sources))


def register(app: Flask) -> None:
    """Add the headers after every request."""
    policy = content_security_policy(app.config.get("CSP_SCRIPT_SOURCES", []))

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if response.mimetype == "text/html" and current_user.is_authenticated:
            # A shared tablet's back button, or a proxy, must not show the next person this one's pages.
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
