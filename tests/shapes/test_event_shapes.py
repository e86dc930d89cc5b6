"""Every event is declared once, and a payload with an undeclared or a missing field fails where it is built."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from app.models.event import EventType
from app.shapes import events

NOW = datetime(2026, 5, 1, 18, 30, 0, 123000, tzinfo=UTC)
STATUS = {
    "table_id": 4,
    "table_number": "T-04",
    "floor": 1,
    "old_status": "available",
    "new_status": "occupied",
    "updated_by": "host",
    "updated_at": NOW,
}


def test_every_logged_kind_has_a_shape_and_a_message():
    """Each kind the log records has the shape services build and the message clients receive."""
    assert set(events.LOGGED) == {kind.value for kind in EventType}
    assert set(events.MESSAGES) <= set(events.SERVER_EVENTS)
    for name, message in events.MESSAGES.items():
        assert "event_id" in message.model_fields, name
        assert set(events.LOGGED[name].model_fields) < set(message.model_fields), name


def test_an_undeclared_field_fails_at_construction():
    """A payload carrying a field its event does not declare is refused when it is built."""
    with pytest.raises(ValidationError, match="extra_forbidden"):
        events.StatusChanged(**STATUS, party_name="Lopez")


def test_a_missing_field_fails_at_construction():
    """A payload without one of its event's required fields is refused when it is built."""
    without_new_status = {name: value for name, value in STATUS.items() if name != "new_status"}
    with pytest.raises(ValidationError, match="newStatus"):
        events.StatusChanged(**without_new_status)


def test_a_payload_goes_out_in_camel_case_with_only_what_was_given():
    """Optional fields appear only when the change set them, null included; times in UTC with a Z."""
    cleared = events.StatusChanged(**STATUS, notes=None).wire()
    assert cleared == {
        "tableId": 4,
        "tableNumber": "T-04",
        "floor": 1,
        "oldStatus": "available",
        "newStatus": "occupied",
        "updatedBy": "host",
        "updatedAt": "2026-05-01T18:30:00.123Z",
        "notes": None,
    }
    assert "notes" not in events.StatusChanged(**STATUS).wire()


def test_a_message_is_its_recorded_payload_with_the_event_id_first():
    """What a client receives for a logged event is the payload as recorded, after its eventId."""
    recorded = events.StatusChanged(**STATUS, covers=3).wire()
    message = events.MESSAGES["table:status_changed"].of("17", recorded).wire()
    assert list(message)[0] == "eventId"
    assert message == {"eventId": "17", **recorded}


def test_a_batch_item_is_a_status_message_with_its_status():
    """A batch item repeats the new status as `status`, and keeps only what the change carried."""
    message = {"eventId": "9", **events.StatusChanged(**STATUS).wire()}
    (item,) = events.BatchUpdate([events.BatchItem.of(message)]).wire()
    assert item == {**message, "status": "occupied"}


def test_an_acknowledgement_must_say_whether_it_was_accepted():
    """An ack without `ok`, or a refusal claiming ok, fails at construction."""
    with pytest.raises(ValidationError):
        events.Joined(room="floor:1", last_event_id=None)
    with pytest.raises(ValidationError):
        events.Refusal(ok=True, error="forbidden", message="No.")
    assert events.Joined(ok=True, room="floor:1", last_event_id="3").wire() == {
        "ok": True,
        "room": "floor:1",
        "lastEventId": "3",
    }
