"""ids never reused: AUTOINCREMENT on SQLite, earlier lives out of tables' history, retired floor numbers

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09 10:00:00

SQLite without AUTOINCREMENT numbers a new row after the highest id still present, so the
id of the newest deleted table, section or user went to the next one made, with the old
one's history and any change a client still held for it. Each table whose id the database
hands out is rebuilt with AUTOINCREMENT, and its counter starts past every id the event log
still names, so no id a client may hold comes back. PostgreSQL's sequences never went back;
there only the data steps below run.

Where an id was reused before this step, the earlier tables' events are detached from the
id (`events.table_id` cleared, the logged payload kept), so a table's history starts at its
own `table:created`. Floor numbers are chosen by managers: a deleted floor's number is
retired, so a new floor never inherits its staff limits, cached pages or events.
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Tables whose integer id the database hands out (floors are numbered by managers).
NUMBERED = ("users", "sections", "tables", "events", "idempotency_records", "event_log_state")
# 0002's index on lower(table_number): SQLite cannot reflect an expression index, so a rebuild drops it.
NUMBER_INDEX = "uq_tables_table_number_any_case"


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _rebuild(autoincrement: bool) -> None:
    """Rebuild each numbered SQLite table with or without AUTOINCREMENT, rows and ids as they were."""
    with warnings.catch_warnings():
        # Reflection skips the expression index and says so; it is put back just below.
        warnings.filterwarnings("ignore", message=f".*expression-based index {NUMBER_INDEX}")
        for name in NUMBERED:
            with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
                pass
    op.create_index(NUMBER_INDEX, "tables", [sa.text("lower(table_number)")], unique=True)


def _ids_named_in_the_log() -> dict[str, int]:
    """The highest id of each kind the event log (or its pruned mark) still names."""
    bind = op.get_bind()
    highest = {
        "tables": "SELECT max(table_id) FROM events",
        "sections": "SELECT max(CAST(json_extract(payload, '$.sectionId') AS INTEGER)) FROM events",
        "events": "SELECT max(pruned_through) FROM event_log_state",
    }
    return {name: bind.execute(sa.text(query)).scalar() or 0 for name, query in highest.items()}


def _start_counters_past_the_log() -> None:
    """A deleted row's id may be gone from its table but not from the log: never hand it out again."""
    bind = op.get_bind()
    for name, named in _ids_named_in_the_log().items():
        counted = bind.execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": name}).scalar()
        if counted is None:
            bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"), {"name": name, "seq": named})
        elif counted < named:
            bind.execute(sa.text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :name"), {"name": name, "seq": named})


def _detach_earlier_lives() -> None:
    """Events logged under a table id before that table's own `table:created` belong to an earlier table."""
    op.execute(
        "UPDATE events SET table_id = NULL WHERE id IN ("
        " SELECT e.id FROM events e JOIN ("
        "  SELECT table_id, max(id) AS born FROM events WHERE type = 'table:created' GROUP BY table_id"
        " ) created ON created.table_id = e.table_id WHERE e.id < created.born)"
    )


def _retire_floor_numbers() -> None:
    op.create_table(
        "retired_floors",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )
    # Floors deleted before this step are known only by the events logged on them.
    op.execute(
        "INSERT INTO retired_floors (number, retired_at)"
        " SELECT number, CURRENT_TIMESTAMP FROM ("
        "  SELECT floor AS number FROM events UNION SELECT old_floor FROM events WHERE old_floor IS NOT NULL"
        " ) logged WHERE number NOT IN (SELECT number FROM floors)"
    )


def upgrade():
    if _is_sqlite():
        _rebuild(autoincrement=True)
        _start_counters_past_the_log()
    _detach_earlier_lives()
    _retire_floor_numbers()


def downgrade():
    op.drop_table("retired_floors")
    if _is_sqlite():
        _rebuild(autoincrement=False)
