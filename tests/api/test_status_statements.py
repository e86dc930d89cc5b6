"""What one status change costs the database: the statements a user-visible change needs, and no more (issue 24)."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.services.sections import assign_section, create_section
from app.services.tables import create_table
from tests.conftest import StaffClient

# A change over JSON, its lock aside (PostgreSQL's advisory lock and unlock run on a connection
# of their own, two statements, SQLite has none), needs:
#   1 the signed-in user (flask-login loads them for every request)
#   2 the table, its section and the section's assignee, locked for the change (one SELECT)
#   3 the table's new status (UPDATE)
#   4 its event (INSERT)
# Seating a walk-in adds its party (INSERT) and the party's table (INSERT); clearing a seated
# table adds the party's record of when the table was cleared (UPDATE) and the party's other
# tables, cleared with it (one SELECT; each other table then costs a change of its own). Nothing
# is read twice, nothing is read after the commit.
PLAIN = 4
SEATING_A_WALK_IN = PLAIN + 2
CLEARING = PLAIN + 2
LOCK = {"sqlite": 0, "postgresql": 2}


@contextmanager
def statements(app):
    """The SQL the app sends while the block runs (the transaction's BEGIN and COMMIT are not statements)."""
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def served_table(either_app):
    """A table on floor 1 in a section the manager looks after, and a host signed in."""
    with either_app.app_context():
        section = create_section(1, {"name": "Window"}, by="fixture")
        manager_id = db.session.execute(db.text("SELECT id FROM users WHERE username = 'manager'")).scalar_one()
        assign_section(section.id, manager_id, by="fixture")
        table = create_table(
            {"table_number": "S-01", "floor": 1, "capacity": 4, "section_id": section.id}, by="fixture"
        )
        table_id, dialect = table.id, db.engine.dialect.name
    return either_app, StaffClient(either_app.test_client(), "host"), table_id, dialect


def change(app, host, table_id: int, body: dict) -> tuple[dict, list[str]]:
    with statements(app) as seen:
        response = host.patch(f"/api/tables/{table_id}/status", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json(), seen


def test_a_status_change_reads_its_table_once_and_nothing_after_the_commit(served_table):
    """Seating a walk-in, a note, clearing the table and a plain seating each cost only the statements they need."""
    app, host, table_id, dialect = served_table
    lock = LOCK[dialect]

    seated, seen = change(app, host, table_id, {"status": "occupied", "covers": 3})
    assert (seated["status"], seated["covers"], seated["section"]) == ("occupied", 3, "Window")
    assert seated["assignee"]["username"] == "manager" and seated["partyId"] is not None
    assert len(seen) <= SEATING_A_WALK_IN + lock, "\n".join(seen)

    noted, seen = change(app, host, table_id, {"status": "occupied", "notes": "birthday"})
    assert (noted["notes"], noted["partyId"], noted["version"]) == ("birthday", seated["partyId"], 3)
    assert len(seen) <= PLAIN + lock, "\n".join(seen)

    cleared, seen = change(app, host, table_id, {"status": "available", "expectedStatus": "occupied"})
    assert (cleared["status"], cleared["partyId"], cleared["covers"]) == ("available", None, None)
    assert cleared["assignee"]["username"] == "manager"
    assert len(seen) <= CLEARING + lock, "\n".join(seen)

    # What bench/write_throughput.py sends: occupied without covers, no party to seat or clear.
    taken, seen = change(app, host, table_id, {"status": "occupied", "critical": False})
    assert (taken["status"], taken["covers"], taken["partyId"], taken["section"]) == ("occupied", None, None, "Window")
    assert len(seen) <= PLAIN + lock, "\n".join(seen)


def test_a_change_tapped_offline_costs_no_more(served_table):
    """The tap time is checked against the table already read: a queued seating needs nothing more."""
    app, host, table_id, dialect = served_table
    tapped = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    seated, seen = change(app, host, table_id, {"status": "occupied", "covers": 2, "tappedAt": tapped})
    assert seated["partyId"] is not None
    assert len(seen) <= SEATING_A_WALK_IN + LOCK[dialect], "\n".join(seen)
