"""The JSON API of the contract."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from app.api import asyncapi, document, events, floors, parties, presets, rotation, sections, service, tables  # noqa: E402,F401
