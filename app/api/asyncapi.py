"""The socket's own description, generated from the event shapes (app/realtime/asyncapi.py)."""

from flask import current_app, request
from flask_login import COOKIE_NAME

from app.api import bp
from app.openapi import operation
from app.realtime.asyncapi import document


@bp.get("/asyncapi.json")
@operation({200: None}, public=True, tag="documents")
def asyncapi():
    """The AsyncAPI 3.0 document of the Socket.IO events, for client generators and the live tests."""
    config = current_app.config
    return document(
        host=request.host,
        secure=request.is_secure,
        session_cookie=config["SESSION_COOKIE_NAME"],
        remember_cookie=config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME),
    )
