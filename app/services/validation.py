"""Checking table fields from any source (JSON or form) against the contract's rules."""

import re

from app.models import TABLE_SHAPES, TABLE_STATUSES, limits
from app.services.errors import ValidationError
from app.shapes.fields import DATE_TIME_PROBLEM, UNSTORABLE, UNSTORABLE_TEXT, parse_datetime, text_problem, unstorable

__all__ = ["UNSTORABLE", "UNSTORABLE_TEXT", "text_problem", "unstorable"]

TABLE_NUMBER = re.compile(limits.TABLE_NUMBER_PATTERN)
# JSON name -> (model attribute, kind, bounds)
TABLE_FIELDS: dict[str, tuple[str, str, tuple | None]] = {
    "tableNumber": ("table_number", "table_number", None),
    "floor": ("floor", "int", limits.FLOOR_NUMBER),
    "section": ("section", "text", (0, limits.NAME_LENGTH)),
    "sectionId": ("section_id", "id", None),
    "capacity": ("capacity", "int", limits.SEATS),
    "status": ("status", "choice", TABLE_STATUSES),
    "shape": ("shape", "choice", TABLE_SHAPES),
    "x": ("x", "number", limits.PLAN_POSITION),
    "y": ("y", "number", limits.PLAN_POSITION),
    "width": ("width", "number", limits.TABLE_SIZE),
    "height": ("height", "number", limits.TABLE_SIZE),
    "rotation": ("rotation", "number", limits.ROTATION),
    "notes": ("notes", "text", (0, limits.NOTES_LENGTH)),
    "reservedUntil": ("reserved_until", "datetime", None),
}
REQUIRED_ON_CREATE = ("tableNumber", "floor", "capacity")
COVERS_RANGE = limits.COVERS


def _int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,6}", value.strip()):
        return int(value.strip())
    raise ValueError


def strict_whole_number(value: object, low: int, high: int) -> int:
    """A JSON integer within bounds: no text, floats or booleans, which a client sent by mistake."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Must be a whole number.")
    if not low <= value <= high:
        raise ValueError(f"Must be between {low} and {high}.")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        number = float(value.strip())
    else:
        raise ValueError
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError
    return number


def _clean_one(name: str, value: object) -> object:
    _, kind, bounds = TABLE_FIELDS[name]
    if kind == "table_number":
        if not isinstance(value, str) or not TABLE_NUMBER.match(value.strip()):
            raise ValueError(f"Use 1-{limits.TABLE_NUMBER_LENGTH} letters, digits, spaces, '-' or '_', e.g. T-05.")
        return value.strip()
    if kind == "choice":
        if value not in bounds:
            raise ValueError(f"Must be one of: {', '.join(bounds)}.")
        return value
    if kind == "text":
        if value is None or value == "":
            return None
        problem = text_problem(value, bounds[1])
        if problem:
            raise ValueError(problem)
        return value.strip() or None
    if kind == "id":
        if value is None or value == "":
            return None
        try:
            return strict_whole_number(_int(value), 1, 2**31 - 1)
        except (ValueError, TypeError):
            raise ValueError("Must be a section id or null.") from None
    if kind == "datetime":
        try:
            return parse_datetime(value)
        except (ValueError, TypeError):
            raise ValueError(DATE_TIME_PROBLEM) from None
    try:
        number = _int(value) if kind == "int" else _number(value)
    except (ValueError, TypeError):
        raise ValueError("Must be a whole number." if kind == "int" else "Must be a number.") from None
    low, high = bounds
    if not low <= number <= high:
        raise ValueError(f"Must be between {low} and {high}.")
    return number


def sort_table_fields(data: dict, *, creating: bool) -> tuple[dict[str, object], dict[str, str]]:
    """Split table fields (by JSON names) into cleaned model values and messages for the bad ones."""
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for name, value in data.items():
        if name not in TABLE_FIELDS:
            errors[name] = "Unknown field."
            continue
        try:
            cleaned[TABLE_FIELDS[name][0]] = _clean_one(name, value)
        except ValueError as error:
            errors[name] = str(error) or "Invalid value."
    if creating:
        for name in REQUIRED_ON_CREATE:
            if name not in data and name not in errors:
                errors[name] = "This field is required."
    return cleaned, errors


def clean_table_fields(data: object, *, creating: bool) -> dict[str, object]:
    """Validate table fields by their JSON names; return model attributes and values.

    Raises ValidationError listing every bad or unknown field at once, so a form can show
    all its messages in place.
    """
    if not isinstance(data, dict):
        raise ValidationError("Expected a JSON object.")
    cleaned, errors = sort_table_fields(data, creating=creating)
    if errors:
        raise ValidationError("Some fields are not valid.", fields=errors)
    return cleaned


def clean_status_change(data: object) -> dict[str, object]:
    """Validate a status change body: status, covers?, notes?, expectedStatus?, reservedUntil?, critical?."""
    if not isinstance(data, dict):
        raise ValidationError("Expected a JSON object.")
    allowed = {"status", "covers", "notes", "expectedStatus", "reservedUntil", "critical"}
    errors = {name: "Unknown field." for name in data if name not in allowed}
    if data.get("status") not in TABLE_STATUSES:
        errors["status"] = f"Must be one of: {', '.join(TABLE_STATUSES)}."
    expected = data.get("expectedStatus")
    if expected is not None and expected not in TABLE_STATUSES:
        errors["expectedStatus"] = f"Must be one of: {', '.join(TABLE_STATUSES)}."
    critical = data.get("critical", False)
    if not isinstance(critical, bool):
        errors["critical"] = "Must be true or false."
    cleaned: dict[str, object] = {"status": data.get("status"), "expected_status": expected, "critical": critical}
    for name, attribute in (("notes", "notes"), ("reservedUntil", "reserved_until")):
        if name in data:
            try:
                cleaned[attribute] = _clean_one(name, data[name])
            except ValueError as error:
                errors[name] = str(error)
    if data.get("covers") is not None:
        try:
            cleaned["covers"] = strict_whole_number(data["covers"], *COVERS_RANGE)
        except ValueError as error:
            errors["covers"] = str(error)
        if data.get("status") != "occupied":
            errors["covers"] = "Covers are given only when seating a table (status occupied)."
    if errors:
        raise ValidationError("Some fields are not valid.", fields=errors)
    return cleaned
