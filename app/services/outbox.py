"""The one way a change reaches the screens: lock, event rows, commit, publish, unlock.

A service writes a change inside `with outbox.change() as change:`, logs each of its
events with `change.record(...)` and names the sockets it ends with `change.end_sockets(...)`.
Leaving the block commits, hands what was committed to the publishers, then releases
the commit-order lock; an exception rolls back and publishes nothing. The realtime side
registers its publisher at start-up (`register_publisher`), so services import nothing
from it.

Event ids follow commit order in every process: the lock (services/commit_order.py) is
taken before the change's first statement and held until its events are published.
A change inside a change joins the outer one, which commits and publishes both.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import g, has_app_context

from app.extensions import db
from app.models import Event
from app.models.event import DOOR
from app.services import commit_order
from app.services.event_log import floors_of
from app.shapes.base import Shape
from app.shapes.events import AT_THE_DOOR, kind_of

log = logging.getLogger(__name__)
_OPEN = "tableside_open_change"


@dataclass(frozen=True)
class Ending:
    """Sockets to close once the change is committed: all of one user's, or one sign-in's."""

    user_id: int | None = None
    sign_in: int | None = None


@dataclass
class Change:
    """What one transaction logged and ended, handed to the publishers after its commit."""

    events: list[dict] = field(default_factory=list)
    endings: list[Ending] = field(default_factory=list)
    # The events logged, written with the change's other rows when it ends (one flush for all).
    logged: list[Event] = field(default_factory=list)

    def record(self, payload: Shape, by: str, old_floor: int | None = None) -> Event:
        """Log one event, built as its shape (app/shapes/events.py), in this change's transaction; it is
        written with the change's other rows when the change ends (its id is known from then) and
        published after the commit."""
        kind = kind_of(payload)
        payload = payload.wire()
        # A party's event is news at the door, not on a floor: every staff screen hears it.
        floor = DOOR if kind in AT_THE_DOOR else payload["floor"]
        event = Event(
            type=kind.value,
            table_id=payload.get("tableId"),
            floor=floor,
            old_floor=old_floor if old_floor != floor else None,
            payload=payload,
            actor=by,
        )
        db.session.add(event)
        self.logged.append(event)
        return event

    def write(self) -> None:
        """Write everything the change holds in one flush, then say each logged event as it is published."""
        db.session.flush()
        self.events += [
            {"event": event.type, "message": event.message(), "floors": floors_of(event)} for event in self.logged
        ]
        self.logged = []

    def end_sockets(self, ending: Ending) -> None:
        """Close these sockets, in every process, once the change is committed."""
        self.endings.append(ending)


Publisher = Callable[[Change], None]
_publishers: list[Publisher] = []


def register_publisher(publish: Publisher) -> None:
    """Have `publish` receive every committed change (registered once at start-up)."""
    if publish not in _publishers:
        _publishers.append(publish)


@contextmanager
def change() -> Iterator[Change]:
    """One change: commit-order lock, the caller's writes, commit, publish, unlock."""
    session = db.session()
    outer = session.info.get(_OPEN)
    if outer is not None:
        yield outer
        return
    engine = session.get_bind()
    commit_order.acquire(engine)
    current = session.info[_OPEN] = Change()
    expiring = session.expire_on_commit
    try:
        yield current
        current.write()
        # What the change wrote stays loaded: the answer is built from it without asking the
        # database again, which may have gone away just after the commit.
        session.expire_on_commit = False
        session.commit()
    except BaseException:
        session.rollback()
        raise
    else:
        if has_app_context():
            g.tableside_saved = True
        _publish(current)
    finally:
        session.expire_on_commit = expiring
        session.info.pop(_OPEN, None)
        commit_order.release(engine)


def saved_in_this_context() -> bool:
    """Whether a change was committed while handling this request or socket event."""
    return has_app_context() and g.get("tableside_saved", False)


def _publish(committed: Change) -> None:
    if not committed.events and not committed.endings:
        return
    for publish in _publishers:
        try:
            publish(committed)
        except Exception:  # noqa: BLE001 - the change is committed; clients catch up by sync
            log.exception("publishing a committed change failed (%d events)", len(committed.events))
