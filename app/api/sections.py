"""Sections of a floor and their assignees over JSON: managers write, everyone of the floor reads."""

from flask_login import current_user

from app.api import bp
from app.auth.permissions import check_floor, role_required, visible_floors
from app.models.section import assignee_of
from app.services import floors as floor_service
from app.services import sections as section_service
from app.services.users import staff_sharing
from app.web import request_json


def _visible_section(section_id: int):
    section = section_service.get_section(section_id)
    check_floor(current_user, section.floor)
    return section


def _known_floor(floor: int) -> None:
    check_floor(current_user, floor)
    floor_service.get_floor(floor)


@bp.get("/sections")
@role_required("viewer")
def list_sections():
    """The sections of every floor the user may see, with their assignees."""
    return [section.to_dict() for section in section_service.sections_on(visible_floors(current_user))]


@bp.get("/floors/<int:floor>/sections")
@role_required("viewer")
def floor_sections(floor: int):
    """The sections of one floor, with their assignees."""
    _known_floor(floor)
    return [section.to_dict() for section in section_service.sections_on([floor])]


@bp.post("/floors/<int:floor>/sections")
@role_required("manager")
def create_section(floor: int):
    """Add a section {name, colour?} to a floor (201)."""
    _known_floor(floor)
    fields = section_service.clean_section_fields(request_json(), creating=True)
    return section_service.create_section(floor, fields, by=current_user.username).to_dict(), 201


@bp.patch("/sections/<int:section_id>")
@role_required("manager")
def update_section(section_id: int):
    """Rename or recolour a section."""
    fields = section_service.clean_section_fields(request_json(), creating=False)
    _visible_section(section_id)
    return section_service.update_section(section_id, fields, by=current_user.username).to_dict()


@bp.delete("/sections/<int:section_id>")
@role_required("manager")
def delete_section(section_id: int):
    """Remove a section; its tables stay, with no section (204)."""
    _visible_section(section_id)
    section_service.delete_section(section_id, by=current_user.username)
    return "", 204


@bp.put("/sections/<int:section_id>/assignee")
@role_required("manager")
def assign_section(section_id: int):
    """Give the section to a member of staff for the shift, {userId}, or clear it with {userId: null}."""
    user_id = section_service.clean_assignee(request_json())
    _visible_section(section_id)
    return section_service.assign_section(section_id, user_id, by=current_user.username).to_dict()


@bp.get("/staff")
@role_required("manager")
def list_staff():
    """Active staff sharing a floor with the manager, to put on a section: id, name, initials, role and floors."""
    people = staff_sharing(visible_floors(current_user))
    return [{**assignee_of(user), "role": user.role, "floors": floors} for user, floors in people]
