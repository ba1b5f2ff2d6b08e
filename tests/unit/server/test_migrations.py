"""alembic `upgrade head` builds exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from server import db, migrate
from server.metadata import include_name, server_metadata
from tests.support.pg import fresh_schema_url


def _diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": include_name})  # partitions are not models
        return list(compare_metadata(ctx, server_metadata()))


def test_sqlite_upgrade_head_matches_models(tmp_path: Path) -> None:
    import local_db.models  # noqa: F401  (the desktop tables share SQLModel.metadata; they must not leak in)

    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate.upgrade(engine)
    migrate.upgrade(engine)  # idempotent
    assert "srv_entry" in inspect(engine).get_table_names()
    assert _diff(engine) == []
    engine.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_head_matches_models() -> None:
    with fresh_schema_url() as url:
        engine = db.make_engine(url)
        migrate.upgrade(engine)
        assert _diff(engine) == []
        engine.dispose()
