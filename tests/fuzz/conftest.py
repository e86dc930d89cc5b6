"""The API under fuzzing, on SQLite and on PostgreSQL: three tables, the standard staff, a manager's token."""

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import text

from tests.conftest import PASSWORD, STAFF
from tests.support.backing_services import postgres_url
from tests.support.database import app_for, migrate_and_seed

# What the API's requests change; floors and staff stay (a floor's new name or turn time changes no chain).
CHANGING = ("idempotency_records", "events", "tables", "sections")
# The fuzzer sends hundreds of changes a second: the limits are tested elsewhere.
GENEROUS_LIMITS = {"STATUS_RATE_LIMIT": "100000 per second", "LOGIN_RATE_LIMIT": "100000 per second"}


@dataclass
class FuzzedApi:
    """The app under fuzzing and the manager's bearer header that every request carries."""

    app: Flask
    headers: dict[str, str]

    def tables_read_back(self) -> list[int]:
        """Every table still reads back in the list (each one serialized); returns their ids."""
        response = self.app.test_client().get("/api/tables", headers=self.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [table["tableId"] for table in response.get_json()]

    def headers_for(self, case) -> dict[str, str]:
        """The case's headers with the manager's token in place of any the fuzzer made up."""
        made_up = {name: value for name, value in (case.headers or {}).items() if name.lower() != "authorization"}
        return {**made_up, **self.headers}

    def start_over(self) -> None:
        """Back to the three tables and nothing else changed, with ids counted from 1 again.

        Each chain of the stateful phase starts here, so that the same chain meets the same
        answers whenever Hypothesis draws it.
        """
        from app.extensions import db

        with self.app.app_context():
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text(f"TRUNCATE {', '.join(CHANGING)} RESTART IDENTITY CASCADE"))
            else:
                for name in CHANGING:
                    db.session.execute(text(f"DELETE FROM {name}"))
                # AUTOINCREMENT keeps counting past deleted rows; a fresh start counts from 1.
                db.session.execute(text(f"DELETE FROM sqlite_sequence WHERE name IN {CHANGING}"))
            db.session.commit()
        _add_tables(self.app)

    def every_table_reads_back(self) -> None:
        client = self.app.test_client()
        for table_id in self.tables_read_back():
            assert client.get(f"/api/tables/{table_id}", headers=self.headers).status_code == 200


def _add_tables(app: Flask) -> None:
    from app.services.tables import create_table

    with app.app_context():
        for number, floor in (("T-01", 1), ("T-02", 1), ("T-03", 2)):
            create_table({"table_number": number, "floor": floor, "capacity": 4}, by="fixture")


def _bearer(app: Flask) -> dict[str, str]:
    answer = app.test_client().post("/api/auth/token", json={"username": "manager", "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


@pytest.fixture(scope="module")
def postgres_app():
    """An app on PostgreSQL, migrated once for the module with floors 1-3 and the standard staff."""
    from app.extensions import db

    url = postgres_url()
    staff = tuple((name, role, floors) for name, (role, floors) in STAFF.items())
    migrate_and_seed(url, (1, 2, 3), staff, PASSWORD)
    app = app_for(url, PASSWORD_HASH_FAST=True, **GENEROUS_LIMITS)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzzed(request) -> FuzzedApi:
    """Three tables on floors 1-2 with the standard staff, on the database the parameter names."""
    if request.param == "sqlite":
        app = request.getfixturevalue("app")
        app.config.update(GENEROUS_LIMITS)
    else:
        app = request.getfixturevalue("postgres_app")
    fuzzed = FuzzedApi(app, _bearer(app))
    fuzzed.start_over()
    return fuzzed
