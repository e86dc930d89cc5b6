"""Floors: what the API, the page's floor switcher and sync show, and what a manager changes."""

from typing import Self

from app.models import limits
from app.shapes.base import Shape
from app.shapes.fields import name, whole

FloorName = name(limits.NAME_LENGTH, "A floor needs a name.")
TurnMinutes = whole(limits.TURN_MINUTES, strict=True)


class Floor(Shape):
    """A floor with its turn time and how many tables it has."""

    floor: int
    name: str
    turn_minutes: int
    table_count: int

    @classmethod
    def of(cls, row, table_count: int) -> Self:
        """A floor row with its count of tables."""
        return cls(floor=row.number, name=row.name, turn_minutes=row.turn_minutes, table_count=table_count)


class FloorChanges(Shape):
    """`PATCH /api/floors/<floor>`: turnMinutes (a manager of the floor), name (a manager of every floor)."""

    name: FloorName = None
    turn_minutes: TurnMinutes = None
