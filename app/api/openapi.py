"""The JSON API described as OpenAPI 3.0, served at /api/openapi.json."""

from app.api import bp
from app.api.openapi_links import with_links
from app.models import TABLE_SHAPES, TABLE_STATUSES, limits

ERROR = {"$ref": "#/components/schemas/Error"}
TABLE = {"$ref": "#/components/schemas/Table"}


def _responses(ok_status: str, ok_schema: dict | None, *errors: int) -> dict:
    responses = {ok_status: {"description": "Success"}}
    if ok_schema is not None:
        responses[ok_status]["content"] = {"application/json": {"schema": ok_schema}}
    for status in errors:
        responses[str(status)] = {"description": "Refused", "content": {"application/json": {"schema": ERROR}}}
    return responses


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def _range(kind: str, bounds: tuple[int, int], **more: object) -> dict:
    """A number schema whose bounds are one of app.models.limits' ranges."""
    return {"type": kind, "minimum": bounds[0], "maximum": bounds[1], **more}


TABLE_FIELDS = {
    "tableNumber": {"type": "string", "pattern": limits.TABLE_NUMBER_PATTERN},
    "floor": _range("integer", limits.FLOOR_NUMBER),
    "section": {
        "type": "string",
        "maxLength": limits.NAME_LENGTH,
        "nullable": True,
        "description": "The section's name; a name the floor lacks makes a new section. sectionId is preferred.",
    },
    "sectionId": {"type": "integer", "nullable": True, "description": "A section of the table's floor."},
    "capacity": _range("integer", limits.SEATS),
    "status": {"type": "string", "enum": list(TABLE_STATUSES)},
    "shape": {"type": "string", "enum": list(TABLE_SHAPES)},
    "x": _range("number", limits.PLAN_POSITION),
    "y": _range("number", limits.PLAN_POSITION),
    "width": _range("number", limits.TABLE_SIZE),
    "height": _range("number", limits.TABLE_SIZE),
    "rotation": _range("number", limits.ROTATION),
    "notes": {"type": "string", "maxLength": limits.NOTES_LENGTH, "nullable": True},
    "reservedUntil": {
        "type": "string",
        "format": "date-time",
        "nullable": True,
        "description": f"Between the years {limits.DATE_YEARS[0]} and {limits.DATE_YEARS[1]}, once in UTC.",
    },
}
COVERS = _range("integer", limits.COVERS, nullable=True)
ASSIGNEE = {
    "type": "object",
    "nullable": True,
    "required": ["userId", "username", "initials"],
    "properties": {"userId": {"type": "integer"}, "username": {"type": "string"}, "initials": {"type": "string"}},
}
COLOUR = {"type": "string", "pattern": limits.COLOUR_PATTERN}
NAME = {"type": "string", "minLength": 1, "maxLength": limits.NAME_LENGTH}
TURN_MINUTES = _range("integer", limits.TURN_MINUTES)
READ_ONLY = {
    "tableId": {"type": "integer"},
    "covers": {**COVERS, "description": "The party seated; null unless occupied."},
    "assignee": {**ASSIGNEE, "description": "Who looks after the table's section this shift."},
    "statusChangedAt": {"type": "string", "format": "date-time"},
    "version": {"type": "integer"},
    "createdAt": {"type": "string", "format": "date-time"},
    "updatedAt": {"type": "string", "format": "date-time"},
}

SECTION = {"$ref": "#/components/schemas/Section"}
SERVICE_SCHEMAS = {
    "Floor": {
        "type": "object",
        "properties": {
            "floor": {"type": "integer"},
            "name": {"type": "string"},
            "turnMinutes": TURN_MINUTES,
            "tableCount": {"type": "integer"},
        },
    },
    "FloorChanges": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"name": NAME, "turnMinutes": TURN_MINUTES},
    },
    "Section": {
        "type": "object",
        "properties": {
            "sectionId": {"type": "integer"},
            "floor": {"type": "integer"},
            "name": NAME,
            "colour": COLOUR,
            "assignee": ASSIGNEE,
            "assignedAt": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
    "NewSection": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {"name": NAME, "colour": COLOUR},
    },
    "SectionChanges": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"name": NAME, "colour": COLOUR},
    },
    "Assignment": {
        "type": "object",
        "additionalProperties": False,
        "required": ["userId"],
        "properties": {"userId": {"type": "integer", "minimum": 1, "nullable": True}},
    },
    "History": {
        "type": "object",
        "properties": {
            "tableId": {"type": "integer"},
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["eventId", "event", "at", "by"],
                    "properties": {
                        "eventId": {"type": "string"},
                        "event": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                        "by": {"type": "string"},
                        "oldStatus": TABLE_FIELDS["status"],
                        "newStatus": TABLE_FIELDS["status"],
                        "covers": COVERS,
                        "reservedUntil": {"type": "string", "format": "date-time"},
                        "notes": {"type": "string", "nullable": True},
                        "changes": {"type": "object"},
                    },
                },
            },
        },
    },
    "Summary": {
        "type": "object",
        "properties": {
            "floor": {"type": "integer", "nullable": True},
            "tables": {
                "type": "object",
                "properties": {status: {"type": "integer"} for status in TABLE_STATUSES},
            },
            "seats": {"type": "integer"},
            "occupiedSeats": {"type": "integer"},
            "covers": {"type": "integer"},
        },
    },
}
FLOOR_QUERY = {"name": "floor", "in": "query", "schema": {"type": "integer"}}
SERVICE_PATHS = {
    "/api/floors/{floor}": {
        "parameters": [_path_id("floor")],
        "patch": {
            "description": "turnMinutes: a manager of the floor; name: a manager of every floor. Logs floor:updated.",
            "requestBody": _body({"$ref": "#/components/schemas/FloorChanges"}),
            "responses": _responses("200", {"$ref": "#/components/schemas/Floor"}, 400, 401, 403, 404, 422),
        },
    },
    "/api/floors/{floor}/sections": {
        "parameters": [_path_id("floor")],
        "get": {"responses": _responses("200", {"type": "array", "items": SECTION}, 401, 403, 404)},
        "post": {
            "description": "Logs section:created.",
            "requestBody": _body({"$ref": "#/components/schemas/NewSection"}),
            "responses": _responses("201", SECTION, 400, 401, 403, 404, 409, 422),
        },
    },
    "/api/sections": {"get": {"responses": _responses("200", {"type": "array", "items": SECTION}, 401)}},
    "/api/sections/{sectionId}": {
        "parameters": [_path_id("sectionId")],
        "patch": {
            "description": "Logs section:updated.",
            "requestBody": _body({"$ref": "#/components/schemas/SectionChanges"}),
            "responses": _responses("200", SECTION, 400, 401, 403, 404, 409, 422),
        },
        "delete": {
            "description": "Its tables keep their places with no section. Logs section:deleted.",
            "responses": _responses("204", None, 401, 403, 404),
        },
    },
    "/api/sections/{sectionId}/assignee": {
        "parameters": [_path_id("sectionId")],
        "put": {
            "description": "Assign a member of staff for the shift, or clear with userId null. Logs section:assigned.",
            "requestBody": _body({"$ref": "#/components/schemas/Assignment"}),
            "responses": _responses("200", SECTION, 400, 401, 403, 404, 422),
        },
    },
    "/api/staff": {"get": {"responses": _responses("200", {"type": "array"}, 401, 403)}},
    "/api/tables/{tableId}/history": {
        "parameters": [_path_id("tableId")],
        "get": {
            "parameters": [{"name": "limit", "in": "query", "schema": _range("integer", limits.HISTORY_ENTRIES)}],
            "responses": _responses("200", {"$ref": "#/components/schemas/History"}, 400, 401, 403, 404),
        },
    },
    "/api/summary": {
        "get": {
            "parameters": [FLOOR_QUERY],
            "responses": _responses("200", {"$ref": "#/components/schemas/Summary"}, 400, 401, 403, 404),
        }
    },
}

SPEC = {
    "openapi": "3.0.3",
    "info": {
        "title": "Tableside API",
        "version": "1.0.0",
        "description": (
            "Live floor plans for restaurants. Every JSON body: nested at most"
            f" {limits.JSON_DEPTH} levels deep (400 otherwise); text holding a NUL or a lone surrogate is"
            " refused with 422, naming each field by its JSON path (e.g. tables.0.notes)."
        ),
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {
                    "error": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object"},
                },
            },
            "Table": {"type": "object", "properties": {**TABLE_FIELDS, **READ_ONLY}, "required": list(READ_ONLY)},
            "NewTable": {
                "type": "object",
                "additionalProperties": False,
                "required": ["tableNumber", "floor", "capacity"],
                "properties": TABLE_FIELDS,
            },
            "TableChanges": {"type": "object", "additionalProperties": False, "properties": TABLE_FIELDS},
            "StatusChange": {
                "type": "object",
                "additionalProperties": False,
                "required": ["status"],
                "properties": {
                    "status": TABLE_FIELDS["status"],
                    "covers": {**COVERS, "description": "Party size; only with status occupied."},
                    "expectedStatus": TABLE_FIELDS["status"],
                    "notes": TABLE_FIELDS["notes"],
                    "reservedUntil": TABLE_FIELDS["reservedUntil"],
                    "critical": {"type": "boolean"},
                },
            },
            **SERVICE_SCHEMAS,
            "Layout": {
                "type": "object",
                "additionalProperties": False,
                "required": ["tables"],
                "properties": {
                    "tables": {
                        "type": "array",
                        "maxItems": limits.LAYOUT_TABLES,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["tableId", "x", "y"],
                            "properties": {
                                "tableId": {"type": "integer"},
                                **{k: TABLE_FIELDS[k] for k in ("x", "y", "rotation", "width", "height")},
                            },
                        },
                    }
                },
            },
        },
    },
    "security": [{"bearer": []}],
    "paths": {  # with links added below
        "/api/auth/token": {
            "post": {
                "security": [],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["username", "password"],
                        "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                    }
                ),
                "responses": _responses("200", {"type": "object"}, 400, 401, 422, 429),
            }
        },
        "/api/floors": {
            "get": {
                "responses": _responses("200", {"type": "array", "items": {"$ref": "#/components/schemas/Floor"}}, 401)
            }
        },
        "/api/tables": {
            "get": {
                "parameters": [{"name": "floor", "in": "query", "schema": {"type": "integer"}}],
                "responses": _responses("200", {"type": "array", "items": TABLE}, 400, 401, 403),
            },
            "post": {
                "description": (
                    "Without x and y the table goes to a free spot on its floor (touching no other table, inside the"
                    " plan's area when there is room). Table numbers are unique ignoring case: 409 when only the"
                    " number clashes, 422 listing every field's problem otherwise."
                ),
                "requestBody": _body({"$ref": "#/components/schemas/NewTable"}),
                "responses": _responses("201", TABLE, 400, 401, 403, 409, 413, 422),
            },
        },
        "/api/tables/{tableId}": {
            "parameters": [_path_id("tableId")],
            "get": {"responses": _responses("200", TABLE, 401, 403, 404)},
            "patch": {
                "requestBody": _body({"$ref": "#/components/schemas/TableChanges"}),
                "responses": _responses("200", TABLE, 400, 401, 403, 404, 409, 413, 422),
            },
            "delete": {"responses": _responses("204", None, 401, 403, 404)},
        },
        "/api/tables/{tableId}/status": {
            "parameters": [_path_id("tableId")],
            "patch": {
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "schema": {"type": "string", "maxLength": limits.IDEMPOTENCY_KEY_LENGTH},
                    }
                ],
                "requestBody": _body({"$ref": "#/components/schemas/StatusChange"}),
                "responses": _responses("200", TABLE, 400, 401, 403, 404, 409, 413, 422, 429),
            },
        },
        "/api/floors/{floor}/layout": {
            "parameters": [_path_id("floor")],
            "put": {
                "requestBody": _body({"$ref": "#/components/schemas/Layout"}),
                "responses": _responses("200", {"type": "array", "items": TABLE}, 400, 401, 403, 404, 413, 422),
            },
        },
        **SERVICE_PATHS,
        "/api/events": {
            "get": {
                "parameters": [
                    {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {"name": "floor", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": _responses("200", {"type": "object"}, 400, 401, 403, 409),
            }
        },
    },
}

SPEC["paths"] = with_links(SPEC["paths"])


@bp.get("/openapi.json")
def openapi():
    """The API description, for client generators and the fuzzing tests."""
    return SPEC
