"""`/sw.js` and `/manifest.webmanifest`, and the mark that tells the worker whose page it keeps."""

from flask import Response, jsonify, render_template, request
from flask_login import current_user

from app.offline import bp
from app.offline.shell import manifest, shell_urls, shell_version

# Answered by the worker with a page kept on the device when the network is away.
KEPT_PAGE_ENDPOINTS = {"tables.floor_plan"}
USER_HEADER = "X-Tableside-User"


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that it controls every page; its version is the shell's."""
    body = render_template("offline/sw.js", version=shell_version(), shell=shell_urls())
    response = Response(body, mimetype="text/javascript")
    # The browser compares this file byte for byte on each check: always ask the server.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def web_app_manifest():
    """The web app manifest (public: browsers fetch it without cookies)."""
    response = jsonify(manifest())
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.after_app_request
def mark_kept_page(response: Response) -> Response:
    """Name the signed-in user on pages the worker may keep, so that no copy crosses users."""
    if (
        request.endpoint in KEPT_PAGE_ENDPOINTS
        and request.method == "GET"
        and response.status_code == 200
        and current_user.is_authenticated
    ):
        response.headers[USER_HEADER] = current_user.username
        response.headers["Cache-Control"] = "no-store"
    return response
