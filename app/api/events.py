"""The event log over HTTP, for clients that catch up without a socket."""

from flask import current_app, request
from flask_login import current_user

from app.api import bp
from app.auth.permissions import check_floor, role_required, visible_floors
from app.services.event_log import events_after, latest_event_id
from app.web import whole_number


@bp.get("/events")
@role_required("viewer")
def list_events():
    """Events after `after` (oldest first); 409 when the log no longer holds them all."""
    after = whole_number(request.args.get("after", "0"), "after")
    floor = whole_number(request.args["floor"], "floor") if "floor" in request.args else None
    if floor is not None:
        check_floor(current_user, floor)
    floors = [floor] if floor is not None else visible_floors(current_user)
    events = events_after(after, floors, current_app.config["SYNC_MAX_EVENTS"])
    if events is None:
        return {
            "error": "gone",
            "message": "Those events are no longer in the log; reload the tables.",
            "lastEventId": str(latest_event_id() or 0),
        }, 409
    last = events[-1].event_id if events else str(max(after, 0))
    return {"events": [event.to_dict() for event in events], "lastEventId": last}
