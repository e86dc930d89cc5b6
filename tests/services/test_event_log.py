"""Every change writes exactly one event in its own transaction; failed changes write none."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db, socketio
from app.models import Event, Table
from app.models.time import utcnow
from app.realtime.metrics import exposition
from app.services import event_log, outbox
from app.services.errors import Conflict, ValidationError
from app.services.status import change_status, release_expired_holds
from app.services.tables import create_table, delete_table, save_layout, update_table
from app.shapes.events import StatusChanged
from tests.support.metrics import read_metrics


def logged() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.id)))


def new_table(number: str = "T-01", floor: int = 1) -> Table:
    return create_table({"table_number": number, "floor": floor, "capacity": 4}, by="manager")


@pytest.fixture
def delivered(app, monkeypatch) -> list[list[str]]:
    """The event types of each commit the feed hands to this process's broadcaster, from now on."""
    received: list[list[str]] = []
    monkeypatch.setattr(socketio.server.manager, "deliver", lambda items: received.append([i["event"] for i in items]))
    return received


def test_each_operation_logs_one_event_of_its_type(db):
    """Create, edit, status change, layout save and delete each log one event, in order."""
    table = new_table()
    update_table(table.id, {"capacity": 6}, by="manager")
    change_status(table.id, "occupied", by="host")
    save_layout(1, [{"tableId": table.id, "x": 10.0, "y": 20.0}], by="manager")
    delete_table(table.id, by="manager")
    assert [e.type for e in logged()] == [
        "table:created", "table:updated", "table:status_changed", "table:updated", "table:deleted",
    ]  # fmt: skip
    assert [e.actor for e in logged()] == ["manager", "manager", "host", "manager", "manager"]


def test_updated_event_holds_only_the_changed_fields(db):
    """table:updated carries only what changed, plus the new version and time."""
    table = new_table()
    update_table(table.id, {"capacity": 6, "section": None}, by="manager")
    changes = logged()[-1].payload["changes"]
    assert set(changes) == {"capacity", "version", "updatedAt"}
    assert changes["capacity"] == 6 and changes["version"] == 2


def test_moving_a_table_between_floors_is_news_on_both(db):
    """An event for a table moved from floor 1 to 2 is logged for floor 2 and remembers floor 1."""
    table = new_table()
    update_table(table.id, {"floor": 2}, by="manager")
    event = logged()[-1]
    assert (event.floor, event.old_floor) == (2, 1)
    assert [e.id for e in event_log.events_after(0, [1], 100)] == [e.id for e in logged()]


def test_a_failed_change_leaves_no_event_and_no_broadcast(db, delivered):
    """A change whose commit fails rolls back its event and hands nothing to the broadcaster."""
    table = new_table()
    del delivered[:]
    before = len(logged())
    with pytest.raises(Conflict):
        change_status(table.id, "occupied", by="host", expected_status="reserved")
    with pytest.raises(Conflict):
        new_table("T-01", floor=2)
    with pytest.raises(ValidationError):
        new_table("T-09", floor=9)
    assert len(logged()) == before
    assert delivered == []


def test_an_error_after_the_event_is_written_rolls_both_back(db, delivered):
    """If the change fails after its event row is flushed, neither the change nor the event stay or go out."""
    table = new_table()
    del delivered[:]
    before = len(logged())
    with pytest.raises(RuntimeError), outbox.change() as change:
        table.status = "occupied"
        moved = StatusChanged(
            table_id=table.id,
            table_number=table.table_number,
            floor=1,
            old_status="available",
            new_status="occupied",
            updated_by="host",
            updated_at=utcnow(),
        )
        change.record(moved, "host")
        raise RuntimeError("the connection dropped")
    assert len(logged()) == before
    assert db.session.get(Table, table.id).status == "available"
    assert delivered == []


def test_committed_events_are_handed_to_the_broadcaster_once(db, delivered):
    """After commit the broadcaster receives the transaction's events exactly once."""
    table = new_table()
    change_status(table.id, "occupied", by="host")
    assert delivered == [["table:created"], ["table:status_changed"]]


def test_a_failing_publish_leaves_the_change_committed_and_counted(db, monkeypatch):
    """When the feed cannot be published the change stays committed, and the failure is counted."""
    table_id = new_table().id
    failures = _delivery_failures()
    monkeypatch.setattr(socketio.server.manager, "publish_feed", lambda items: 1 / 0)
    change_status(table_id, "occupied", by="host")
    db.session.remove()
    assert db.session.get(Table, table_id).status == "occupied"
    assert logged()[-1].type == "table:status_changed"
    assert _delivery_failures() == failures + 1


def _delivery_failures() -> int:
    return int(read_metrics(exposition().decode())["tableside_event_delivery_failures_total"])


def test_expired_holds_are_released_by_system(db):
    """A reservation whose time has passed goes back to available, by "system", with the note."""
    table = new_table()
    change_status(table.id, "reserved", by="host", reserved_until=utcnow() - timedelta(seconds=1))
    kept = new_table("T-02")
    change_status(kept.id, "reserved", by="host", reserved_until=utcnow() + timedelta(hours=1))
    released = release_expired_holds()
    assert [t.table_id for t in released] == [table.id]
    event = logged()[-1]
    assert event.payload["updatedBy"] == "system"
    assert event.payload["notes"] == "Reservation hold expired"
    assert event.payload["oldStatus"] == "reserved" and event.payload["newStatus"] == "available"
    assert db.session.get(Table, kept.id).status == "reserved"


def test_sync_window_and_retention(db):
    """events_after replays what the log holds, and refuses ids retention has passed or never issued."""
    tables = [new_table(f"T-{n:02d}") for n in range(1, 6)]
    ids = [e.id for e in logged()]
    assert [e.id for e in event_log.events_after(ids[1], None, 100)] == ids[2:]
    assert event_log.events_after(ids[-1] + 10, None, 100) is None
    assert event_log.events_after(ids[0], None, 2) is None
    pruned = event_log.prune_event_log(max_age_hours=24, max_rows=2, history_days=30)
    assert pruned == 3 and event_log.pruned_through() == ids[2]
    assert [e.id for e in logged()] == ids, "rows younger than the history window stay for history"
    assert event_log.events_after(ids[1], None, 100) is None
    assert [e.id for e in event_log.events_after(ids[2], None, 100)] == ids[3:]
    assert len(tables) == 5


def test_event_ids_go_on_after_retention_empties_the_log(db):
    """A quiet month empties the log: the next change still gets an id after the last one a screen saw,
    so that screen's sync replays it instead of taking it for an id from the past."""
    table = new_table()
    seen = logged()[-1].id
    assert event_log.prune_event_log(max_age_hours=0, max_rows=0, history_days=0) == 1
    assert logged() == []
    change_status(table.id, "occupied", by="host")
    [event] = logged()
    assert event.id > seen
    assert [e.id for e in event_log.events_after(seen, None, 100)] == [event.id]
