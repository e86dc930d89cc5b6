"""Names of the Socket.IO rooms: one per floor, one for every table, the door's, one per user and session."""

from app.models.event import DOOR

ALL_TABLES = "all_tables"
# Every staff socket, joined at connect whatever floor it shows: the door's events (party:*) go here.
STAFF = "staff"


def floor_room(floor: int) -> str:
    """The room of everyone watching one floor."""
    return f"floor:{floor}"


def user_room(user_id: int) -> str:
    """Every socket of one user, across tabs, devices and processes."""
    return f"user:{user_id}"


def session_room(sign_in: int | None) -> str | None:
    """Every socket opened under one sign-in (one browser's, by its id in app/services/sign_ins.py)."""
    return f"session:{sign_in}" if sign_in is not None else None


def party_room(party_id: int) -> str:
    """One party's own room: its guest's page. Never a staff payload: only what the guest may see."""
    return f"party:{party_id}"


def rooms_for_floors(floors: list[int]) -> list[str]:
    """The rooms that must hear about a change on these floors (the door's: every member of staff)."""
    if DOOR in floors:
        return [STAFF]
    return [*(floor_room(floor) for floor in floors), ALL_TABLES]


def presence_room(floor: int) -> str:
    """The sockets that asked who else is looking at one floor (`presence:watch`)."""
    return f"presence:{floor}"
