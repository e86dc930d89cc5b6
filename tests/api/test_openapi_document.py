"""/api/openapi.json is generated from the routes and the shapes: a valid OpenAPI document that holds
every path and status of shared/spec/CONTRACT.md, and every JSON route the app serves."""

import re

import pytest
from openapi_spec_validator import validate

# CONTRACT.md's "HTTP API" table (and "Service on the floor"): each path with the statuses it names,
# plus 401 for every signed-in route and 403 for those a role or a floor limit may refuse.
CONTRACT = {
    ("post", "/api/auth/token"): {200, 401},
    ("get", "/api/floors"): {200, 401},
    ("get", "/api/tables"): {200, 401, 403},
    ("get", "/api/tables/{}"): {200, 401, 403, 404},
    ("post", "/api/tables"): {201, 401, 403, 409, 422},
    ("patch", "/api/tables/{}"): {200, 401, 403, 404, 409, 422},
    ("delete", "/api/tables/{}"): {204, 401, 403, 404},
    ("patch", "/api/tables/{}/status"): {200, 401, 403, 404, 409, 422, 429},
    ("put", "/api/floors/{}/layout"): {200, 401, 403, 404, 422},
    ("get", "/api/events"): {200, 401, 403, 409},
    ("get", "/api/tables/{}/history"): {200, 400, 401, 403, 404},
    ("get", "/api/summary"): {200, 400, 401, 403},
    ("get", "/healthz"): {200},
    ("get", "/metrics"): {200},
    ("get", "/api/openapi.json"): {200},
}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(document: dict) -> dict[tuple[str, str], set[int]]:
    """(method, path with its parameters left unnamed) -> the statuses the document gives it."""
    return {
        (method, re.sub(r"\{[^}]+\}", "{}", path)): {int(status) for status in operation["responses"]}
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }


def test_the_document_is_valid_openapi(document):
    """The served document validates against the OpenAPI specification's own schema."""
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_every_contract_path_and_status_is_described(document):
    """Each path of the contract is there, with every status the contract names for it."""
    described = operations(document)
    missing = {operation: sorted(wanted - described.get(operation, set())) for operation, wanted in CONTRACT.items()}
    assert {operation: statuses for operation, statuses in missing.items() if statuses} == {}


def test_every_json_route_of_the_app_is_described(app, document):
    """No JSON route is left out of the document: each /api/ route, each of its methods."""
    described = operations(document)
    served = {
        (method.lower(), re.sub(r"<[^>]+>", "{}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served - set(described) == set()


def test_bodies_answers_and_refusals_name_their_shapes(document):
    """A table's answers are the Table shape, its bodies the shapes that validate them, and refusals the Error body."""
    table = document["paths"]["/api/tables/{table_id}"]
    answer = table["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/Table"}
    body = table["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/TableChanges"}
    refused = table["patch"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert refused == {"$ref": "#/components/schemas/Error"}
    schemas = document["components"]["schemas"]
    assert schemas["TableChanges"]["additionalProperties"] is False
    assert set(schemas["Error"]["required"]) == {"error", "message"}
    assert "tableId" in schemas["Table"]["required"] and "notes" in schemas["Table"]["required"]


def test_a_status_change_documents_its_conflict_and_idempotency_key(document):
    """The 409 of a status change carries the table and who changed it; the Idempotency-Key header is a parameter."""
    operation = document["paths"]["/api/tables/{table_id}/status"]["patch"]
    conflict = operation["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert conflict.endswith("/StatusConflict")
    assert {"table", "changedBy"} <= set(document["components"]["schemas"]["StatusConflict"]["properties"])
    assert "Idempotency-Key" in {parameter["name"] for parameter in operation["parameters"]}
