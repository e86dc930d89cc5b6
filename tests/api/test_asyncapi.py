"""/api/asyncapi.json: valid AsyncAPI 3.0.0 by the specification's own JSON Schema, and it names
every Socket.IO event of the contract with the contract's fields.

The specification's schema is the one the `@asyncapi/specs` npm package ships (package.json's
devDependencies, installed by `make setup`), read from node_modules.
"""

import copy
import json
from pathlib import Path

import pytest
from jsonschema_rs import validator_for

from app.shapes.events import CLIENT_EVENTS, SERVER_EVENTS
from tests.support import asyncapi

SPEC_SCHEMA = Path(__file__).resolve().parents[2] / "node_modules/@asyncapi/specs/schemas/3.0.0.json"
TABLE = {
    "tableId", "tableNumber", "floor", "section", "capacity", "status", "shape", "x", "y", "width", "height",
    "rotation", "notes", "reservedUntil", "statusChangedAt", "version", "createdAt", "updatedAt", "covers",
}  # fmt: skip
STATUS_CHANGE = {"eventId", "tableId", "tableNumber", "floor", "oldStatus", "newStatus", "updatedBy", "updatedAt"}
# shared/spec/CONTRACT.md, "Socket.IO": each server event's fields, those it always carries and those it may.
CONTRACT_SERVER_EVENTS = {
    "tables:connected": ({"socketId"}, set()),
    "table:status_changed": (STATUS_CHANGE, {"notes", "covers", "reservedUntil"}),
    "table:created": ({"eventId", *TABLE}, set()),
    "table:updated": ({"eventId", "tableId", "tableNumber", "floor", "changes", "updatedBy", "updatedAt"}, set()),
    "table:deleted": ({"eventId", "tableId", "tableNumber", "floor", "deletedBy", "deletedAt"}, set()),
    "tables:sync_response": ({"recovered", "lastEventId", "events", "tables"}, set()),
    "tables:error": ({"code", "message"}, set()),
}
BATCH_ITEM = ({*STATUS_CHANGE, "status"}, {"notes", "covers", "reservedUntil"})
LOG_ENTRY = {"eventId", "event", "data"}
# What each client event sends, and the fields of its refusal.
CONTRACT_CLIENT_EVENTS = {"tables:join": {"floor"}, "tables:leave": {"floor"}, "tables:sync": {"lastEventId"}}
REFUSAL = {"ok", "error", "message"}


@pytest.fixture
def served(client) -> dict:
    """The document as anyone, signed in or not, gets it."""
    response = client.get("/api/asyncapi.json", base_url="https://tables.example.com")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture(scope="module")
def specification():
    """A validator of the AsyncAPI 3.0.0 specification's JSON Schema, from the @asyncapi/specs package."""
    assert SPEC_SCHEMA.exists(), "run `make setup` (npm ci) to install @asyncapi/specs"
    return validator_for(json.loads(SPEC_SCHEMA.read_text()))


def errors_of(validator, document: dict) -> list[str]:
    return [f"{list(error.instance_path)}: {error.message[:200]}" for error in validator.iter_errors(document)]


def resolve(document: dict, reference: dict) -> dict:
    """What a `{"$ref": "#/..."}` names in the document."""
    return asyncapi.resolve(reference["$ref"], document)[1]


def payload_of(document: dict, message: dict) -> dict:
    """A message's payload schema, with its reference followed."""
    return resolve(document, message["payload"])


def messages_by_event(document: dict) -> dict[str, dict]:
    """Every message that is a Socket.IO event, by the event's name."""
    return {message["name"]: message for message in document["components"]["messages"].values() if "name" in message}


def fields(schema: dict) -> tuple[set[str], set[str]]:
    """A payload's required fields, and the others it allows."""
    required = set(schema.get("required", []))
    return required, set(schema["properties"]) - required


def test_the_document_is_valid_asyncapi_3_0_0(served, specification):
    """The served document passes the AsyncAPI 3.0.0 schema; a copy with an AsyncAPI 2 operation word fails it."""
    assert served["asyncapi"] == "3.0.0"
    assert errors_of(specification, served) == []
    broken = copy.deepcopy(served)
    broken["operations"]["tablesJoin"]["action"] = "publish"
    assert errors_of(specification, broken) != []


def test_every_reference_resolves_and_each_operation_uses_its_own_channels_messages(served):
    """What the JSON Schema cannot check: each $ref names something, and operations and replies pick their
    messages from the channel they name, as the specification requires."""
    references = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            references.extend([node["$ref"]] if isinstance(node.get("$ref"), str) else [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(served)
    assert len(references) > 50
    for reference in references:
        target = served
        for part in reference.removeprefix("#/").split("/"):
            assert part in target, f"{reference} names nothing"
            target = target[part]
    for name, operation in served["operations"].items():
        for message in operation["messages"]:
            assert message["$ref"].startswith(operation["channel"]["$ref"] + "/messages/"), name
        for message in operation.get("reply", {}).get("messages", []):
            assert message["$ref"].startswith(operation["reply"]["channel"]["$ref"] + "/messages/"), name


def test_every_socket_event_of_the_contract_is_in_it_with_the_contracts_fields(served):
    """Each server event's payload has the contract's fields, required unless the contract says `?`."""
    messages = messages_by_event(served)
    for event, (always, maybe) in CONTRACT_SERVER_EVENTS.items():
        required, optional = fields(payload_of(served, messages[event]))
        assert always <= required and maybe <= optional, (event, always - required, maybe - optional)
    batch = payload_of(served, messages["tables:batch_update"])
    assert batch["type"] == "array"
    item = resolve(served, batch["items"])
    required, optional = fields(item)
    assert BATCH_ITEM[0] <= required and BATCH_ITEM[1] <= optional
    sync = payload_of(served, messages["tables:sync_response"])
    entry = resolve(served, sync["properties"]["events"]["items"])
    assert set(entry["required"]) == LOG_ENTRY


def test_every_client_event_is_received_with_its_acknowledgement_as_a_reply(served):
    """tables:join, tables:leave and tables:sync: what the client sends, and a reply for yes (ok true) and no."""
    messages = messages_by_event(served)
    for event, sent in CONTRACT_CLIENT_EVENTS.items():
        assert fields(payload_of(served, messages[event]))[0] == sent
        (operation,) = [
            operation
            for operation in served["operations"].values()
            if operation["action"] == "receive" and resolve(served, operation["messages"][0])["name"] == event
        ]
        replies = [resolve(served, reply) for reply in operation["reply"]["messages"]]
        answers = [payload_of(served, reply) for reply in replies]
        assert sorted(answer["properties"]["ok"]["const"] for answer in answers) == [False, True]
        (refusal,) = [answer for answer in answers if answer["properties"]["ok"]["const"] is False]
        assert set(refusal["required"]) == REFUSAL


def test_it_names_every_event_the_shapes_declare_and_no_other(served):
    """The events sent and received in the document are exactly the registries of app/shapes/events.py."""
    sent, received = set(), set()
    for operation in served["operations"].values():
        names = {resolve(served, message)["name"] for message in operation["messages"]}
        (sent if operation["action"] == "send" else received).update(names)
    assert sent == set(SERVER_EVENTS) and received == set(CLIENT_EVENTS)


def test_the_server_is_the_host_asked_with_the_handshakes_credentials(served, app):
    """The socket's address is the host the document was asked from, and the handshake's four ways to sign in
    name this app's cookies."""
    (server,) = served["servers"].values()
    assert (server["host"], server["protocol"], server["pathname"]) == ("tables.example.com", "wss", "/socket.io")
    schemes = served["components"]["securitySchemes"]
    assert {reference["$ref"].rsplit("/", 1)[1] for reference in server["security"]} == set(schemes)
    assert schemes["sessionCookie"]["name"] == app.config["SESSION_COOKIE_NAME"]
    assert schemes["rememberCookie"]["name"] == "remember_token"
    assert (schemes["bearerHeader"]["scheme"], schemes["authToken"]["scheme"]) == ("bearer", "bearer")
    handshake = resolve(served, schemes["authToken"]["x-socketio-auth"])
    assert set(handshake["properties"]) == {"token", "reconnect", "guest"}


def test_the_live_tests_judge_by_the_served_document(served):
    """tests/support/asyncapi.py builds the same document the server serves (its server aside)."""
    assert {**asyncapi.DOCUMENT, "servers": None} == {**served, "servers": None}
