"""sign-ins kept on the server, so that signing out ends one

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 09:00:00

Every browser sign-in becomes a row; the session and remember cookies name it. Sessions
signed in before this revision name none and are refused: each device signs in once more.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('previous_key_hash', sa.String(length=64), nullable=True),
    sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    op.create_index('ix_sign_ins_user_id', 'sign_ins', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_sign_ins_user_id', table_name='sign_ins')
    op.drop_table('sign_ins')
