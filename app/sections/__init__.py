"""The managers' sections screen: a floor's sections drawn on its plan, their staff, and shift presets."""

from flask import Blueprint

bp = Blueprint("sections", __name__)

from app.sections import routes  # noqa: E402,F401
