"""the door: parties in line, and the tables they were seated at

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-12 09:00:00

`parties` numbers its rows as every other table does (AUTOINCREMENT on SQLite). A table names
the party seated at it now (`tables.party_id`, added in place with its foreign key inline, as
0003 added `section_id`); `party_tables` keeps every table a party sat at. A party's events are
logged with floor 0, the door's, so the event log needs no change.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# 0002's index on lower(table_number): SQLite cannot reflect an expression index, so a rebuild drops it.
NUMBER_INDEX = "uq_tables_table_number_any_case"


def upgrade():
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quoted_minutes", sa.Integer(), nullable=True),
        sa.Column("quoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("guest_token", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("size BETWEEN 1 AND 99", name="ck_parties_size"),
        sa.CheckConstraint(
            "state IN ('waiting', 'notified', 'seated', 'left', 'cancelled', 'no_show')", name="ck_parties_state"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guest_token"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_parties_state_joined_at", "parties", ["state", "joined_at", "id"], unique=False)
    op.create_index("ix_parties_ended_at", "parties", ["ended_at"], unique=False)
    op.create_table(
        "party_tables",
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("party_id", "table_id"),
    )
    op.create_index("ix_party_tables_table_id", "party_tables", ["table_id"], unique=False)
    op.add_column(
        "tables",
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("parties.id"), nullable=True),
        inline_references=True,
    )
    op.create_index("ix_tables_party_id", "tables", ["party_id"], unique=False)


def downgrade():
    op.drop_index("ix_tables_party_id", table_name="tables")
    if op.get_bind().dialect.name == "sqlite":
        _drop_party_column_on_sqlite()
    else:
        op.drop_column("tables", "party_id")
    op.drop_index("ix_party_tables_table_id", table_name="party_tables")
    op.drop_table("party_tables")
    op.drop_index("ix_parties_ended_at", table_name="parties")
    op.drop_index("ix_parties_state_joined_at", table_name="parties")
    op.drop_table("parties")


def _drop_party_column_on_sqlite() -> None:
    """SQLite drops a column with a foreign key only by rebuilding the table: keep AUTOINCREMENT,
    the id counter (the newest table may have been deleted) and 0002's expression index."""
    bind = op.get_bind()
    counted = bind.execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'tables'")).scalar()
    with op.batch_alter_table("tables", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("party_id")
    if counted is not None:
        bind.execute(
            sa.text("UPDATE sqlite_sequence SET seq = max(seq, :seq) WHERE name = 'tables'"), {"seq": counted}
        )
    op.create_index(NUMBER_INDEX, "tables", [sa.text("lower(table_number)")], unique=True)
