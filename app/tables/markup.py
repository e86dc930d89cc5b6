"""What the table markup (templates/tables/_table.html) needs from the server: the Table's field
names, a table with none of them set for the <template> the page clones, and the attribute names."""

import re

from app.shapes.tables import Table as TableShape
from app.tables import bp

# The fields of a Table as clients read them; the page's store keeps these (the page's facts).
TABLE_FIELDS = TableShape.wire_names()


def blank_table() -> dict:
    """A table with no values: its markup is every slot empty, for the page to fill."""
    return dict.fromkeys(TABLE_FIELDS)


def js_number(value: float) -> str:
    """A number as the page's script writes it (120.0 is "120"), so a style the script sets again reads the same."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


@bp.app_template_filter("js_text")
def js_text(value: object) -> str:
    """A value as the page's script writes it into text or an attribute: none is "", true "true", 120.0 "120"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return js_number(value) if isinstance(value, float) else str(value)


@bp.app_template_filter("kebab")
def kebab(name: str) -> str:
    """A field's name as a data-* attribute's: "tableId" -> "table-id" (as the DOM's dataset names it)."""
    return re.sub(r"[A-Z]", lambda capital: f"-{capital.group(0).lower()}", name)
