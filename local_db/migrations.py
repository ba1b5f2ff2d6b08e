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

from local_db import household_migration, matcher_migration, meeting_migration, models, report_migration
from local_db.errors import StoreError

log = logging.getLogger(__name__)


class MigrationFailed(StoreError):
    """The store could not be brought to this app's schema; the file was left as it was."""

    @classmethod
    def default_message(cls) -> str:
        return "Pembaruan basis data lokal gagal; data dibiarkan seperti sebelumnya. Hubungi petugas IT."


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


# Schema 1 as released (frozen from tests/fixtures/store_v1.sqlite3): never edit these statements.
_V1_DDL: tuple[str, ...] = (
    'CREATE TABLE household (\n\tkk VARCHAR(16) NOT NULL, \n\tdesa_code VARCHAR(10) NOT NULL, \n\tdusun VARCHAR NOT NULL, \n\trt VARCHAR NOT NULL, \n\trw VARCHAR NOT NULL, \n\taddress VARCHAR NOT NULL, \n\tcreated_at DATETIME NOT NULL, \n\tupdated_at DATETIME NOT NULL, \n\tPRIMARY KEY (kk)\n)',
    'CREATE TABLE entry (\n\trecord_id VARCHAR(36) NOT NULL, \n\tnik VARCHAR(16) NOT NULL, \n\tkk VARCHAR(16) NOT NULL, \n\tname VARCHAR NOT NULL, \n\tname_key VARCHAR NOT NULL, \n\tbirth_place VARCHAR NOT NULL, \n\tbirth_date DATE NOT NULL, \n\tsex VARCHAR(1) NOT NULL, \n\tdesa_code VARCHAR(10) NOT NULL, \n\tdusun VARCHAR NOT NULL, \n\trt VARCHAR NOT NULL, \n\trw VARCHAR NOT NULL, \n\taddress VARCHAR NOT NULL, \n\tphone VARCHAR NOT NULL, \n\tcriteria VARCHAR NOT NULL, \n\tprogramme VARCHAR NOT NULL, \n\tnotes VARCHAR NOT NULL, \n\tlatitude FLOAT, \n\tlongitude FLOAT, \n\twarnings VARCHAR NOT NULL, \n\toverride_reason VARCHAR NOT NULL, \n\tdeleted BOOLEAN NOT NULL, \n\tdelete_reason VARCHAR NOT NULL, \n\tcreated_at DATETIME NOT NULL, \n\tupdated_at DATETIME NOT NULL, \n\tcreated_by VARCHAR NOT NULL, \n\tupdated_by VARCHAR NOT NULL, \n\tlocal_rev INTEGER NOT NULL, \n\tbase_version INTEGER, \n\tsync_state VARCHAR NOT NULL, \n\tserver_version INTEGER, \n\treview_state VARCHAR, \n\treview_reason_code VARCHAR, \n\treview_note VARCHAR, \n\tserver_flags VARCHAR NOT NULL, \n\tconflict_data VARCHAR, \n\tPRIMARY KEY (record_id), \n\tFOREIGN KEY(kk) REFERENCES household (kk)\n)',
    'CREATE TABLE outbox (\n\top_id VARCHAR(36) NOT NULL, \n\tseq INTEGER, \n\trecord_id VARCHAR(36) NOT NULL, \n\tkind VARCHAR NOT NULL, \n\tlocal_rev INTEGER NOT NULL, \n\tbase_version INTEGER, \n\tpayload VARCHAR NOT NULL, \n\tcreated_at DATETIME NOT NULL, \n\tbatch_id VARCHAR, \n\tPRIMARY KEY (op_id), \n\tUNIQUE (seq)\n)',
    'CREATE TABLE batch (\n\tbatch_id VARCHAR(36) NOT NULL, \n\tcreated_at DATETIME NOT NULL, \n\top_ids VARCHAR NOT NULL, \n\tbody_hash VARCHAR NOT NULL, \n\tattempts INTEGER NOT NULL, \n\tlast_attempt_at DATETIME, \n\tlast_error VARCHAR NOT NULL, \n\tdone_at DATETIME, \n\tPRIMARY KEY (batch_id)\n)',
    'CREATE TABLE auditlog (\n\tid INTEGER NOT NULL, \n\trecord_id VARCHAR(36) NOT NULL, \n\taction VARCHAR NOT NULL, \n\tactor VARCHAR NOT NULL, \n\tdevice_id VARCHAR NOT NULL, \n\tat DATETIME NOT NULL, \n\t"before" VARCHAR, \n\t"after" VARCHAR, \n\treason VARCHAR NOT NULL, \n\tPRIMARY KEY (id)\n)',
    'CREATE TABLE referencerecipient (\n\tnik VARCHAR(16) NOT NULL, \n\tprogramme VARCHAR NOT NULL, \n\tlevel VARCHAR NOT NULL, \n\tstatus VARCHAR NOT NULL, \n\tPRIMARY KEY (nik, programme)\n)',
    'CREATE TABLE meta (\n\t"key" VARCHAR NOT NULL, \n\tvalue VARCHAR NOT NULL, \n\tPRIMARY KEY ("key")\n)',
    'CREATE INDEX ix_entry_nik ON entry (nik)',
    'CREATE INDEX ix_entry_kk_programme ON entry (kk, programme)',
    'CREATE INDEX ix_entry_birth_date ON entry (birth_date)',
    'CREATE INDEX ix_entry_updated_at ON entry (updated_at)',
    'CREATE INDEX ix_entry_sync_state ON entry (sync_state)',
    'CREATE INDEX ix_outbox_record ON outbox (record_id)',
    'CREATE INDEX ix_outbox_batch ON outbox (batch_id)',
    'CREATE INDEX ix_audit_record ON auditlog (record_id)',
)


def _v1_initial(conn: Connection) -> None:
    for stmt in _V1_DDL:
        conn.exec_driver_sql(stmt)


def _v2_name_key_index(conn: Connection) -> None:
    # The entry list's name search reads this index instead of the table.
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_entry_name_key ON entry (name_key)")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1_initial),
    Migration(2, "indeks nama (ix_entry_name_key)", _v2_name_key_index),
    # --- person matcher (issue 14); the step lives in local_db/matcher_migration.py
    Migration(3, "kunci nama baru dan indeks tanggal lahir dari NIK", matcher_migration.apply),
    # --- households, members, proposals (issue 12, ADR 0005); the step lives in local_db/household_migration.py
    Migration(4, household_migration.STEP_DESCRIPTION, household_migration.apply),
    # --- the Musdesus and its minutes (issue 15); the step lives in local_db/meeting_migration.py
    Migration(5, meeting_migration.STEP_DESCRIPTION, meeting_migration.apply),
    # --- citizens' reports (issue 16); the step lives in local_db/report_migration.py
    Migration(6, report_migration.STEP_DESCRIPTION, report_migration.apply),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def user_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def _has_tables(conn: Connection) -> bool:
    n = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").scalar_one()
    return int(n) > 0


def migrate(
    engine: Engine,
    *,
    backup_dir: Path,
    backup: Callable[[Path, Path], Path],
    restore: Callable[[Path, Path], None],
    steps: Sequence[Migration] | None = None,
) -> Path | None:
    """Bring the store to the newest version; return the backup path if one was taken.

    `backup(src, dest)` / `restore(backup, dest)` copy the file (local_db.engine's backup_database /
    restore_database, passed in by open_store so this module does not import the engine back).
    """
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
    copy: Path | None = None
    if not engine.url.database:
        raise ValueError("engine is not on a SQLite file")
    path = Path(engine.url.database)
    if has_tables:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        copy = backup(path, backup_dir / f"{path.stem}-v{current}-sebelum-migrasi-{stamp}{path.suffix}")
        log.info("backup before migration %d -> %d: %s", current, target, copy.name)
    for step in pending:
        try:
            with engine.begin() as conn:
                step.apply(conn)
                # user_version lives in the file header and is part of this transaction.
                conn.exec_driver_sql(f"PRAGMA user_version={int(step.version)}")
        except Exception as exc:
            log.exception("migration step %d failed", step.version)
            engine.dispose()
            if copy is not None:
                restore(copy, path)
                where = f" Cadangan tersimpan di {copy}."
            else:
                where = ""
            raise MigrationFailed(
                f"Pembaruan basis data lokal (langkah {step.version}: {step.description}) gagal; "
                f"data dikembalikan seperti sebelum pembaruan.{where} Hubungi petugas IT."
            ) from exc
        log.info("migrated local store to schema %d (%s)", step.version, step.description)
    return copy
