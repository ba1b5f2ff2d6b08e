"""Applying a pulled page to a SYNCED entry: every operator field the server changed is taken (with
an audit row), and an entry the server returns unchanged is left alone (no audit row).

Pull compares stored columns with the server's payload field by field (not through EntryPayload
objects, for speed); these cases pin that comparison to every field of the payload."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from desktop_app.context import AppContext
from domain.states import SyncState
from local_db import repository as repo
from local_db.models import AuditLog, Entry, Outbox
from local_db.pulled import SERVER_AUDIT_ACTION
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.protocol import Change, EntryPayload, ServerEntry
from sync.report import SyncReport
from tests.support.people import people

# One changed value per payload field (all valid for the entry made below).
CHANGED: dict[str, Any] = {
    "nik": "1902015708850009", "kk": "1902010101100009", "name": "Nama Lain", "birth_place": "Manggar",
    "birth_date": "1985-08-18", "sex": "L", "dusun": "Dusun Baru", "rt": "009", "rw": "008",
    "address": "Jl. Lain 1", "phone": "081200000000", "criteria": ["nelayan", "lansia"], "programme": "BST",
    "notes": "catatan server", "latitude": -2.75, "longitude": 107.6, "override_reason": "sudah dicek",
    "delete_reason": "pindah",
}


def synced_entry(ctx: AppContext) -> tuple[str, EntryPayload]:
    """An entry the server accepted at version 1 (outbox empty, SYNCED)."""
    row = next(iter(people(1, seed=11)))
    rid = ctx.entry_service().save(row).record_id
    with repo.session_scope(ctx.engine, write=True) as s:
        s.execute(Outbox.__table__.delete())  # type: ignore[attr-defined]
        s.execute(update(Entry).where(Entry.record_id == rid).values(  # type: ignore[arg-type]
            sync_state=SyncState.SYNCED.value, base_version=1, server_version=1))
        e = repo.get_entry(s, rid)
        assert e is not None
        return rid, repo.payload_of(e)


def apply(ctx: AppContext, se: ServerEntry) -> None:
    eng = SyncEngine(ctx.engine, SyncClient("http://127.0.0.1:9", "token"), ctx.device_id or "device-0001")
    with repo.session_scope(ctx.engine, write=True) as s:
        eng._apply_page(s, [Change(seq=1, type="entry", entry=se)], SyncReport())


def server_audits(ctx: AppContext, rid: str) -> int:
    with repo.session_scope(ctx.engine) as s:
        return int(s.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.record_id == rid, AuditLog.action == SERVER_AUDIT_ACTION)).scalar_one())  # type: ignore[arg-type]


def test_every_payload_field_has_a_changed_value_here() -> None:
    assert set(CHANGED) == set(EntryPayload.model_fields) - {"desa_code"}


@pytest.mark.parametrize("version", [2, 1], ids=["newer-version", "same-version"])
@pytest.mark.parametrize("field", sorted(CHANGED))
def test_a_field_the_server_changed_is_taken(ctx: AppContext, field: str, version: int) -> None:
    """Also at the version the entry already holds (a store restored from an older copy, say)."""
    rid, payload = synced_entry(ctx)
    assert getattr(payload, field) != CHANGED[field]
    new = payload.model_copy(update={field: CHANGED[field]})
    apply(ctx, ServerEntry(record_id=rid, version=version, payload=new))
    with repo.session_scope(ctx.engine) as s:
        e = repo.get_entry(s, rid)
        assert e is not None
        assert repo.payload_of(e) == new
        assert e.server_version == version and e.base_version == version and e.sync_state == SyncState.SYNCED
    assert server_audits(ctx, rid) == 1


def test_an_unchanged_entry_only_takes_the_review_outcome(ctx: AppContext) -> None:
    rid, payload = synced_entry(ctx)
    apply(ctx, ServerEntry(record_id=rid, version=1, payload=payload, review_state="RETURNED",
                           review_note="foto KK kurang jelas", flags=["SAME_KK_PROGRAMME"]))
    with repo.session_scope(ctx.engine) as s:
        e = repo.get_entry(s, rid)
        assert e is not None
        assert repo.payload_of(e) == payload
        assert e.review_state == "RETURNED" and e.review_note == "foto KK kurang jelas"
        assert "SAME_KK_PROGRAMME" in e.server_flags
    assert server_audits(ctx, rid) == 0
