"""Staff as other screens see them: who looks after a section, and who a manager may assign."""

import re
from typing import Self

from app.shapes.base import Shape
from app.shapes.fields import RoleWord


def initials_of(username: str) -> str:
    """Two letters for a name badge: "maria.lopez" is "ML", "host" is "HO"."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+", username) if word]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return (words[0][:2] if words else username[:2]).upper()


class Assignee(Shape):
    """The member of staff looking after a section this shift, as tables and sections show them."""

    user_id: int
    username: str
    initials: str

    @classmethod
    def of(cls, user) -> Self | None:
        """The assignee of a user row, or None for nobody."""
        if user is None:
            return None
        return cls(user_id=user.id, username=user.username, initials=initials_of(user.username))


class Staff(Assignee):
    """An active member of staff a manager may put on a section (`GET /api/staff`)."""

    role: RoleWord
    floors: list[int]

    @classmethod
    def of(cls, user) -> Self:
        """A user row as the staff list shows it (no floors: every floor)."""
        return cls(
            user_id=user.id,
            username=user.username,
            initials=initials_of(user.username),
            role=user.role,
            floors=list(user.allowed_floors or []),
        )
