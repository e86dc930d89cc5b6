"""History outlives sync's replay window: pruning retires events from replay and keeps rows for days."""

from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models import Event
from app.models.time import utcnow
from app.realtime.sync import sync_response
from app.services import event_log
from app.services.history import table_history
from app.services.status import change_status
from app.services.tables import create_table


def age_events(ids: list[int], **age) -> None:
    """Pretend these events were logged `age` ago."""
    db.session.execute(update(Event).where(Event.id.in_(ids)).values(created_at=utcnow() - timedelta(**age)))
    db.session.commit()


def test_a_week_old_change_is_history_but_not_replayed(db):
    """After a prune with a 24-hour sync window, a week-old seating is still in the table's history,
    while a client that last saw it gets a snapshot instead of a replay."""
    table = create_table({"table_number": "T-01", "floor": 1, "capacity": 4}, by="manager")
    change_status(table.id, "occupied", by="host", covers=2)
    change_status(table.id, "available", by="host")
    old = list(db.session.scalars(select(Event.id).order_by(Event.id)))
    age_events(old, days=7)
    change_status(table.id, "occupied", by="other-host", covers=5)
    retired = event_log.prune_event_log(max_age_hours=24, max_rows=10_000, history_days=30)
    assert retired == 3 and event_log.pruned_through() == old[-1]
    history = table_history(table.id)
    assert [(entry["by"], entry.get("covers")) for entry in history] == [
        ("other-host", 5), ("host", None), ("host", 2), ("manager", None),
    ]  # fmt: skip
    snapshot = sync_response(str(old[0]), [1])
    assert snapshot["recovered"] is False and snapshot["events"] == []
    assert [t["covers"] for t in snapshot["tables"]] == [5]
    assert sync_response(str(old[-1]), [1])["recovered"] is True


def test_rows_older_than_the_history_window_are_deleted(db):
    """A change 31 days old is gone from the log and the history after the prune; a newer one stays."""
    table = create_table({"table_number": "T-01", "floor": 1, "capacity": 4}, by="manager")
    change_status(table.id, "occupied", by="host")
    old = list(db.session.scalars(select(Event.id).order_by(Event.id)))
    age_events(old, days=31)
    change_status(table.id, "available", by="host")
    event_log.prune_event_log(max_age_hours=24, max_rows=10_000, history_days=30)
    assert [entry["newStatus"] for entry in table_history(table.id)] == ["available"]
    assert db.session.scalar(select(Event.id).where(Event.id.in_(old))) is None


def test_a_shorter_history_setting_is_honoured(db):
    """HISTORY_DAYS=1 lets a prune delete a two-day-old row that 30 days would keep."""
    table = create_table({"table_number": "T-01", "floor": 1, "capacity": 4}, by="manager")
    old = list(db.session.scalars(select(Event.id)))
    age_events(old, days=2)
    change_status(table.id, "occupied", by="host")
    event_log.prune_event_log(max_age_hours=24, max_rows=10_000, history_days=30)
    assert len(table_history(table.id)) == 2
    age_events(old, days=2)
    event_log.prune_event_log(max_age_hours=1, max_rows=0, history_days=1)
    assert [entry["event"] for entry in table_history(table.id)] == ["table:status_changed"]
