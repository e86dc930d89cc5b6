"""Demo data for a laptop: three floors of a plausible restaurant and one user per role."""

from datetime import timedelta

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Event, Floor, Party, PartyTable, Table, User
from app.models.time import utcnow
from app.services import outbox
from app.services.floors import update_floor
from app.services.parties import add_party, change_party
from app.services.sections import assign_section, sections_on
from app.services.status import change_status
from app.services.tables import create_table
from app.services.users import create_user

DEMO_USERS = (
    ("manager", "manager-demo", "manager"),
    ("host", "host-demo", "host"),
    ("maria.lopez", "maria-demo", "host"),
    ("sam.okafor", "sam-demo", "host"),
    ("viewer", "viewer-demo", "viewer"),
)
# Who looks after which section tonight (floor, section, username); the Lounge has nobody yet.
SHIFT = (
    (1, "Window", "host"),
    (1, "Centre", "maria.lopez"),
    (2, "Booths", "sam.okafor"),
    (3, "Terrace", "maria.lopez"),
)
# The line at the door when the demo opens: (size, name, tags, notified).
AT_THE_DOOR = (
    (2, "Garcia", ["vip"], True),
    (5, "Chen", ["birthday", "high_chair"], False),
    (3, None, [], False),
)
# Parties already seated when the demo opens: (table number, covers, minutes seated). T-03 has
# sat past the main room's 90-minute turn; R-01 past the terrace's 60.
SEATED = (
    ("T-03", 2, 105),
    ("T-06", 2, 35),
    ("T-09", 4, 62),
    ("T-12", 3, 12),
    ("M-03", 6, 48),
    ("M-06", 5, 20),
    ("M-09", 4, 80),
    ("R-01", 4, 71),
    ("R-05", 3, 8),
    ("R-08", 2, 25),
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
    with outbox.change():
        for number, name in FLOORS:
            db.session.add(Floor(number=number, name=name, sort_order=number))
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
    for username, password, role in DEMO_USERS:
        create_user(username, password, role)
    _start_of_service(made)
    return made


def _start_of_service(count: int) -> None:
    """Give the demo the look of an evening in progress: parties seated for a while, holds, assignees."""
    update_floor(3, {"turn_minutes": 60}, by="seed")
    numbers = dict(db.session.execute(select(Table.table_number, Table.id)).all())
    seated = {numbers[number] for number, _, _ in SEATED}
    for number, covers, minutes in SEATED:
        change_status(numbers[number], "occupied", by="seed", covers=covers)
        _seated_ago(numbers[number], minutes)
    change_status(
        numbers["T-02"], "reserved", by="seed", notes="Okafor, 4, 8pm", reserved_until=utcnow() + timedelta(minutes=25)
    )
    for table_id in range(1, count + 1):
        if table_id in seated or table_id == numbers["T-02"]:
            continue
        if table_id % 7 == 1:
            change_status(
                table_id, "reserved", by="seed", notes="Booked 9pm", reserved_until=utcnow() + timedelta(hours=2)
            )
        elif table_id % 11 == 5:
            change_status(table_id, "maintenance", by="seed", notes="Wobbly leg")
    users = dict(db.session.execute(select(User.username, User.id)).all())
    sections = {(section.floor, section.name): section.id for section in sections_on(None)}
    for floor, name, username in SHIFT:
        assign_section(sections[(floor, name)], users[username], by="seed")
    for size, name, tags, notified in AT_THE_DOOR:
        party = add_party({"size": size, "name": name, "tags": tags}, by="seed")
        if notified:
            change_party(party.id, {}, by="seed", state="notified")


def _seated_ago(table_id: int, minutes: int) -> None:
    """Move a seating back in time, on the table, its party and its logged event, as if it happened then."""
    then = utcnow() - timedelta(minutes=minutes)
    with outbox.change():
        db.session.execute(update(Table).where(Table.id == table_id).values(status_changed_at=then))
        party_id = db.session.scalar(select(Table.party_id).where(Table.id == table_id))
        db.session.execute(
            update(Party).where(Party.id == party_id).values(joined_at=then, seated_at=then, ended_at=then)
        )
        db.session.execute(update(PartyTable).where(PartyTable.party_id == party_id).values(seated_at=then))
        latest = db.session.scalar(select(func.max(Event.id)).where(Event.table_id == table_id))
        db.session.execute(update(Event).where(Event.id == latest).values(created_at=then))
