"""A change the database has committed is never answered "nothing was saved" (chaos run, stop 30).

The PostgreSQL-restart chaos test saw a new table answered 503 "nothing was saved" and then
found it in the log: the answer was read back from the database after the commit, and the
database went away in between. The answer is now built from what the change wrote, and a
failure after a commit says the change was saved.
"""

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.extensions import db

NEW_TABLE = {"tableNumber": "C-01", "floor": 1, "capacity": 4}


def statements_after_commit(app, send):
    """Send a request and return the SQL it ran after its change's COMMIT."""
    seen = []

    def on_commit(conn):
        seen.append("COMMIT")

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        response = send()
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "before_cursor_execute", on_statement)
    return response, seen[seen.index("COMMIT") + 1 :] if "COMMIT" in seen else None


def test_a_new_table_is_answered_without_asking_the_database_again(app, manager):
    """Creating a table answers 201 from what was written: no statement runs after the commit."""
    response, after = statements_after_commit(app, lambda: manager.post("/api/tables", json=NEW_TABLE))
    assert response.status_code == 201
    assert response.get_json()["tableNumber"] == "C-01"
    assert after == []


def test_a_status_change_is_answered_without_asking_the_database_again(app, manager, make_table):
    table = make_table(floor=1)
    response, after = statements_after_commit(
        app, lambda: manager.patch(f"/api/tables/{table['tableId']}/status", json={"status": "occupied", "covers": 2})
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "occupied"
    assert after == []


def test_a_database_lost_after_the_commit_is_not_answered_nothing_was_saved(app, manager, monkeypatch):
    """The database goes away between the commit and the answer: the sender is told the change was saved
    (500 saved_unconfirmed), not 503 "nothing was saved", and the table is there."""

    class AnswerReadBack:
        """The route's answer, read from a database that has just gone away."""

        @staticmethod
        def of(table):
            raise OperationalError("SELECT tables", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr("app.api.tables.Table", AnswerReadBack)
    response = manager.post("/api/tables", json=NEW_TABLE)
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"] == "saved_unconfirmed"
    assert "saved" in body["message"] and "nothing was saved" not in body["message"]
    monkeypatch.undo()
    numbers = [table["tableNumber"] for table in manager.get("/api/tables").get_json()]
    assert "C-01" in numbers


def test_a_database_lost_before_the_commit_still_says_nothing_was_saved(app, manager, monkeypatch):
    """The database goes away before anything is written: 503, nothing was saved, no table."""

    def database_gone(number):
        raise OperationalError("SELECT tables", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr("app.services.tables._check_number_free", database_gone)
    response = manager.post("/api/tables", json=NEW_TABLE)
    assert response.status_code == 503
    assert "nothing was saved" in response.get_json()["message"]
    monkeypatch.undo()
    numbers = [table["tableNumber"] for table in manager.get("/api/tables").get_json()]
    assert "C-01" not in numbers
