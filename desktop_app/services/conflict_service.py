"""Conflict use cases for the GUI: which records (households, members, proposals) are in conflict,
and the conflict types it shows.

The widgets (ui/conflict_view.py) depend on this module, not on sync or local_db (design.md §2).
The view and the resolution themselves are SyncService.conflict_view / resolve_conflict.
No Qt here.
"""

from __future__ import annotations

from sqlalchemy import Engine

from domain.records import RECORD_TYPE_LABELS, RecordType
from domain.states import SyncState
from local_db import repository as repo
from local_db.household_repo import TABLE

# Re-exported for the widgets: plain data types, the choice keys and the expected-error class.
from sync.conflicts import RECORD as RECORD
from sync.conflicts import SERVER as SERVER
from sync.conflicts import VILLAGE as VILLAGE
from sync.conflicts import ConflictError as ConflictError
from sync.conflicts import ConflictView as ConflictView
from sync.conflicts import FieldDiff as FieldDiff
from sync.conflicts import title_of


def conflicted_records(engine: Engine) -> list[tuple[str, str]]:
    """(record_id, label for the picker) of every household, member and proposal in CONFLICT."""
    out: list[tuple[str, str]] = []
    with repo.session_scope(engine) as s:
        for rtype in RecordType:
            res = s.connection().exec_driver_sql(
                f"SELECT * FROM {TABLE[rtype]} WHERE sync_state = ? ORDER BY updated_at, record_id",
                (SyncState.CONFLICT.value,))
            keys = list(res.keys())
            for r in res.fetchall():
                row = dict(zip(keys, r, strict=True))
                out.append((row["record_id"], f"{RECORD_TYPE_LABELS[rtype]}: {title_of(rtype, row)}"))
    return out
