"""The server rotation over JSON: every screen reads who is next up; hosts cut and skip servers."""

from flask_login import current_user

from app.api import bp
from app.auth.permissions import check_floor, role_required, visible_floors
from app.openapi import operation
from app.services import rotation as rotation_service
from app.shapes.rotation import Rotation, RotationQuery, Server


@bp.get("/rotation")
@role_required("viewer")
@operation({200: Rotation}, query=RotationQuery, refusals=(400, 401, 403), tag="rotation")
def rotation(query: RotationQuery):
    """The servers of the floors the user may see (or `?floor=`), with their figures this shift, and who is
    next up for a party of `?size=` (1 when left out): their smallest free table that fits."""
    floors = visible_floors(current_user)
    if query.floor is not None:
        check_floor(current_user, query.floor)
        floors = [query.floor]
    return rotation_service.rotation(query.size or 1, floors).wire()


@bp.post("/rotation/<int:user_id>/cut")
@role_required("host")
@operation({200: Server}, refusals=(401, 403, 404), tag="rotation")
def cut_server(user_id: int):
    """No more parties for this server this shift (404: unknown, or on no section). Logs server:cut."""
    return rotation_service.cut_server(user_id, by=current_user.username).wire()


@bp.post("/rotation/<int:user_id>/uncut")
@role_required("host")
@operation({200: Server}, refusals=(401, 403, 404), tag="rotation")
def uncut_server(user_id: int):
    """Put a cut server back in the rotation. Logs server:uncut."""
    return rotation_service.uncut_server(user_id, by=current_user.username).wire()


@bp.post("/rotation/<int:user_id>/skip")
@role_required("host")
@operation({200: Server}, refusals=(401, 403, 404, 409), tag="rotation")
def skip_server(user_id: int):
    """Pass this server over for the next party only (409 when they are cut). Logs server:skipped."""
    return rotation_service.skip_server(user_id, by=current_user.username).wire()
