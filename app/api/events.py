"""The event log over HTTP, for clients that catch up without a socket."""

from flask import current_app
from flask_login import current_user

from app.api import bp
from app.auth.permissions import check_floor, role_required, visible_floors
from app.openapi import operation
from app.services.event_log import events_after, latest_event_id
from app.shapes.errors import LogGone, error_body
from app.shapes.events import EventsPage, LogEntry
from app.shapes.tables import EventsQuery


@bp.get("/events")
@role_required("viewer")
@operation({200: EventsPage, 409: LogGone}, query=EventsQuery, refusals=(400, 401, 403), tag="events")
def list_events(query: EventsQuery):
    """Events after `after` (oldest first); 409 when the log no longer holds them all."""
    if query.floor is not None:
        check_floor(current_user, query.floor)
    floors = [query.floor] if query.floor is not None else visible_floors(current_user)
    events = events_after(query.after, floors, current_app.config["SYNC_MAX_EVENTS"])
    if events is None:
        message = "Those events are no longer in the log; reload the tables."
        return error_body("gone", message, lastEventId=str(latest_event_id() or 0)), 409
    last = events[-1].event_id if events else str(max(query.after, 0))
    return EventsPage(events=[LogEntry.of(event) for event in events], last_event_id=last).wire()
