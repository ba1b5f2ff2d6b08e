"""Schema step of the person matcher on the released v1 store: the NIK-date index exists and is
used, name keys follow today's rules, and a v1 entry is found through its NIK's date."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from desktop_app import paths
from desktop_app.context import AppContext
from domain.names import name_key
from local_db import duplicates as dup
from local_db import repository as repo
from local_db.matcher_migration import NIK_DATE_INDEX
from local_db.migrations import SCHEMA_VERSION
from tests.support.store import raw_data_dir

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "store_v1.sqlite3"


def test_v1_store_gets_the_nik_date_index_and_new_name_keys(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    shutil.copyfile(FIXTURE, paths.db_path(d))
    with AppContext.open(d) as ctx, repo.session_scope(ctx.engine) as s:
        row = s.connection().exec_driver_sql(
            "SELECT record_id, name, nik, birth_date, sex FROM entry WHERE deleted = 0 AND name != '' "
            "ORDER BY record_id LIMIT 1").one()
        rid, name, nik, born, sex = row
        # The same person typed again with a NIK one digit off and a birth date one day off is found
        # only through the stored NIK's date and the NIK near-equality.
        wrong_day = date.fromisoformat(born).replace(day=1 if date.fromisoformat(born).day != 1 else 2)
        other_nik = nik[:15] + ("1" if nik[15] != "1" else "2")
        hits = dup.find_duplicates(s, nik=other_nik, kk="", programme="", name=name, birth_date=wrong_day,
                                   sex=sex)
        assert rid in {h.record_id for h in hits if h.kind == "probable_person"}
    conn = raw_data_dir(d)  # the store is encrypted: read it with its key, as the app does
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type='index' AND name=?",
                            (NIK_DATE_INDEX,)).fetchone()[0] == 1
        plan = " ".join(str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN {dup._SQL_NIK_DATE}", ("170885",)))
        assert f"USING COVERING INDEX {NIK_DATE_INDEX}" in plan, plan  # the name screen never reads the table
        for name, key in conn.execute("SELECT name, name_key FROM entry"):
            assert key == name_key(name)
    finally:
        conn.close()
