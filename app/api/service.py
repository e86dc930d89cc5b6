"""What hosts read during service: a table's history and the floor's figures."""

from flask_login import current_user

from app.api import bp
from app.api.tables import visible_table
from app.auth.permissions import check_floor, role_required, visible_floors
from app.openapi import operation
from app.services import floors as floor_service
from app.services.history import service_summary, table_history
from app.services.parties import line_summary
from app.shapes.service import Summary, TableHistory
from app.shapes.tables import FloorQuery, HistoryQuery


@bp.get("/tables/<int:table_id>/history")
@role_required("viewer")
@operation({200: TableHistory}, query=HistoryQuery, refusals=(400, 401, 403, 404), tag="service")
def history(table_id: int, query: HistoryQuery):
    """The table's logged changes, newest first (`limit` 1-500, default 50)."""
    visible_table(table_id)
    return {"tableId": table_id, "events": table_history(table_id, query.limit)}


@bp.get("/summary")
@role_required("viewer")
@operation({200: Summary}, query=FloorQuery, refusals=(400, 401, 403, 404), tag="service")
def summary(query: FloorQuery):
    """Tables per status, seats, seats taken and covers, for one floor or every floor the user sees,
    and the line at the door (parties and people waiting), which is every floor's."""
    if query.floor is not None:
        check_floor(current_user, query.floor)
        floor_service.get_floor(query.floor)
    floors = [query.floor] if query.floor is not None else visible_floors(current_user)
    return Summary(floor=query.floor, **service_summary(floors), **line_summary()).wire()
