"""The API's own description, generated from its routes and shapes (app/openapi.py)."""

from app.api import bp
from app.openapi import document, operation


@bp.get("/openapi.json")
@operation({200: None}, public=True, tag="documents")
def openapi():
    """The OpenAPI 3.1 document of the JSON API, for client generators and the fuzzing tests."""
    return document()
