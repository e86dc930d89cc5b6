"""Role and floor checks shared by HTML views, the JSON API and socket handlers."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from app.services import tables as table_service
from app.services.floors import check_floor

__all__ = ["check_floor", "role_required", "visible_floors", "visible_table"]


def role_required(role: str) -> Callable:
    """Let a view run only for a signed-in user with at least `role` (401/403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_floors(user) -> list[int] | None:
    """The floors a user may see: their limit, or None for all."""
    return list(user.allowed_floors) if user.allowed_floors else None


def visible_table(user, table_id: int):
    """A table on a floor `user` may see (404 unknown, 403 outside their floors), read once with its section.

    A deleted table is named, with who deleted it, only to those who may see its floor.
    """
    return table_service.get_table(table_id, seen_by=user)
