"""Telling each room its newest event id, so a client that missed a broadcast notices.

Pub/sub drops messages while a subscriber is away; the event log does not. A client that
sees a head newer than the last event it applied asks `tables:sync` for the rest.
"""

import logging

from flask import Flask

from app.extensions import db, socketio
from app.realtime import transport
from app.realtime.rooms import ALL_TABLES
from app.services.event_log import latest_event_id
from app.shapes.events import RoomHead

log = logging.getLogger(__name__)


def local_rooms() -> list[str]:
    """The floor rooms and all_tables that have members in this process."""
    rooms = transport.rooms(socketio.server)
    return [room for room in rooms if isinstance(room, str) and (room.startswith("floor:") or room == ALL_TABLES)]


def announce_heads(app: Flask) -> None:
    """Send `tables:head {room, lastEventId}` to this process's members of each room."""
    with app.app_context():
        for room in local_rooms():
            floors = None if room == ALL_TABLES else [int(room.split(":")[1])]
            head = latest_event_id(floors)
            told = RoomHead(room=room, last_event_id=str(head) if head else None).wire()
            transport.emit(socketio.server, "tables:head", told, room)
        db.session.remove()
