"""Translating the managers' table form to the service's JSON names and its errors back."""

from werkzeug.datastructures import MultiDict

from app.models import Table

# form field -> JSON name of the NewTable and TableChanges shapes (app/shapes/tables.py)
FORM_TO_JSON = {
    "table_number": "tableNumber",
    "floor": "floor",
    "section": "section",
    "capacity": "capacity",
    "shape": "shape",
    "x": "x",
    "y": "y",
    "width": "width",
    "height": "height",
    "rotation": "rotation",
    "notes": "notes",
}
JSON_TO_FORM = {json_name: form_name for form_name, json_name in FORM_TO_JSON.items()}
# Left empty on a new table, these take the model's defaults.
OPTIONAL_ON_CREATE = ("x", "y", "width", "height", "rotation", "shape")
# Left and Top start empty: the table then goes to a free spot on its floor.
NEW_TABLE_DEFAULTS = {"shape": "rect", "x": "", "y": "", "width": "90", "height": "90", "rotation": "0"}


def form_to_json(form: MultiDict, *, creating: bool) -> dict:
    """The submitted fields by their JSON names; empty text means none, empty layout means default."""
    body: dict = {}
    for form_name, json_name in FORM_TO_JSON.items():
        if form_name not in form:
            continue
        value = form.get(form_name, "").strip()
        if value == "" and creating and form_name in OPTIONAL_ON_CREATE:
            continue
        body[json_name] = value
    return body


def errors_by_field(fields: dict[str, str]) -> dict[str, str]:
    """A service error's messages keyed by form field; anything else under "form"."""
    errors: dict[str, str] = {}
    for name, message in fields.items():
        errors[JSON_TO_FORM.get(name, "form")] = message
    return errors


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def values_of(table: Table) -> dict[str, str]:
    """A stored table as the form shows it."""
    return {
        "table_number": table.table_number,
        "floor": str(table.floor),
        "section": table.section or "",
        "capacity": str(table.capacity),
        "shape": table.shape,
        "x": _number_text(table.x),
        "y": _number_text(table.y),
        "width": _number_text(table.width),
        "height": _number_text(table.height),
        "rotation": _number_text(table.rotation),
        "notes": table.notes or "",
    }


def submitted_values(form: MultiDict) -> dict[str, str]:
    """What the manager typed, to show again beside the errors."""
    return {name: form.get(name, "") for name in FORM_TO_JSON}
