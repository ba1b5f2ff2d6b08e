"""Conflict use cases for the GUI: which entries are in conflict, and the conflict types it shows.

The widgets (ui/conflict_view.py) depend on this module, not on sync or local_db (design.md §2).
The view and the resolution themselves are SyncService.conflict_view / resolve_conflict.
No Qt here.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlmodel import col

from domain.states import SyncState
from local_db import repository as repo
from local_db.models import Entry

# Re-exported for the widgets: plain data types, the choice keys and the expected-error class.
from sync.conflicts import RECORD as RECORD
from sync.conflicts import SERVER as SERVER
from sync.conflicts import VILLAGE as VILLAGE
from sync.conflicts import ConflictError as ConflictError
from sync.conflicts import ConflictView as ConflictView
from sync.conflicts import FieldDiff as FieldDiff


def conflicted_entries(engine: Engine) -> list[tuple[str, str]]:
    """(record_id, label for the picker) of every entry in CONFLICT."""
    with repo.session_scope(engine) as s:
        rows = s.execute(select(Entry).where(col(Entry.sync_state) == SyncState.CONFLICT.value)).scalars().all()
        return [(e.record_id, f"{e.name} — NIK {e.nik}") for e in rows]
