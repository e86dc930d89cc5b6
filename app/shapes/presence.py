"""Presence: who is looking at a floor now, and which table each of them has in hand (a soft claim).

Nothing here is logged or replayed: presence is what is true this second, sent whole each time
it changes to the sockets that asked for it (`presence:watch`), and forgotten when they go.
"""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from app.shapes.base import Sent, Shape
from app.shapes.fields import refused


def _whole_number(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise refused("whole_number", "Must be a whole number from 1.")


def _table_or_none(value: object) -> int | None:
    return None if value is None else _whole_number(value)


FloorNumber = Annotated[int, BeforeValidator(_whole_number)]
HeldTable = Annotated[int | None, BeforeValidator(_table_or_none)]


class Watch(Sent):
    """`presence:watch`: follow who is looking at this floor (and be seen looking)."""

    floor: FloorNumber


class Claim(Sent):
    """`presence:claim`: the table this screen has in hand on a floor it watches (its dialog is open,
    or a party is being seated at it), or null when it has none."""

    floor: FloorNumber
    table_id: HeldTable


class Viewer(Shape):
    """One screen looking at the floor: whose it is, and the table it has in hand, if any."""

    user_id: int
    username: str
    initials: str
    table_id: int | None = Field(description="The table this screen has in hand (its dialog open), or null.")


class Presence(Shape):
    """`presence:update`: everyone looking at one floor now, sent whole whenever it changes."""

    floor: int
    version: int = Field(description="Grows with every change of this floor's presence: an older one is stale.")
    viewers: list[Viewer]


class Watching(Shape):
    """`presence:watch` accepted: presence of the floor follows as `presence:update`."""

    ok: Literal[True]
    floor: int


class Claimed(Shape):
    """`presence:claim` accepted."""

    ok: Literal[True]
    table_id: int | None
