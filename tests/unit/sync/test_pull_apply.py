"""Applying a pulled page (protocol 2) to households, members and proposals on a real store.

A SYNCED record takes every village field the server changed (with an audit row); an unchanged one
takes only the server-owned columns (no audit row); a record with a village edit waiting takes only
the server-owned columns (server_version, flags, review fields, voided, desil) and keeps its edit; a
record the store does not hold is inserted, a member even before its household.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop_app.context import AppContext
from domain.records import HOUSEHOLD_FIELDS, PAYLOADS, RecordType
from domain.states import SyncState
from local_db import repository as repo
from local_db.pulled import SERVER_AUDIT_ACTION
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.protocol import RecordChange, ServerRecord
from sync.report import SyncReport
from tests.support.households import count, edit, families, payload, row

H, M, P = RecordType.HOUSEHOLD, RecordType.MEMBER, RecordType.PROPOSAL
DESA = "1902012003"
# One changed value per village field of each record type.
CHANGED: dict[RecordType, dict[str, Any]] = {
    H: {"kk": "1902010202100009", "kk_pending": True, "dusun": "Dusun Baru", "rt": "009", "rw": "008",
        "address": "Jl. Lain 1", "phone": "081200000000", "latitude": -2.75, "longitude": 107.6,
        "housing": {"tenure": "sewa", "floor_area_m2": 36.5, "roof_material": "genteng"},
        "assets": ["kulkas", "sepeda_motor"], "livestock": {"sapi": 2}, "notes": "catatan server"},
    M: {"household_id": "hh-lain-0001", "nik": "1902015708850009", "temp_id": "TMP-0123456789ab",
        "former_ids": ["TMP-ba9876543210"], "name": "Nama Lain", "birth_place": "Manggar", "birth_date": "1985-08-18",
        "sex": "L", "relation": "suami", "marital_status": "kawin", "education": "sma", "school_status": "tidak_lagi",
        "occupation": "nelayan", "difficulties": {"melihat": "sedikit"}, "chronic_illness": "diabetes",
        "pregnant": True, "ppks": ["lansia_terlantar"], "criteria": ["nelayan", "lansia"], "phone": "081299999999",
        "notes": "catatan server", "override_reason": "sudah dicek"},
    P: {"type": "removal", "programme": "BPNT", "household_id": "hh-lain-0001", "member_id": "mb-lain-0001",
        "pengurus_id": "mb-lain-0002", "criteria": ["lansia"], "note": "catatan server", "removal_reason": "moved",
        "musdesus_decision": "setuju", "musdesus_date": "2026-11-30", "musdesus_ref": "BA-12/2026",
        "musdesus_minutes_sha256": "ab" * 32},
}


def synced_family(ctx: AppContext) -> dict[RecordType, str]:
    """A household, its head and a PKH proposal the server accepted at version 1 (outbox empty, SYNCED)."""
    (f,) = families(ctx.engine, 1)
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM outbox")
        for t in ("households", "members", "proposals"):
            conn.exec_driver_sql(f"UPDATE {t} SET sync_state = 'SYNCED', base_version = 1, server_version = 1")
    return {H: f.household_id, M: f.member_ids[0], P: f.proposal_id}


def apply(ctx: AppContext, *records: ServerRecord) -> SyncReport:
    eng = SyncEngine(ctx.engine, SyncClient("http://127.0.0.1:9", "token"), ctx.device_id or "device-0001")
    report = SyncReport()
    with repo.session_scope(ctx.engine, write=True) as s:
        eng._apply_page(s, [RecordChange(seq=i + 1, type=str(r.record_type), record=r)
                            for i, r in enumerate(records)], report)
    return report


def server_audits(ctx: AppContext, rid: str) -> int:
    return count(ctx.engine, "SELECT count(*) FROM auditlog WHERE record_id = ? AND action = ?", rid,
                 SERVER_AUDIT_ACTION)


def test_every_village_field_has_a_changed_value_here() -> None:
    assert set(CHANGED[H]) == set(HOUSEHOLD_FIELDS) - {"desa_code"}
    assert set(CHANGED[M]) == set(PAYLOADS[M].model_fields)
    assert set(CHANGED[P]) == set(PAYLOADS[P].model_fields)


CASES = [(t, f) for t in (H, M, P) for f in sorted(CHANGED[t])]


@pytest.mark.parametrize("version", [2, 1], ids=["newer-version", "same-version"])
@pytest.mark.parametrize(("record_type", "field"), CASES, ids=[f"{t}-{f}" for t, f in CASES])
def test_a_field_the_server_changed_is_taken(ctx: AppContext, record_type: RecordType, field: str,
                                             version: int) -> None:
    """Also at the version the record already holds (a store restored from an older copy, say)."""
    rid = synced_family(ctx)[record_type]
    old = payload(ctx.engine, record_type, rid)
    value = CHANGED[record_type][field]
    if field == "sex":  # the other one, whichever the family's head is
        value = "P" if old.sex == "L" else "L"
    new = PAYLOADS[record_type].model_validate({**old.model_dump(), field: value})
    assert new != old
    apply(ctx, ServerRecord(record_type=record_type, record_id=rid, version=version, desa_code=DESA, payload=new))
    assert payload(ctx.engine, record_type, rid) == new
    r = row(ctx.engine, record_type, rid)
    assert (r["server_version"], r["base_version"], r["sync_state"]) == (version, version, SyncState.SYNCED)
    assert server_audits(ctx, rid) == 1


def test_an_unchanged_record_only_takes_the_server_owned_columns(ctx: AppContext) -> None:
    ids = synced_family(ctx)
    apply(ctx,
          ServerRecord(record_type=H, record_id=ids[H], version=1, desa_code=DESA, payload=payload(ctx.engine, H, ids[H]),
                       desil=3, flags=["SAME_KK"]),
          ServerRecord(record_type=P, record_id=ids[P], version=1, desa_code=DESA, payload=payload(ctx.engine, P, ids[P]),
                       review_state="RETURNED", review_note="foto KK kurang jelas", review_fields=["criteria"]))
    h, p = row(ctx.engine, H, ids[H]), row(ctx.engine, P, ids[P])
    assert h["desil"] == 3 and json.loads(h["server_flags"]) == ["SAME_KK"]
    assert (p["review_state"], p["review_note"], json.loads(p["review_fields"])) == (
        "RETURNED", "foto KK kurang jelas", ["criteria"])
    assert server_audits(ctx, ids[H]) == server_audits(ctx, ids[P]) == 0


def test_a_village_edit_waiting_keeps_its_values_and_takes_only_server_owned_columns(ctx: AppContext) -> None:
    ids = synced_family(ctx)
    edit(ctx.engine, H, ids[H], address="Jl. Desa 5")
    edit(ctx.engine, P, ids[P], note="diperbaiki di desa")
    server_h = payload(ctx.engine, H, ids[H]).model_copy(update={"address": "Jl. Server 9"})
    server_p = payload(ctx.engine, P, ids[P]).model_copy(update={"note": "versi server"})
    apply(ctx,
          ServerRecord(record_type=H, record_id=ids[H], version=2, desa_code=DESA, payload=server_h, desil=2,
                       voided=True, flags=["DUPLICATE_KK"]),
          ServerRecord(record_type=P, record_id=ids[P], version=3, desa_code=DESA, payload=server_p,
                       review_state="APPROVED", review_reason_code=None))
    h, p = row(ctx.engine, H, ids[H]), row(ctx.engine, P, ids[P])
    assert (h["address"], h["sync_state"], h["base_version"]) == ("Jl. Desa 5", SyncState.DIRTY, 1)
    assert (h["server_version"], h["desil"], h["voided"], json.loads(h["server_flags"])) == (2, 2, 1, ["DUPLICATE_KK"])
    assert (p["note"], p["sync_state"], p["server_version"], p["review_state"]) == (
        "diperbaiki di desa", SyncState.DIRTY, 3, "APPROVED")
    assert server_audits(ctx, ids[H]) == server_audits(ctx, ids[P]) == 0


def test_records_of_another_device_are_inserted_a_member_even_before_its_household(ctx: AppContext) -> None:
    other = {H: "hh-dev2-0001", M: "mb-dev2-0001", P: "pr-dev2-0001"}
    h = PAYLOADS[H].model_validate({"kk": "1902010303100003", "desa_code": DESA, "address": "Jl. Dua"})
    m = PAYLOADS[M].model_validate({"household_id": other[H], "nik": "1902014101900003", "name": "Wati",
                                    "birth_date": "1990-01-01", "sex": "P", "relation": "kepala_keluarga"})
    p = PAYLOADS[P].model_validate({"programme": "PKH", "household_id": other[H], "pengurus_id": other[M]})
    rep = apply(ctx,
                ServerRecord(record_type=M, record_id=other[M], version=1, desa_code=DESA, payload=m),
                ServerRecord(record_type=P, record_id=other[P], version=2, desa_code=DESA, payload=p,
                             review_state="PENDING"),
                ServerRecord(record_type=H, record_id=other[H], version=1, desa_code=DESA, payload=h, desil=4))
    assert rep.pulled == 3
    for t, want in ((H, h.model_copy(update={"desil": 4})), (M, m), (P, p)):
        assert payload(ctx.engine, t, other[t]) == want
        r = row(ctx.engine, t, other[t])
        assert (r["sync_state"], r["server_version"], r["local_rev"]) == (SyncState.SYNCED, r["base_version"], 1)
        assert server_audits(ctx, other[t]) == 1
    assert row(ctx.engine, M, other[M])["name_key"]  # the matcher finds pulled members too
    assert count(ctx.engine, "SELECT count(*) FROM outbox") == 0  # nothing to send back


def test_a_deletion_or_voiding_on_the_server_reaches_a_synced_record(ctx: AppContext) -> None:
    ids = synced_family(ctx)
    apply(ctx, ServerRecord(record_type=P, record_id=ids[P], version=2, desa_code=DESA,
                            payload=payload(ctx.engine, P, ids[P]), voided=True))
    r = row(ctx.engine, P, ids[P])
    assert (r["deleted"], r["voided"], r["server_version"]) == (1, 1, 2)
    assert server_audits(ctx, ids[P]) == 1
