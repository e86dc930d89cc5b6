"""Login, logout, API tokens and the permission checks every view uses."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import loaders, routes  # noqa: E402,F401
