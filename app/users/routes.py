"""The managers' staff page: add staff, change a role or floor limit, reset a password, deactivate."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.permissions import role_required
from app.floors.access import whole_restaurant_manager
from app.models import ROLES
from app.services import floors as floor_service
from app.services import users as user_service
from app.services.errors import Conflict, ValidationError
from app.users import bp


def _page(errors: dict | None = None, form: dict | None = None, target: object = None, status: int = 200):
    staff = user_service.list_users()
    floors = [floor for floor, _ in floor_service.list_floors()]
    # The floors ticked for each person, and what was just sent for the one the errors are about.
    ticked: dict = {person.id: [str(n) for n in person.allowed_floors or []] for person in staff}
    if form and target is not None:
        ticked[target] = form.get("floors", [])
    return render_template(
        "users/index.html",
        nav="users",
        staff=staff,
        roles=ROLES,
        floors=floors,
        floor_names={floor.number: floor.name for floor in floors},
        ticked=ticked,
        errors=errors or {},
        form=form or {},
        target=target,
    ), status


def _refused(error: ValidationError | Conflict, target: object):
    errors = dict(error.fields) or {"form": error.message}
    form = {**request.form.to_dict(), "floors": _chosen_floors()}
    return _page(errors, form, target, error.status_code)


def _chosen_floors() -> list[str]:
    """The floors ticked on the form (none ticked: every floor); older clients send "1,3" in one field."""
    return [part for value in request.form.getlist("floors") for part in value.split(",") if part.strip()]


@bp.get("/users")
@role_required("manager")
@whole_restaurant_manager
def index():
    """Every account, active ones first."""
    return _page()


@bp.post("/users")
@role_required("manager")
@whole_restaurant_manager
def add():
    """Add a member of staff."""
    form = request.form
    try:
        user = user_service.create_user(
            form.get("username", "").strip(), form.get("password", ""), form.get("role"), _chosen_floors()
        )
    except (ValidationError, Conflict) as error:
        return _refused(error, "new")
    flash(f"{user.username} can now sign in as {user.role}.", "success")
    return redirect(url_for("users.index"))


@bp.post("/users/<int:user_id>/access")
@role_required("manager")
@whole_restaurant_manager
def change_access(user_id: int):
    """Change a role or floor limit; the last active manager keeps the manager role."""
    user = user_service.get_user(user_id)
    try:
        user_service.change_access(user, request.form.get("role"), _chosen_floors())
    except (ValidationError, Conflict) as error:
        return _refused(error, user_id)
    flash(f"{user.username}'s access was changed.", "success")
    return redirect(url_for("users.index"))


@bp.post("/users/<int:user_id>/password")
@role_required("manager")
@whole_restaurant_manager
def reset_password(user_id: int):
    """Set a new password; the person's other sessions end."""
    user = user_service.get_user(user_id)
    try:
        user_service.reset_password(user, request.form.get("password", ""))
    except ValidationError as error:
        return _refused(error, user_id)
    flash(f"{user.username}'s password was reset.", "success")
    return redirect(url_for("users.index"))


@bp.post("/users/<int:user_id>/deactivate")
@role_required("manager")
@whole_restaurant_manager
def deactivate(user_id: int):
    """Switch an account off; the last active manager cannot be."""
    user = user_service.get_user(user_id)
    try:
        user_service.deactivate(user)
    except Conflict as error:
        return _refused(error, user_id)
    flash(f"{user.username} can no longer sign in.", "success")
    if user.id == current_user.id:
        return redirect(url_for("auth.login"))
    return redirect(url_for("users.index"))
