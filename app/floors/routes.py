"""The managers' floors page: add, rename, reorder, and delete an empty floor."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.permissions import role_required
from app.floors import bp
from app.floors.access import whole_restaurant_manager
from app.services import floors as floor_service
from app.services.errors import Conflict, NotFound, ValidationError


def _page(errors: dict | None = None, form: dict | None = None, target: object = None, status: int = 200):
    floors = floor_service.list_floors()
    return render_template(
        "floors/index.html",
        nav="floors",
        floors=floors,
        errors=errors or {},
        form=form or {},
        target=target,
    ), status


def _number(raw: str) -> int | str:
    """A whole number from the form, or the text itself so the service explains the problem."""
    try:
        return int(raw.strip())
    except ValueError:
        return raw


@bp.get("/floors")
@role_required("manager")
@whole_restaurant_manager
def index():
    """Every floor in display order with its table count."""
    return _page()


@bp.post("/floors")
@role_required("manager")
@whole_restaurant_manager
def add():
    """Add a floor at the end of the order."""
    try:
        floor = floor_service.create_floor(_number(request.form.get("number", "")), request.form.get("name", ""))
    except (ValidationError, Conflict) as error:
        return _page(error.fields or {"form": error.message}, dict(request.form), "new", error.status_code)
    flash(f"Floor {floor.number} ({floor.name}) added.", "success")
    return redirect(url_for("floors.index"))


@bp.post("/floors/<int:number>/rename")
@role_required("manager")
@whole_restaurant_manager
def rename(number: int):
    """Give a floor a new name."""
    try:
        floor = floor_service.rename_floor(number, request.form.get("name", ""), by=current_user.username)
    except ValidationError as error:
        return _page(error.fields, dict(request.form), number, error.status_code)
    flash(f"Floor {floor.number} is now called {floor.name}.", "success")
    return redirect(url_for("floors.index"))


@bp.post("/floors/<int:number>/turn-time")
@role_required("manager")
@whole_restaurant_manager
def set_turn_time(number: int):
    """Set how long a party is expected to sit on this floor."""
    try:
        fields = floor_service.clean_floor_changes({"turnMinutes": _number(request.form.get("turn_minutes", ""))})
        floor = floor_service.update_floor(number, fields, by=current_user.username)
    except ValidationError as error:
        return _page(error.fields, dict(request.form), number, error.status_code)
    flash(f"Floor {floor.number}'s turn time is now {floor.turn_minutes} minutes.", "success")
    return redirect(url_for("floors.index"))


@bp.post("/floors/<int:number>/move")
@role_required("manager")
@whole_restaurant_manager
def move(number: int):
    """Move a floor one place up or down in the order."""
    order = [floor.number for floor, _ in floor_service.list_floors()]
    if number not in order:
        raise NotFound(f"Floor {number} does not exist.")
    index = order.index(number)
    swap = index - 1 if request.form.get("direction") == "up" else index + 1
    if 0 <= swap < len(order):
        order[index], order[swap] = order[swap], order[index]
        floor_service.reorder_floors(order)
    return redirect(url_for("floors.index"))


@bp.post("/floors/<int:number>/delete")
@role_required("manager")
@whole_restaurant_manager
def delete(number: int):
    """Delete a floor that has no tables."""
    try:
        floor_service.delete_floor(number)
    except Conflict as error:
        return _page({"form": error.message}, {}, number, error.status_code)
    flash(f"Floor {number} deleted.", "success")
    return redirect(url_for("floors.index"))
