"""Schemathesis fuzzes the JSON API from its own OpenAPI description: never a 500, never a broken state."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from app.api.openapi import SPEC
from tests.conftest import PASSWORD

OPERATIONS = [(path, method) for path, item in SPEC["paths"].items() for method in item if method != "parameters"]


@pytest.fixture
def fuzzed_app(app, make_table):
    """An app with a few tables and a rate limit generous enough to let the fuzzer through."""
    app.config["STATUS_RATE_LIMIT"] = "10000 per second"
    app.config["LOGIN_RATE_LIMIT"] = "10000 per second"
    for floor in (1, 1, 2):
        make_table(floor=floor)
    return app


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_no_input_makes_the_api_fail_or_break_later_reads(fuzzed_app, client, path, method):
    """Any generated request gets a non-5xx JSON answer, and every table still reads back afterwards."""
    token = client.post("/api/auth/token", json={"username": "manager", "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzzed_app)
    operation = schema[path][method.upper()]
    tried = []

    @given(case=operation.as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        response = case.call(headers={**headers, **(case.headers or {})})
        tried.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}"
        if response.status_code >= 400:
            body = response.json()
            assert isinstance(body, dict) and body.get("error") and body.get("message")
        tables = client.get("/api/tables", headers=headers)
        assert tables.status_code == 200
        for table in tables.get_json():
            assert client.get(f"/api/tables/{table['tableId']}", headers=headers).status_code == 200

    check()
    assert tried, "the fuzzer sent no requests"
