"""the guest's page: when a party's guest said they are on their way

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 10:45:00

`parties.on_the_way_at`: set when the guest taps "On my way" on their own page after the host
notified them; cleared when the party is put back to waiting. A plain nullable column, so
SQLite adds and drops it in place (no table rebuild, AUTOINCREMENT untouched).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("parties", sa.Column("on_the_way_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("parties", "on_the_way_at")
