"""What hosts read during service: a table's history and the floor's figures."""

import re

from flask import request
from flask_login import current_user

from app.api import bp
from app.api.tables import visible_table
from app.auth.permissions import check_floor, role_required, visible_floors
from app.models import limits
from app.services import floors as floor_service
from app.services.history import HISTORY_DEFAULT, service_summary, table_history
from app.web import BadRequest, whole_number_arg


@bp.get("/tables/<int:table_id>/history")
@role_required("viewer")
def history(table_id: int):
    """The table's logged changes, newest first (`limit` 1-500, default 50)."""
    raw = request.args.get("limit", str(HISTORY_DEFAULT)).strip()
    low, high = limits.HISTORY_ENTRIES
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not low <= int(raw) <= high:
        raise BadRequest(f"limit must be a whole number from {low} to {high}.")
    visible_table(table_id)
    return {"tableId": table_id, "events": table_history(table_id, int(raw))}


@bp.get("/summary")
@role_required("viewer")
def summary():
    """Tables per status, seats, seats taken and covers, for one floor or every floor the user sees."""
    floor = whole_number_arg("floor")
    if floor is not None:
        check_floor(current_user, floor)
        floor_service.get_floor(floor)
    floors = [floor] if floor is not None else visible_floors(current_user)
    return {"floor": floor, **service_summary(floors)}
