"""Tables: the Table every answer and event carries, and every body that creates or changes one."""

from typing import Annotated, Any, Self

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from app.models import limits
from app.shapes.base import Query, Shape, partial
from app.shapes.fields import (
    LARGEST_NUMBER,
    UNSTORABLE_TEXT,
    Flag,
    FloorNumber,
    FormWord,
    HoldEnd,
    Moment,
    Status,
    StatusWord,
    TableForm,
    TableNumber,
    TapTime,
    choice,
    number,
    query_number,
    reference,
    refused,
    text,
    unstorable,
    whole,
)
from app.shapes.staff import Assignee


class Table(Shape):
    """A dining table: where it is, what it seats, its status, and who looks after its section."""

    table_id: int
    table_number: str
    floor: int
    section_id: int | None
    section: str | None = Field(description="The section's name (sectionId names the section).")
    assignee: Assignee | None = Field(description="Who looks after the table's section this shift.")
    capacity: int
    status: StatusWord
    covers: int | None = Field(description="The party seated; null unless occupied.")
    party_id: int | None = Field(description="The party seated at the table now (GET /api/parties/<id>).")
    shape: FormWord
    x: float
    y: float
    width: float
    height: float
    rotation: float
    notes: str | None
    reserved_until: Moment | None
    status_changed_at: Moment
    version: int = Field(description="Bumped on every change.")
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, row) -> Self:
        """A table row as clients see it, from what the row holds in memory (its section is loaded with it)."""
        section = row.dining_section
        return cls(
            table_id=row.id,
            table_number=row.table_number,
            floor=row.floor,
            section_id=row.section_id,
            section=section.name if section is not None else None,
            assignee=Assignee.of(section.assignee) if section is not None else None,
            capacity=row.capacity,
            status=row.status,
            covers=row.covers,
            party_id=row.party_id,
            shape=row.shape,
            x=row.x,
            y=row.y,
            width=row.width,
            height=row.height,
            rotation=row.rotation,
            notes=row.notes,
            reserved_until=row.reserved_until,
            status_changed_at=row.status_changed_at,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


# What a manager may set on a table, by form or JSON; the rest of a Table is the server's.
Position = number(limits.PLAN_POSITION)
Size = number(limits.TABLE_SIZE)
Turn = number(limits.ROTATION)
Notes = text(limits.NOTES_LENGTH)


class NewTable(Shape):
    """`POST /api/tables` and the add-a-table form: without x and y the table goes to a free spot."""

    table_number: TableNumber
    floor: FloorNumber
    section: text(limits.NAME_LENGTH) = Field(
        None, description="The section's name; a name the floor lacks makes a new section. sectionId is preferred."
    )
    section_id: reference("Must be a section id or null.", strict=False, nullable=True) = Field(
        None, description="A section of the table's floor."
    )
    capacity: whole(limits.SEATS)
    status: Status = None
    shape: TableForm = None
    x: Position = None
    y: Position = None
    width: Size = None
    height: Size = None
    rotation: Turn = None
    notes: Notes = None
    reserved_until: HoldEnd = None


TableChanges = partial(NewTable, "TableChanges", "`PATCH /api/tables/<id>` and the edit form: the fields to change.")
# What `table:updated` says changed: any field of a Table, with its new value.
TableFieldsChanged = partial(Table, "TableFieldsChanged", "The fields a change set, with their new values.")


_SEATING_ONLY = {
    "covers": "Covers are given only when seating a table (status occupied).",
    "party_id": "A party is seated back only with status occupied.",
}


class StatusChange(Shape):
    """`PATCH /api/tables/<id>/status`: the new status, and what comes with it."""

    status: Status
    covers: whole(limits.COVERS, strict=True) | None = Field(None, description="Party size; only with status occupied.")
    notes: Notes = None
    expected_status: choice(limits.TABLE_STATUSES, nullable=True) = Field(
        None, description="The status the person saw: a different stored one is a 409."
    )
    reserved_until: HoldEnd = None
    critical: Flag = Field(False, description="A manager's change that the rate limit lets through.")
    tapped_at: TapTime = None
    party_id: reference("Must be a party's id (a whole number).") = Field(
        None,
        description="Undoing a clear (status occupied): the party the table's last change cleared, seated back with"
        " its seated time at this table and at every other table that clear freed of it, each its own event, its"
        " covers split over them as a join splits them; a 409, nothing changed, when any of those tables changed"
        " since or that party did not sit there.",
    )

    @field_validator("covers", "party_id")
    @classmethod
    def _seating_only(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("status") != "occupied":
            raise refused(info.field_name, _SEATING_ONLY[info.field_name])
        return value


_ITEM_FIELDS = {"tableId", "x", "y", "rotation", "width", "height"}


class Placement(Shape):
    """One table of a layout save: where it goes, and optionally its turn and size."""

    table_id: reference("Each item needs the tableId of a table.")
    x: Position
    y: Position
    rotation: Turn = None
    width: Size = None
    height: Size = None

    @model_validator(mode="before")
    @classmethod
    def _whole_item(cls, item: Any, info: ValidationInfo) -> Any:
        """An item is refused as a whole (tables.N) when it names no table, names one twice, or holds other keys."""
        table_id = item.get("tableId") if isinstance(item, dict) else None
        if not isinstance(table_id, int) or isinstance(table_id, bool) or not 0 < table_id < 2**31:
            raise refused("placement", "Each item needs the tableId of a table.")
        seen = info.context.get("seen") if isinstance(info.context, dict) else None
        if seen is not None:
            if table_id in seen:
                raise refused("placement", "This table is listed twice.")
            seen.add(table_id)
        if set(item) - _ITEM_FIELDS or "x" not in item or "y" not in item:
            raise refused("placement", "Each item has tableId, x, y and optionally rotation, width, height.")
        return item


def _editor_id(value: object) -> str:
    if isinstance(value, str) and unstorable(value):
        raise refused("text", UNSTORABLE_TEXT)
    if isinstance(value, str) and 8 <= len(value) <= 64 and value.isascii() and value.replace("-", "").isalnum():
        return value
    raise refused("editor", "An editor id is 8 to 64 letters, digits or dashes.")


EditorId = Annotated[str, BeforeValidator(_editor_id)]


class LayoutHoldAsked(Shape):
    """`POST /api/floors/<floor>/layout/hold`: hold (or keep holding) the floor's layout editor."""

    editor: EditorId
    takeover: bool = Field(False, description="Take the hold from the editor that has it (after asking the person).")
    renewal: bool = Field(
        False, description="Keep this editor's hold: refused when the hold has moved to another editor meanwhile."
    )


class LayoutHolder(Shape):
    """Who has a floor's layout editor open."""

    user_id: int
    username: str


class LayoutHold(Shape):
    """The hold granted: renew it within `seconds`, or it ends."""

    floor: int
    held_by: LayoutHolder
    seconds: float


class Layout(Shape):
    """`PUT /api/floors/<floor>/layout`: every table moved, in one all-or-nothing save."""

    tables: list[Placement] = Field(max_length=limits.LAYOUT_TABLES)
    editor: EditorId = Field(
        None, description="The editor's own id (POST .../layout/hold): refused while another editor holds the floor."
    )

    @model_validator(mode="before")
    @classmethod
    def _one_list(cls, body: Any) -> Any:
        items = body.get("tables") if isinstance(body, dict) else None
        if set(body or ()) - {"tables", "editor"} or not isinstance(items, list) or len(items) > limits.LAYOUT_TABLES:
            raise refused("layout", "Send {tables: [{tableId, x, y, rotation?, width?, height?}], editor?}.")
        return body

    @staticmethod
    def reading_context() -> dict:
        """What reading one layout keeps track of: the tables already listed."""
        return {"seen": set()}


# A floor or an event id named in a query string: any whole number the database can hold.
QueryFloor = query_number((-LARGEST_NUMBER, LARGEST_NUMBER), "must be a whole number.", "is out of range.")


class FloorQuery(Query):
    """`?floor=N`: one floor, or (left out) every floor the user may see."""

    floor: QueryFloor = None


class HistoryQuery(Query):
    """`GET /api/tables/<id>/history?limit=N`: how many of the newest changes."""

    limit: query_number(
        limits.HISTORY_ENTRIES,
        f"must be a whole number from {limits.HISTORY_ENTRIES[0]} to {limits.HISTORY_ENTRIES[1]}.",
        f"must be a whole number from {limits.HISTORY_ENTRIES[0]} to {limits.HISTORY_ENTRIES[1]}.",
        digits=r"[0-9]{1,4}",
        blank_is_none=False,
    ) = limits.HISTORY_DEFAULT


class EventsQuery(Query):
    """`GET /api/events?after=<eventId>[&floor=N]`: the log after an id, of one floor or every floor the user sees."""

    after: query_number(
        (-LARGEST_NUMBER, LARGEST_NUMBER), "must be a whole number.", "is out of range.", blank_is_none=False
    ) = 0
    floor: query_number(
        (-LARGEST_NUMBER, LARGEST_NUMBER), "must be a whole number.", "is out of range.", blank_is_none=False
    ) = None


class StatusHeaders(Query):
    """The headers a status change may carry."""

    idempotency_key: str = Field(
        None,
        alias="Idempotency-Key",
        max_length=limits.IDEMPOTENCY_KEY_LENGTH,
        description="A retry with the same key returns the first answer without applying the change twice.",
    )
