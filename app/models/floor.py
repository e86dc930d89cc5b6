"""A floor of the restaurant: the unit a floor plan shows and a room broadcasts to."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.time import utcnow

DEFAULT_TURN_MINUTES = 90


class Floor(db.Model):
    __tablename__ = "floors"
    # The database's own guard, as migration 0003 made it: limits.TURN_MINUTES, which the API checks first.
    __table_args__ = (CheckConstraint("turn_minutes BETWEEN 5 AND 600", name="ck_floors_turn_minutes"),)

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # How long a party is expected to sit; a table seated longer is overdue.
    turn_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_TURN_MINUTES, server_default="90")


class RetiredFloor(db.Model):
    """The number of a deleted floor, never given to another: staff limits, kept pages and
    logged events that name it must not come to mean a different floor."""

    __tablename__ = "retired_floors"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # Unknown for floors deleted before numbers were kept (migration 0004 found them in the log).
    name: Mapped[str | None] = mapped_column(String(80))
    retired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
