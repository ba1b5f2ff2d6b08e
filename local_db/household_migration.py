"""Moving a store's old entries into households, members and proposals (issue 12; ADR 0005).

`migrate_to_households(conn)` runs inside the caller's one transaction on a store at schema 2 (the
last entry-centred schema) and:

- creates the `households`, `members`, `proposals` tables (DDL frozen below from
  local_db.household_models) and a nullable `outbox.record_type` (old ops: 'entry'; NULL, as today's
  app writes, also means an entry op);
- makes one household per (desa, KK) and one member per (desa, NIK) over all entries, deleted ones
  included, with the deterministic ids of domain.legacy_ids, and one proposal per entry with the
  entry's own record_id (review outcome, notes, flags, warnings, deletion, sync state and versions
  copied; `legacy_entry_id` links it back);
- keeps the old rows: `entry`, `household` and `auditlog` are not touched (old audit rows are linked
  by record_id, which the proposal keeps); the old outbox rows are copied to `legacy_outbox`;
- converts the unsent ops (old `seq` order) into protocol-2 ops, household -> member -> proposal: the
  proposal op keeps the old op id, the household/member ops get `derived_op_id`; a DELETE becomes the
  proposal's DELETE only; each payload is the record as migrated (validated by domain.records);
- closes batches the server never answered ("diganti saat migrasi") and queues their ops again
  (ADR 0005 step 6: exactly once then rests on op ids, which the server's migration pre-registers);
- writes one MIGRATE audit row per household and member naming the source entries.

Running it on a store that already has the tables does nothing (returns None). Registered as
user_version step 4 (`apply`); a new store runs it on empty entry tables, which creates the three tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from domain.legacy_ids import derived_op_id, household_id_for, member_id_for
from domain.programmes import DEFAULT, Catalogue, Target
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from domain.states import OpKind, SyncState
from local_db.household_payloads import PAYLOAD_OF, household_columns, member_columns, proposal_columns

STEP_DESCRIPTION = "keluarga, anggota dan usulan dari entri lama"
MIGRATE_ACTION = "MIGRATE"
IN_DOUBT_NOTE = "diganti saat migrasi"
FLAG_PENGURUS_MOVED = "MIGRATED_PENGURUS_MOVED"  # the pengurus now lives in another household
FLAG_UNKNOWN_PROGRAMME = "MIGRATED_UNKNOWN_PROGRAMME"  # not in the catalogue: kept as a person proposal
PROBABLE_PERSON_CODES = ("duplicate_probable_person",)  # entry warnings that belong to the person
LEGACY_OUTBOX = "legacy_outbox"
LEGACY_RECORD_TYPE = "entry"  # record_type of an old entry op (also what NULL means: today's app leaves it unset)
MIGRATED_BY = "migrasi"
_LATER_PROPOSAL_COLUMNS = frozenset({"musdesus_minutes_sha256"})  # added by local_db.meeting_migration

# Frozen from local_db.household_models (never edit once the step is released; a later change is a new step).
DDL: tuple[str, ...] = (
'CREATE TABLE households (\n\trecord_id VARCHAR(36) NOT NULL, \n\tcreated_at DATETIME NOT NULL, \n\tupdated_at DATETIME NOT NULL, \n\tcreated_by VARCHAR NOT NULL, \n\tupdated_by VARCHAR NOT NULL, \n\twarnings VARCHAR NOT NULL, \n\tdeleted BOOLEAN NOT NULL, \n\tdelete_reason VARCHAR NOT NULL, \n\tlocal_rev INTEGER NOT NULL, \n\tbase_version INTEGER, \n\tsync_state VARCHAR NOT NULL, \n\tserver_version INTEGER, \n\tserver_flags VARCHAR NOT NULL, \n\tconflict_data VARCHAR, \n\tvoided BOOLEAN NOT NULL, \n\tkk VARCHAR(16) NOT NULL, \n\tkk_pending BOOLEAN NOT NULL, \n\tdesa_code VARCHAR(10) NOT NULL, \n\tdusun VARCHAR NOT NULL, \n\trt VARCHAR NOT NULL, \n\trw VARCHAR NOT NULL, \n\taddress VARCHAR NOT NULL, \n\tphone VARCHAR NOT NULL, \n\tlatitude FLOAT, \n\tlongitude FLOAT, \n\ttenure VARCHAR NOT NULL, \n\tfloor_area_m2 FLOAT, \n\tfloor_material VARCHAR NOT NULL, \n\twall_material VARCHAR NOT NULL, \n\troof_material VARCHAR NOT NULL, \n\twater_source VARCHAR NOT NULL, \n\tlighting VARCHAR NOT NULL, \n\twattage VARCHAR NOT NULL, \n\tcooking_fuel VARCHAR NOT NULL, \n\ttoilet_facility VARCHAR NOT NULL, \n\ttoilet_type VARCHAR NOT NULL, \n\tsewage VARCHAR NOT NULL, \n\tassets VARCHAR NOT NULL, \n\tlivestock VARCHAR NOT NULL, \n\tnotes VARCHAR NOT NULL, \n\tdesil INTEGER, \n\tPRIMARY KEY (record_id)\n)',
'CREATE INDEX ix_households_area ON households (desa_code, dusun, rt, rw)',
'CREATE INDEX ix_households_kk ON households (kk)',
'CREATE INDEX ix_households_sync_state ON households (sync_state)',
'CREATE INDEX ix_households_updated_at ON households (updated_at)',
'CREATE TABLE members (\n\trecord_id VARCHAR(36) NOT NULL, \n\tcreated_at DATETIME NOT NULL, \n\tupdated_at DATETIME NOT NULL, \n\tcreated_by VARCHAR NOT NULL, \n\tupdated_by VARCHAR NOT NULL, \n\twarnings VARCHAR NOT NULL, \n\tdeleted BOOLEAN NOT NULL, \n\tdelete_reason VARCHAR NOT NULL, \n\tlocal_rev INTEGER NOT NULL, \n\tbase_version INTEGER, \n\tsync_state VARCHAR NOT NULL, \n\tserver_version INTEGER, \n\tserver_flags VARCHAR NOT NULL, \n\tconflict_data VARCHAR, \n\tvoided BOOLEAN NOT NULL, \n\thousehold_id VARCHAR(36) NOT NULL, \n\tnik VARCHAR(16) NOT NULL, \n\ttemp_id VARCHAR(16) NOT NULL, \n\tformer_ids VARCHAR NOT NULL, \n\tname VARCHAR NOT NULL, \n\tname_key VARCHAR NOT NULL, \n\tbirth_place VARCHAR NOT NULL, \n\tbirth_date DATE NOT NULL, \n\tsex VARCHAR(1) NOT NULL, \n\trelation VARCHAR NOT NULL, \n\tmarital_status VARCHAR NOT NULL, \n\teducation VARCHAR NOT NULL, \n\tschool_status VARCHAR NOT NULL, \n\toccupation VARCHAR NOT NULL, \n\tdifficulties VARCHAR NOT NULL, \n\tchronic_illness VARCHAR NOT NULL, \n\tpregnant BOOLEAN NOT NULL, \n\tppks VARCHAR NOT NULL, \n\tcriteria VARCHAR NOT NULL, \n\tphone VARCHAR NOT NULL, \n\tnotes VARCHAR NOT NULL, \n\toverride_reason VARCHAR NOT NULL, \n\tdesil INTEGER, \n\tPRIMARY KEY (record_id)\n)',
'CREATE INDEX ix_members_birth_date ON members (birth_date)',
'CREATE INDEX ix_members_household ON members (household_id)',
'CREATE INDEX ix_members_name_key ON members (name_key)',
'CREATE INDEX ix_members_nik ON members (nik)',
'CREATE INDEX ix_members_sync_state ON members (sync_state)',
'CREATE INDEX ix_members_temp_id ON members (temp_id)',
'CREATE INDEX ix_members_updated_at ON members (updated_at)',
'CREATE TABLE proposals (\n\trecord_id VARCHAR(36) NOT NULL, \n\tcreated_at DATETIME NOT NULL, \n\tupdated_at DATETIME NOT NULL, \n\tcreated_by VARCHAR NOT NULL, \n\tupdated_by VARCHAR NOT NULL, \n\twarnings VARCHAR NOT NULL, \n\tdeleted BOOLEAN NOT NULL, \n\tdelete_reason VARCHAR NOT NULL, \n\tlocal_rev INTEGER NOT NULL, \n\tbase_version INTEGER, \n\tsync_state VARCHAR NOT NULL, \n\tserver_version INTEGER, \n\tserver_flags VARCHAR NOT NULL, \n\tconflict_data VARCHAR, \n\tvoided BOOLEAN NOT NULL, \n\ttype VARCHAR NOT NULL, \n\tprogramme VARCHAR NOT NULL, \n\thousehold_id VARCHAR(36) NOT NULL, \n\tmember_id VARCHAR(36) NOT NULL, \n\ttarget_id VARCHAR(36) NOT NULL, \n\tpengurus_id VARCHAR(36) NOT NULL, \n\tcriteria VARCHAR NOT NULL, \n\tnote VARCHAR NOT NULL, \n\tremoval_reason VARCHAR NOT NULL, \n\tmusdesus_decision VARCHAR NOT NULL, \n\tmusdesus_date VARCHAR NOT NULL, \n\tmusdesus_ref VARCHAR NOT NULL, \n\treview_state VARCHAR, \n\treview_reason_code VARCHAR, \n\treview_note VARCHAR, \n\treview_fields VARCHAR NOT NULL, \n\tfield_check VARCHAR, \n\tfinal_state VARCHAR, \n\tlegacy_entry_id VARCHAR(36), \n\tPRIMARY KEY (record_id)\n)',
'CREATE INDEX ix_proposals_household ON proposals (household_id)',
'CREATE INDEX ix_proposals_legacy_entry ON proposals (legacy_entry_id)',
'CREATE INDEX ix_proposals_member ON proposals (member_id)',
'CREATE INDEX ix_proposals_open ON proposals (programme, target_id) WHERE deleted = 0',
'CREATE INDEX ix_proposals_pengurus ON proposals (pengurus_id)',
'CREATE INDEX ix_proposals_review ON proposals (review_state)',
'CREATE INDEX ix_proposals_sync_state ON proposals (sync_state)',
'CREATE INDEX ix_proposals_updated_at ON proposals (updated_at)',
)

_HOUSEHOLD_DEFAULTS: dict[str, Any] = {
    "tenure": "", "floor_area_m2": None, "floor_material": "", "wall_material": "", "roof_material": "",
    "water_source": "", "lighting": "", "wattage": "", "cooking_fuel": "", "toilet_facility": "", "toilet_type": "",
    "sewage": "", "assets": "[]", "livestock": "{}", "notes": "", "desil": None,
}


@dataclass(slots=True)
class MigrationReport:
    """What one run made (counts only: no NIK or name, so it can be logged)."""

    households: int = 0
    members: int = 0
    proposals: int = 0
    ops_in: int = 0
    ops_out: int = 0
    batches_closed: int = 0
    skipped_ops: list[str] = field(default_factory=list)  # op ids whose entry is gone (kept in legacy_outbox)


def _ts(d: datetime) -> str:
    return d.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _rows(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    res = conn.exec_driver_sql(sql, params)
    keys = list(res.keys())
    return [dict(zip(keys, r, strict=True)) for r in res.fetchall()]


def _insert(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         [tuple(r[c] for c in cols) for r in rows])


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)


def has_household_tables(conn: Connection) -> bool:
    n = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='households'").scalar_one()
    return bool(n)


def _latest(entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The entry whose data wins: the most recently updated non-deleted one, else the most recent."""
    return max(entries, key=lambda e: (not e["deleted"], str(e["updated_at"]), e["record_id"]))


def _latest_nonempty(entries: list[dict[str, Any]], col: str) -> str:
    for e in sorted(entries, key=lambda e: (str(e["updated_at"]), e["record_id"]), reverse=True):
        if e[col]:
            return str(e[col])
    return ""


def _sync_columns(group: list[dict[str, Any]]) -> dict[str, Any]:
    """Record columns every migrated household/member gets; versions/state are set after the ops."""
    return {
        "created_at": min(str(e["created_at"]) for e in group), "updated_at": max(str(e["updated_at"]) for e in group),
        "created_by": min(group, key=lambda e: str(e["created_at"]))["created_by"],
        "updated_by": max(group, key=lambda e: str(e["updated_at"]))["updated_by"],
        "deleted": int(all(e["deleted"] for e in group)),
        "delete_reason": _latest_nonempty(group, "delete_reason") if all(e["deleted"] for e in group) else "",
        "server_flags": "[]", "conflict_data": None, "voided": 0,
    }


@dataclass(slots=True)
class _Plan:
    households: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    proposals: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)  # new record id -> entry ids
    on_server: set[str] = field(default_factory=set)  # household/member ids the server's migration creates


def _plan(entries: list[dict[str, Any]], catalogue: Catalogue) -> _Plan:
    plan = _Plan()
    by_kk: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_nik: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_kk[household_id_for(e["desa_code"], e["kk"])].append(e)
        by_nik[member_id_for(e["desa_code"], e["nik"])].append(e)
    for hid, group in by_kk.items():
        src = _latest(group)
        payload = HouseholdPayload(
            kk=src["kk"], desa_code=src["desa_code"], dusun=src["dusun"], rt=src["rt"], rw=src["rw"],
            address=src["address"], phone=_latest_nonempty(group, "phone"), latitude=src["latitude"],
            longitude=src["longitude"])
        plan.households[hid] = {"record_id": hid, **_sync_columns(group), "warnings": "[]",
                                **_HOUSEHOLD_DEFAULTS, **household_columns(payload)}
        plan.sources[hid] = sorted(e["record_id"] for e in group)
        if any(e["server_version"] is not None for e in group):
            plan.on_server.add(hid)
    for mid, group in by_nik.items():
        src = _latest(group)
        criteria: list[str] = []
        warnings: list[dict[str, Any]] = []
        for e in sorted(group, key=lambda e: (str(e["created_at"]), e["record_id"])):
            criteria += [c for c in e["criteria"].split(",") if c and c not in criteria]
            for w in json.loads(e["warnings"] or "[]"):
                if w.get("code") in PROBABLE_PERSON_CODES and w not in warnings:
                    warnings.append(w)
        member = MemberPayload(
            household_id=household_id_for(src["desa_code"], src["kk"]), nik=src["nik"], name=src["name"],
            birth_place=src["birth_place"], birth_date=str(src["birth_date"])[:10], sex=src["sex"], relation="",
            criteria=criteria, phone=_latest_nonempty(group, "phone"),
            override_reason=_latest_nonempty(group, "override_reason"))
        plan.members[mid] = {"record_id": mid, **_sync_columns(group), "warnings": _dumps(warnings),
                             "desil": None, **member_columns(member, src["name_key"])}
        plan.sources[mid] = sorted(e["record_id"] for e in group)
        if any(e["server_version"] is not None for e in group):
            plan.on_server.add(mid)
    for e in entries:
        plan.proposals[e["record_id"]] = _proposal(e, plan, catalogue)
    return plan


def _proposal(e: dict[str, Any], plan: _Plan, catalogue: Catalogue) -> dict[str, Any]:
    hid = household_id_for(e["desa_code"], e["kk"])
    mid = member_id_for(e["desa_code"], e["nik"])
    flags: list[str] = json.loads(e["server_flags"] or "[]")
    prog = catalogue.get(e["programme"])
    if prog is None:
        flags.append(FLAG_UNKNOWN_PROGRAMME)
    if prog is not None and prog.target is Target.HOUSEHOLD:
        payload = ProposalPayload(programme=e["programme"], household_id=hid, pengurus_id=mid,
                                  criteria=[c for c in e["criteria"].split(",") if c], note=e["notes"])
        if plan.members[mid]["household_id"] != hid:
            flags.append(FLAG_PENGURUS_MOVED)
    else:
        payload = ProposalPayload(programme=e["programme"], member_id=mid,
                                  criteria=[c for c in e["criteria"].split(",") if c], note=e["notes"])
    state = e["sync_state"]
    if state == SyncState.UPLOADING:  # its batch is closed below and its op queued again
        state = SyncState.NEW.value if e["server_version"] is None else SyncState.DIRTY.value
    return {
        "record_id": e["record_id"], "created_at": e["created_at"], "updated_at": e["updated_at"],
        "created_by": e["created_by"], "updated_by": e["updated_by"], "warnings": e["warnings"],
        "deleted": int(bool(e["deleted"])), "delete_reason": e["delete_reason"], "local_rev": e["local_rev"],
        "base_version": e["base_version"], "sync_state": state, "server_version": e["server_version"],
        "server_flags": _dumps(flags), "conflict_data": e["conflict_data"], "voided": 0,
        # Only the columns step 4's table has (later steps add more, e.g. step 5's minutes hash).
        **{k: v for k, v in proposal_columns(payload).items() if k not in _LATER_PROPOSAL_COLUMNS},
        "review_state": e["review_state"], "review_reason_code": e["review_reason_code"],
        "review_note": e["review_note"], "review_fields": "[]", "field_check": None, "final_state": None,
        "legacy_entry_id": e["record_id"],
    }


def _payload_json(record_type: RecordType, row: Mapping[str, Any]) -> str:
    return PAYLOAD_OF[record_type](row).model_dump_json()


def _convert_ops(conn: Connection, plan: _Plan, entries: dict[str, dict[str, Any]], report: MigrationReport) -> None:
    old_ops = _rows(conn, "SELECT * FROM outbox ORDER BY seq")
    report.ops_in = len(old_ops)
    seq = int(conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM outbox").scalar_one())
    counts: dict[str, int] = defaultdict(int)  # household/member id -> ops emitted
    out: list[dict[str, Any]] = []

    def emit(op_id: str, rtype: RecordType, rid: str, kind: str, rev: int, base: int | None, payload: str,
             created: Any) -> None:
        nonlocal seq
        seq += 1
        out.append({"op_id": op_id, "seq": seq, "record_id": rid, "kind": kind, "local_rev": rev,
                    "base_version": base, "payload": payload, "created_at": created, "batch_id": None,
                    "record_type": rtype.value})

    for op in old_ops:
        e = entries.get(op["record_id"])
        if e is None:
            report.skipped_ops.append(op["op_id"])
            continue
        if op["kind"] == OpKind.UPSERT:
            for rtype, rid, rows in ((RecordType.HOUSEHOLD, household_id_for(e["desa_code"], e["kk"]), plan.households),
                                     (RecordType.MEMBER, member_id_for(e["desa_code"], e["nik"]), plan.members)):
                counts[rid] += 1
                emit(derived_op_id(op["op_id"], rtype), rtype, rid, OpKind.UPSERT.value, counts[rid],
                     1 if rid in plan.on_server else None, _payload_json(rtype, rows[rid]), op["created_at"])
        emit(op["op_id"], RecordType.PROPOSAL, e["record_id"], op["kind"], op["local_rev"], op["base_version"],
             _payload_json(RecordType.PROPOSAL, plan.proposals[e["record_id"]]), op["created_at"])
    for rid, row in (*plan.households.items(), *plan.members.items()):
        _versions(row, counts.get(rid, 0), rid in plan.on_server)
    # The old rows are in legacy_outbox; an op whose entry is gone stays as it was (and is reported).
    keep = set(report.skipped_ops)
    conn.exec_driver_sql("DELETE FROM outbox WHERE op_id = ?", [(op["op_id"],) for op in old_ops
                                                                 if op["op_id"] not in keep] or [("",)])
    _insert(conn, "outbox", out)
    report.ops_out = len(out)


def _versions(row: dict[str, Any], n_ops: int, on_server: bool) -> None:
    row["local_rev"] = max(1, n_ops)
    row["base_version"] = row["server_version"] = 1 if on_server else None
    if not on_server:
        row["sync_state"] = SyncState.NEW.value
    else:
        row["sync_state"] = (SyncState.DIRTY if n_ops else SyncState.SYNCED).value


def migrate_to_households(conn: Connection, *, catalogue: Catalogue = DEFAULT,
                          now: datetime | None = None) -> MigrationReport | None:
    """The conversion, in the caller's transaction; None when the store already has the tables."""
    if has_household_tables(conn):
        return None
    at = _ts(now or datetime.now(UTC))
    for stmt in DDL:
        conn.exec_driver_sql(stmt)
    conn.exec_driver_sql("ALTER TABLE outbox ADD COLUMN record_type VARCHAR")
    conn.exec_driver_sql("UPDATE outbox SET record_type = ?", (LEGACY_RECORD_TYPE,))
    conn.exec_driver_sql(f"CREATE TABLE {LEGACY_OUTBOX} AS SELECT * FROM outbox")
    entries = _rows(conn, "SELECT * FROM entry ORDER BY created_at, record_id")
    plan = _plan(entries, catalogue)
    report = MigrationReport(households=len(plan.households), members=len(plan.members),
                             proposals=len(plan.proposals))
    _convert_ops(conn, plan, {e["record_id"]: e for e in entries}, report)
    _insert(conn, "households", list(plan.households.values()))
    _insert(conn, "members", list(plan.members.values()))
    _insert(conn, "proposals", list(plan.proposals.values()))
    device = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'device_id'").scalar() or ""
    audits = []
    for rtype, rows in ((RecordType.HOUSEHOLD, plan.households), (RecordType.MEMBER, plan.members)):
        for rid, row in rows.items():
            audits.append({"record_id": rid, "action": MIGRATE_ACTION, "actor": MIGRATED_BY, "device_id": device,
                           "at": at, "before": None, "after": _payload_json(rtype, row),
                           "reason": "Dibuat dari entri lama: " + ", ".join(plan.sources[rid])})
    _insert(conn, "auditlog", audits)
    report.batches_closed = conn.exec_driver_sql(
        "UPDATE batch SET done_at = ?, last_error = ? WHERE done_at IS NULL", (at, IN_DOUBT_NOTE)).rowcount
    return report


def apply(conn: Connection) -> None:
    """The registered user_version step (local_db.migrations): the conversion with the default catalogue.

    A village whose programmes.json adds person programmes migrates its old entries of those as person
    proposals either way (an unknown programme becomes a flagged person proposal), so the default
    catalogue loses nothing; the flag tells the reviewer."""
    migrate_to_households(conn)
