"""Loading one row by its id for a service: locked for the change when asked, or refused as not found."""

from typing import TypeVar

from sqlalchemy import select

from app.extensions import db
from app.services.errors import NotFound

M = TypeVar("M")


def row_or_missing(model: type[M], row_id: int, missing: str, *, for_update: bool = False) -> M:
    """The `model` row with this id (locked until the change commits when `for_update`), or NotFound(missing)."""
    query = select(model).where(model.id == row_id)
    if for_update:
        query = query.with_for_update()
    row = db.session.scalar(query)
    if row is None:
        raise NotFound(missing)
    return row
