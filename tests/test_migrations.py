"""The Alembic migrations build the schema the models expect, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import JSON, create_engine, insert, inspect, text
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.exc import IntegrityError

from tests.support.backing_services import postgres_url
from tests.support.database import app_context
from tests.support.live_server import base_env, flask_cli

TABLES = {
    "users", "floors", "retired_floors", "tables", "sections", "events", "event_log_state", "idempotency_records",
    "sign_ins", "parties", "party_tables", "section_presets", "server_turns",
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


# Rows written as a release before 0004 wrote them; JSON through SQLAlchemy's type, which each dialect stores its way.
FLOORS = sa_table("floors", sa_column("number"), sa_column("name"), sa_column("sort_order"))
SECTIONS = sa_table("sections", sa_column("id"), sa_column("floor"), sa_column("name"), sa_column("colour"),
                    sa_column("created_at"))  # fmt: skip
TABLE_ROWS = sa_table(
    "tables", sa_column("id"), *(sa_column(name) for name in (
        "table_number", "floor", "capacity", "status", "shape", "x", "y", "width", "height", "rotation",
        "status_changed_at", "version", "created_at", "updated_at")),
)  # fmt: skip
EVENTS = sa_table("events", sa_column("id"), sa_column("type"), sa_column("table_id"), sa_column("floor"),
                  sa_column("payload", JSON), sa_column("actor"), sa_column("created_at"))  # fmt: skip
BEFORE = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def insert_row(connection, table, **values) -> int:
    """Insert one row and return the id the database gave it."""
    return connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()


def add_table_row(connection, number: str, floor: int) -> int:
    return insert_row(
        connection, TABLE_ROWS, table_number=number, floor=floor, capacity=4, status="available", shape="rect",
        x=0, y=0, width=80, height=80, rotation=0, status_changed_at=BEFORE, version=1, created_at=BEFORE,
        updated_at=BEFORE,
    )  # fmt: skip


def log_event(connection, kind: str, table_id: int | None, floor: int, **payload) -> int:
    body = {"tableId": table_id, "floor": floor, **payload} if table_id else {"floor": floor, **payload}
    return insert_row(
        connection, EVENTS, type=kind, table_id=table_id, floor=floor, payload=body, actor="manager", created_at=BEFORE
    )


def restaurant_before_0004(url: str) -> dict:
    """A database at 0003 as a restaurant left it: floor 3 emptied and deleted after its last table
    and section went, and table T-1 holding an id SQLite had handed out before, to a table now gone."""
    assert flask_cli(base_env(url), "db", "upgrade", "0003").returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(insert(FLOORS), [{"number": n, "name": f"Floor {n}", "sort_order": n} for n in (1, 2, 3)])
        window = insert_row(connection, SECTIONS, floor=1, name="Window", colour="#1f77b4", created_at=BEFORE)
        terrace = insert_row(connection, SECTIONS, floor=3, name="Terrace", colour="#2ca02c", created_at=BEFORE)
        reused = add_table_row(connection, "T-1", 1)
        # The earlier table that had T-1's id, its notes and its deletion, all before T-1 was created.
        log_event(connection, "table:created", reused, 3, tableNumber="T-OLD")
        log_event(connection, "table:status_changed", reused, 3, tableNumber="T-OLD", oldStatus="available",
                  newStatus="occupied", notes="Nut allergy at the old table")  # fmt: skip
        log_event(connection, "table:deleted", reused, 3, tableNumber="T-OLD")
        log_event(connection, "table:created", reused, 1, tableNumber="T-1")
        log_event(connection, "table:status_changed", reused, 1, tableNumber="T-1", oldStatus="available",
                  newStatus="reserved")  # fmt: skip
        last = add_table_row(connection, "T-30", 3)
        log_event(connection, "table:created", last, 3, tableNumber="T-30")
        log_event(connection, "table:deleted", last, 3, tableNumber="T-30")
        connection.execute(text("DELETE FROM tables WHERE id = :id"), {"id": last})
        log_event(connection, "section:deleted", None, 3, sectionId=terrace)
        connection.execute(text("DELETE FROM sections WHERE id = :id"), {"id": terrace})
        connection.execute(text("DELETE FROM floors WHERE number = 3"))
    engine.dispose()
    return {"reused": reused, "last": last, "window": window, "terrace": terrace}


def upgrade_a_restaurant_and_hand_out_ids(url: str) -> None:
    """After `flask db upgrade` every id stays as it was, and no id the log still names is handed out again:
    not the deleted last table's, not the deleted section's; T-1's history starts at its own creation,
    and the deleted floor's number is not given to a new floor."""
    from app.services.errors import Conflict
    from app.services.floors import create_floor
    from app.services.history import table_history

    ids = restaurant_before_0004(url)
    result = flask_cli(base_env(url), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    with engine.begin() as connection:
        kept = connection.execute(text("SELECT id, table_number FROM tables")).all()
        assert [tuple(row) for row in kept] == [(ids["reused"], "T-1")]
        assert connection.execute(text("SELECT id FROM sections")).scalars().all() == [ids["window"]]
        new_table = add_table_row(connection, "T-31", 1)
        new_section = insert_row(connection, SECTIONS, floor=1, name="Bar", colour="#d62728", created_at=BEFORE)
    engine.dispose()
    assert new_table > ids["last"]
    assert new_section > ids["terrace"]
    with app_context(url):
        assert [(entry["event"], entry.get("newStatus")) for entry in table_history(ids["reused"])] == [
            ("table:status_changed", "reserved"),
            ("table:created", None),
        ]
        with pytest.raises(Conflict, match="Floor 3 was deleted"):
            create_floor(3, "New terrace")


def test_upgrading_a_sqlite_restaurant_reuses_no_id(tmp_path):
    """On SQLite, the upgrade rebuilds the numbered tables so that a deleted id never comes back."""
    upgrade_a_restaurant_and_hand_out_ids(f"sqlite:///{tmp_path / 'reused.db'}")


@pytest.mark.postgres
def test_upgrading_a_postgresql_restaurant_reuses_no_id():
    """The same upgrade on PostgreSQL, whose sequences never went back: ids, history and floor numbers."""
    upgrade_a_restaurant_and_hand_out_ids(postgres_url())


def event_ids_continue_past_an_emptied_log(url: str) -> None:
    """Retention emptied the log after event 3: the next event is 4 or later, never 1 again."""
    assert flask_cli(base_env(url), "db", "upgrade", "0003").returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(insert(FLOORS).values(number=1, name="Main", sort_order=1))
        for _ in range(3):
            log_event(connection, "floor:updated", None, 1, changes={"name": "Main"})
        connection.execute(text("INSERT INTO event_log_state (pruned_through) VALUES (3)"))
        connection.execute(text("DELETE FROM events"))
    assert flask_cli(base_env(url), "db", "upgrade").returncode == 0
    with engine.begin() as connection:
        assert log_event(connection, "floor:updated", None, 1, changes={"name": "Main room"}) > 3
    engine.dispose()


def test_sqlite_event_ids_continue_past_an_emptied_log(tmp_path):
    """On SQLite, where an empty table used to start again at 1."""
    event_ids_continue_past_an_emptied_log(f"sqlite:///{tmp_path / 'emptied.db'}")


@pytest.mark.postgres
def test_postgresql_event_ids_continue_past_an_emptied_log():
    """On PostgreSQL too."""
    event_ids_continue_past_an_emptied_log(postgres_url())


def test_every_numbered_sqlite_table_counts_past_deleted_ids(tmp_path):
    """Each model whose id the database hands out is AUTOINCREMENT in the migrated SQLite schema, and
    only those: a new model gets it from the declarative base, and its migration must ask for it too."""
    from app.extensions import db, hands_out_ids

    url = f"sqlite:///{tmp_path / 'schema.db'}"
    assert flask_cli(base_env(url), "db", "upgrade").returncode == 0
    engine = create_engine(url)
    with engine.connect() as connection:
        schema = dict(connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    engine.dispose()
    numbered = {table.name for table in db.metadata.tables.values() if hands_out_ids(tuple(table.columns))}
    assert numbered >= {"users", "sections", "tables", "events"}
    assert {name for name in db.metadata.tables if "AUTOINCREMENT" in schema[name]} == numbered
    assert all(table.dialect_options["sqlite"]["autoincrement"] for table in db.metadata.tables.values()
               if table.name in numbered)  # fmt: skip


@pytest.mark.postgres
def test_every_numbered_postgresql_id_comes_from_a_sequence():
    """On PostgreSQL each such id is drawn from a sequence (serial or identity), which never goes back."""
    from app.extensions import db, hands_out_ids

    url = postgres_url()
    assert flask_cli(base_env(url), "db", "upgrade").returncode == 0
    engine = create_engine(url)
    with engine.connect() as connection:
        for table in db.metadata.tables.values():
            key = next(iter(table.primary_key.columns)).name
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:name, :key)"), {"name": table.name, "key": key}
            )
            assert (sequence.scalar() is not None) == hands_out_ids(tuple(table.columns)), table.name
    engine.dispose()
