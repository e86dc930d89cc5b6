"""The append-only event log the live layer replays, and stored idempotent replies."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.time import utcnow


class EventType(StrEnum):
    """Every kind of change the log records and the sockets broadcast, by its wire name."""

    STATUS_CHANGED = "table:status_changed"
    TABLE_CREATED = "table:created"
    TABLE_UPDATED = "table:updated"
    TABLE_DELETED = "table:deleted"
    FLOOR_UPDATED = "floor:updated"
    SECTION_CREATED = "section:created"
    SECTION_UPDATED = "section:updated"
    SECTION_DELETED = "section:deleted"
    SECTION_ASSIGNED = "section:assigned"
    PRESET_SAVED = "preset:saved"
    PRESET_DELETED = "preset:deleted"
    PARTY_CREATED = "party:created"
    PARTY_UPDATED = "party:updated"
    PARTY_SEATED = "party:seated"
    PARTY_UNSEATED = "party:unseated"
    SERVER_CUT = "server:cut"
    SERVER_UNCUT = "server:uncut"
    SERVER_SKIPPED = "server:skipped"


# The `floor` of an event that is news at the door (a party's), not on one floor: every staff
# screen hears it, whatever floor it shows. Floors are numbered from 1 (limits.FLOOR_NUMBER).
DOOR = 0


class Event(db.Model):
    """One row per change, written in the transaction of the change itself."""

    __tablename__ = "events"
    # A table's history reads its newest events first, through this index alone.
    __table_args__ = (Index("ix_events_table_id_id", "table_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    table_id: Mapped[int | None] = mapped_column(Integer)
    # A table's floor, or DOOR for a party's event.
    floor: Mapped[int] = mapped_column(Integer, index=True)
    # A table moved between floors is news on both: the old floor must drop it.
    old_floor: Mapped[int | None] = mapped_column(Integer, index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    @property
    def event_id(self) -> str:
        return str(self.id)

    def message(self) -> dict:
        """The broadcast payload: the seed's data, flat, plus eventId and floor."""
        return {"eventId": self.event_id, **self.payload}

    def to_dict(self) -> dict:
        """The log entry as sync and /api/events return it."""
        return {"eventId": self.event_id, "event": self.type, "data": self.message()}


class IdempotencyRecord(db.Model):
    """The first reply to a request carrying an Idempotency-Key, replayed on retries."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
