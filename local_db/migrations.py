"""Schema migrations of the local store, keyed by `PRAGMA user_version` (ADR 0001).

Each step moves the file from version N-1 to N inside one transaction that also sets
user_version, so a crash mid-step leaves the previous version intact. Before migrating a file that
already has a schema, a copy is taken with the SQLite backup API; a failed step restores that copy
and raises MigrationFailed (Indonesian message for the operator).

Adding a schema change: append a `Migration(N, "what", fn)` and bump nothing else —
SCHEMA_VERSION is the last step's number. Never edit a released step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, Table

from local_db import models
from local_db.engine import StoreError, backup_database, db_path_of, restore_database

log = logging.getLogger(__name__)


class MigrationFailed(StoreError):
    """The store could not be brought to this app's schema; the file was left as it was."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def local_tables() -> list[Table]:
    """The desktop app's tables only (SQLModel.metadata may also hold other packages' tables)."""
    tables = [
        models.Household, models.Entry, models.Outbox, models.Batch, models.AuditLog,
        models.ReferenceRecipient, models.Meta,
    ]
    return [t.__table__ for t in tables]  # type: ignore[attr-defined]


def _v1_initial(conn: Connection) -> None:
    # Pre-release, step 1 is the schema of local_db/models.py as it stands. At the first release
    # it gets frozen as literal DDL; from then on every model change is a new step (ADR 0001).
    for table in local_tables():
        table.create(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1_initial),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def user_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def _has_tables(conn: Connection) -> bool:
    n = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").scalar_one()
    return int(n) > 0


def migrate(engine: Engine, *, backup_dir: Path, steps: Sequence[Migration] | None = None) -> Path | None:
    """Bring the store to the newest version; return the backup path if one was taken."""
    steps = tuple(MIGRATIONS if steps is None else steps)
    target = steps[-1].version if steps else 0
    with engine.connect() as conn:
        current = user_version(conn)
        has_tables = _has_tables(conn)
    if current > target:
        raise MigrationFailed(
            f"Basis data lokal dibuat oleh versi aplikasi yang lebih baru (skema {current}, aplikasi ini "
            f"mengenal sampai {target}). Pasang versi aplikasi terbaru."
        )
    pending = [s for s in steps if s.version > current]
    if not pending:
        return None
    backup: Path | None = None
    path = db_path_of(engine)
    if has_tables:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_database(path, backup_dir / f"{path.stem}-v{current}-sebelum-migrasi-{stamp}{path.suffix}")
        log.info("backup before migration %d -> %d: %s", current, target, backup.name)
    for step in pending:
        try:
            with engine.begin() as conn:
                step.apply(conn)
                # user_version lives in the file header and is part of this transaction.
                conn.exec_driver_sql(f"PRAGMA user_version={int(step.version)}")
        except Exception as exc:
            log.exception("migration step %d failed", step.version)
            engine.dispose()
            if backup is not None:
                restore_database(backup, path)
                where = f" Cadangan tersimpan di {backup}."
            else:
                where = ""
            raise MigrationFailed(
                f"Pembaruan basis data lokal (langkah {step.version}: {step.description}) gagal; "
                f"data dikembalikan seperti sebelum pembaruan.{where} Hubungi petugas IT."
            ) from exc
        log.info("migrated local store to schema %d (%s)", step.version, step.description)
    return backup
