"""A floor's sections as one plan (saved on the sections screen in one request) and shift presets of them."""

from typing import Self

from pydantic import Field

from app.models import limits
from app.shapes.base import Shape
from app.shapes.fields import Colour, Moment, name, reference
from app.shapes.sections import SectionName

# A floor has a handful of sections; a plan of more is a mistake, not a restaurant.
MOST_SECTIONS = 40
MOST_TABLES = 500
TableId = reference("Must be a table's id (a whole number).")
PresetName = name(limits.NAME_LENGTH, "A preset needs a name, e.g. Friday dinner, 5 servers.")


class PlannedSection(Shape):
    """A section of a plan: one there (sectionId) or a new one by name, its colour, its staff and its tables."""

    section_id: reference("Must be a section's id (a whole number).", nullable=True) = None
    name: SectionName
    colour: Colour = None
    user_id: reference("Must be a member of staff's id (a whole number).", nullable=True) = None
    table_ids: list[TableId] = Field(default_factory=list, max_length=MOST_TABLES)


class SectionPlan(Shape):
    """`PUT /api/floors/<floor>/sections/plan`: every section of the floor; a table in none has no section."""

    sections: list[PlannedSection] = Field(max_length=MOST_SECTIONS)


class NewPreset(Shape):
    """`POST /api/floors/<floor>/presets`: the name to keep the floor's sections under (the same name replaces it)."""

    name: PresetName


class PresetSection(Shape):
    """A section as a preset keeps it: its name, colour, who looks after it and its tables."""

    name: str
    colour: str
    user_id: int | None
    table_ids: list[int]


class ListedPreset(Shape):
    """A preset as a floor's list of presets shows it: its name, and who saved it when (its sections are
    read when it is loaded)."""

    preset_id: int
    floor: int
    name: str
    saved_by: str
    saved_at: Moment

    @classmethod
    def of(cls, row) -> Self:
        """A preset row as the list of presets shows it."""
        return cls(**_listed(row))


class Preset(ListedPreset):
    """A shift's sections saved under a name, to be loaded in one tap."""

    sections: list[PresetSection]

    @classmethod
    def of(cls, row) -> Self:
        """A preset row as the API shows it."""
        return cls(**_listed(row), sections=row.sections)


def _listed(row) -> dict:
    return {
        "preset_id": row.id,
        "floor": row.floor,
        "name": row.name,
        "saved_by": row.saved_by,
        "saved_at": row.saved_at,
    }
