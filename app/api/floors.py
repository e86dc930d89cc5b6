"""Floors over JSON and the layout editor's save."""

from flask import current_app
from flask_login import current_user

from app.api import bp
from app.auth.permissions import check_floor, role_required, visible_floors
from app.openapi import operation
from app.services import floors as floor_service
from app.services import layout_holds
from app.services import tables as table_service
from app.services.errors import Forbidden
from app.shapes.floors import Floor, FloorChanges
from app.shapes.tables import Layout, LayoutHold, LayoutHoldAsked, LayoutHolder, Table


@bp.get("/floors")
@role_required("viewer")
@operation({200: list[Floor]}, refusals=(401,), tag="floors")
def list_floors():
    """The floors the user may see, with turn times and table counts."""
    return [Floor.of(floor, count).wire() for floor, count in floor_service.list_floors(visible_floors(current_user))]


@bp.patch("/floors/<int:floor>")
@role_required("manager")
@operation({200: Floor}, body=FloorChanges, refusals=(400, 401, 403, 404, 422), tag="floors")
def update_floor(floor: int, body: FloorChanges):
    """Set a floor's turn time (a manager of that floor) or name (a manager of every floor). Logs floor:updated."""
    check_floor(current_user, floor)
    if body.name is not None and current_user.is_floor_limited:
        raise Forbidden("Only a manager of every floor can rename floors.")
    floor_service.update_floor(floor, body.values(), by=current_user.username)
    return Floor.of(*floor_service.list_floors([floor])[0]).wire()


@bp.put("/floors/<int:floor>/layout")
@role_required("manager")
@operation(
    {200: list[Table]},
    body=Layout,
    context=Layout.reading_context,
    refusals=(400, 401, 403, 404, 409, 413, 422),
    tag="floors",
)
def save_layout(floor: int, body: Layout):
    """Save the layout editor's positions in one all-or-nothing transaction."""
    check_floor(current_user, floor)
    layout_holds.check_may_save(floor, current_user, body.editor)
    positions = [{"tableId": item.table_id, **item.values()} for item in body.tables]
    tables = table_service.save_layout(floor, positions, by=current_user.username)
    return [Table.of(table).wire() for table in tables]


@bp.post("/floors/<int:floor>/layout/hold")
@role_required("manager")
@operation({200: LayoutHold}, body=LayoutHoldAsked, refusals=(400, 401, 403, 404, 409, 422), tag="floors")
def hold_layout(floor: int, body: LayoutHoldAsked):
    """Hold the floor's layout editor for this editor, or renew the hold; 409 names who holds it.

    With `takeover` the hold moves to this editor; the one that had it is refused on its next renewal
    and its save. A hold not renewed within `seconds` ends.
    """
    check_floor(current_user, floor)
    floor_service.get_floor(floor)
    holder = layout_holds.take(floor, current_user, body.editor, takeover=body.takeover, renewal=body.renewal)
    seconds = current_app.config["LAYOUT_HOLD_SECONDS"]
    held_by = LayoutHolder(user_id=holder.user_id, username=holder.username)
    return LayoutHold(floor=floor, held_by=held_by, seconds=seconds).wire()


@bp.delete("/floors/<int:floor>/layout/hold/<editor>")
@role_required("manager")
@operation({204: None}, refusals=(401, 403), tag="floors")
def put_down_layout(floor: int, editor: str):
    """The editor closed: free the floor (only the manager and editor holding it free it; else nothing happens)."""
    check_floor(current_user, floor)
    layout_holds.put_down(floor, current_user, editor)
    return "", 204
