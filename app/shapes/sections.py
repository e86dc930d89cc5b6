"""Sections of a floor: what the API returns, what a manager sends, and how one is assigned."""

from typing import Any, Self

from app.models import limits
from app.shapes.base import Shape, partial
from app.shapes.fields import Colour, Moment, name, reference
from app.shapes.staff import Assignee

SectionName = name(limits.NAME_LENGTH, "A section needs a name.")


class Section(Shape):
    """A section of a floor with whoever looks after it this shift."""

    section_id: int
    floor: int
    name: str
    colour: str
    assignee: Assignee | None
    assigned_at: Moment | None

    @classmethod
    def of(cls, row, **more: Any) -> Self:
        """A section row as the API shows it (its assignee is loaded with it), with `more` fields of a subclass."""
        return cls(
            **more,
            section_id=row.id,
            floor=row.floor,
            name=row.name,
            colour=row.colour,
            assignee=Assignee.of(row.assignee),
            assigned_at=row.assigned_at,
        )


class NewSection(Shape):
    """`POST /api/floors/<floor>/sections`: a name, and a colour unless the palette's next will do."""

    name: SectionName
    colour: Colour = None


SectionChanges = partial(NewSection, "SectionChanges", "`PATCH /api/sections/<id>`: a new name, colour or both.")


class Assignment(Shape):
    """`PUT /api/sections/<id>/assignee`: the staff member's id, or null to clear it."""

    user_id: reference("Must be a whole number.", nullable=True)
