"""What a guest's button must look like to be taken: JSON, from this server's own pages."""

from urllib.parse import urlsplit

from flask import current_app, jsonify, request

from app.shapes.errors import error_body


def _own_origins() -> set[str]:
    """This server as the browser sees it (ProxyFix applied), and any ALLOWED_ORIGINS."""
    own = {request.host_url.rstrip("/")}
    return own | set(current_app.config.get("ALLOWED_ORIGINS") or [])


def same_origin_json():
    """None when the request is JSON and comes from no other site; otherwise the refusal to answer."""
    if not request.is_json:
        return jsonify(error_body("unsupported_media_type", "Send JSON (Content-Type: application/json).")), 415
    origin = request.headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin)
        if f"{parts.scheme}://{parts.netloc}" not in _own_origins():
            return jsonify(error_body("forbidden", "This button only works on the page it came from.")), 403
    return None
