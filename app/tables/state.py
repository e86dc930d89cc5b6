"""What a tables page hands its browser client: the first state the socket keeps current."""

from flask import current_app
from flask_login import current_user

from app.models import TABLE_STATUSES, Floor, Table
from app.services.placement import plan_size  # noqa: F401 - the pages import it from here
from app.services.sections import sections_on

STATUS_LABELS = {
    "available": "Available",
    "occupied": "Occupied",
    "reserved": "Reserved",
    "maintenance": "Maintenance",
}


def status_counts(tables: list[Table]) -> dict[str, int]:
    """How many tables are in each status, in the contract's status order."""
    counts = dict.fromkeys(TABLE_STATUSES, 0)
    for table in tables:
        counts[table.status] += 1
    return counts


def floor_entries(floors: list[tuple[Floor, int]]) -> list[dict]:
    """Floors as the page's switcher needs them."""
    return [
        {"floor": floor.number, "name": floor.name, "turnMinutes": floor.turn_minutes, "tableCount": count}
        for floor, count in floors
    ]


def page_state(*, view: str, floor: int | None, floors: list[dict], tables: list[Table], head: int | None) -> dict:
    """The JSON the client reads from `#initial-state`; it is data, never executed."""
    return {
        "view": view,
        "floor": floor,
        "floors": floors,
        "tables": [table.to_dict() for table in tables],
        # Sections of the floors shown, with assignees, for the "My tables" switch and the legend.
        "sections": [section.to_dict() for section in sections_on([entry["floor"] for entry in floors])],
        "lastEventId": str(head) if head else None,
        "me": {
            "userId": current_user.id,
            "username": current_user.username,
            "role": current_user.role,
            "floors": list(current_user.allowed_floors or []),
        },
        "offlineAfterSeconds": current_app.config["OFFLINE_AFTER_SECONDS"],
        "statuses": STATUS_LABELS,
    }
