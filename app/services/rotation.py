"""The server rotation: who should get the next party, so no server is double-seated.

A server is a member of staff who looks after at least one section (sections.assignee_id).
Their figures are read from the floor as it is: their tables are the tables of their sections,
"covers now" the covers of those tables that are occupied, and "covers this shift" the sizes of
the parties seated in their sections since the shift started. A party counts once, in the
section of the first table it sat at (`party_tables.position` 0), whichever section that table
is in now.

The shift starts at SHIFT_START_HOUR (default 04:00) of the server's local time, the latest
one past: one rule every screen agrees on, with nothing for a manager to remember to press.

Next up for a party of `size`: among servers not cut who have a free table that fits (available,
capacity >= size) in their sections, the one with the fewest covers this shift, ties broken by
the longest since they were last seated (never seated first), then by name. The table suggested
is their smallest fitting one. A server skipped once is passed over until the next party is
seated anywhere (a skip is spent by any seating after it), unless nobody else fits; a cut
server is never suggested until they are uncut or the next shift starts.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Party, PartyTable, Section, ServerTurn, Table, User
from app.models.time import utcnow
from app.services import outbox
from app.services.errors import Conflict, NotFound
from app.shapes.events import ServerCut, ServerSkipped, ServerTurnChanged, ServerUncut
from app.shapes.rotation import NextUp, Rotation, Server, ServerTable
from app.shapes.staff import initials_of

# Never seated this shift: longest since last seated of all.
_NEVER = datetime.min.replace(tzinfo=UTC)


def shift_started(now: datetime) -> datetime:
    """When the current shift began: the latest SHIFT_START_HOUR:00 of local time at or before `now`."""
    hour = current_app.config.get("SHIFT_START_HOUR", 4)
    local = now.astimezone()
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if start > local:
        start -= timedelta(days=1)
    return start.astimezone(UTC)


@dataclass
class _Figures:
    """One server's figures while they are gathered."""

    user: User
    sections: list[Section]
    tables: list[Table] = field(default_factory=list)
    covers_this_shift: int = 0
    parties_this_shift: int = 0
    last_seated_at: datetime | None = None
    cut: bool = False
    skipped: bool = False

    @property
    def covers_now(self) -> int:
        return sum(table.covers or 0 for table in self.tables if table.status == "occupied")

    def fitting_table(self, size: int) -> Table | None:
        """The smallest free table of theirs that seats `size`."""
        fitting = [table for table in self.tables if table.status == "available" and table.capacity >= size]
        return min(fitting, key=lambda table: (table.capacity, table.table_number), default=None)

    def turn(self) -> tuple:
        """Their place in the rotation: fewest covers, then longest since seated, then name."""
        return (self.covers_this_shift, self.last_seated_at or _NEVER, self.user.username.casefold())

    def shape(self) -> Server:
        return Server(
            user_id=self.user.id,
            name=self.user.username,
            initials=initials_of(self.user.username),
            section_ids=[section.id for section in self.sections],
            tables=[
                ServerTable(
                    table_id=table.id,
                    table_number=table.table_number,
                    status=table.status,
                    capacity=table.capacity,
                    covers=table.covers,
                )
                for table in self.tables
            ],
            covers_now=self.covers_now,
            covers_this_shift=self.covers_this_shift,
            parties_this_shift=self.parties_this_shift,
            last_seated_at=self.last_seated_at,
            cut=self.cut,
            skipped=self.skipped,
        )


def _servers(floors: list[int] | None, start: datetime) -> dict[int, _Figures]:
    """Every server with sections on these floors (None: all), with their figures since `start`."""
    query = select(Section).where(Section.assignee_id.is_not(None)).order_by(Section.id)
    if floors is not None:
        query = query.where(Section.floor.in_(floors))
    servers: dict[int, _Figures] = {}
    server_of: dict[int, _Figures] = {}
    for section in db.session.scalars(query):
        figures = servers.setdefault(section.assignee_id, _Figures(user=section.assignee, sections=[]))
        figures.sections.append(section)
        server_of[section.id] = figures
    if not servers:
        return servers
    tables = select(Table).where(Table.section_id.in_(server_of)).order_by(Table.table_number)
    for table in db.session.scalars(tables):
        server_of[table.section_id].tables.append(table)
    seated = (
        select(Table.section_id, Party.size, PartyTable.seated_at)
        .join(Party, Party.id == PartyTable.party_id)
        .join(Table, Table.id == PartyTable.table_id)
        .where(PartyTable.position == 0, PartyTable.seated_at >= start, Table.section_id.in_(server_of))
    )
    for section_id, size, seated_at in db.session.execute(seated):
        figures = server_of[section_id]
        figures.covers_this_shift += size
        figures.parties_this_shift += 1
        if figures.last_seated_at is None or seated_at > figures.last_seated_at:
            figures.last_seated_at = seated_at
    _mark_turns(servers, start)
    return servers


def _mark_turns(servers: dict[int, _Figures], start: datetime) -> None:
    """Set who is cut this shift, and who is skipped with no party seated since."""
    last_seating = db.session.scalar(select(func.max(PartyTable.seated_at)).where(PartyTable.position == 0))
    for turn in db.session.scalars(select(ServerTurn).where(ServerTurn.user_id.in_(servers))):
        figures = servers[turn.user_id]
        figures.cut = turn.cut_at is not None and _aware(turn.cut_at) >= start
        figures.skipped = (
            not figures.cut
            and turn.skipped_at is not None
            and _aware(turn.skipped_at) >= start
            and (last_seating is None or _aware(turn.skipped_at) > _aware(last_seating))
        )


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _next_up(servers: list[_Figures], size: int) -> NextUp | None:
    """The server whose turn it is among those with a fitting free table, and that table."""
    in_turn = sorted((figures for figures in servers if not figures.cut), key=lambda f: (f.skipped, *f.turn()))
    for figures in in_turn:
        table = figures.fitting_table(size)
        if table is not None:
            return NextUp(
                user_id=figures.user.id,
                name=figures.user.username,
                table_id=table.id,
                table_number=table.table_number,
            )
    return None


def rotation(size: int, floors: list[int] | None, now: datetime | None = None) -> Rotation:
    """The servers of these floors (None: all) in turn for a party of `size`, and who is next up."""
    start = shift_started(now or utcnow())
    servers = sorted(_servers(floors, start).values(), key=lambda f: (f.cut, f.skipped, *f.turn()))
    return Rotation(
        shift_started_at=start,
        size=size,
        servers=[figures.shape() for figures in servers],
        next_up=_next_up(servers, size),
    )


def server(user_id: int, now: datetime | None = None) -> Server:
    """One server's figures (NotFound when they look after no section)."""
    start = shift_started(now or utcnow())
    figures = _servers(None, start).get(user_id)
    if figures is None:
        if db.session.get(User, user_id) is None:
            raise NotFound(f"User {user_id} does not exist.")
        raise NotFound(f"User {user_id} looks after no section this shift.")
    return figures.shape()


def _change_turn(user_id: int, by: str, news: type[ServerTurnChanged], **marks: object) -> Server:
    """Set a server's marks and log the news of it, in one change."""
    with outbox.change() as change:
        now = utcnow()
        current = server(user_id, now)
        if news is ServerSkipped and current.cut:
            raise Conflict(f"{current.name} is cut: uncut them before skipping them.")
        turn = db.session.get(ServerTurn, user_id, with_for_update=True)
        if turn is None:
            turn = ServerTurn(user_id=user_id)
            db.session.add(turn)
        for name, value in marks.items():
            setattr(turn, name, now if value is ... else value)
        turn.updated_by, turn.updated_at = by, now
        db.session.flush()
        after = server(user_id, now)
        change.record(
            news(user_id=user_id, name=after.name, cut=after.cut, skipped=after.skipped, updated_by=by, updated_at=now),
            by,
        )
    return after


def cut_server(user_id: int, by: str) -> Server:
    """No more parties for this server this shift; logs `server:cut`."""
    return _change_turn(user_id, by, ServerCut, cut_at=..., skipped_at=None)


def uncut_server(user_id: int, by: str) -> Server:
    """Put a cut server back in the rotation; logs `server:uncut`."""
    return _change_turn(user_id, by, ServerUncut, cut_at=None)


def skip_server(user_id: int, by: str) -> Server:
    """Pass this server over for the next party only; logs `server:skipped`."""
    return _change_turn(user_id, by, ServerSkipped, skipped_at=...)
