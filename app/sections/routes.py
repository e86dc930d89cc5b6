"""The sections screen: the floor's plan to draw sections on; it saves only through the JSON API."""

from flask import render_template
from flask_login import current_user

from app.auth.permissions import role_required, visible_floors
from app.sections import bp
from app.sections.palette import PALETTE
from app.services import floors as floor_service
from app.services import tables as table_service
from app.services.event_log import latest_event_id
from app.services.placement import plan_size
from app.services.presets import presets_on
from app.services.users import staff_sharing
from app.shapes.presets import ListedPreset
from app.shapes.staff import Staff
from app.tables.markup import blank_table
from app.tables.routes import chosen_floor
from app.tables.state import STATUS_LABELS, floor_entries, page_state


@bp.get("/sections")
@role_required("manager")
def sections_screen():
    """One floor's plan with its sections: pick or make a section, tap tables into it, give it a member of staff."""
    floors = floor_entries(floor_service.list_floors(visible_floors(current_user)))
    floor = chosen_floor(floors)
    # The head is read before the tables, so the page's state is at least as new as its id (as the plan's).
    head = latest_event_id([floor]) if floor is not None else None
    tables = table_service.tables_on([floor]) if floor is not None else []
    width, height = plan_size(tables)
    state = page_state(view="sections", floor=floor, floors=floors, tables=tables, head=head)
    if floor is not None:
        staff = staff_sharing(visible_floors(current_user))
        state["staff"] = [Staff.of(user, shown).wire() for user, shown in staff if user.may_see_floor(floor)]
        state["presets"] = [ListedPreset.of(preset).wire() for preset in presets_on(floor)]
        state["palette"] = [{"name": name, "colour": colour} for name, colour in PALETTE]
    return render_template(
        "sections/screen.html",
        nav="plan",
        floor=floor,
        floors=floors,
        tables=state["tables"],
        blank=blank_table(),
        plan_width=width,
        plan_height=height,
        labels=STATUS_LABELS,
        palette=PALETTE,
        state=state,
    )
