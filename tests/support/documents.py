"""The documents the app generates, read as a client reads them (no database needed)."""

from functools import cache


@cache
def openapi_document() -> dict:
    """/api/openapi.json as an app serves it."""
    from app import create_app
    from app.config import TestConfig

    return create_app(TestConfig).test_client().get("/api/openapi.json").get_json()
