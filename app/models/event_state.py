"""How far retention has trimmed the event log, so sync knows what it can replay."""

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class EventLogState(db.Model):
    __tablename__ = "event_log_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pruned_through: Mapped[int] = mapped_column(Integer, default=0)
