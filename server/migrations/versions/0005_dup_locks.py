"""srv_dup_lock: row locks that order concurrent duplicate checks sharing a key

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('srv_dup_lock',
    sa.Column('bucket', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('bucket')
    )


def downgrade() -> None:
    op.drop_table('srv_dup_lock')
