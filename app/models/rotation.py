"""A server's place in the rotation this shift: cut (no more parties) or skipped once by a host.

One row per server who was ever cut or skipped, kept apart from `sections` so the rotation's
state is its own small table. Both marks are times, read against the shift: a cut made before
the current shift began no longer counts (services/rotation.py), and a skip lasts until the
next party is seated anywhere.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.time import utcnow


class ServerTurn(db.Model):
    __tablename__ = "server_turns"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # When a host cut the server (None: not cut); counts for the shift it was made in.
    cut_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When a host passed the server over once; spent by the next party seated after it.
    skipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
