"""The guest's own page (/w/<token>, no sign-in) and, for staff, its link and QR code."""

from flask import Blueprint

bp = Blueprint("guests", __name__)

from app.guests import routes, staff  # noqa: E402,F401
