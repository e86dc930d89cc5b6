"""Tables over JSON: read, create, edit, delete and change status."""

from flask import current_app, request
from flask_login import current_user

from app.api import bp
from app.api.idempotency import idempotency_key
from app.auth import permissions
from app.auth.permissions import check_floor, role_required, visible_floors
from app.extensions import limiter
from app.openapi import operation
from app.services import status as status_service
from app.services import tables as table_service
from app.services.errors import Forbidden
from app.shapes.errors import StatusConflict
from app.shapes.tables import FloorQuery, NewTable, StatusChange, StatusHeaders, Table, TableChanges
from app.web import request_json


def visible_table(table_id: int):
    """A table on a floor the signed-in user may see."""
    return permissions.visible_table(current_user, table_id)


def status_limit() -> str:
    return current_app.config["STATUS_RATE_LIMIT"]


def status_limit_key() -> str:
    """Status changes are counted per user, across every process and entry point."""
    return f"status-change:user:{current_user.id}" if current_user.is_authenticated else "anon"


def is_critical_request() -> bool:
    """A manager's `critical: true` change bypasses the limit."""
    body = request.get_json(silent=True) if request.is_json else None
    return bool(
        isinstance(body, dict)
        and body.get("critical") is True
        and current_user.is_authenticated
        and current_user.has_role("manager")
    )


@bp.get("/tables")
@role_required("viewer")
@operation({200: list[Table]}, query=FloorQuery, refusals=(400, 401, 403))
def list_tables(query: FloorQuery):
    """Every table the user may see, optionally of one floor."""
    if query.floor is not None:
        check_floor(current_user, query.floor)
        floors = [query.floor]
    else:
        floors = visible_floors(current_user)
    return [Table.of(table).wire() for table in table_service.tables_on(floors)]


@bp.get("/tables/<int:table_id>")
@role_required("viewer")
@operation({200: Table}, refusals=(401, 403, 404))
def get_table(table_id: int):
    """One table."""
    return Table.of(visible_table(table_id)).wire()


@bp.post("/tables")
@role_required("manager")
@operation({201: Table}, body=NewTable, hands_body=False, refusals=(400, 401, 403, 409, 413, 422))
def create_table():
    """Create a table (201); without x and y it goes to a free spot on its floor.

    Table numbers are unique ignoring case: 409 when only the number clashes, 422 listing
    every field's problem otherwise.
    """
    fields = table_service.check_table_fields(request_json())
    check_floor(current_user, fields["floor"])
    table = table_service.create_table(fields, by=current_user.username)
    return Table.of(table).wire(), 201


@bp.patch("/tables/<int:table_id>")
@role_required("manager")
@operation({200: Table}, body=TableChanges, hands_body=False, refusals=(400, 401, 403, 404, 409, 413, 422))
def update_table(table_id: int):
    """Edit some fields of a table."""
    visible_table(table_id)
    fields = table_service.check_table_fields(request_json(), table_id=table_id)
    if "floor" in fields:
        check_floor(current_user, fields["floor"])
    return Table.of(table_service.update_table(table_id, fields, by=current_user.username)).wire()


@bp.delete("/tables/<int:table_id>")
@role_required("manager")
@operation({204: None}, refusals=(401, 403, 404))
def delete_table(table_id: int):
    """Delete a table (204)."""
    visible_table(table_id)
    table_service.delete_table(table_id, by=current_user.username)
    return "", 204


@bp.patch("/tables/<int:table_id>/status")
@role_required("host")
@limiter.limit(status_limit, key_func=status_limit_key, scope="status-change", exempt_when=is_critical_request)
@operation(
    {200: Table, 409: StatusConflict},
    body=StatusChange,
    headers=StatusHeaders,
    refusals=(400, 401, 403, 404, 413, 422, 429),
)
def change_status(table_id: int, body: StatusChange):
    """Change a table's status; 409 on a stale expectedStatus; replays an Idempotency-Key."""
    if body.critical and not current_user.has_role("manager"):
        raise Forbidden("Only managers may send critical updates.")
    idempotency = idempotency_key(table_id)
    options = {
        name: value
        for name, value in body.values().items()
        if name in ("notes", "reserved_until", "covers", "tapped_at")
    }
    if body.party_id is not None:
        options["party_back"] = body.party_id
    try:
        table = status_service.change_status(
            table_id,
            body.status,
            by=current_user.username,
            expected_status=body.expected_status,
            idempotency=idempotency,
            seen_by=current_user,  # checked on the row the change reads: no read of its own
            **options,
        )
    except status_service.AlreadyApplied as replay:
        return replay.body
    return table.wire()
