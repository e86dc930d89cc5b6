"""The layout editor: managers move, resize and rotate a floor's tables, then press Save."""

from flask import render_template
from flask_login import current_user

from app.auth.permissions import role_required, visible_floors
from app.services import floors as floor_service
from app.services import tables as table_service
from app.services.placement import plan_size
from app.tables import bp
from app.tables.routes import chosen_floor
from app.tables.state import floor_entries, page_state


@bp.get("/tables/layout")
@role_required("manager")
def layout_editor():
    """The editor for one floor; it saves only through PUT /api/floors/<n>/layout."""
    floors = floor_entries(floor_service.list_floors(visible_floors(current_user)))
    floor = chosen_floor(floors)
    tables = table_service.tables_on([floor]) if floor is not None else []
    width, height = plan_size(tables)
    return render_template(
        "tables/layout.html",
        nav="plan",
        floor=floor,
        floors=floors,
        tables=tables,
        plan_width=width,
        plan_height=height,
        state=page_state(view="layout", floor=floor, floors=floors, tables=tables, head=None),
    )
