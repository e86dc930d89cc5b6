"""What hosts read during service: a table's history and the floors' figures."""

from typing import Any, Literal

from pydantic import Field, create_model

from app.models import limits
from app.shapes.base import Shape
from app.shapes.fields import Moment, StatusWord
from app.shapes.parties import SeatedParty


class HistoryEntry(Shape):
    """One logged change of a table, newest first in a history."""

    event_id: str
    event: str
    at: Moment
    by: str
    old_status: StatusWord = None
    new_status: StatusWord = None
    covers: int | None = None
    party_id: int | None = None
    party: SeatedParty = Field(None, description="The party the change seated, as it is now.")
    reserved_until: Moment | None = None
    notes: str | None = None
    # As the log wrote it when the change was made: the log outlives any one version of a Table.
    changes: dict[str, Any] = Field(None, description="The fields a table:updated set, with their new values.")


# The fields of a logged payload a history entry repeats, by their wire names.
HISTORY_FIELDS = tuple(
    info.alias
    for name, info in HistoryEntry.model_fields.items()
    if name not in ("event_id", "event", "at", "by", "party")
)


class TableHistory(Shape):
    """`GET /api/tables/<id>/history`."""

    table_id: int
    events: list[HistoryEntry]


TablesPerStatus = create_model(
    "TablesPerStatus",
    __base__=Shape,
    __doc__="How many tables are in each status.",
    **{status: (int, ...) for status in limits.TABLE_STATUSES},
)


class Health(Shape):
    """`GET /healthz`: "ok", or "degraded" (503) when the database or the message queue is down."""

    status: Literal["ok", "degraded"]
    db: Literal["ok", "down"]
    queue: Literal["ok", "down", "in-process"]


class Summary(Shape):
    """`GET /api/summary`: one floor's figures, or (floor null) every floor the user may see."""

    floor: int | None
    tables: TablesPerStatus
    seats: int
    occupied_seats: int
    covers: int
    parties_waiting: int = Field(description="Parties in line (waiting or notified), whatever the floor.")
    covers_waiting: int = Field(description="The people in those parties.")
