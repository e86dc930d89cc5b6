"""Staff accounts: who may see and change which floors."""

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.limits import ROLES
from app.models.time import utcnow

_RANK = {role: rank for rank, role in enumerate(ROLES)}

# argon2id at the library's current recommended parameters; tests use a cheap variant.
_STRONG = PasswordHasher()
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("PASSWORD_HASH_FAST") else _STRONG


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('viewer', 'host', 'manager')", name="ck_users_role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    allowed_floors: Mapped[list[int] | None] = mapped_column(JSON, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on logout-everywhere, password reset, role change and deactivation, so old
    # sessions, tokens and sockets stop being honoured.
    session_generation: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    # The sign-in (app.auth.sign_in) this object was signed in or loaded with, for this request
    # only; not a column.
    signed_in_with = None

    def get_id(self) -> str:
        """Session identity: the id, the generation (a bump ends every session) and the sign-in (a sign-out ends it)."""
        key = self.signed_in_with
        if key is None:
            # Only a sign-in (app.auth.sign_in) has an identity; use `id` to name the user.
            raise RuntimeError(f"user {self.id} has no sign-in in this request")
        return f"{self.id}:{self.session_generation}:{key.id}:{key.secret}"

    def set_password(self, password: str) -> None:
        """Store an argon2id hash of the password."""
        self.password_hash = _hasher().hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        try:
            return _hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def has_role(self, role: str) -> bool:
        """True when this user's role is at least `role`."""
        return _RANK[self.role] >= _RANK[role]

    def may_see_floor(self, floor: int) -> bool:
        """True when the user is not limited, or the floor is within the limit."""
        return not self.allowed_floors or floor in self.allowed_floors

    @property
    def is_floor_limited(self) -> bool:
        return bool(self.allowed_floors)

    def end_sessions(self) -> None:
        """Invalidate every session, token and socket of this user."""
        self.session_generation = (self.session_generation or 1) + 1

    def to_dict(self) -> dict:
        return {
            "userId": self.id,
            "username": self.username,
            "role": self.role,
            "floors": self.allowed_floors or [],
            "active": self.active,
        }
