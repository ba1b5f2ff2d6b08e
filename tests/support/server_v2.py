"""The last entry-centred server database (tests/fixtures/server_v2.sqlite3) where a test needs it:
a migrated copy on SQLite, or its rows in a PostgreSQL schema as a real server at alembic 0001 held
them (then migrated)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine, select, text

from server import db, migrate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "server_v2.sqlite3"


def sqlite_copy_upgraded(tmp: Path) -> Engine:
    path = tmp / "server.db"
    shutil.copy(FIXTURE, path)
    engine = db.make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    return engine


def postgres_copy_upgraded(url: str) -> Engine:
    """The fixture's rows in a PostgreSQL schema at revision 0001, as a real server at 0001 held them."""
    from alembic import command

    pg = db.make_engine(url)
    cfg = migrate.alembic_config(url)
    with pg.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    # Read-only and without the server's pragmas: make_engine would switch the fixture file to WAL.
    src = create_engine(f"sqlite:///file:{FIXTURE}?mode=ro&uri=true")
    src_md, dst_md = MetaData(), MetaData()
    order = ("srv_user", "srv_token", "srv_device", "srv_counter", "srv_batch", "srv_entry", "srv_entry_version",
             "srv_applied_op", "srv_dup_group", "srv_dup_member", "srv_reference", "srv_import_progress", "srv_audit")
    with src.connect() as s, pg.begin() as d:
        for name in order:
            rows = [dict(r._mapping) for r in s.execute(select(Table(name, src_md, autoload_with=s)))]
            if rows:
                d.execute(Table(name, dst_md, autoload_with=d).insert(), rows)
        for name in ("srv_user", "srv_entry_version", "srv_dup_group", "srv_reference", "srv_audit"):
            d.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
    src.dispose()
    migrate.upgrade(pg)
    return pg
