"""A floor's sections saved in one request, and shift presets of them: managers only."""

from flask_login import current_user

from app.api import bp
from app.api.sections import known_floor
from app.auth.permissions import check_floor, role_required
from app.openapi import operation
from app.services import presets as preset_service
from app.services.section_plans import apply_plan
from app.services.validation import read
from app.shapes.presets import NewPreset, Preset, SectionPlan
from app.shapes.sections import Section
from app.web import request_json


def _visible_preset(preset_id: int):
    preset = preset_service.get_preset(preset_id)
    check_floor(current_user, preset.floor)
    return preset


@bp.put("/floors/<int:floor>/sections/plan")
@role_required("manager")
@operation(
    {200: list[Section]}, body=SectionPlan, hands_body=False, refusals=(400, 401, 403, 404, 409, 422), tag="sections"
)
def save_section_plan(floor: int):
    """Set every section of a floor at once: names, colours, tables and staff; sections left out are removed.
    Logs section:* and table:updated events, all or nothing."""
    known_floor(floor)
    planned = [entry.values() for entry in read(SectionPlan, request_json()).sections]
    sections = apply_plan(floor, planned, by=current_user.username)
    return [Section.of(section).wire() for section in sections]


@bp.get("/floors/<int:floor>/presets")
@role_required("manager")
@operation({200: list[Preset]}, refusals=(401, 403, 404), tag="sections")
def floor_presets(floor: int):
    """The shift presets of a floor, by name."""
    known_floor(floor)
    return [Preset.of(preset).wire() for preset in preset_service.presets_on(floor)]


@bp.post("/floors/<int:floor>/presets")
@role_required("manager")
@operation(
    {201: Preset, 200: Preset}, body=NewPreset, hands_body=False, refusals=(400, 401, 403, 404, 422), tag="sections"
)
def save_preset(floor: int):
    """Keep the floor's sections, tables and staff under a name: 201 new, 200 when it replaced one of that name.
    Logs preset:saved."""
    known_floor(floor)
    name = read(NewPreset, request_json()).name
    preset, created = preset_service.save_preset(floor, name, by=current_user.username)
    return Preset.of(preset).wire(), 201 if created else 200


@bp.post("/presets/<int:preset_id>/load")
@role_required("manager")
@operation({200: list[Section]}, refusals=(401, 403, 404, 409, 422), tag="sections")
def load_preset(preset_id: int):
    """Put the floor's sections back as the preset keeps them, in one transaction; each change is logged, sent live."""
    _visible_preset(preset_id)
    sections = preset_service.load_preset(preset_id, by=current_user.username)
    return [Section.of(section).wire() for section in sections]


@bp.delete("/presets/<int:preset_id>")
@role_required("manager")
@operation({204: None}, refusals=(401, 403, 404), tag="sections")
def delete_preset(preset_id: int):
    """Forget a preset; the floor's sections stay as they are (204). Logs preset:deleted."""
    _visible_preset(preset_id)
    preset_service.delete_preset(preset_id, by=current_user.username)
    return "", 204
