"""Who may change restaurant-wide settings: floors and staff."""

from collections.abc import Callable
from functools import wraps

from flask_login import current_user

from app.services.errors import Forbidden


def whole_restaurant_manager(view: Callable) -> Callable:
    """Let only a manager of every floor through; a floor-limited manager could widen their own access."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_floor_limited:
            raise Forbidden("Only a manager of every floor can change floors and staff.")
        return view(*args, **kwargs)

    return wrapped
