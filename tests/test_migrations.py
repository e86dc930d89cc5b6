"""The Alembic migrations build the schema the models expect, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from tests.support.backing_services import postgres_url
from tests.support.live_server import base_env, flask_cli

TABLES = {
    "users", "floors", "tables", "sections", "events", "event_log_state", "idempotency_records", "sign_ins",
    "alembic_version",
}  # fmt: skip


def upgrade_and_inspect(url: str) -> set[str]:
    result = flask_cli(base_env(url), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def assert_no_drift(url: str) -> None:
    """Autogenerate finds nothing between the migrated database and the models."""
    from app import create_app
    from app.config import TestConfig
    from app.extensions import db

    app = create_app(type("DriftConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert diff == []


def test_upgrade_on_a_blank_sqlite_database(tmp_path):
    """`flask db upgrade` on an empty SQLite file creates every table, matching the models."""
    url = f"sqlite:///{tmp_path / 'blank.db'}"
    assert upgrade_and_inspect(url) == TABLES
    assert_no_drift(url)


@pytest.mark.postgres
def test_upgrade_on_a_blank_postgresql_database():
    """`flask db upgrade` on an empty PostgreSQL schema creates every table with its constraints."""
    url = postgres_url()
    assert upgrade_and_inspect(url) == TABLES
    assert_no_drift(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO floors (number, name, sort_order) VALUES (1, 'Main', 1)"))
        with pytest.raises(Exception, match="ck_tables_status"):
            with connection.begin_nested():
                connection.execute(
                    text(
                        "INSERT INTO tables (table_number, floor, capacity, status, shape, x, y, width, height,"
                        " rotation, status_changed_at, version, created_at, updated_at) VALUES ('T-1', 1, 4,"
                        " 'dirty', 'rect', 0, 0, 80, 80, 0, now(), 1, now(), now())"
                    )
                )
    engine.dispose()


def test_postgres_scheme_from_paas_is_accepted(monkeypatch):
    """DATABASE_URL=postgres://... (as PaaS hosts give it) becomes postgresql://."""
    from app.config import _database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5432/tableside")
    assert _database_url() == "postgresql://u:p@db.internal:5432/tableside"


def carry_free_text_sections_through_the_upgrade(url: str) -> None:
    """Tables typed into "Window" on two floors and "Bar" on one end up in three section rows."""
    assert flask_cli(base_env(url), "db", "upgrade", "0001").returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO floors (number, name, sort_order) VALUES (1, 'Main', 1), (2, 'Up', 2)"))
        for number, floor, section in (("T-1", 1, "Window"), ("T-2", 1, "Window"), ("T-3", 1, "Bar"),
                                       ("T-4", 2, "Window"), ("T-5", 2, None)):  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO tables (table_number, floor, section, capacity, status, shape, x, y, width, height,"
                    " rotation, status_changed_at, version, created_at, updated_at) VALUES (:number, :floor,"
                    " :section, 4, 'available', 'rect', 0, 0, 80, 80, 0, :now, 1, :now, :now)"
                ),
                {"number": number, "floor": floor, "section": section, "now": "2026-12-01 18:00:00"},
            )
    assert flask_cli(base_env(url), "db", "upgrade").returncode == 0
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT t.table_number, s.floor, s.name, s.colour FROM tables t"
                " LEFT JOIN sections s ON s.id = t.section_id ORDER BY t.table_number"
            )
        ).all()
        assert connection.execute(text("SELECT count(*) FROM sections")).scalar_one() == 3
        turn = connection.execute(text("SELECT DISTINCT turn_minutes FROM floors")).scalars().all()
    engine.dispose()
    assert [(row[0], row[1], row[2]) for row in rows] == [
        ("T-1", 1, "Window"), ("T-2", 1, "Window"), ("T-3", 1, "Bar"), ("T-4", 2, "Window"), ("T-5", None, None),
    ]  # fmt: skip
    assert all(row[3].startswith("#") and len(row[3]) == 7 for row in rows[:4])
    assert turn == [90]


def test_free_text_sections_become_sections_on_sqlite(tmp_path):
    """Upgrading a SQLite database with typed sections gives each floor's names a section row."""
    carry_free_text_sections_through_the_upgrade(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_free_text_sections_become_sections_on_postgresql():
    """The same upgrade on PostgreSQL."""
    carry_free_text_sections_through_the_upgrade(postgres_url())


def test_downgrade_puts_the_typed_sections_back(tmp_path):
    """Downgrading to 0001 restores each table's section name from its section row."""
    url = f"sqlite:///{tmp_path / 'down.db'}"
    carry_free_text_sections_through_the_upgrade(url)
    result = flask_cli(base_env(url), "db", "downgrade", "0001")
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    with engine.connect() as connection:
        sections = connection.execute(text("SELECT table_number, section FROM tables ORDER BY table_number")).all()
    engine.dispose()
    assert [tuple(row) for row in sections] == [
        ("T-1", "Window"), ("T-2", "Window"), ("T-3", "Bar"), ("T-4", "Window"), ("T-5", None),
    ]  # fmt: skip


def add_table(connection, number: str) -> None:
    """A bare row, as an older release or a hand-written script might have left it."""
    connection.execute(
        text(
            "INSERT INTO tables (table_number, floor, capacity, status, shape, x, y, width, height, rotation,"
            " status_changed_at, version, created_at, updated_at) VALUES (:number, 1, 4, 'available', 'rect',"
            " 0, 0, 80, 80, 0, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"number": number},
    )


def assert_numbers_unique_ignoring_case(url: str) -> None:
    """After `flask db upgrade`, the database itself refuses "t-01" beside "T-01"."""
    assert flask_cli(base_env(url), "db", "upgrade").returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO floors (number, name, sort_order) VALUES (1, 'Main', 1)"))
        add_table(connection, "T-01")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        add_table(connection, "t-01")
    with engine.begin() as connection:
        add_table(connection, "T-011")
        assert connection.execute(text("SELECT count(*) FROM tables")).scalar() == 2
    engine.dispose()


def test_sqlite_refuses_a_table_number_differing_only_in_case(tmp_path):
    """On SQLite the unique index on lower(table_number) refuses a second T-01 in lower case."""
    assert_numbers_unique_ignoring_case(f"sqlite:///{tmp_path / 'case.db'}")


@pytest.mark.postgres
def test_postgresql_refuses_a_table_number_differing_only_in_case():
    """On PostgreSQL the same index refuses it too."""
    assert_numbers_unique_ignoring_case(postgres_url())


def test_upgrade_names_numbers_that_already_clash(tmp_path):
    """A database holding T-01 and t-01 is not half-upgraded: the step stops and names the pair."""
    url = f"sqlite:///{tmp_path / 'clash.db'}"
    env = base_env(url)
    assert flask_cli(env, "db", "upgrade", "0001").returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO floors (number, name, sort_order) VALUES (1, 'Main', 1)"))
        add_table(connection, "T-01")
        add_table(connection, "t-01")
    result = flask_cli(env, "db", "upgrade")
    assert result.returncode != 0
    assert "Table numbers differ only in upper or lower case: t-01." in result.stderr
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    engine.dispose()
