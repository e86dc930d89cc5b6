"""One browser's sign-in, kept on the server so that signing out ends it for every copy of its cookies."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.time import utcnow


class SignIn(db.Model):
    __tablename__ = "sign_ins"
    # An id names one sign-in for ever, on SQLite as on PostgreSQL.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the secret the session and remember cookies carry; the secret itself is not kept.
    key_hash: Mapped[str] = mapped_column(String(64))
    # The secret before the remember cookie last renewed it, and when: requests that crossed the
    # renewal still come with it for a moment; later, only a copy would.
    previous_key_hash: Mapped[str | None] = mapped_column(String(64))
    renewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
