"""Adding, renaming, reordering and removing floors."""

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import Floor, RetiredFloor, Section, Table, limits
from app.models.time import utcnow
from app.services import outbox
from app.services.errors import Conflict, Forbidden, NotFound, ValidationError
from app.services.validation import read, text_problem
from app.shapes.events import FloorFieldsChanged, FloorUpdated
from app.shapes.floors import FloorChanges


def list_floors(allowed: list[int] | None = None) -> list[tuple[Floor, int]]:
    """Floors in display order with their table counts, limited to `allowed` when given."""
    counts = dict(db.session.execute(select(Table.floor, func.count(Table.id)).group_by(Table.floor)).all())
    query = select(Floor).order_by(Floor.sort_order, Floor.number)
    if allowed:
        query = query.where(Floor.number.in_(allowed))
    return [(floor, counts.get(floor.number, 0)) for floor in db.session.scalars(query)]


def check_floor(user, floor: int) -> None:
    """Refuse a floor outside the user's limit."""
    if not user.may_see_floor(floor):
        raise Forbidden(f"You do not have access to floor {floor}.")


def get_floor(number: int) -> Floor:
    """Load a floor or raise NotFound."""
    floor = db.session.get(Floor, number)
    if floor is None:
        raise NotFound(f"Floor {number} does not exist.")
    return floor


def _name_problem(name: object) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return "A floor needs a name."
    return text_problem(name, limits.NAME_LENGTH)


def create_floor(number: object, name: object) -> Floor:
    """Add a floor at the end of the order; a bad number and a bad name are reported together."""
    errors = {}
    low, high = limits.FLOOR_NUMBER
    taken = None
    if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        errors["number"] = f"Must be a whole number {low}-{high}."
    else:
        taken = _number_taken(number)
        if taken:
            errors["number"] = taken
    if _name_problem(name):
        errors["name"] = _name_problem(name)
    if taken and errors == {"number": taken}:
        raise Conflict(taken, fields=errors)
    if errors:
        raise ValidationError("Some fields are not valid.", fields=errors)
    last = db.session.scalar(select(func.max(Floor.sort_order))) or 0
    floor = Floor(number=number, name=name.strip(), sort_order=last + 1)
    db.session.add(floor)
    db.session.commit()
    return floor


def _number_taken(number: int) -> str | None:
    """Why a floor number cannot be given to a new floor: in use, or once used by a floor now deleted."""
    if db.session.get(Floor, number) is not None:
        return f"Floor {number} already exists."
    retired = db.session.get(RetiredFloor, number)
    if retired is not None:
        deleted = f"Floor {number} ({retired.name})" if retired.name else f"Floor {number}"
        return f"{deleted} was deleted, and a floor number is never given to another floor. Choose a new number."
    return None


def clean_floor_changes(data: object) -> dict:
    """Validate {name?, turnMinutes?}; return model attributes and values."""
    return read(FloorChanges, data).values()


def update_floor(number: int, fields: dict, by: str) -> Floor:
    """Rename a floor or set its turn time; logs `floor:updated` with the changed fields."""
    with outbox.change() as change:
        floor = get_floor(number)
        changes = {key: value for key, value in fields.items() if getattr(floor, key) != value}
        if changes:
            for key, value in fields.items():
                setattr(floor, key, value)
            updated = FloorUpdated(
                floor=floor.number, changes=FloorFieldsChanged(**changes), updated_by=by, updated_at=utcnow()
            )
            change.record(updated, by)
    return floor


def rename_floor(number: int, name: object, by: str = "manager") -> Floor:
    """Give a floor a new name."""
    return update_floor(number, read(FloorChanges, {"name": name}).values(), by)


def reorder_floors(order: list[int]) -> None:
    """Put floors in the given order; floors not named keep their place after them."""
    floors = {floor.number: floor for floor in db.session.scalars(select(Floor))}
    unknown = [number for number in order if number not in floors]
    if unknown:
        raise ValidationError("Some fields are not valid.", fields={"order": f"Unknown floors: {unknown}."})
    rest = sorted((f for n, f in floors.items() if n not in order), key=lambda f: (f.sort_order, f.number))
    for position, floor in enumerate([floors[n] for n in order] + rest, start=1):
        floor.sort_order = position
    db.session.commit()


def delete_floor(number: int) -> None:
    """Remove a floor that has no tables; its number is retired with it."""
    floor = get_floor(number)
    if db.session.scalar(select(func.count(Table.id)).where(Table.floor == number)):
        raise Conflict(f"Floor {number} still has tables; move or delete them first.")
    db.session.execute(delete(Section).where(Section.floor == number))
    db.session.add(RetiredFloor(number=number, name=floor.name))
    db.session.delete(floor)
    db.session.commit()
