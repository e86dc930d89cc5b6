"""A dining table on a floor, with its status and place on the floor plan."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.limits import TABLE_SHAPES, TABLE_STATUSES
from app.models.section import Section
from app.models.time import utcnow

__all__ = ["TABLE_SHAPES", "TABLE_STATUSES", "Table"]
# Width and height of a table added without them, in plan units.
DEFAULT_TABLE_SIZE = 80


class Table(db.Model):
    __tablename__ = "tables"
    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 50", name="ck_tables_capacity"),
        CheckConstraint("status IN ('available', 'occupied', 'reserved', 'maintenance')", name="ck_tables_status"),
        CheckConstraint("shape IN ('rect', 'round')", name="ck_tables_shape"),
        CheckConstraint("width > 0 AND height > 0", name="ck_tables_size"),
        CheckConstraint("covers BETWEEN 1 AND 99", name="ck_tables_covers"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_number: Mapped[str] = mapped_column(String(20), unique=True)
    floor: Mapped[int] = mapped_column(ForeignKey("floors.number"), index=True)
    # Deleting a section clears this first (app/services/sections.py): no ON DELETE, which
    # SQLite cannot reflect on a column added in place.
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="available")
    # The party seated at the table; only while it is occupied.
    covers: Mapped[int | None] = mapped_column(Integer)
    # The party seated at the table now (app/models/party.py); only while it is occupied.
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    shape: Mapped[str] = mapped_column(String(10), default="rect")
    x: Mapped[float] = mapped_column(Float, default=0)
    y: Mapped[float] = mapped_column(Float, default=0)
    width: Mapped[float] = mapped_column(Float, default=DEFAULT_TABLE_SIZE)
    height: Mapped[float] = mapped_column(Float, default=DEFAULT_TABLE_SIZE)
    rotation: Mapped[float] = mapped_column(Float, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    reserved_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    dining_section: Mapped[Section | None] = relationship(lazy="selectin")
    # What clients see of a table is app/shapes/tables.py `Table.of(row)`.

    @property
    def section(self) -> str | None:
        """The name of the table's section, as clients knew it before sections had rows."""
        return self.dining_section.name if self.dining_section else None


# "t-01" beside "T-01" would be two tables staff cannot tell apart when they say it aloud.
Index("uq_tables_table_number_any_case", func.lower(Table.table_number), unique=True)
