"""Sections of a floor and their assignees over JSON: managers write, everyone of the floor reads."""

from flask_login import current_user

from app.api import bp
from app.auth.permissions import check_floor, role_required, visible_floors
from app.openapi import operation
from app.services import floors as floor_service
from app.services import sections as section_service
from app.services.users import staff_sharing
from app.services.validation import read
from app.shapes.sections import Assignment, NewSection, Section, SectionChanges
from app.shapes.staff import Staff
from app.web import request_json


def _visible_section(section_id: int):
    section = section_service.get_section(section_id)
    check_floor(current_user, section.floor)
    return section


def known_floor(floor: int) -> None:
    """The floor exists (404) and the user may see it (403)."""
    check_floor(current_user, floor)
    floor_service.get_floor(floor)


@bp.get("/sections")
@role_required("viewer")
@operation({200: list[Section]}, refusals=(401,), tag="sections")
def list_sections():
    """The sections of every floor the user may see, with their assignees."""
    return [Section.of(section).wire() for section in section_service.sections_on(visible_floors(current_user))]


@bp.get("/floors/<int:floor>/sections")
@role_required("viewer")
@operation({200: list[Section]}, refusals=(401, 403, 404), tag="sections")
def floor_sections(floor: int):
    """The sections of one floor, with their assignees."""
    known_floor(floor)
    return [Section.of(section).wire() for section in section_service.sections_on([floor])]


@bp.post("/floors/<int:floor>/sections")
@role_required("manager")
@operation({201: Section}, body=NewSection, hands_body=False, refusals=(400, 401, 403, 404, 409, 422), tag="sections")
def create_section(floor: int):
    """Add a section {name, colour?} to a floor (201). Logs section:created."""
    known_floor(floor)
    fields = read(NewSection, request_json()).values()
    return Section.of(section_service.create_section(floor, fields, by=current_user.username)).wire(), 201


@bp.patch("/sections/<int:section_id>")
@role_required("manager")
@operation({200: Section}, body=SectionChanges, refusals=(400, 401, 403, 404, 409, 422), tag="sections")
def update_section(section_id: int, body: SectionChanges):
    """Rename or recolour a section. Logs section:updated."""
    _visible_section(section_id)
    return Section.of(section_service.update_section(section_id, body.values(), by=current_user.username)).wire()


@bp.delete("/sections/<int:section_id>")
@role_required("manager")
@operation({204: None}, refusals=(401, 403, 404), tag="sections")
def delete_section(section_id: int):
    """Remove a section; its tables stay, with no section (204). Logs section:deleted."""
    _visible_section(section_id)
    section_service.delete_section(section_id, by=current_user.username)
    return "", 204


@bp.put("/sections/<int:section_id>/assignee")
@role_required("manager")
@operation({200: Section}, body=Assignment, refusals=(400, 401, 403, 404, 422), tag="sections")
def assign_section(section_id: int, body: Assignment):
    """Give the section to a member of staff for the shift, {userId}, or clear it with {userId: null}."""
    _visible_section(section_id)
    return Section.of(section_service.assign_section(section_id, body.user_id, by=current_user.username)).wire()


@bp.get("/staff")
@role_required("manager")
@operation({200: list[Staff]}, refusals=(401, 403), tag="sections")
def list_staff():
    """Active staff sharing a floor with the manager, to put on a section: id, name, initials, role and floors."""
    return [Staff.of(user, floors).wire() for user, floors in staff_sharing(visible_floors(current_user))]
