"""EntryService: the one path from a form/CLI/CSV dict to the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.context import AppContext, MetaKey
from desktop_app.services.entries import EntryRejected, EntryService, OverrideRequired
from domain.states import SyncState
from local_db import repository as repo
from tests.support.store import DESA, entry, service


def rows(engine: Engine, table: str) -> int:
    with engine.connect() as c:
        return int(c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_save_normalises_and_stores(svc: EntryService) -> None:
    r = svc.save(entry(nik="1902 0157 0885 0001", kk="1902-0101-0110-0001", name="  Siti   Aminah ",
                       birth_date="17-08-1985", sex="p", desa_code="19.02.01.2003", programme="program keluarga harapan",
                       rt="3", rw="12", phone="0812-3456-7890", criteria="Nelayan, lansia"))
    assert r.created and r.changed
    e = svc.get(r.record_id)
    assert e is not None
    assert (e.nik, e.kk, e.name, e.sex, e.desa_code, e.programme) == (
        "1902015708850001", "1902010101100001", "Siti Aminah", "P", DESA, "PKH")
    assert (e.rt, e.rw, e.phone, e.criteria) == ("003", "012", "081234567890", "nelayan,lansia")
    assert e.birth_date.isoformat() == "1985-08-17" and e.sync_state == SyncState.NEW
    assert json.loads(e.warnings) == [w.to_dict() for w in r.warnings]  # lansia under 60 warned and recorded
    assert [w.code for w in r.warnings] == ["lansia_age"]


def test_errors_are_rejected_with_field_names_and_nothing_is_written(engine: Engine, svc: EntryService) -> None:
    with pytest.raises(EntryRejected) as e:
        svc.save(entry(nik="190201570885000", birth_date="1985-13-01", programme="xyz"))
    assert {"nik", "birth_date", "programme"} <= set(e.value.fields)
    assert "NIK harus 16 digit" in str(e.value)
    assert rows(engine, "entry") == rows(engine, "outbox") == rows(engine, "auditlog") == 0


def test_blocking_duplicate_is_rejected(svc: EntryService) -> None:
    svc.save(entry())
    with pytest.raises(EntryRejected) as e:
        svc.save(entry(name="Siti Aminah binti Ahmad"))
    assert e.value.fields == ["nik"] and "sudah terdaftar" in str(e.value)


def test_probable_duplicate_needs_a_reason_which_goes_to_the_audit(svc: EntryService) -> None:
    svc.save(entry())
    other = entry(nik="1902015708850002", kk="1902010101100002", name="Hj. Siti Aminah")
    with pytest.raises(OverrideRequired) as e:
        svc.save(other)
    assert e.value.hits[0].kind == "probable_person" and "alasan" in str(e.value)
    r = svc.save(other, override_reason="Orang berbeda, KTP sudah dicek")
    assert [h.kind for h in r.duplicates] == ["probable_person"]
    [audit] = svc.audit_for(r.record_id)
    assert audit.reason == "Orang berbeda, KTP sudah dicek"
    stored = svc.get(r.record_id)
    assert stored is not None and stored.override_reason == "Orang berbeda, KTP sudah dicek"
    # Editing it later keeps the reason without asking again.
    r2 = svc.save({**other, "address": "Jl. Baru"}, record_id=r.record_id)
    assert not r2.created and r2.changed


def test_check_reports_without_writing(engine: Engine, svc: EntryService) -> None:
    svc.save(entry())
    res = svc.check(entry(programme="BST", sex="L"))
    assert res.ok and not res.errors
    assert {w.code for w in res.warnings} == {"nik_sex_mismatch", "duplicate_nik"}
    res = svc.check(entry())
    assert not res.ok and res.errors[0].code == "duplicate_nik"
    res = svc.check(entry(nik="1902015708850009", kk="1902010101100009"))
    assert res.needs_override_reason and res.ok
    assert rows(engine, "entry") == 1


def test_edit_bumps_local_rev_and_unchanged_save_writes_nothing(engine: Engine, svc: EntryService) -> None:
    rid = svc.save(entry()).record_id
    r = svc.save(entry(), record_id=rid)
    assert not r.changed and rows(engine, "outbox") == 1
    svc.save(entry(address="Jl. Lain 5"), record_id=rid)
    e = svc.get(rid)
    assert e is not None and e.local_rev == 2 and e.sync_state == SyncState.NEW
    assert [a.action for a in svc.audit_for(rid)] == ["CREATE", "UPDATE"]
    # Once the server has it, an edit is DIRTY.
    with repo.session_scope(engine, write=True) as s:
        x = repo.get_entry(s, rid)
        assert x is not None
        x.server_version, x.base_version, x.sync_state = 1, 1, SyncState.SYNCED
    svc.save(entry(address="Jl. Lain 6"), record_id=rid)
    e = svc.get(rid)
    assert e is not None and e.sync_state == SyncState.DIRTY and e.local_rev == 3
    with repo.session_scope(engine) as s:
        assert repo.outbox_ops(s)[-1].base_version == 1


def test_editing_keeps_its_own_nik_from_being_a_duplicate(svc: EntryService) -> None:
    rid = svc.save(entry()).record_id
    assert svc.save(entry(name="Siti Aminah Putri"), record_id=rid).changed


def test_delete_needs_a_reason(engine: Engine, svc: EntryService) -> None:
    rid = svc.save(entry()).record_id
    with pytest.raises(EntryRejected) as e:
        svc.delete(rid, reason="  ")
    assert e.value.fields == ["delete_reason"]
    svc.delete(rid, reason="Meninggal dunia")
    e2 = svc.get(rid)
    assert e2 is not None and e2.deleted
    with pytest.raises(EntryRejected):
        svc.save(entry(), record_id=rid)
    with pytest.raises(EntryRejected):
        svc.save(entry(), record_id="no-such-id")
    svc.save(entry())  # the NIK is free again
    assert svc.list_entries(include_deleted=True)[0].record_id == rid


def test_operator_desa_is_enforced(engine: Engine) -> None:
    svc = service(engine, desa_code="19.02.01.2004")
    with pytest.raises(EntryRejected) as e:
        svc.save(entry())
    assert e.value.fields == ["desa_code"]


def test_default_programme(engine: Engine) -> None:
    svc = service(engine, default_programme="BPNT")
    e = svc.get(svc.save(entry(programme="")).record_id)
    assert e is not None and e.programme == "BPNT"
    with pytest.raises(EntryRejected) as err:
        service(engine).save(entry(programme="", nik="1902015708850002", kk="1902010101100002"))
    assert err.value.fields == ["programme"]


def test_context_generates_device_id_once_and_keeps_settings(data_dir: Path) -> None:
    with AppContext.open(data_dir) as ctx:
        dev = ctx.device_id
        assert len(dev) == 36 and ctx.desa_code is None
        ctx.configure(desa_code="19.02.01.2003", operator_name="Rina", default_programme="sembako")
        with pytest.raises(ValueError):
            ctx.configure(desa_code="1902019999")
    with AppContext.open(data_dir) as ctx:
        assert ctx.device_id == dev
        assert (ctx.desa_code, ctx.operator_name, ctx.default_programme) == (DESA, "Rina", "BPNT")
        assert ctx.get_meta(MetaKey.DESA_CODE) == DESA
        svc = ctx.entry_service()
        rid = svc.save(entry(programme="")).record_id
        [a] = svc.audit_for(rid)
        assert (a.actor, a.device_id) == ("Rina", dev)
