"""person matcher: index on srv_entry.name_key (how common a name is, counted per check)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 03:00:00

Kept in its own file (issue 14) so that it can be renumbered if another step lands first.
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('srv_entry', schema=None) as batch_op:
        batch_op.create_index('ix_srv_entry_name_key', ['name_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('srv_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_srv_entry_name_key')
