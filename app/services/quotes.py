"""The wait Tableside suggests to a party joining the line, in whole minutes.

For now the simplest fallback: no wait when a free table fits the party and nobody is in
line before it; otherwise the shortest turn time among the floors with a table that fits
(the turn time is what a seated table is expected to take). Quotes from the floor's own
history replace this body; callers rely only on the signature.
"""

from datetime import datetime

from sqlalchemy import exists, func, select

from app.extensions import db
from app.models import Floor, Party, Table, limits
from app.models.floor import DEFAULT_TURN_MINUTES


def suggest_quote(size: int, at: datetime) -> int:
    """Minutes a party of `size` joining the line at `at` is likely to wait."""
    fits = Table.capacity >= size
    free_table = exists().where(fits, Table.status == "available")
    line_before = exists().where(Party.state.in_(limits.IN_LINE), Party.joined_at <= at)
    if db.session.scalar(select(free_table & ~line_before)):
        return 0
    turn = db.session.scalar(select(func.min(Floor.turn_minutes)).join(Table, Table.floor == Floor.number).where(fits))
    return min(turn or DEFAULT_TURN_MINUTES, limits.QUOTE_MINUTES[1])
