"""What a typed shape costs: a 21-field Table built and dumped, and a request body validated.

Compares a plain dict (what the server built before issue 24), pydantic v2 (app/shapes, which
the server uses) and msgspec (a Struct of the same fields, written here only to compare).
Prints microseconds per operation, the best of several rounds (the machine is shared; the
best round is the one least disturbed). Run: `.venv/bin/python bench/shapes.py`.
"""

import sys
import timeit
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Literal

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.models.time import isoformat  # noqa: E402
from app.shapes.tables import StatusChange, Table  # noqa: E402

NOW = datetime(2026, 5, 1, 18, 30, tzinfo=UTC)
ROW = SimpleNamespace(
    id=4, table_number="T-04", floor=1, section_id=2, dining_section=None, capacity=4, status="occupied",
    covers=3, shape="rect", x=120.0, y=80.0, width=80.0, height=80.0, rotation=0.0, notes="By the window",
    reserved_until=None, status_changed_at=NOW, version=7, created_at=NOW, updated_at=NOW,
)  # fmt: skip
BODY = {"status": "occupied", "covers": 3, "notes": "Birthday", "expectedStatus": "available"}


def plain_dict(row) -> dict:
    """The table as `Table.to_dict` built it before the shapes."""
    return {
        "tableId": row.id, "tableNumber": row.table_number, "floor": row.floor, "sectionId": row.section_id,
        "section": None, "assignee": None, "capacity": row.capacity, "status": row.status, "covers": row.covers,
        "shape": row.shape, "x": row.x, "y": row.y, "width": row.width, "height": row.height,
        "rotation": row.rotation, "notes": row.notes, "reservedUntil": isoformat(row.reserved_until),
        "statusChangedAt": isoformat(row.status_changed_at), "version": row.version,
        "createdAt": isoformat(row.created_at), "updatedAt": isoformat(row.updated_at),
    }  # fmt: skip


class MsgspecTable(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    table_id: int
    table_number: str
    floor: int
    section_id: int | None
    section: str | None
    assignee: dict | None
    capacity: int
    status: Literal["available", "occupied", "reserved", "maintenance"]
    covers: int | None
    shape: Literal["rect", "round"]
    x: float
    y: float
    width: float
    height: float
    rotation: float
    notes: str | None
    reserved_until: datetime | None
    status_changed_at: datetime
    version: int
    created_at: datetime
    updated_at: datetime


class MsgspecStatusChange(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    status: Literal["available", "occupied", "reserved", "maintenance"]
    covers: int | None = None
    notes: str | None = None
    expected_status: Literal["available", "occupied", "reserved", "maintenance"] | None = None
    reserved_until: datetime | None = None
    critical: bool = False


def msgspec_table(row) -> dict:
    """The same Table built as a Struct and turned into JSON-ready builtins."""
    built = MsgspecTable(
        table_id=row.id, table_number=row.table_number, floor=row.floor, section_id=row.section_id, section=None,
        assignee=None, capacity=row.capacity, status=row.status, covers=row.covers, shape=row.shape, x=row.x,
        y=row.y, width=row.width, height=row.height, rotation=row.rotation, notes=row.notes,
        reserved_until=row.reserved_until, status_changed_at=row.status_changed_at, version=row.version,
        created_at=row.created_at, updated_at=row.updated_at,
    )  # fmt: skip
    return msgspec.to_builtins(built)


def microseconds(run, number: int = 20000, rounds: int = 5) -> float:
    """The best round's time per call, in microseconds."""
    return min(timeit.repeat(run, number=number, repeat=rounds)) / number * 1e6


def main() -> None:
    """Print each figure."""
    figures = {
        "Table build+dump, plain dict": lambda: plain_dict(ROW),
        "Table build+dump, pydantic (app/shapes)": lambda: Table.of(ROW).wire(),
        "Table build+dump, msgspec": lambda: msgspec_table(ROW),
        "status body validate, pydantic (app/shapes)": lambda: StatusChange.model_validate(BODY, by_name=False),
        "status body validate, msgspec": lambda: msgspec.convert(BODY, MsgspecStatusChange),
    }
    for name, run in figures.items():
        print(f"{name:46} {microseconds(run):6.2f} µs")


if __name__ == "__main__":
    main()
