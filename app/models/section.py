"""A part of a floor one member of staff looks after during a shift."""

import re
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.time import isoformat, utcnow
from app.models.user import User


def initials_of(username: str) -> str:
    """Two letters for a name badge: "maria.lopez" is "ML", "host" is "HO"."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+", username) if word]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return (words[0][:2] if words else username[:2]).upper()


def assignee_of(user: User | None) -> dict | None:
    """The staff member looking after a section, as tables and events show them."""
    if user is None:
        return None
    return {"userId": user.id, "username": user.username, "initials": initials_of(user.username)}


class Section(db.Model):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("floor", "name", name="uq_sections_floor_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    floor: Mapped[int] = mapped_column(ForeignKey("floors.number", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    colour: Mapped[str] = mapped_column(String(7))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    assignee: Mapped[User | None] = relationship(lazy="selectin")

    def to_dict(self) -> dict:
        """The section as the API shows it."""
        return {
            "sectionId": self.id,
            "floor": self.floor,
            "name": self.name,
            "colour": self.colour,
            "assignee": assignee_of(self.assignee),
            "assignedAt": isoformat(self.assigned_at),
        }
