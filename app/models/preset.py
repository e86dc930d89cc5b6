"""A shift's sections saved under a name ("Friday dinner, 5 servers"), to be put back in one tap."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.time import utcnow


class SectionPreset(db.Model):
    __tablename__ = "section_presets"
    __table_args__ = (UniqueConstraint("floor", "name", name="uq_section_presets_floor_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    floor: Mapped[int] = mapped_column(ForeignKey("floors.number", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The floor's sections as a plan: [{name, colour, userId, tableIds}] (app/shapes/presets.py).
    sections: Mapped[list] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(80))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
