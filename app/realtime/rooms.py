"""Names of the Socket.IO rooms: one per floor, one for every table, one per user and session."""

ALL_TABLES = "all_tables"


def floor_room(floor: int) -> str:
    """The room of everyone watching one floor."""
    return f"floor:{floor}"


def user_room(user_id: int) -> str:
    """Every socket of one user, across tabs, devices and processes."""
    return f"user:{user_id}"


def session_room(sign_in: int | None) -> str | None:
    """Every socket opened under one sign-in (one browser's, by its id in app/services/sign_ins.py)."""
    return f"session:{sign_in}" if sign_in is not None else None


def rooms_for_floors(floors: list[int]) -> list[str]:
    """The rooms that must hear about a change on these floors."""
    return [*(floor_room(floor) for floor in floors), ALL_TABLES]
