"""What a tables page hands its browser client: the first state the socket keeps current."""

import math

from flask import current_app
from flask_login import current_user
from limits import parse as parse_rate_limit

from app import messages
from app.models import TABLE_STATUSES, Floor, Table, limits
from app.models.event import EventType
from app.models.time import utcnow
from app.services.parties import parties_in
from app.services.placement import (
    PLAN_MARGIN,
    PLAN_MIN_HEIGHT,
    PLAN_MIN_WIDTH,
    plan_size,  # noqa: F401 - the pages import it from here
)
from app.services.sections import sections_on
from app.services.sitting_times import sitting_times
from app.shapes.floors import Floor as FloorShape
from app.shapes.parties import Party
from app.shapes.sections import Section
from app.shapes.tables import Table as TableShape
from app.tables.markup import TABLE_FIELDS

# Kept between two queued status changes beyond the limit's own spacing: a send never lands
# inside the window of the change the limit counts back to, whatever the clocks' jitter.
SPACING_SLACK_MS = 30

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
    return [FloorShape.of(floor, count).wire() for floor, count in floors]


def page_state(*, view: str, floor: int | None, floors: list[dict], tables: list[Table], head: int | None) -> dict:
    """The JSON the client reads from `#initial-state`; it is data, never executed."""
    return {
        "view": view,
        "floor": floor,
        "floors": floors,
        "tables": [TableShape.of(table).wire() for table in tables],
        # Sections of the floors shown, with assignees, for the "My tables" switch and the legend.
        "sections": [Section.of(section).wire() for section in sections_on([entry["floor"] for entry in floors])],
        # The line at the door, which every staff page keeps whatever floor it shows.
        "parties": [Party.of(party).wire() for party in parties_in()],
        # How long parties of each size sit on each floor, for "likely free ~20:40" on seated tables.
        "sittingMinutes": sitting_times(utcnow()).for_page(),
        "lastEventId": str(head) if head else None,
        "me": {
            "userId": current_user.id,
            "username": current_user.username,
            "role": current_user.role,
            "floors": list(current_user.allowed_floors or []),
        },
        "offlineAfterSeconds": current_app.config["OFFLINE_AFTER_SECONDS"],
        "statuses": STATUS_LABELS,
        "facts": page_facts(),
    }


def page_facts() -> dict:
    """What the server declares once and the page's scripts read rather than repeat."""
    return {
        "events": {kind.name: kind.value for kind in EventType},
        "limits": limits.for_page(),
        "plan": {"margin": PLAN_MARGIN, "minWidth": PLAN_MIN_WIDTH, "minHeight": PLAN_MIN_HEIGHT},
        "messages": messages.for_page(),
        "statusSpacingMs": status_spacing_ms(current_app.config["STATUS_RATE_LIMIT"]),
        # The fields of a Table the page keeps for each table (app/shapes/tables.py declares them).
        "tableFields": TABLE_FIELDS,
    }


def status_spacing_ms(rate_limit: str) -> int:
    """How long the page waits between two status changes it sends in a row, to stay under the limit."""
    limit = parse_rate_limit(rate_limit)
    return math.ceil(limit.get_expiry() * 1000 / limit.amount) + SPACING_SLACK_MS
