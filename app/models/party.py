"""A party at the door: the people waiting for a table, then seated at one or more.

A party stands in line (`waiting`, then `notified` when its table is ready) until it is
`seated` or leaves the line (`left`, `cancelled`, `no_show`). Where it sat is kept twice,
for two readers: `tables.party_id` names the party at a table now (cleared when the table
leaves occupied), and `party_tables` keeps every table a party was seated at, with when it
sat down and when that table was cleared, for the party's own record and for quotes from
the floor's history. `party_tables.table_id` has no foreign key, as `events.table_id` has
none: a party's record outlives a deleted table, and table ids are never reused.
"""

import secrets
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.limits import IN_LINE, PARTY_STATES
from app.models.time import utcnow

__all__ = ["IN_LINE", "PARTY_STATES", "Party", "PartyTable", "guest_token"]


def guest_token() -> str:
    """An unguessable token for a party's guest page (192 random bits)."""
    return secrets.token_urlsafe(24)


class Party(db.Model):
    __tablename__ = "parties"
    __table_args__ = (
        CheckConstraint("size BETWEEN 1 AND 99", name="ck_parties_size"),
        CheckConstraint(
            "state IN ('waiting', 'notified', 'seated', 'left', 'cancelled', 'no_show')", name="ck_parties_state"
        ),
        # The line is read by state, in the order parties joined it.
        Index("ix_parties_state_joined_at", "state", "joined_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    quoted_minutes: Mapped[int | None] = mapped_column(Integer)
    quoted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the guest answered "On my way" on their own page (cleared if put back to waiting).
    on_the_way_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When it left the line: seated, or gone (left, cancelled, no_show).
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    guest_token: Mapped[str] = mapped_column(String(64), unique=True, default=guest_token)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Who made the last change, so a refused one can name them.
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    seatings: Mapped[list["PartyTable"]] = relationship(
        lazy="selectin", order_by="PartyTable.position", back_populates="party"
    )

    @property
    def in_line(self) -> bool:
        return self.state in IN_LINE

    @property
    def table_ids(self) -> list[int]:
        """The tables the party was seated at, in the order the host named them."""
        return [seating.table_id for seating in self.seatings]


class PartyTable(db.Model):
    """One table a party was seated at: when it sat down, and when the table was cleared."""

    __tablename__ = "party_tables"

    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True)
    table_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    seated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    party: Mapped[Party] = relationship(back_populates="seatings")
