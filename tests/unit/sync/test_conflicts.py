"""sync.conflicts on a real store, for each record type: what the operator compares (a household's
housing field by field), and how a choice becomes a new op on the server's version — or, for a record
the server voided, the village following the server without sending anything."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop_app.context import AppContext
from desktop_app.services.conflict_service import conflicted_records
from desktop_app.services.sync_service import SyncService
from domain.records import RecordType
from domain.states import SyncState
from sync import conflicts
from tests.support.households import count, families, payload, row

H, M, P = RecordType.HOUSEHOLD, RecordType.MEMBER, RecordType.PROPOSAL


def in_conflict(ctx: AppContext, record_type: RecordType, rid: str, server: dict[str, Any], fields: list[str],
                kind: str = "hard", version: int = 3) -> None:
    """The record as a batch answer leaves it: CONFLICT, the server's copy beside the village's values."""
    copy = {"record_type": record_type.value, "record_id": rid, "version": version, "payload": server,
            "deleted": False, "voided": kind == "deleted"}
    data = {"kind": kind, "fields": fields, "server_copy": copy, "server_version": version}
    table = {H: "households", M: "members", P: "proposals"}[record_type]
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM outbox")
        conn.exec_driver_sql(f"UPDATE {table} SET sync_state = 'CONFLICT', conflict_data = ?, base_version = 1, "
                             "server_version = ? WHERE record_id = ?", (json.dumps(data), version, rid))


def test_a_household_conflict_shows_housing_field_by_field_and_the_choice_goes_out_on_the_server_version(
        ctx: AppContext) -> None:
    (f,) = families(ctx.engine, 1)
    village = payload(ctx.engine, H, f.household_id)
    server = village.model_copy(update={"address": "Jl. Server", "phone": "081299990000"}).model_dump()
    server["housing"] = {**server["housing"], "tenure": "sewa", "roof_material": "genteng"}
    in_conflict(ctx, H, f.household_id, server, ["address", "housing.tenure"])
    svc = SyncService(ctx.engine, device_id=ctx.device_id, actor="Operator Uji")
    assert [rid for rid, _label in conflicted_records(ctx.engine)] == [f.household_id]
    view = svc.conflict_view(f.household_id)
    assert view is not None and view.record_type is H and view.server_version == 3
    shown = {d.field: d for d in view.fields}
    # Contested first (address, tenure), then what only the server changed (phone, roof).
    assert [d.field for d in view.fields] == ["address", "tenure", "phone", "roof_material"]
    assert shown["tenure"].label == "Status kepemilikan bangunan tempat tinggal" and shown["tenure"].contested
    assert (shown["address"].village, shown["address"].server) == (village.address, "Jl. Server")
    svc.resolve_conflict(f.household_id, {"address": conflicts.VILLAGE, "tenure": conflicts.SERVER,
                                          "phone": conflicts.SERVER})
    r = row(ctx.engine, H, f.household_id)
    assert (r["sync_state"], r["base_version"], r["conflict_data"]) == (SyncState.DIRTY, 3, None)
    p = payload(ctx.engine, H, f.household_id)
    assert (p.address, p.phone, p.housing.tenure, p.housing.roof_material) == (
        village.address, "081299990000", "sewa", "")
    with ctx.engine.connect() as conn:
        op = conn.exec_driver_sql("SELECT record_type, base_version, payload FROM outbox").one()
    assert (op.record_type, op.base_version) == ("household", 3)
    assert json.loads(op.payload)["housing"]["tenure"] == "sewa"
    assert count(ctx.engine, "SELECT count(*) FROM auditlog WHERE record_id = ? AND action = ?",
                 f.household_id, conflicts.RESOLVE_ACTION) == 1
    assert conflicted_records(ctx.engine) == []


@pytest.mark.parametrize(("record_type", "field", "server_value"), [
    (M, "phone", "081200001111"), (P, "note", "catatan server")])
def test_a_member_or_proposal_conflict_takes_the_server_value_where_the_operator_says(
        ctx: AppContext, record_type: RecordType, field: str, server_value: str) -> None:
    (f,) = families(ctx.engine, 1)
    rid = f.member_ids[0] if record_type is M else f.proposal_id
    server = payload(ctx.engine, record_type, rid).model_copy(update={field: server_value}).model_dump()
    in_conflict(ctx, record_type, rid, server, [field])
    svc = SyncService(ctx.engine, device_id=ctx.device_id, actor="Operator Uji")
    view = svc.conflict_view(rid)
    assert view is not None and [d.field for d in view.fields] == [field]
    svc.resolve_conflict(rid, {field: conflicts.SERVER})
    assert getattr(payload(ctx.engine, record_type, rid), field) == server_value
    assert row(ctx.engine, record_type, rid)["sync_state"] == SyncState.DIRTY


def test_voided_on_the_server_following_the_server_deletes_here_and_sends_nothing(ctx: AppContext) -> None:
    (f,) = families(ctx.engine, 1)
    server = payload(ctx.engine, P, f.proposal_id).model_dump()
    in_conflict(ctx, P, f.proposal_id, server, [], kind="deleted")
    svc = SyncService(ctx.engine, device_id=ctx.device_id, actor="Operator Uji")
    view = svc.conflict_view(f.proposal_id)
    assert view is not None and view.kind == "deleted" and view.server_deleted
    svc.resolve_conflict(f.proposal_id, {conflicts.RECORD: conflicts.SERVER})
    r = row(ctx.engine, P, f.proposal_id)
    assert (r["deleted"], r["sync_state"], r["base_version"]) == (1, SyncState.SYNCED, 3)
    assert count(ctx.engine, "SELECT count(*) FROM outbox") == 0


def test_a_record_not_in_conflict_is_refused_in_indonesian(ctx: AppContext) -> None:
    (f,) = families(ctx.engine, 1)
    svc = SyncService(ctx.engine, device_id=ctx.device_id, actor="Operator Uji")
    assert svc.conflict_view(f.household_id) is None
    with pytest.raises(conflicts.ConflictError, match="tidak sedang dalam konflik"):
        svc.resolve_conflict(f.household_id, {"address": conflicts.SERVER})
