"""When a change happened: the moment it was tapped, for a change that waited in an offline queue.

A queued change carries `tappedAt`. It is the change's time when it is within the offline window
(OFFLINE_WINDOW_SECONDS), clamped to the table's previous change (the log stays in order) and to
now (nothing happens in the future); older than the window, or not given, the change happens now.
"""

from datetime import datetime, timedelta

from flask import current_app

from app.models.time import as_utc


def change_time(tapped_at: datetime | None, previous: datetime | None, now: datetime) -> datetime:
    """The time to record for a change tapped at `tapped_at` on a table last changed at `previous`."""
    if tapped_at is None:
        return now
    window = timedelta(seconds=current_app.config["OFFLINE_WINDOW_SECONDS"])
    if tapped_at < now - window:
        return now
    if previous is not None:
        tapped_at = max(tapped_at, as_utc(previous))
    return min(tapped_at, now)
