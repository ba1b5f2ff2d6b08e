"""the public side (issue 16): citizens' reports (usul/sanggah), their photos, the public audit and
the rate-limit counters shared by every worker process

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('srv_public_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('ticket', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('desa_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('srv_public_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_srv_public_audit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_srv_public_audit_ticket'), ['ticket'], unique=False)

    op.create_table('srv_public_rate',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('srv_public_rate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_srv_public_rate_window_start'), ['window_start'], unique=False)

    op.create_table('srv_public_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('nik', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('desa_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('kecamatan_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('reason_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('announcement_ref', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('self_report', sa.Boolean(), nullable=False),
    sa.Column('reporter_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('reporter_phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('outcome_text', sa.Text(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket')
    )
    with op.batch_alter_table('srv_public_report', schema=None) as batch_op:
        batch_op.create_index('ix_srv_public_report_created', ['created_at'], unique=False)
        batch_op.create_index('ix_srv_public_report_desa_seq', ['desa_code', 'change_seq'], unique=False)
        batch_op.create_index('ix_srv_public_report_nik', ['nik'], unique=False)

    op.create_table('srv_public_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['srv_public_report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('srv_public_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_srv_public_photo_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('srv_public_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_srv_public_photo_report_id'))

    op.drop_table('srv_public_photo')
    with op.batch_alter_table('srv_public_report', schema=None) as batch_op:
        batch_op.drop_index('ix_srv_public_report_nik')
        batch_op.drop_index('ix_srv_public_report_desa_seq')
        batch_op.drop_index('ix_srv_public_report_created')

    op.drop_table('srv_public_report')
    with op.batch_alter_table('srv_public_rate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_srv_public_rate_window_start'))

    op.drop_table('srv_public_rate')
    with op.batch_alter_table('srv_public_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_srv_public_audit_ticket'))
        batch_op.drop_index(batch_op.f('ix_srv_public_audit_at'))

    op.drop_table('srv_public_audit')
