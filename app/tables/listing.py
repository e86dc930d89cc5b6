"""Filtering and sorting the list view on the server, for the first render and for no-JS use."""

from app.models import TABLE_STATUSES, Table

SORT_KEYS = {
    "number": lambda t: (t.table_number.lower(),),
    "floor": lambda t: (t.floor, t.table_number.lower()),
    "section": lambda t: ((t.section or "").lower(), t.table_number.lower()),
    "capacity": lambda t: (t.capacity, t.table_number.lower()),
    "status": lambda t: (TABLE_STATUSES.index(t.status), t.table_number.lower()),
    "since": lambda t: (t.status_changed_at, t.table_number.lower()),
}


def filter_tables(tables: list[Table], floor: int | None, status: str | None) -> list[Table]:
    """Keep the tables on `floor` and in `status` (None keeps all)."""
    return [t for t in tables if (floor is None or t.floor == floor) and (status is None or t.status == status)]


def sort_tables(tables: list[Table], key: str, order: str) -> list[Table]:
    """Sort by one of SORT_KEYS, ascending or descending."""
    return sorted(tables, key=SORT_KEYS[key], reverse=order == "desc")
