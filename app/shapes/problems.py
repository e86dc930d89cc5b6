"""Pydantic's refusals in the words people read: the one place error types become messages.

A value's own kind raises its message (app/shapes/fields.py `refused`); what pydantic finds
by itself (a field left out, a field not declared, something that is not an object) is
named here. Fields are named by their JSON path, as clients sent them: `notes`, `tables.0.x`.
"""

from pydantic import ValidationError

MESSAGES = {
    "missing": "This field is required.",
    "extra_forbidden": "Unknown field.",
    "model_type": "Expected a JSON object.",
    "model_attributes_type": "Expected a JSON object.",
    "dict_type": "Expected a JSON object.",
    "list_type": "Expected a list.",
}


def problems_of(error: ValidationError) -> tuple[str | None, dict[str, str]]:
    """What is wrong with the body as a whole (or None), and the first problem of each field."""
    whole: str | None = None
    fields: dict[str, str] = {}
    for problem in error.errors(include_url=False, include_context=False, include_input=False):
        words = MESSAGES.get(problem["type"], problem["msg"])
        path = ".".join(str(step) for step in problem["loc"])
        if path:
            fields.setdefault(path, words)
        else:
            whole = whole or words
    return whole, fields
