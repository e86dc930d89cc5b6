"""HTML views: floors."""

from flask import Blueprint

bp = Blueprint("floors", __name__)

from app.floors import routes  # noqa: E402,F401
