"""Shift presets: a floor's sections kept under a name ("Friday dinner, 5 servers") and put back in one tap."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Floor, Section, SectionPreset, Table, User
from app.models.time import utcnow
from app.services import outbox
from app.services.errors import NotFound
from app.services.rows import row_or_missing
from app.services.section_plans import apply_plan
from app.services.sections import sections_on
from app.shapes.events import PresetDeleted, PresetSaved


def presets_on(floor: int) -> list[SectionPreset]:
    """A floor's presets by name."""
    return presets_of([floor])


def presets_of(floors: list[int] | None) -> list[SectionPreset]:
    """The presets of the given floors (all for None), by floor and name."""
    query = select(SectionPreset).order_by(SectionPreset.floor, func.lower(SectionPreset.name))
    if floors is not None:
        query = query.where(SectionPreset.floor.in_(floors))
    return list(db.session.scalars(query))


def get_preset(preset_id: int) -> SectionPreset:
    """A preset, or NotFound."""
    return row_or_missing(SectionPreset, preset_id, f"Preset {preset_id} does not exist.")


def _kept(section: Section) -> dict:
    tables = select(Table.id).where(Table.section_id == section.id).order_by(Table.id)
    return {
        "name": section.name,
        "colour": section.colour,
        "userId": section.assignee_id,
        "tableIds": list(db.session.scalars(tables)),
    }


def save_preset(floor: int, name: str, by: str) -> tuple[SectionPreset, bool]:
    """Keep the floor's sections, their tables and staff under `name` (replacing a preset of that name);
    True when it is new. Logs `preset:saved`, so every sections screen on the floor lists it."""
    with outbox.change() as change:
        if db.session.get(Floor, floor) is None:
            raise NotFound(f"Floor {floor} does not exist.")
        wanted = name.casefold()
        preset = next((old for old in presets_on(floor) if old.name.casefold() == wanted), None)
        kept = [_kept(section) for section in sections_on([floor])]
        created = preset is None
        if created:
            preset = SectionPreset(floor=floor, name=name, sections=kept, saved_by=by, saved_at=utcnow())
            db.session.add(preset)
            db.session.flush()
        else:
            preset.name, preset.sections, preset.saved_by, preset.saved_at = name, kept, by, utcnow()
        change.record(PresetSaved.of(preset), by)
    return preset, created


def _still_there(preset: SectionPreset) -> list[dict]:
    """The preset as a plan of today's floor: tables since moved away or deleted are left out, and staff
    who left or may no longer see the floor are not put on a section."""
    on_floor = set(db.session.scalars(select(Table.id).where(Table.floor == preset.floor)))
    planned = []
    for kept in preset.sections:
        user = db.session.get(User, kept["userId"]) if kept["userId"] else None
        staff = user is not None and user.active and user.may_see_floor(preset.floor)
        planned.append(
            {
                "name": kept["name"],
                "colour": kept["colour"],
                "user_id": user.id if staff else None,
                "table_ids": [table_id for table_id in kept["tableIds"] if table_id in on_floor],
            }
        )
    return planned


def load_preset(preset_id: int, by: str) -> list[Section]:
    """Put the floor's sections back as the preset keeps them, in one transaction; each change is logged."""
    with outbox.change():
        preset = get_preset(preset_id)
        return apply_plan(preset.floor, _still_there(preset), by)


def delete_preset(preset_id: int, by: str) -> None:
    """Forget a preset (the floor's sections stay as they are); logs `preset:deleted`."""
    with outbox.change() as change:
        preset = get_preset(preset_id)
        deleted = PresetDeleted(
            preset_id=preset.id, floor=preset.floor, name=preset.name, deleted_by=by, deleted_at=utcnow()
        )
        db.session.delete(preset)
        change.record(deleted, by)
