"""Reading what clients and forms send through the typed shapes (app/shapes), into a 422 that names each field."""

from typing import Any, TypeVar

from pydantic import ValidationError as Refused

from app.services.errors import ValidationError
from app.shapes.base import Shape
from app.shapes.fields import UNSTORABLE, UNSTORABLE_TEXT, text_problem, unstorable
from app.shapes.problems import problems_of
from app.shapes.tables import NewTable, StatusChange, TableChanges

__all__ = ["UNSTORABLE", "UNSTORABLE_TEXT", "text_problem", "unstorable"]
SOME_FIELDS = "Some fields are not valid."
S = TypeVar("S", bound=Shape)


def read(shape: type[S], data: object, *, message: str = SOME_FIELDS, context: dict | None = None) -> S:
    """`data` (camelCase, as a client sends it) as `shape`, or a 422 naming every refused field at once."""
    try:
        return shape.model_validate(data, by_name=False, context=context)
    except Refused as error:
        whole, fields = problems_of(error)
        raise ValidationError(whole or message, fields=fields) from None


def sort_table_fields(data: dict, *, creating: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Split table fields (by JSON names) into cleaned model values and messages for the bad ones.

    The good fields come back even when others are refused, so that the floor's existence and
    the number's uniqueness can be checked in the same round and a form shows every message.
    """
    try:
        return (NewTable if creating else TableChanges).model_validate(data, by_name=False).values(), {}
    except Refused as error:
        _, errors = problems_of(error)
    good = {name: value for name, value in data.items() if name not in errors}
    return TableChanges.model_validate(good, by_name=False).values(), errors


def clean_table_fields(data: object, *, creating: bool) -> dict[str, Any]:
    """Validate table fields by their JSON names; return model attributes and values, or a 422 naming each bad one."""
    if not isinstance(data, dict):
        raise ValidationError("Expected a JSON object.")
    return read(NewTable if creating else TableChanges, data).values()


def clean_status_change(data: object) -> dict[str, Any]:
    """A status change body as model values: status and critical always; covers, notes, reservedUntil when sent."""
    change = read(StatusChange, data)
    return {"expected_status": change.expected_status, "critical": change.critical, **change.values()}
