"""A floor of the restaurant: the unit a floor plan shows and a room broadcasts to."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Floor(db.Model):
    __tablename__ = "floors"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def to_dict(self, table_count: int = 0) -> dict:
        """The floor as the API shows it."""
        return {"floor": self.number, "name": self.name, "sortOrder": self.sort_order, "tableCount": table_count}
