"""table numbers unique ignoring case

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEX = "uq_tables_table_number_any_case"


def upgrade():
    # An index cannot be built over numbers that already clash; say which ones, so a manager
    # can renumber them, rather than failing with the database's bare message.
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(table_number) FROM tables GROUP BY lower(table_number) HAVING count(*) > 1"
                " ORDER BY lower(table_number)"
            )
        )
        .scalars()
        .all()
    )
    if clashes:
        raise RuntimeError(
            "Table numbers differ only in upper or lower case: "
            + ", ".join(clashes)
            + ". Renumber one of each pair, then run `flask db upgrade` again."
        )
    op.create_index(INDEX, "tables", [sa.text("lower(table_number)")], unique=True)


def downgrade():
    op.drop_index(INDEX, table_name="tables")
