"""The draft household tables (not yet migrated in): they create on SQLite, carry the sync columns, and
each duplicate rule's lookup reads its index rather than scanning the table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect
from sqlmodel import Session, SQLModel

from local_db import household_models as hm
from local_db.migrations import local_tables

NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = create_engine(f"sqlite:///{tmp_path / 'draft.sqlite3'}")
    SQLModel.metadata.create_all(eng, tables=[t.__table__ for t in hm.RECORD_TABLES.values()])  # type: ignore[attr-defined]
    yield eng
    eng.dispose()


def test_tables_have_the_sync_columns_and_do_not_clash_with_the_legacy_ones(engine: Engine) -> None:
    insp = inspect(engine)
    assert set(insp.get_table_names()) == {"households", "members", "proposals"}
    sync_cols = {"record_id", "local_rev", "base_version", "sync_state", "server_version", "server_flags",
                 "conflict_data", "deleted", "voided", "warnings"}
    for t in ("households", "members", "proposals"):
        assert sync_cols <= {c["name"] for c in insp.get_columns(t)}, t
    review = {"review_state", "review_reason_code", "review_note", "review_fields", "legacy_entry_id"}
    assert review <= {c["name"] for c in insp.get_columns("proposals")}
    assert not {"households", "members", "proposals"} & {t.name for t in local_tables()}
    # No UNIQUE index: the pull must be able to store two records the server grouped as duplicates.
    for t in ("households", "members", "proposals"):
        assert not [i for i in insp.get_indexes(t) if i["unique"]], t


def _plan(engine: Engine, sql: str, *params: object) -> str:
    with engine.connect() as conn:
        return " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize(("sql", "index"), [
    (hm.SQL_SAME_NIK, "ix_members_nik"),
    (hm.SQL_SAME_TEMP_ID, "ix_members_temp_id"),
    (hm.SQL_SAME_KK, "ix_households_kk"),
    (hm.SQL_OPEN_PROPOSAL, "ix_proposals_open"),
])
def test_each_duplicate_lookup_reads_its_index(engine: Engine, sql: str, index: str) -> None:
    n = sql.count("?")
    assert f"USING INDEX {index}" in _plan(engine, sql, *(["x"] * n))


def test_a_family_with_a_member_and_a_proposal_round_trips(engine: Engine) -> None:
    with Session(engine) as s:
        s.add(hm.HouseholdRecord(record_id="h1", created_at=NOW, updated_at=NOW, kk="1902011403123100",
                                 desa_code="1902012003", tenure="milik_sendiri", assets='["sepeda_motor"]'))
        s.add(hm.MemberRecord(record_id="m1", created_at=NOW, updated_at=NOW, household_id="h1",
                              nik="1902010905780001", name="Ahmad Fauzi", name_key="ahmad fauzi",
                              birth_date=date(1978, 5, 9), sex="L", relation="kepala_keluarga"))
        s.add(hm.ProposalRecord(record_id="p1", created_at=NOW, updated_at=NOW, programme="PKH", household_id="h1",
                                target_id="h1", pengurus_id="m1", review_state="PENDING"))
        s.commit()
    with engine.connect() as conn:
        open_ = conn.exec_driver_sql(hm.SQL_OPEN_PROPOSAL, ("PKH", "h1", "")).all()
        conn.exec_driver_sql("UPDATE proposals SET review_state='APPROVED'")
        closed = conn.exec_driver_sql(hm.SQL_OPEN_PROPOSAL, ("PKH", "h1", "")).all()
        same_nik = conn.exec_driver_sql(hm.SQL_SAME_NIK, ("1902010905780001", "other")).all()
    assert [r[0] for r in open_] == ["p1"] and closed == [] and [r[0] for r in same_nik] == ["m1"]
