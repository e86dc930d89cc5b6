"""HTML views: tables."""

from flask import Blueprint

bp = Blueprint("tables", __name__)

from app.tables import routes  # noqa: E402,F401
