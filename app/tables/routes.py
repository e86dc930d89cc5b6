"""The floor plan and the list of tables: the pages staff keep open during service."""

from flask import render_template, request
from flask_login import current_user

from app.auth.permissions import check_floor, role_required, visible_floors
from app.models import TABLE_STATUSES
from app.services import floors as floor_service
from app.services import tables as table_service
from app.services.errors import NotFound
from app.services.event_log import latest_event_id
from app.tables import bp
from app.tables.listing import SORT_KEYS, filter_tables, sort_tables
from app.tables.markup import blank_table
from app.tables.state import STATUS_LABELS, floor_entries, page_state, plan_size, status_counts
from app.web import BadRequest, whole_number_arg


def chosen_floor(floors: list[dict]) -> int | None:
    """The floor named by ?floor (403 outside the user's limit, 404 unknown), else the first."""
    floor = whole_number_arg("floor")
    if floor is None:
        return floors[0]["floor"] if floors else None
    check_floor(current_user, floor)
    if floor not in {entry["floor"] for entry in floors}:
        raise NotFound(f"Floor {floor} does not exist.")
    return floor


@bp.get("/")
@bp.get("/tables")
@role_required("viewer")
def floor_plan():
    """The live floor plan of one floor; `?view=list` shows the list of every table instead."""
    if request.args.get("view") == "list":
        return table_list()
    floors = floor_entries(floor_service.list_floors(visible_floors(current_user)))
    floor = chosen_floor(floors)
    # The head is read before the tables, so the page's state is at least as new as its id.
    head = latest_event_id([floor]) if floor is not None else None
    tables = table_service.tables_on([floor]) if floor is not None else []
    width, height = plan_size(tables)
    state = page_state(view="plan", floor=floor, floors=floors, tables=tables, head=head)
    return render_template(
        "tables/floor_plan.html",
        nav="plan",
        floor=floor,
        floors=floors,
        tables=state["tables"],
        blank=blank_table(),
        counts=status_counts(tables),
        plan_width=width,
        plan_height=height,
        labels=STATUS_LABELS,
        state=state,
    )


def table_list():
    """Every table on the user's floors, filtered and sorted by query parameters."""
    floors = floor_entries(floor_service.list_floors(visible_floors(current_user)))
    floor_filter = whole_number_arg("floor")
    if floor_filter is not None:
        check_floor(current_user, floor_filter)
    status_filter = request.args.get("status") or None
    if status_filter is not None and status_filter not in TABLE_STATUSES:
        raise BadRequest(f"status must be one of: {', '.join(TABLE_STATUSES)}.")
    sort = request.args.get("sort") if request.args.get("sort") in SORT_KEYS else "number"
    order = "desc" if request.args.get("order") == "desc" else "asc"
    permitted = visible_floors(current_user)
    head = latest_event_id(permitted)
    tables = table_service.tables_on(permitted)
    on_floor = filter_tables(tables, floor_filter, None)
    shown = sort_tables(filter_tables(on_floor, None, status_filter), sort, order)
    state = page_state(view="list", floor=None, floors=floors, tables=tables, head=head)
    # The rows are drawn from the very tables the page's state holds, as the page fills them later.
    sent = {table["tableId"]: table for table in state["tables"]}
    return render_template(
        "tables/list.html",
        nav="list",
        floors=floors,
        tables=[sent[table.id] for table in shown],
        blank=blank_table(),
        counts=status_counts(on_floor),
        filters={"floor": floor_filter, "status": status_filter, "sort": sort, "order": order},
        floor_names={entry["floor"]: entry["name"] for entry in floors},
        labels=STATUS_LABELS,
        state=state,
    )
