"""Tables over JSON: read, create, edit, delete and change status."""

from flask import current_app, request
from flask_login import current_user

from app.api import bp
from app.auth import permissions
from app.auth.permissions import check_floor, role_required, visible_floors
from app.extensions import limiter
from app.models import limits
from app.services import status as status_service
from app.services import tables as table_service
from app.services.errors import Forbidden
from app.services.validation import UNSTORABLE_TEXT, clean_status_change, unstorable
from app.web import BadRequest, request_json, whole_number_arg


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
def list_tables():
    """Every table the user may see, optionally of one floor."""
    floor = whole_number_arg("floor")
    if floor is not None:
        check_floor(current_user, floor)
        floors = [floor]
    else:
        floors = visible_floors(current_user)
    return [table.to_dict() for table in table_service.tables_on(floors)]


@bp.get("/tables/<int:table_id>")
@role_required("viewer")
def get_table(table_id: int):
    """One table."""
    return visible_table(table_id).to_dict()


@bp.post("/tables")
@role_required("manager")
def create_table():
    """Create a table (201); without x and y it goes to a free spot on its floor."""
    fields = table_service.check_table_fields(request_json())
    check_floor(current_user, fields["floor"])
    table = table_service.create_table(fields, by=current_user.username)
    return table.to_dict(), 201


@bp.patch("/tables/<int:table_id>")
@role_required("manager")
def update_table(table_id: int):
    """Edit some fields of a table."""
    visible_table(table_id)
    fields = table_service.check_table_fields(request_json(), table_id=table_id)
    if "floor" in fields:
        check_floor(current_user, fields["floor"])
    return table_service.update_table(table_id, fields, by=current_user.username).to_dict()


@bp.delete("/tables/<int:table_id>")
@role_required("manager")
def delete_table(table_id: int):
    """Delete a table (204)."""
    visible_table(table_id)
    table_service.delete_table(table_id, by=current_user.username)
    return "", 204


@bp.patch("/tables/<int:table_id>/status")
@role_required("host")
@limiter.limit(status_limit, key_func=status_limit_key, scope="status-change", exempt_when=is_critical_request)
def change_status(table_id: int):
    """Change a table's status; 409 on a stale expectedStatus; replays an Idempotency-Key."""
    body = request_json()
    change = clean_status_change(body)
    if change["critical"] and not current_user.has_role("manager"):
        raise Forbidden("Only managers may send critical updates.")
    visible_table(table_id)
    key = request.headers.get("Idempotency-Key")
    idempotency = None
    if key:
        if len(key) > limits.IDEMPOTENCY_KEY_LENGTH:
            raise BadRequest(f"Idempotency-Key is longer than {limits.IDEMPOTENCY_KEY_LENGTH} characters.")
        if unstorable(key):  # a header may carry a NUL, and the key is stored
            raise BadRequest("Idempotency-Key cannot be saved.", fields={"Idempotency-Key": UNSTORABLE_TEXT})
        idempotency = status_service.IdempotencyKey.for_request(current_user.id, key, table_id, body)
    options = {k: change[k] for k in ("notes", "reserved_until", "covers") if k in change}
    try:
        table = status_service.change_status(
            table_id,
            change["status"],
            by=current_user.username,
            expected_status=change["expected_status"],
            idempotency=idempotency,
            **options,
        )
    except status_service.AlreadyApplied as replay:
        return replay.body
    return table.to_dict()
