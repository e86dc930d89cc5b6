"""Hypothesis throws arbitrary payloads at the socket events and arbitrary fields at the service layer."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db, socketio
from app.models import Table
from app.services.errors import ServiceError
from app.services.tables import create_table, get_table, update_table
from app.services.validation import clean_status_change, clean_table_fields
from app.shapes.events import CLIENT_EVENTS
from app.shapes.tables import Table as TableShape
from tests.support.hostile import edge_date_times, holds_unstorable, unstorable_text

# Text and dates include what once made the server fail: NULs, lone surrogates, the calendar's ends.
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    scalars | unstorable_text() | edge_date_times(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
payloads = json_values | st.dictionaries(
    st.sampled_from(["floor", "lastEventId", "tableId", "status", "extra"]), json_values, max_size=3
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def test_socket_events_answer_every_payload_without_failing(app, as_staff):
    """Every client event (join, leave, sync, presence) answers any payload with {ok: ...}, never an internal
    error, and the socket stays connected."""
    app.config["SOCKET_RATE_LIMIT"] = app.config["PRESENCE_RATE_LIMIT"] = "100000 per second"
    staff = as_staff("host")
    socket = socketio.test_client(app, flask_test_client=staff.client)
    assert socket.is_connected()
    answers = []

    @given(event=st.sampled_from(sorted(CLIENT_EVENTS)), payload=payloads)
    @FUZZ
    def send(event, payload):
        ack = socket.emit(event, payload, callback=True)
        answers.append(ack)
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool)
        assert ack.get("error") != "internal_error"
        if not ack["ok"]:
            assert ack["error"] and ack["message"]

    send()
    assert socket.is_connected()
    assert any(a["ok"] for a in answers) and any(not a["ok"] for a in answers)


table_fields = st.dictionaries(
    st.sampled_from(
        ["tableNumber", "floor", "section", "capacity", "status", "shape", "x", "y", "width", "height",
         "rotation", "notes", "reservedUntil", "bogus"]
    ),
    json_values,
    max_size=6,
)  # fmt: skip


@pytest.fixture
def either_db(either_app):
    """The database session inside an app context, on SQLite and on PostgreSQL."""
    with either_app.app_context():
        yield db


def test_table_edits_either_apply_cleanly_or_change_nothing(either_db):
    """Arbitrary edits through validation and the service either pass and read back, or are refused untouched."""
    table = create_table({"table_number": "F-1", "floor": 1, "capacity": 4}, by="fuzz")

    @given(fields=table_fields)
    @FUZZ
    def edit(fields):
        before = TableShape.of(get_table(table.id)).wire()
        try:
            update_table(table.id, clean_table_fields(fields, creating=False), by="fuzz")
        except ServiceError:
            either_db.session.rollback()
            assert TableShape.of(get_table(table.id)).wire() == before
            return
        after = TableShape.of(get_table(table.id)).wire()
        assert 1 <= after["capacity"] <= 50 and after["status"] in ("available", "occupied", "reserved", "maintenance")
        assert after["version"] >= before["version"]
        assert not holds_unstorable(after), after

    edit()
    assert len(either_db.session.scalars(select(Table)).all()) == 1


@given(body=json_values | table_fields)
@FUZZ
def test_status_bodies_are_validated_or_refused(body):
    """clean_status_change accepts a valid body or raises a ServiceError naming fields: nothing else."""
    try:
        cleaned = clean_status_change(body)
    except ServiceError as error:
        assert error.status_code == 422
        return
    assert cleaned["status"] in ("available", "occupied", "reserved", "maintenance")
