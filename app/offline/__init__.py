"""The offline shell: the service worker, the web app manifest, and what they may keep."""

from flask import Blueprint

bp = Blueprint("offline", __name__)

from app.offline import routes  # noqa: E402,F401
