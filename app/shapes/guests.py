"""The guest's own page: what it is told of its party, and what its buttons answer.

Nothing here names a member of staff, a table or another party: only the guest's own party,
its place in line and its quote.
"""

from typing import Self

from pydantic import Field

from app.shapes.base import Shape
from app.shapes.fields import Moment, PartyStateWord


class GuestUpdate(Shape):
    """`guest:update`: the guest's own party as their page shows it, sent at connect and on every change to it."""

    state: PartyStateWord = Field(description="waiting or notified while in line; any other state ends the page.")
    place: int | None = Field(description="1 for the first party in line; null once out of it.")
    size: int
    quoted_minutes: int | None = Field(description="The wait quoted, in minutes, from quotedAt.")
    quoted_at: Moment | None
    notified_at: Moment | None = Field(description="When the guest was told their table is ready.")
    on_the_way_at: Moment | None = Field(description='When the guest answered "On my way".')

    @classmethod
    def of(cls, party, place: int | None) -> Self:
        """A party row as its own guest sees it."""
        return cls(
            state=party.state,
            place=place,
            size=party.size,
            quoted_minutes=party.quoted_minutes,
            quoted_at=party.quoted_at,
            notified_at=party.notified_at,
            on_the_way_at=party.on_the_way_at,
        )
