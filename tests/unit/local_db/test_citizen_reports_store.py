"""The citizen_reports table (issue 16): made by the local migration step; a later pull of the same
report (the server's copy after the village's outcome) never overwrites the village's own finding."""

from __future__ import annotations

from pathlib import Path

from local_db import citizen_reports as store
from local_db.migrations import MIGRATIONS, report_migration
from local_db.repository import session_scope
from tests.support.store import store as open_test_store


def _item(seq: int, state: str = "RECEIVED") -> dict[str, object]:
    return {"seq": seq, "ticket": "U-AAAAA-BBBBB", "kind": "usul", "state": state, "nik": "", "name": "Sarmini",
            "desa_code": "1902012003", "address": "Dusun II", "reason": "Lansia", "photos": 0,
            "created_at": "2026-12-01T08:00:00+00:00"}


def test_the_step_is_registered_and_a_repull_keeps_the_village_finding(tmp_path: Path) -> None:
    assert MIGRATIONS[-1].apply is report_migration.apply
    with open_test_store(tmp_path / "desa.db") as engine:
        with session_scope(engine, write=True) as s:
            store.store_pulled(s, [_item(1)])
            assert store.unsent(s) == []  # pulled, nothing of the village's own yet
            store.record_finding(s, "U-AAAAA-BBBBB", "NOT_ELIGIBLE", "Punya usaha warung")
        with session_scope(engine, write=True) as s:
            store.store_pulled(s, [_item(2, "NOT_ELIGIBLE")])
            r = store.get(s, "U-AAAAA-BBBBB")
            assert r is not None and (r.finding_state, r.finding_note, r.outcome_sent) == (
                "NOT_ELIGIBLE", "Punya usaha warung", False)
            assert store.cursor(s) == 2
            store.mark_sent(s, "U-AAAAA-BBBBB", "NOT_ELIGIBLE", "NOT_ELIGIBLE")
            assert store.unsent(s) == []
