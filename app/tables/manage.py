"""The managers' forms: add a table, edit it, delete it behind a confirmation."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.permissions import check_floor, role_required, visible_floors, visible_table
from app.services import floors as floor_service
from app.services import tables as table_service
from app.services.errors import Conflict, ValidationError
from app.tables import bp
from app.tables.forms import NEW_TABLE_DEFAULTS, errors_by_field, form_to_json, submitted_values, values_of
from app.tables.state import floor_entries
from app.web import whole_number_arg


def _permitted_floors() -> list[dict]:
    return floor_entries(floor_service.list_floors(visible_floors(current_user)))


def _render_form(table, values: dict, errors: dict, status: int = 200):
    return render_template(
        "tables/form.html",
        nav="plan",
        table=table,
        values=values,
        errors=errors,
        floors=_permitted_floors(),
        shapes=(("rect", "Rectangle"), ("round", "Round")),
    ), status


@bp.route("/tables/new", methods=["GET", "POST"])
@role_required("manager")
def new_table():
    """Add a table; field errors are shown in place beside what was typed."""
    if request.method == "GET":
        floors = _permitted_floors()
        floor = whole_number_arg("floor") or (floors[0]["floor"] if floors else None)
        return _render_form(None, {**NEW_TABLE_DEFAULTS, "floor": str(floor or "")}, {})
    try:
        fields = table_service.check_table_fields(form_to_json(request.form, creating=True))
        check_floor(current_user, fields["floor"])
        table = table_service.create_table(fields, by=current_user.username)
    except (ValidationError, Conflict) as error:
        return _render_form(None, submitted_values(request.form), _errors_of(error), error.status_code)
    flash(f"Table {table.table_number} added.", "success")
    return redirect(url_for("tables.floor_plan", floor=table.floor))


@bp.route("/tables/<int:table_id>/edit", methods=["GET", "POST"])
@role_required("manager")
def edit_table(table_id: int):
    """Edit a table's number, floor, seats, shape, place and notes."""
    table = visible_table(current_user, table_id)
    if request.method == "GET":
        return _render_form(table, values_of(table), {})
    try:
        fields = table_service.check_table_fields(form_to_json(request.form, creating=False), table_id=table_id)
        if "floor" in fields:
            check_floor(current_user, fields["floor"])
        table = table_service.update_table(table_id, fields, by=current_user.username)
    except (ValidationError, Conflict) as error:
        return _render_form(table, submitted_values(request.form), _errors_of(error), error.status_code)
    flash(f"Table {table.table_number} saved.", "success")
    return redirect(url_for("tables.floor_plan", floor=table.floor))


@bp.route("/tables/<int:table_id>/delete", methods=["GET", "POST"])
@role_required("manager")
def delete_table(table_id: int):
    """Ask before deleting (GET); delete on the confirmation's POST."""
    table = visible_table(current_user, table_id)
    if request.method == "GET":
        return render_template("tables/confirm_delete.html", nav="plan", table=table)
    number, floor = table.table_number, table.floor
    table_service.delete_table(table_id, by=current_user.username)
    flash(f"Table {number} deleted.", "success")
    return redirect(url_for("tables.floor_plan", floor=floor))


def _errors_of(error: ValidationError | Conflict) -> dict[str, str]:
    errors = errors_by_field(error.fields)
    if not errors:
        errors["form"] = error.message
    return errors
