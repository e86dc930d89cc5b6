"""Floors over JSON and the layout editor's save."""

from flask_login import current_user

from app.api import bp
from app.auth.permissions import check_floor, role_required, visible_floors
from app.models import limits
from app.services import floors as floor_service
from app.services import tables as table_service
from app.services.errors import Forbidden, ValidationError
from app.services.validation import clean_table_fields
from app.web import LARGEST_NUMBER, request_json


@bp.get("/floors")
@role_required("viewer")
def list_floors():
    """The floors the user may see, with turn times and table counts."""
    return [_floor_json(floor, count) for floor, count in floor_service.list_floors(visible_floors(current_user))]


def _floor_json(floor, count: int) -> dict:
    return {"floor": floor.number, "name": floor.name, "turnMinutes": floor.turn_minutes, "tableCount": count}


@bp.patch("/floors/<int:floor>")
@role_required("manager")
def update_floor(floor: int):
    """Set a floor's turn time (a manager of that floor) or name (a manager of every floor)."""
    check_floor(current_user, floor)
    fields = floor_service.clean_floor_changes(request_json())
    if "name" in fields and current_user.is_floor_limited:
        raise Forbidden("Only a manager of every floor can rename floors.")
    floor_service.update_floor(floor, fields, by=current_user.username)
    return _floor_json(*floor_service.list_floors([floor])[0])


def _clean_positions(body: dict) -> list[dict]:
    items = body.get("tables")
    extra = set(body) - {"tables"}
    if extra or not isinstance(items, list) or len(items) > limits.LAYOUT_TABLES:
        raise ValidationError("Send {tables: [{tableId, x, y, rotation?, width?, height?}]}.")
    positions, errors, seen = [], {}, set()
    for index, item in enumerate(items):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("tableId"), int)
            or isinstance(item.get("tableId"), bool)
            or not 0 < item["tableId"] <= LARGEST_NUMBER
        ):
            errors[f"tables.{index}"] = "Each item needs the tableId of a table."
            continue
        if item["tableId"] in seen:
            errors[f"tables.{index}"] = "This table is listed twice."
            continue
        seen.add(item["tableId"])
        unknown = set(item) - {"tableId", "x", "y", "rotation", "width", "height"}
        if unknown or "x" not in item or "y" not in item:
            errors[f"tables.{index}"] = "Each item has tableId, x, y and optionally rotation, width, height."
            continue
        try:
            fields = clean_table_fields({k: v for k, v in item.items() if k != "tableId"}, creating=False)
        except ValidationError as error:
            errors.update({f"tables.{index}.{name}": message for name, message in error.fields.items()})
            continue
        positions.append({"tableId": item["tableId"], **fields})
    if errors:
        raise ValidationError("Some positions are not valid.", fields=errors)
    return positions


@bp.put("/floors/<int:floor>/layout")
@role_required("manager")
def save_layout(floor: int):
    """Save the layout editor's positions in one all-or-nothing transaction."""
    check_floor(current_user, floor)
    positions = _clean_positions(request_json())
    tables = table_service.save_layout(floor, positions, by=current_user.username)
    return [table.to_dict() for table in tables]
