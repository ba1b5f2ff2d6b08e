"""Step 5 (the Musdesus tables, the proposals' minutes hash) on a store made at step 4 (the first
release's fixture brought through steps 1-4): every row kept, tables and column added, version 5,
and the app's own writes work on the result."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from domain.records import RecordType
from local_db import migrations
from local_db.engine import close_store, open_store
from tests.support.households import families, payload

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
AT_STEP_4 = migrations.MIGRATIONS[:4]


def dump(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_step_5_adds_the_meeting_tables_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    shutil.copyfile(FIXTURES / "store_v1.sqlite3", path)
    close_store(open_store(path, backup_dir=tmp_path / "b", steps=AT_STEP_4))
    assert dump(path, "PRAGMA user_version") == [(4,)]
    tables = ("households", "members", "proposals", "outbox", "auditlog")
    before = {t: dump(path, f"SELECT * FROM {t} ORDER BY 1") for t in tables}
    assert before["proposals"]  # the fixture's entries became proposals at step 4

    engine = open_store(path, backup_dir=tmp_path / "b")
    try:
        assert dump(path, "PRAGMA user_version") == [(migrations.SCHEMA_VERSION,)] and migrations.SCHEMA_VERSION >= 5
        names = {r[0] for r in dump(path, "SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"meetings", "meeting_items", "attachments"} <= names
        for t in ("households", "members", "outbox", "auditlog"):
            assert dump(path, f"SELECT * FROM {t} ORDER BY 1") == before[t], t
        # Old proposals keep every value and get an empty minutes hash.
        after = dump(path, "SELECT * FROM proposals ORDER BY 1")
        assert [r[:-1] for r in after] == before["proposals"] and {r[-1] for r in after} == {""}
        (fam,) = families(engine, 1, seed=77, start=77_000)
        assert payload(engine, RecordType.PROPOSAL, fam.proposal_id).musdesus_minutes_sha256 == ""
    finally:
        close_store(engine)
    assert list((tmp_path / "b").glob("*-v4-*"))  # a backup was taken before the step
