"""province_code on the big tables; on PostgreSQL they become partitioned by province

srv_entry, srv_entry_version and srv_applied_op get a `province_code` column (the first two digits of
the desa code), filled for existing rows. On PostgreSQL each of the three tables is rebuilt as a
table partitioned BY LIST (province_code), one partition per province of the Kemendagri list and a
DEFAULT partition (rows whose province is unknown, e.g. an applied DELETE of a record never stored),
and the rows are copied over. A partitioned table's primary key must contain the partition key, so
the keys become (record_id, province_code), (id, province_code), (op_id, province_code): record ids
and op ids are client-made UUIDs and a record never changes desa (ingest refuses it), so the old
keys stay unique in practice. SQLite is unchanged apart from the column and one index.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (table, its old primary key column)
BIG = (("srv_entry", "record_id"), ("srv_entry_version", "id"), ("srv_applied_op", "op_id"))


def upgrade() -> None:
    for table, _key in BIG:
        with op.batch_alter_table(table) as b:
            b.add_column(sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False,
                                   server_default=''))
    op.execute("UPDATE srv_entry SET province_code = substr(desa_code, 1, 2)")
    for table in ("srv_entry_version", "srv_applied_op"):
        op.execute(f"UPDATE {table} SET province_code = COALESCE((SELECT substr(e.desa_code, 1, 2) FROM srv_entry e "
                   f"WHERE e.record_id = {table}.record_id), '')")
    with op.batch_alter_table('srv_entry') as b:
        b.create_index('ix_srv_entry_kec_list', ['kecamatan_code', 'desa_code', 'change_seq'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table, key in BIG:
            _partition(table, key)


def _partition(table: str, key: str) -> None:
    from domain import regions

    conn = op.get_bind()
    indexes = sa.inspect(conn).get_indexes(table)
    new = f"{table}_new"
    op.execute(f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS) PARTITION BY LIST (province_code)")
    op.execute(f"ALTER TABLE {new} ADD CONSTRAINT {table}_pkey_p PRIMARY KEY ({key}, province_code)")
    for code in sorted(regions.province_codes()):
        op.execute(f"CREATE TABLE {table}_p{code} PARTITION OF {new} FOR VALUES IN ('{code}')")
    op.execute(f"CREATE TABLE {table}_pdefault PARTITION OF {new} DEFAULT")
    op.execute(f"INSERT INTO {new} SELECT * FROM {table}")
    if key == "id":  # the serial's sequence moves to the new table before the old one is dropped
        op.execute(f"ALTER SEQUENCE {table}_id_seq OWNED BY {new}.id")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {new} RENAME TO {table}")
    op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {table}_pkey_p TO {table}_pkey")
    for ix in indexes:  # on the parent: PostgreSQL creates them on every partition
        cols = ", ".join(ix["column_names"])
        op.execute(f"CREATE INDEX {ix['name']} ON {table} ({cols})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        raise NotImplementedError("un-partitioning is not supported; restore the pre-upgrade backup instead")
    with op.batch_alter_table('srv_entry') as b:
        b.drop_index('ix_srv_entry_kec_list')
    for table, _key in BIG:
        with op.batch_alter_table(table) as b:
            b.drop_column('province_code')
