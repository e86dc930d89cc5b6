"""The body of every refusal: `{error, message, fields?}`, and the refusals that say more."""

from typing import Any

from pydantic import Field, RootModel

from app.shapes.base import Shape
from app.shapes.parties import Party
from app.shapes.tables import LayoutHolder, Table


class Error(Shape):
    """A refusal: a code for programs, a sentence for people, and each bad field's problem."""

    error: str
    message: str
    fields: dict[str, str] = Field(None, description="Each refused field (by its JSON path, e.g. tables.0.x).")


class StatusConflict(Error):
    """409 for a stale expectedStatus: the table as it is now, and who made the change that won."""

    table: Table
    changed_by: str | None


class PartyConflict(Error):
    """409 for a move the party's state does not allow, or a stale expectedState or expectedVersion:
    the party as it is now, and who made its last change."""

    party: Party
    changed_by: str | None


class SeatingConflict(RootModel[StatusConflict | PartyConflict]):
    """409 for a seating: a table not as the host saw it (`table`), or a party no longer in line (`party`)."""


class LogGone(Error):
    """409 from `GET /api/events` when the log no longer holds every event asked for."""

    last_event_id: str


class LayoutHeld(Error):
    """409: another editor holds the floor's layout; who, so the page can offer to take over."""

    held_by: LayoutHolder


# The refusals that say more, by the field only each of them carries.
_SAYING_MORE = (("table", StatusConflict), ("party", PartyConflict), ("lastEventId", LogGone), ("heldBy", LayoutHeld))


def error_body(code: str, message: str, fields: dict[str, str] | None = None, **extra: Any) -> dict:
    """A refusal's JSON through its shape: the plain one, or the one whose extra fields it carries."""
    shape = next((shape for key, shape in _SAYING_MORE if key in extra), Error)
    given = {"error": code, "message": message, **({"fields": fields} if fields else {}), **extra}
    return shape.model_validate(given, by_name=False).wire()
