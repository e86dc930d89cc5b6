"""service on the floor: covers, turn time, sections with assignees, history index

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:00:00

SQLite cannot add a CHECK or a foreign key to an existing table except inline with a new
column, and rebuilding `tables` (batch mode) would drop indexes it cannot reflect, such as
an expression index. So on SQLite the columns are added in place, foreign keys inline, and
the two new CHECKs exist on PostgreSQL only; the services validate both everywhere.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Colours handed to sections made from the free-text section names tables had.
PALETTE = ('#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf')


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['floor'], ['floors.number'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('floor', 'name', name='uq_sections_floor_name')
    )
    op.create_index('ix_sections_floor', 'sections', ['floor'], unique=False)

    op.add_column('floors', sa.Column('turn_minutes', sa.Integer(), server_default='90', nullable=False))
    op.add_column('tables', sa.Column('covers', sa.Integer(), nullable=True))
    op.add_column(
        'tables',
        sa.Column('section_id', sa.Integer(), sa.ForeignKey('sections.id'), nullable=True),
        inline_references=True,
    )
    op.create_index('ix_tables_section_id', 'tables', ['section_id'], unique=False)
    if _is_postgresql():
        op.create_check_constraint('ck_tables_covers', 'tables', 'covers BETWEEN 1 AND 99')
        op.create_check_constraint('ck_floors_turn_minutes', 'floors', 'turn_minutes BETWEEN 5 AND 600')

    _sections_from_free_text()
    op.drop_column('tables', 'section')

    op.drop_index('ix_events_table_id', table_name='events')
    op.create_index('ix_events_table_id_id', 'events', ['table_id', 'id'], unique=False)


def _sections_from_free_text():
    """Each distinct (floor, section name) tables carried becomes a section row they point at."""
    bind = op.get_bind()
    pairs = bind.execute(
        sa.text('SELECT DISTINCT floor, section FROM tables WHERE section IS NOT NULL ORDER BY floor, section')
    ).all()
    for index, (floor, name) in enumerate(pairs):
        section_id = bind.execute(
            sa.text(
                'INSERT INTO sections (floor, name, colour, created_at) '
                'VALUES (:floor, :name, :colour, CURRENT_TIMESTAMP) RETURNING id'
            ),
            {'floor': floor, 'name': name[:80], 'colour': PALETTE[index % len(PALETTE)]},
        ).scalar_one()
        bind.execute(
            sa.text('UPDATE tables SET section_id = :id WHERE floor = :floor AND section = :name'),
            {'id': section_id, 'floor': floor, 'name': name},
        )


def downgrade():
    op.drop_index('ix_events_table_id_id', table_name='events')
    op.create_index('ix_events_table_id', 'events', ['table_id'], unique=False)
    op.add_column('tables', sa.Column('section', sa.String(length=80), nullable=True))
    op.execute('UPDATE tables SET section = (SELECT name FROM sections WHERE sections.id = tables.section_id)')
    op.drop_index('ix_tables_section_id', table_name='tables')
    if _is_postgresql():
        op.drop_constraint('ck_floors_turn_minutes', 'floors', type_='check')
        op.drop_constraint('ck_tables_covers', 'tables', type_='check')
        op.drop_column('tables', 'section_id')
    else:
        # SQLite will not drop a column that carries a foreign key except by a rebuild.
        with op.batch_alter_table('tables') as batch_op:
            batch_op.drop_column('section_id')
        # The rebuild loses expression indexes (SQLite cannot reflect them): put back 0002's.
        op.create_index('uq_tables_table_number_any_case', 'tables', [sa.text('lower(table_number)')], unique=True)
    op.drop_column('tables', 'covers')
    op.drop_column('floors', 'turn_minutes')
    op.drop_index('ix_sections_floor', table_name='sections')
    op.drop_table('sections')
