"""sections on the plan: a shift's sections saved as a named preset, loaded in one tap

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 11:20:00

`section_presets` keeps a floor's sections (name, colour, who looks after each, its tables) under
a name such as "Friday dinner, 5 servers". Its ids are handed out as every other table's are
(AUTOINCREMENT on SQLite); a floor's presets go with the floor.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "section_presets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("saved_by", sa.String(length=80), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["floor"], ["floors.number"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("floor", "name", name="uq_section_presets_floor_name"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_section_presets_floor", "section_presets", ["floor"], unique=False)


def downgrade():
    op.drop_index("ix_section_presets_floor", table_name="section_presets")
    op.drop_table("section_presets")
