"""Step 5 (the Musdesus tables) on a store made at step 4: rows kept, tables added, version 5."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from local_db import migrations
from local_db.engine import close_store, open_store
from tests.support.households import families

AT_STEP_4 = migrations.MIGRATIONS[:4]


def test_step_5_adds_the_meeting_tables_and_keeps_the_households(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    engine = open_store(path, backup_dir=tmp_path / "b", steps=AT_STEP_4)
    try:
        fams = families(engine, 3)
    finally:
        close_store(engine)
    con = sqlite3.connect(path)
    before = con.execute("SELECT record_id FROM proposals ORDER BY record_id").fetchall()
    assert con.execute("PRAGMA user_version").fetchone()[0] == 4
    con.close()

    close_store(open_store(path, backup_dir=tmp_path / "b"))

    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION == 5
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"meetings", "meeting_items", "attachments"} <= tables
        assert con.execute("SELECT record_id FROM proposals ORDER BY record_id").fetchall() == before
        assert len(before) == len(fams) == 3
        assert con.execute("SELECT count(*) FROM outbox").fetchone()[0] == 9  # household, member, proposal each
    finally:
        con.close()
    assert list((tmp_path / "b").glob("*-v4-*"))  # a backup was taken before the step
