"""The server rotation as clients see it: each server's figures and who is next up for a party."""

from app.models import limits
from app.shapes.base import Query, Shape
from app.shapes.fields import Moment, query_number
from app.shapes.tables import QueryFloor

QuerySize = query_number(limits.PARTY_SIZE, "must be a whole number.", f"must be 1 to {limits.PARTY_SIZE[1]}.")


class RotationQuery(Query):
    """`?size=N&floor=F`: the party to place (1 when left out) and one floor (every floor the user may see)."""

    size: QuerySize = None
    floor: QueryFloor = None


class ServerTable(Shape):
    """One table in a server's sections."""

    table_id: int
    table_number: str
    status: str
    capacity: int
    covers: int | None


class Server(Shape):
    """A member of staff looking after at least one section, with their figures for the shift."""

    user_id: int
    name: str
    initials: str
    section_ids: list[int]
    tables: list[ServerTable]
    covers_now: int
    covers_this_shift: int
    parties_this_shift: int
    last_seated_at: Moment | None
    cut: bool
    skipped: bool


class NextUp(Shape):
    """Who should get the party, and the smallest free table that fits it in their sections."""

    user_id: int
    name: str
    table_id: int
    table_number: str


class Rotation(Shape):
    """`GET /api/rotation`: the servers in their order for the party, and who is next up (null: no fitting table)."""

    shift_started_at: Moment
    size: int
    servers: list[Server]
    next_up: NextUp | None
