"""Creating, editing, deleting and arranging tables; each change logs its event."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, raiseload

from app.extensions import db
from app.models import Event, Floor, Section, Table, User
from app.models.event import EventType
from app.models.table import DEFAULT_TABLE_SIZE
from app.models.time import utcnow
from app.services import outbox, seatings
from app.services.errors import Conflict, NotFound, ValidationError
from app.services.floors import check_floor
from app.services.placement import free_spot
from app.services.sections import place_in_section
from app.services.validation import sort_table_fields
from app.shapes.events import TableCreated, TableDeleted, TableUpdated
from app.shapes.staff import Assignee
from app.shapes.tables import TableFieldsChanged

# Layout fields a manager may move with the editor.
LAYOUT_FIELDS = ("x", "y", "rotation", "width", "height")


# A table as every answer shows it: with its section and the section's assignee, in the same
# query. Anything else reached from these rows would be a read nobody planned: it raises.
WITH_SECTION = (joinedload(Table.dining_section).joinedload(Section.assignee), raiseload("*"))


def get_table(table_id: int, *, for_update: bool = False, seen_by: User | None = None) -> Table:
    """Load a table with its section and assignee in one query, or raise NotFound.

    `for_update` locks the table's row (not its section's) and reads it afresh, so a change starts
    from what is stored. With `seen_by`, the table must be on a floor that user may see (403), and a
    deleted table is named, with who deleted it, only to those who may see its floor (404 otherwise).
    """
    query = select(Table).where(Table.id == table_id).options(*WITH_SECTION)
    if for_update:
        query = query.with_for_update(of=Table).execution_options(populate_existing=True)
    table = db.session.scalar(query)
    if table is None:
        missing = _why_missing(table_id)
        if seen_by is not None and isinstance(missing, TableGone) and not seen_by.may_see_floor(missing.floor):
            raise NotFound(unknown_table(table_id))
        raise missing
    if seen_by is not None:
        check_floor(seen_by, table.floor)
    return table


def covers_over(size: int, table_ids: list[int]) -> dict[int, int | None]:
    """How a party of `size` sits at these tables, by tableId in the order named (seatings.split_covers: the
    party counted once); an unknown or deleted table says why."""
    capacities = dict(db.session.execute(select(Table.id, Table.capacity).where(Table.id.in_(table_ids))).all())
    for table_id in table_ids:
        if table_id not in capacities:
            get_table(table_id)  # says why: unknown, or deleted by whom
    return dict(zip(table_ids, seatings.split_covers(size, [capacities[one] for one in table_ids]), strict=True))


class TableGone(NotFound):
    """A table that was deleted: named with who deleted it, for those who may see its floor."""

    def __init__(self, message: str, floor: int) -> None:
        super().__init__(message)
        self.floor = floor


def _why_missing(table_id: int) -> NotFound:
    """Name a deleted table and who deleted it, so a change held for it is refused in words people know."""
    deleted = db.session.execute(
        select(Event.payload, Event.actor)
        .where(Event.table_id == table_id, Event.type == EventType.TABLE_DELETED.value)
        .order_by(Event.id.desc())
        .limit(1)
    ).first()
    if deleted is None:
        return NotFound(unknown_table(table_id))
    number = deleted.payload.get("tableNumber", table_id)
    return TableGone(f"Table {number} was deleted by {deleted.actor}.", deleted.payload["floor"])


def unknown_table(table_id: int) -> str:
    """What anyone is told of a table id that names nothing they may see."""
    return f"Table {table_id} does not exist."


def tables_on(floors: list[int] | None) -> list[Table]:
    """Tables on the given floors (all floors for None), in floor and number order."""
    query = select(Table).order_by(Table.floor, Table.table_number)
    if floors is not None:
        query = query.where(Table.floor.in_(floors))
    return list(db.session.scalars(query))


def _floor_problem(floor: object) -> str | None:
    if floor is not None and db.session.get(Floor, floor) is None:
        return f"Floor {floor} does not exist."
    return None


def _number_problem(number: object, table_id: int | None = None) -> str | None:
    """Numbers are unique ignoring case: "t-01" beside "T-01" is refused."""
    if not isinstance(number, str):
        return None
    clash = db.session.scalar(
        select(Table.table_number).where(func.lower(Table.table_number) == number.lower(), Table.id != (table_id or -1))
    )
    if clash is None:
        return None
    return f"{number} is already used." if clash == number else f"{number} is already used (as {clash})."


def _check_floor_exists(floor: object) -> None:
    problem = _floor_problem(floor)
    if problem:
        raise ValidationError("Some fields are not valid.", fields={"floor": problem})


def _check_number_free(number: object, table_id: int | None = None) -> None:
    problem = _number_problem(number, table_id)
    if problem:
        raise Conflict(f"Table number {number} is already used.", fields={"tableNumber": problem})


def check_table_fields(data: object, *, table_id: int | None = None) -> dict[str, object]:
    """Validate a new table (no table_id) or an edit by JSON names; every problem comes back at once.

    Field rules, the floor's existence and the number's uniqueness are checked together, so a
    form shows all its messages in one round. A clash of numbers alone is a 409 Conflict.
    """
    if not isinstance(data, dict):
        raise ValidationError("Expected a JSON object.")
    cleaned, errors = sort_table_fields(data, creating=table_id is None)
    floor_problem = _floor_problem(cleaned.get("floor"))
    if floor_problem:
        errors["floor"] = floor_problem
    number_problem = _number_problem(cleaned.get("table_number"), table_id)
    if number_problem:
        errors["tableNumber"] = number_problem
    if number_problem and len(errors) == 1:
        raise Conflict(f"Table number {cleaned['table_number']} is already used.", fields=errors)
    if errors:
        raise ValidationError("Some fields are not valid.", fields=errors)
    return cleaned


def _write_or_conflict(number: object) -> None:
    """Write the change now; a unique clash that raced past the check becomes the same 409."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(
            f"Table number {number} is already used.", fields={"tableNumber": f"{number} is already used."}
        ) from None


def _place_on_free_spot(fields: dict) -> None:
    """A new table without a position goes where it touches no other table of its floor."""
    if "x" in fields and "y" in fields:
        return
    width = fields.setdefault("width", DEFAULT_TABLE_SIZE)
    height = fields.setdefault("height", DEFAULT_TABLE_SIZE)
    fields["x"], fields["y"] = free_spot(tables_on([fields["floor"]]), width, height, fields.get("x"), fields.get("y"))


def create_table(fields: dict, by: str) -> Table:
    """Create a table from cleaned fields and log `table:created`."""
    with outbox.change() as change:
        _check_floor_exists(fields.get("floor"))
        _check_number_free(fields.get("table_number"))
        fields = dict(fields)
        place_in_section(fields, fields["floor"], None, by)
        _place_on_free_spot(fields)
        now = utcnow()
        table = Table(**fields, version=1, created_at=now, updated_at=now, status_changed_at=now)
        db.session.add(table)
        _write_or_conflict(table.table_number)
        change.record(TableCreated.of(table), by)
    return table


def _apply(table: Table, fields: dict, now) -> dict:
    """Set the fields that differ; return the changes by their attribute names (a Table's fields)."""
    changes = {}
    for attribute, value in fields.items():
        if getattr(table, attribute) == value:
            continue
        setattr(table, attribute, value)
        changes[attribute] = value
    if "status" in changes:
        table.status_changed_at = changes["status_changed_at"] = now
        if table.status != "reserved" and "reserved_until" not in fields:
            table.reserved_until = None
        if table.status != "occupied" and table.covers is not None:
            table.covers = changes["covers"] = None
        if table.status != "occupied" and table.party_id is not None:
            seatings.clear(table, now)
            changes["party_id"] = None
    if "section_id" in changes:
        # The name and the assignee follow the section; clients show both.
        section = db.session.get(Section, table.section_id) if table.section_id else None
        table.dining_section = section
        changes["section"] = section.name if section else None
        changes["assignee"] = Assignee.of(section.assignee) if section else None
    if changes:
        table.version += 1
        table.updated_at = changes["updated_at"] = now
        changes["version"] = table.version
    return changes


def _log_update(change: outbox.Change, table: Table, changes: dict, by: str, now, old_floor: int) -> None:
    update = TableUpdated(
        table_id=table.id,
        table_number=table.table_number,
        floor=table.floor,
        changes=TableFieldsChanged(**changes),
        updated_by=by,
        updated_at=now,
    )
    change.record(update, by, old_floor=old_floor)


def update_table(table_id: int, fields: dict, by: str) -> Table:
    """Apply a partial edit and log `table:updated` with only the changed fields."""
    with outbox.change() as change:
        table = get_table(table_id, for_update=True)
        if "floor" in fields:
            _check_floor_exists(fields["floor"])
        if "table_number" in fields:
            _check_number_free(fields["table_number"], table.id)
        place_in_section(fields, fields.get("floor", table.floor), table.section_id, by)
        now = utcnow()
        old_floor = table.floor
        changes = _apply(table, fields, now)
        if changes:
            _write_or_conflict(table.table_number)
            _log_update(change, table, changes, by, now, old_floor)
    return table


def delete_table(table_id: int, by: str) -> None:
    """Delete a table and log `table:deleted`."""
    with outbox.change() as change:
        table = get_table(table_id, for_update=True)
        deleted = TableDeleted(
            table_id=table.id, table_number=table.table_number, floor=table.floor, deleted_by=by, deleted_at=utcnow()
        )
        seatings.clear(table, deleted.deleted_at)
        db.session.delete(table)
        change.record(deleted, by)


def save_layout(floor: int, positions: list[dict], by: str) -> list[Table]:
    """Move, resize and rotate tables of one floor in one all-or-nothing transaction."""
    if db.session.get(Floor, floor) is None:
        raise NotFound(f"Floor {floor} does not exist.")
    now = utcnow()
    with outbox.change() as change:
        for position in positions:
            table = db.session.get(Table, position["tableId"], with_for_update=True)
            if table is None or table.floor != floor:
                raise ValidationError(
                    "Layout names a table that is not on this floor.",
                    fields={f"tables.{position['tableId']}": "Not a table on this floor."},
                )
            changes = _apply(table, {k: v for k, v in position.items() if k in LAYOUT_FIELDS}, now)
            if changes:
                _log_update(change, table, changes, by, now, table.floor)
    return tables_on([floor])
