"""What a guest's page is told of the door's events: its own party, as GuestUpdate, and nothing else.

Registered with the Broadcaster (`register_guest_view`) at start-up. Each process tells only
the guests whose sockets it holds (`party:<id>` rooms with members here), from the database
after the commit: the event's own party when its guest is watching, and, when a party leaves
the line (seated, left, cancelled, no-show) or comes back to it (a seating undone), every
watching guest still in line, whose place may have moved. One read of the line gives every place.
"""

from sqlalchemy import select

from app.extensions import db, socketio
from app.models import Party
from app.models.event import EventType
from app.models.limits import IN_LINE
from app.realtime import transport
from app.services.guests import places_in_line
from app.shapes.guests import GuestUpdate

GUEST_UPDATE = "guest:update"
PARTY_ROOM_PREFIX = "party:"


def watched_parties() -> set[int]:
    """The parties with a guest's socket in this process."""
    rooms = transport.rooms(socketio.server)
    return {
        int(room.removeprefix(PARTY_ROOM_PREFIX))
        for room, members in rooms.items()
        if isinstance(room, str) and room.startswith(PARTY_ROOM_PREFIX) and members
    }


def line_moved(event: str, message: dict) -> bool:
    """Whether this door event took a party out of the line (so those behind it moved up), or put a
    seated one back (an undone seating: those behind it moved down again)."""
    if event in (EventType.PARTY_SEATED, EventType.PARTY_UNSEATED):
        return True
    return event == EventType.PARTY_UPDATED and message["changes"].get("state", "waiting") not in IN_LINE


def tell_guests(event: str, message: dict) -> list[tuple[int, str, dict]]:
    """(partyId, "guest:update", payload) for each watching guest this event concerns."""
    if "partyId" not in message:  # the rotation's events are the staff's alone
        return []
    watched = watched_parties()
    if not watched:
        return []
    told = set(watched) if line_moved(event, message) else set()
    if message["partyId"] in watched:
        told.add(message["partyId"])
    if not told:
        return []
    rows = db.session.scalars(select(Party).where(Party.id.in_(told)))
    places = places_in_line(told)
    return [(row.id, GUEST_UPDATE, GuestUpdate.of(row, places.get(row.id)).wire()) for row in rows]
