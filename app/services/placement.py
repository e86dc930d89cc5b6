"""Where tables sit on a floor: the plan's area, what a table covers, and a free spot for a new one."""

import math
from collections.abc import Iterable
from typing import Protocol

PLAN_MARGIN = 40
PLAN_MIN_WIDTH = 800
PLAN_MIN_HEIGHT = 480
# Room left between a new table and its neighbours, for chairs and a server's path.
CLEARANCE = 20
SEARCH_STEP = 10
DEFAULT_SIZE = 80


class Placed(Protocol):
    x: float
    y: float
    width: float
    height: float
    rotation: float


Box = tuple[float, float, float, float]  # left, top, right, bottom


def plan_size(tables: Iterable[Placed]) -> tuple[int, int]:
    """The drawing's width and height in plan units: every table fits, with a margin."""
    tables = list(tables)
    width = max([PLAN_MIN_WIDTH, *(t.x + t.width + PLAN_MARGIN for t in tables)])
    height = max([PLAN_MIN_HEIGHT, *(t.y + t.height + PLAN_MARGIN for t in tables)])
    return int(width), int(height)


def covered_box(table: Placed) -> Box:
    """The upright rectangle a table covers once turned by its rotation (about its centre)."""
    turn = math.radians(table.rotation or 0)
    cos, sin = abs(math.cos(turn)), abs(math.sin(turn))
    half_w = (table.width * cos + table.height * sin) / 2
    half_h = (table.width * sin + table.height * cos) / 2
    centre_x, centre_y = table.x + table.width / 2, table.y + table.height / 2
    return centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h


def _clear_of(box: Box, taken: list[Box]) -> bool:
    left, top, right, bottom = box
    return all(
        right + CLEARANCE <= o_left
        or o_right + CLEARANCE <= left
        or bottom + CLEARANCE <= o_top
        or o_bottom + CLEARANCE <= top
        for o_left, o_top, o_right, o_bottom in taken
    )


def free_spot(
    tables: Iterable[Placed], width: float, height: float, x: float | None = None, y: float | None = None
) -> tuple[float, float]:
    """The first spot, row by row from the top left, where a table of this size touches no other.

    Searched inside the floor's current plan area; when that is full the table goes on a new row
    below everything, so the plan grows to hold it. A coordinate given by the caller is kept.
    """
    tables = list(tables)
    taken = [covered_box(table) for table in tables]
    plan_width, plan_height = plan_size(tables)
    xs = [x] if x is not None else _steps(plan_width - width - PLAN_MARGIN)
    ys = [y] if y is not None else _steps(plan_height - height - PLAN_MARGIN)
    for top in ys:
        for left in xs:
            if _clear_of((left, top, left + width, top + height), taken):
                return left, top
    lowest = max((box[3] for box in taken), default=0)
    return (x if x is not None else PLAN_MARGIN), (y if y is not None else max(PLAN_MARGIN, lowest + CLEARANCE))


def _steps(last: float) -> list[float]:
    return [float(value) for value in range(PLAN_MARGIN, int(last) + 1, SEARCH_STEP)]
