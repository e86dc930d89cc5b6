"""Demo data for a laptop: three floors of a plausible restaurant and one user per role."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Floor, User
from app.models.time import utcnow
from app.services.status import change_status
from app.services.tables import create_table
from app.services.users import create_user

DEMO_USERS = (
    ("manager", "manager-demo", "manager"),
    ("host", "host-demo", "host"),
    ("viewer", "viewer-demo", "viewer"),
)
FLOORS = ((1, "Main dining room"), (2, "Mezzanine"), (3, "Rooftop terrace"))
# (floor, section, prefix, count, capacity, shape, columns)
LAYOUT = (
    (1, "Window", "T", 6, 2, "rect", 6),
    (1, "Centre", "T", 6, 4, "round", 6),
    (2, "Booths", "M", 5, 6, "rect", 5),
    (2, "Lounge", "M", 4, 4, "round", 4),
    (3, "Terrace", "R", 6, 4, "round", 6),
    (3, "Bar rail", "R", 4, 2, "rect", 4),
)


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def seed() -> int:
    """Create the demo floors, tables and users through the service layer; return table count."""
    for number, name in FLOORS:
        db.session.add(Floor(number=number, name=name, sort_order=number))
    db.session.commit()
    counters: dict[str, int] = {}
    made = 0
    for row, (floor, section, prefix, count, capacity, shape, columns) in enumerate(LAYOUT):
        band = row % 2
        for index in range(count):
            counters[prefix] = counters.get(prefix, 0) + 1
            size = 70 if capacity <= 2 else 90 if capacity <= 4 else 120
            create_table(
                {
                    "table_number": f"{prefix}-{counters[prefix]:02d}",
                    "floor": floor,
                    "section": section,
                    "capacity": capacity,
                    "shape": shape,
                    "x": 40 + (index % columns) * 150,
                    "y": 40 + band * 220 + (index // columns) * 140,
                    "width": size if shape == "round" else size + 30,
                    "height": size,
                },
                by="seed",
            )
            made += 1
    _start_of_service(made)
    for username, password, role in DEMO_USERS:
        create_user(username, password, role)
    return made


def _start_of_service(count: int) -> None:
    """Give the demo the look of an evening in progress: some seated, held and out of use."""
    from datetime import timedelta

    for table_id in range(1, count + 1):
        if table_id % 3 == 0:
            change_status(table_id, "occupied", by="seed")
        elif table_id % 7 == 1:
            change_status(
                table_id, "reserved", by="seed", notes="Booked 8pm", reserved_until=utcnow() + timedelta(hours=2)
            )
        elif table_id % 11 == 5:
            change_status(table_id, "maintenance", by="seed", notes="Wobbly leg")
