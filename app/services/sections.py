"""Sections of a floor and who looks after each this shift; every change logs its event."""

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Floor, Section, Table, User
from app.models.time import utcnow
from app.services import outbox
from app.services.errors import Conflict, NotFound, ValidationError
from app.services.rows import row_or_missing
from app.services.validation import read
from app.shapes.events import SectionAssigned, SectionCreated, SectionDeleted, SectionFieldsChanged, SectionUpdated
from app.shapes.sections import Assignment, NewSection, SectionChanges
from app.shapes.staff import Assignee

# Handed out in turn to sections made without a colour (e.g. typed on a table form).
PALETTE = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def sections_on(floors: list[int] | None) -> list[Section]:
    """Sections of the given floors (all for None), by floor and name."""
    query = select(Section).order_by(Section.floor, func.lower(Section.name))
    if floors is not None:
        query = query.where(Section.floor.in_(floors))
    return list(db.session.scalars(query))


def get_section(section_id: int, *, for_update: bool = False) -> Section:
    """Load a section or raise NotFound."""
    return row_or_missing(Section, section_id, f"Section {section_id} does not exist.", for_update=for_update)


def clean_section_fields(data: object, *, creating: bool) -> dict[str, str]:
    """Validate {name, colour} (name required on create); every problem at once."""
    return read(NewSection if creating else SectionChanges, data).values()


def _named(floor: int, name: str) -> Section | None:
    # Compared here rather than with the database's lower(): SQLite folds only ASCII, so a
    # second "Ä" passed as new and then broke the unique index. A floor has a few sections.
    wanted = name.casefold()
    on_floor = db.session.scalars(select(Section).where(Section.floor == floor))
    return next((section for section in on_floor if section.name.casefold() == wanted), None)


def _check_name_free(floor: int, name: str, section_id: int | None = None) -> None:
    clash = _named(floor, name)
    if clash is not None and clash.id != section_id:
        raise Conflict(f"Floor {floor} already has a section called {clash.name}.", fields={"name": "Already used."})


def _table_ids(section_id: int) -> list[int]:
    return list(db.session.scalars(select(Table.id).where(Table.section_id == section_id).order_by(Table.id)))


def _add(floor: int, name: str, colour: str | None, by: str) -> Section:
    """Insert a section and log `section:created`, as part of the change under way."""
    with outbox.change() as change:
        if colour is None:
            count = db.session.scalar(select(func.count(Section.id)).where(Section.floor == floor)) or 0
            colour = PALETTE[count % len(PALETTE)]
        section = Section(floor=floor, name=name, colour=colour, created_at=utcnow())
        db.session.add(section)
        db.session.flush()
        change.record(SectionCreated.of(section, updated_by=by, updated_at=section.created_at), by)
    return section


def create_section(floor: int, fields: dict, by: str) -> Section:
    """Add a section to a floor (a colour from the palette unless given)."""
    with outbox.change():
        if db.session.get(Floor, floor) is None:
            raise NotFound(f"Floor {floor} does not exist.")
        _check_name_free(floor, fields["name"])
        section = _add(floor, fields["name"], fields.get("colour"), by)
    return section


def update_section(section_id: int, fields: dict, by: str) -> Section:
    """Rename or recolour a section and log `section:updated` with the changed fields."""
    with outbox.change() as change:
        section = get_section(section_id, for_update=True)
        if "name" in fields:
            _check_name_free(section.floor, fields["name"], section.id)
        changes = {name: value for name, value in fields.items() if getattr(section, name) != value}
        if not changes:
            return get_section(section_id)
        for name, value in changes.items():
            setattr(section, name, value)
        updated = SectionUpdated(
            section_id=section.id,
            floor=section.floor,
            changes=SectionFieldsChanged(**changes),
            table_ids=_table_ids(section.id),
            updated_by=by,
            updated_at=utcnow(),
        )
        change.record(updated, by)
    return section


def delete_section(section_id: int, by: str) -> None:
    """Remove a section; its tables keep their places with no section. Logs `section:deleted`."""
    with outbox.change() as change:
        section = get_section(section_id, for_update=True)
        deleted = SectionDeleted(
            section_id=section.id,
            floor=section.floor,
            name=section.name,
            table_ids=_table_ids(section.id),
            deleted_by=by,
            deleted_at=utcnow(),
        )
        db.session.execute(update(Table).where(Table.section_id == section.id).values(section_id=None))
        db.session.delete(section)
        change.record(deleted, by)


def clean_assignee(data: object) -> int | None:
    """The body of an assignment: {userId: int | null}."""
    return read(Assignment, data).user_id


def assign_section(section_id: int, user_id: int | None, by: str) -> Section:
    """Give a section to a member of staff for the shift (None clears it); logs `section:assigned`."""
    with outbox.change() as change:
        section = get_section(section_id, for_update=True)
        user = None
        if user_id is not None:
            user = db.session.get(User, user_id)
            if user is None or not user.active:
                raise ValidationError("Some fields are not valid.", fields={"userId": "No active staff member has it."})
            if not user.may_see_floor(section.floor):
                raise ValidationError(
                    "Some fields are not valid.",
                    fields={"userId": f"{user.username} may not see floor {section.floor}."},
                )
        now = utcnow()
        section.assignee = user
        section.assignee_id = user.id if user else None
        section.assigned_at = now if user else None
        assigned = SectionAssigned(
            section_id=section.id,
            floor=section.floor,
            name=section.name,
            assignee=Assignee.of(user),
            table_ids=_table_ids(section.id),
            updated_by=by,
            updated_at=now,
        )
        change.record(assigned, by)
    return section


def place_in_section(fields: dict, floor: int, current: int | None, by: str) -> None:
    """Turn a table's `section` name or `section_id` into a section of `floor`, in place.

    A name is matched without regard to case and made into a new section when the floor has
    none by that name, so forms and clients that type a section keep working. A table moved
    to another floor without a section named leaves its old floor's section.
    """
    if "section" in fields:
        name = fields.pop("section")
        if name is None:
            fields["section_id"] = None
        else:
            section = _named(floor, name) or _add(floor, name, None, by)
            fields["section_id"] = section.id
    if fields.get("section_id") is not None:
        section = db.session.get(Section, fields["section_id"])
        if section is None or section.floor != floor:
            raise ValidationError(
                "Some fields are not valid.", fields={"sectionId": f"Not a section of floor {floor}."}
            )
    elif "section_id" not in fields and current is not None:
        section = db.session.get(Section, current)
        if section is not None and section.floor != floor:
            fields["section_id"] = None
