"""per-area change feeds instead of the one global change_seq counter

Each desa's entries and each kecamatan's reference rows get their own sequence row, started at the
highest change_seq already in that area: existing change_seq values are kept as they are, and
new values in an area continue above them.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('srv_area_seq',
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('area')
    )
    op.execute("INSERT INTO srv_area_seq (area, value) SELECT 'desa:' || desa_code, MAX(change_seq) "
               "FROM srv_entry GROUP BY desa_code")
    op.execute("INSERT INTO srv_area_seq (area, value) SELECT 'ref:' || kecamatan_code, MAX(change_seq) "
               "FROM srv_reference GROUP BY kecamatan_code")


def downgrade() -> None:
    # The global counter resumes above every value handed out per area.
    op.execute("UPDATE srv_counter SET value = (SELECT COALESCE(MAX(value), 0) FROM srv_area_seq) "
               "WHERE name = 'change_seq'")
    op.drop_table('srv_area_seq')
