"""HTML views: the floor plan, the list, the layout editor and the managers' table forms."""

from flask import Blueprint

bp = Blueprint("tables", __name__)

from app.tables import layout, manage, markup, routes  # noqa: E402,F401
