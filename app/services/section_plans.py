"""A floor's sections set as one plan in one transaction: made, renamed, recoloured, given their tables and
their staff, and the floor's other sections removed. Each change logs its own event (section:*,
table:updated), so screens follow a plan as they follow any other change."""

from sqlalchemy import select

from app.extensions import db
from app.models import Floor, Section, Table
from app.services import outbox
from app.services import sections as section_service
from app.services import tables as table_service
from app.services.errors import NotFound, ValidationError
from app.services.validation import SOME_FIELDS


def _problems(floor: int, planned: list[dict], on_floor: set[int]) -> dict[str, str]:
    """What is wrong with a plan, each by the field a client sent: every problem at once."""
    problems, names, placed = {}, {}, {}
    sections = {section.id for section in section_service.sections_on([floor])}
    for index, entry in enumerate(planned):
        key = entry["name"].casefold()
        if key in names:
            problems[f"sections.{index}.name"] = f"Already used by section {names[key] + 1} of the plan."
        names.setdefault(key, index)
        if entry.get("section_id") is not None and entry["section_id"] not in sections:
            problems[f"sections.{index}.sectionId"] = f"Not a section of floor {floor}."
        for table_id in entry.get("table_ids", []):
            if table_id not in on_floor:
                problems[f"sections.{index}.tableIds"] = f"Table {table_id} is not on floor {floor}."
            elif table_id in placed and placed[table_id] != index:
                problems[f"sections.{index}.tableIds"] = (
                    f"Table {table_id} is already in section {placed[table_id] + 1}."
                )
            placed.setdefault(table_id, index)
    return problems


def _section_for(floor: int, entry: dict, by: str) -> Section:
    """The plan entry's section: the one it names by id or by name, else a new one; renamed and recoloured."""
    if entry.get("section_id") is not None:
        section = section_service.get_section(entry["section_id"])
    else:
        wanted = entry["name"].casefold()
        found = (s for s in section_service.sections_on([floor]) if s.name.casefold() == wanted)
        section = next(found, None)
    if section is None:
        return section_service.create_section(floor, {"name": entry["name"], "colour": entry.get("colour")}, by)
    changes = {"name": entry["name"]}
    if entry.get("colour") is not None:
        changes["colour"] = entry["colour"]
    return section_service.update_section(section.id, changes, by)


def apply_plan(floor: int, planned: list[dict], by: str) -> list[Section]:
    """Make the floor's sections exactly `planned` ({section_id?, name, colour?, user_id?, table_ids}),
    all or nothing; a table named by no section is left in none."""
    with outbox.change():
        if db.session.get(Floor, floor) is None:
            raise NotFound(f"Floor {floor} does not exist.")
        on_floor = set(db.session.scalars(select(Table.id).where(Table.floor == floor)))
        problems = _problems(floor, planned, on_floor)
        if problems:
            raise ValidationError(SOME_FIELDS, fields=problems)
        # Sections left out go first, so that a name they free can be taken by the plan.
        named_ids = {entry["section_id"] for entry in planned if entry.get("section_id") is not None}
        named = {entry["name"].casefold() for entry in planned if entry.get("section_id") is None}
        for section in section_service.sections_on([floor]):
            if section.id not in named_ids and section.name.casefold() not in named:
                section_service.delete_section(section.id, by)
        placed = [(_section_for(floor, entry, by), entry) for entry in planned]
        wanted = {table_id: section.id for section, entry in placed for table_id in entry.get("table_ids", [])}
        for table_id in sorted(on_floor):
            table = db.session.get(Table, table_id)
            if table.section_id != wanted.get(table_id):
                table_service.update_table(table_id, {"section_id": wanted.get(table_id)}, by)
        for section, entry in placed:
            if section.assignee_id != entry.get("user_id"):
                section_service.assign_section(section.id, entry.get("user_id"), by)
    return section_service.sections_on([floor])
