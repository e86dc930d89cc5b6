"""Parties at the door: the Party every answer and event carries, and what hosts send to add,
change and seat one."""

from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from app.models import limits
from app.shapes.base import Query, Shape, partial
from app.shapes.fields import (
    LARGEST_NUMBER,
    Moment,
    PartyStateWord,
    Phone,
    Tags,
    TagWord,
    TapTime,
    choice,
    refused,
    text,
    whole,
)

# The guest's own page (no sign-in): the token in it is the party's only credential.
GUEST_PATH = "/w/{token}"
# Where a PATCH may move a party; seating names tables, so it has its own request.
MOVES = tuple(state for state in limits.PARTY_STATES if state != "seated")


def guest_url(token: str) -> str:
    """The path of a party's guest page, as staff hand it over (the page adds its own origin)."""
    return GUEST_PATH.format(token=token)


class Party(Shape):
    """A party at the door: how many, who, where it stands in line, and where it sat."""

    party_id: int
    size: int
    name: str | None
    phone: str | None
    notes: str | None
    tags: list[TagWord]
    state: PartyStateWord
    joined_at: Moment
    quoted_minutes: int | None = Field(description="The wait quoted, in minutes; null for a walk-in seated at once.")
    quoted_at: Moment | None
    notified_at: Moment | None = Field(description="When the party was told its table is ready.")
    on_the_way_at: Moment | None = Field(
        None, description='When the guest answered "On my way" on their own page after being notified.'
    )
    seated_at: Moment | None
    ended_at: Moment | None = Field(description="When it left the line: seated, left, cancelled or no-show.")
    table_ids: list[int] = Field(description="The tables it was seated at, in the order the host named them.")
    guest_url: str = Field(description="The guest's own page, /w/<token>, to hand over as a link or a QR code.")
    version: int = Field(description="Bumped on every change.")

    @classmethod
    def of(cls, row, **more: Any) -> Self:
        """A party row as staff see it (its tables are loaded with it), with `more` fields of a subclass."""
        return cls(
            **more,
            party_id=row.id,
            size=row.size,
            name=row.name,
            phone=row.phone,
            notes=row.notes,
            tags=row.tags or [],
            state=row.state,
            joined_at=row.joined_at,
            quoted_minutes=row.quoted_minutes,
            quoted_at=row.quoted_at,
            notified_at=row.notified_at,
            on_the_way_at=row.on_the_way_at,
            seated_at=row.seated_at,
            ended_at=row.ended_at,
            table_ids=row.table_ids,
            guest_url=guest_url(row.guest_token),
            version=row.version,
        )


class SeatedParty(Shape):
    """The party a seating sat down, as it is now: its id, size and name."""

    party_id: int
    size: int
    name: str | None


def _table_ids(value: object) -> list[int]:
    """The tables of a seating: 1 to limits.SEATING_TABLES ids, each once."""
    low, high = limits.SEATING_TABLES
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise refused("table_ids", f"Name {low} to {high} tables by their tableId.")
    for table_id in value:
        if isinstance(table_id, bool) or not isinstance(table_id, int) or not 0 < table_id <= LARGEST_NUMBER:
            raise refused("table_ids", "Each table is named by its tableId (a whole number).")
    if len(set(value)) != len(value):
        raise refused("table_ids", "A table is named twice.")
    return value


TableIds = Annotated[list[int], Field(min_length=1, max_length=limits.SEATING_TABLES[1]), BeforeValidator(_table_ids)]
ExpectedStatuses = Annotated[
    dict[str, Literal[limits.SEATABLE_STATUSES]],
    Field(description="By tableId: the status the host saw each table in (available unless given)."),
]
PartySize = whole(limits.PARTY_SIZE, strict=True)
PartyVersion = whole((1, LARGEST_NUMBER), strict=True)
QuoteMinutes = whole(limits.QUOTE_MINUTES, strict=True)


def expected_of(table_ids: list[int] | None, expected: Any) -> dict[str, str] | None:
    """`expectedStatuses` checked against the tables named: a seatable status for some of them."""
    if expected is None:
        return None
    if table_ids is None:
        raise refused("expected_statuses", "Give expectedStatuses only with the tables to seat at.")
    words = " or ".join(limits.SEATABLE_STATUSES)
    named = {str(table_id) for table_id in table_ids}
    if not isinstance(expected, dict) or not set(expected) <= named:
        raise refused("expected_statuses", "Give {tableId: status} for tables named in the seating.")
    if any(status not in limits.SEATABLE_STATUSES for status in expected.values()):
        raise refused("expected_statuses", f"A party is seated at a free or held table: expect {words}.")
    return expected


class NewParty(Shape):
    """`POST /api/parties`: a party joining the line, or (with seatAt) a walk-in seated at once."""

    size: PartySize
    name: text(limits.NAME_LENGTH) = None
    phone: Phone = None
    notes: text(limits.NOTES_LENGTH) = None
    tags: Tags = None
    quoted_minutes: QuoteMinutes = Field(None, description="The host's own quote; left out, Tableside suggests one.")
    seat_at: TableIds = Field(None, description="A walk-in: the tables to seat the party at now, in one transaction.")
    expected_statuses: ExpectedStatuses = None
    tapped_at: TapTime = None

    @field_validator("seat_at")
    @classmethod
    def _no_quote_for_a_walk_in(cls, seat_at: list[int] | None, info: ValidationInfo) -> list[int] | None:
        if seat_at is not None and info.data.get("quoted_minutes") is not None:
            raise refused("seat_at", "A walk-in is seated at once: leave out quotedMinutes.")
        return seat_at

    @field_validator("expected_statuses", mode="before")
    @classmethod
    def _for_the_tables_named(cls, expected: Any, info: ValidationInfo) -> Any:
        return expected_of(info.data.get("seat_at"), expected)


def _move(value: object) -> object:
    if value == "seated":
        raise refused("state", "A party is seated with POST /api/parties/<id>/seat, which names its tables.")
    if value not in MOVES:
        raise refused("choice", f"Must be one of: {', '.join(MOVES)}.")
    return value


PartyFields = partial(
    NewParty, "PartyFields", "A party's own fields.", only=("size", "name", "phone", "notes", "tags", "quoted_minutes")
)


class PartyChanges(PartyFields):
    """`PATCH /api/parties/<id>`: fields to change, and a move in line (`state`)."""

    state: Annotated[Literal[MOVES], BeforeValidator(_move)] = Field(
        None, description="waiting, notified (its table is ready), left, cancelled or no_show."
    )
    expected_state: choice(limits.PARTY_STATES) = Field(
        None, description="The state the host saw: a different stored one is a 409."
    )
    expected_version: PartyVersion = Field(
        None, description="The version the host saw: a different stored one is a 409."
    )


class Seating(Shape):
    """`POST /api/parties/<id>/seat`: the tables to seat the party at, in one transaction."""

    table_ids: TableIds
    expected_statuses: ExpectedStatuses = None
    tapped_at: TapTime = None

    @field_validator("expected_statuses", mode="before")
    @classmethod
    def _for_the_tables_named(cls, expected: Any, info: ValidationInfo) -> Any:
        return expected_of(info.data.get("table_ids", []), expected)


TableId = Annotated[int, Field(gt=0, le=LARGEST_NUMBER, strict=True)]
SeatableStatus = Annotated[
    Literal[limits.SEATABLE_STATUSES],
    Field(description="The status the host saw the new table in: available (the default) or reserved."),
]


# An undo names the party's version its change left: a party or a table changed since is a 409.
SINCE = (
    "The party's version the host's change left (its answer's `version`): a 409 when the party, or a table"
    " named or its own, changed since."
)


class PartyMove(Shape):
    """`POST /api/parties/<id>/move`: from one of the party's tables to a free one, keeping covers and seated time;
    with expectedVersion, the undo of a move (the party moved back)."""

    from_table_id: TableId
    to_table_id: TableId
    expected_status: SeatableStatus = None
    expected_version: PartyVersion = Field(None, description=SINCE)

    @field_validator("to_table_id")
    @classmethod
    def _somewhere_else(cls, to_table_id: int, info: ValidationInfo) -> int:
        if to_table_id == info.data.get("from_table_id"):
            raise refused("to_table_id", "Move the party to another table.")
        return to_table_id


class TableAdded(Shape):
    """`POST /api/parties/<id>/tables`: one more table joined to a seated party."""

    table_id: TableId
    expected_status: SeatableStatus = None


class TableTakenOff(Shape):
    """`POST /api/parties/<id>/unjoin`: the undo of "Add a table": the table freed, the party at its other tables."""

    table_id: TableId
    expected_version: Annotated[PartyVersion, Field(description=SINCE)]


class Unseating(Shape):
    """`POST /api/parties/<id>/unseat`: the undo of a seating from the line: the party back where it stood."""

    expected_version: Annotated[PartyVersion, Field(description=SINCE)]


def _query_state(value: object) -> object:
    if value is None or value == "":
        return None
    if value not in limits.PARTY_STATES:
        raise refused("query_state", f"must be one of: {', '.join(limits.PARTY_STATES)}.")
    return value


class PartiesQuery(Query):
    """`GET /api/parties[?state=]`: the line (waiting and notified), or the parties in one state."""

    state: Annotated[PartyStateWord | None, BeforeValidator(_query_state)] = Field(
        None, description="One state; for parties out of the line, those that left it in the last day."
    )
