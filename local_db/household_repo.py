"""Writes of the household model (design.md §3-§4): households, members, proposals.

Each write puts, in the caller's one transaction (`repository.session_scope(engine, write=True)`,
whose BEGIN IMMEDIATE keeps the duplicate check and the insert together): the record, an outbox op
with its `record_type`, an audit row (who, when, device, before/after) and the sync bookkeeping
(local_rev + 1; NEW until the server has the record, then DIRTY). Values arrive as the payloads of
domain.records; the domain checks run here too, so nothing invalid is stored.

Local duplicate rules, each one indexed lookup (local_db.household_models):
1. same NIK (or temporary id) on two members -> DuplicateMember naming the existing member;
2. same KK on two households -> DuplicateHousehold;
4. a second open proposal for one programme and target -> DuplicateProposal;
5. already a recipient in the reference list -> ReferenceRecipientRefused when the programme rule
   refuses (local_db.member_duplicates.reference_blocks), else a warning recorded with the proposal.
A programme that does not fit its target is WrongTarget (domain.proposal_check's reason).

The tables come from local_db.household_migration; nothing in the running app calls this module yet.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from domain import names
from domain.findings import Findings
from domain.household_check import validate_household
from domain.issues import Issue, warning
from domain.member_check import LABELS as MEMBER_LABELS
from domain.member_check import check_household_members, validate_member
from domain.member_id_change import replace_temp_id
from domain.programmes import DEFAULT, Catalogue, UnknownProgramme
from domain.proposal_check import LABELS as PROPOSAL_LABELS
from domain.proposal_check import open_key, validate_proposal
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from domain.states import OpKind, SyncState
from local_db import household_models as hm
from local_db.household_errors import (
    DuplicateHousehold,
    DuplicateMember,
    DuplicateProposal,
    InvalidRecord,
    RecordNotFound,
    RecordRefused,
    ReferenceRecipientRefused,
    WrongTarget,
)
from local_db.household_payloads import (
    HOUSING_FIELDS,
    PAYLOAD_OF,
    household_columns,
    member_columns,
    member_payload,
    proposal_columns,
)
from local_db.member_duplicates import INACTIVE_REFERENCE_STATUSES, reference_blocks
from local_db.repository import uuid4_texts

TABLE = {RecordType.HOUSEHOLD: "households", RecordType.MEMBER: "members", RecordType.PROPOSAL: "proposals"}
# Column defaults of the models (the frozen DDL has none: SQLModel's defaults are Python-side).
DEFAULTS: dict[RecordType, dict[str, Any]] = {
    t: {c.name: (c.default.arg.value if hasattr(c.default.arg, "value") else c.default.arg)
        for c in model.__table__.columns if c.default is not None and c.default.is_scalar}  # type: ignore[attr-defined]
    for t, model in hm.RECORD_TABLES.items()
}
NOUN = {RecordType.HOUSEHOLD: "Keluarga", RecordType.MEMBER: "Anggota", RecordType.PROPOSAL: "Usulan"}


class Action:
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    MOVE = "MOVE"  # a member moved to another household
    ID_CHANGE = "ID_CHANGE"  # a temporary id replaced by the NIK


@dataclass(frozen=True, slots=True)
class Who:
    """Who saves: the operator's name and this device (for the audit row)."""

    actor: str
    device_id: str


@dataclass(frozen=True, slots=True)
class Saved:
    record_id: str
    warnings: list[Issue] = field(default_factory=list)


def _ts(d: datetime | None = None) -> str:
    return (d or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _cur(s: Session) -> Any:
    return s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def _one(s: Session, sql: str, params: Sequence[Any]) -> dict[str, Any] | None:
    cur = _cur(s)
    try:
        cur.execute(sql, tuple(params))
        row = cur.fetchone()
        return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))
    finally:
        cur.close()


def _all(s: Session, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    cur = _cur(s)
    try:
        return list(cur.execute(sql, tuple(params)).fetchall())
    finally:
        cur.close()


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)


# --------------------------------------------------------------------------- reading


def get(s: Session, record_type: RecordType, record_id: str) -> dict[str, Any] | None:
    return _one(s, f"SELECT * FROM {TABLE[record_type]} WHERE record_id = ?", (record_id,))


def _require(s: Session, record_type: RecordType, record_id: str, fld: str = "") -> dict[str, Any]:
    row = get(s, record_type, record_id) if record_id else None
    if row is None or row["deleted"]:
        raise RecordNotFound(f"{NOUN[record_type]} yang dipilih tidak ditemukan atau sudah dihapus.", field=fld,
                             code="not_found")
    return row


def members_of(s: Session, household_id: str) -> list[dict[str, Any]]:
    cur = _cur(s)
    try:
        cur.execute("SELECT * FROM members WHERE household_id = ? AND deleted = 0 ORDER BY created_at, record_id",
                    (household_id,))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        cur.close()


# --------------------------------------------------------------------------- bookkeeping


def _raise_findings(f: Findings, labels: Mapping[str, str] | None = None) -> None:
    if f.errors:
        first = f.errors[0]
        label = (labels or {}).get(first.field)
        text = first.message if not label or first.message.startswith(label) else f"{label}: {first.message}"
        raise InvalidRecord(text, field=first.field, code=first.code)


def _add_op(s: Session, record_type: RecordType, row: Mapping[str, Any], kind: OpKind, now: str) -> str:
    op_id = str(uuid.uuid4())
    payload = PAYLOAD_OF[record_type](row).model_dump_json()
    s.connection().exec_driver_sql(
        "INSERT INTO outbox (op_id, seq, record_id, kind, local_rev, base_version, payload, created_at, batch_id, "
        "record_type) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?, NULL, ?)",
        (op_id, row["record_id"], kind.value, row["local_rev"], row["base_version"], payload, now, record_type.value))
    return op_id


def _snapshot(record_type: RecordType, row: Mapping[str, Any] | None) -> str | None:
    if row is None:
        return None
    d = PAYLOAD_OF[record_type](row).model_dump()
    d["deleted"] = bool(row["deleted"])
    return _dumps(d)


def _audit(s: Session, record_type: RecordType, record_id: str, action: str, who: Who, now: str,
           before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, reason: str = "") -> None:
    s.connection().exec_driver_sql(
        "INSERT INTO auditlog (record_id, action, actor, device_id, at, before, after, reason) VALUES (?,?,?,?,?,?,?,?)",
        (record_id, action, who.actor, who.device_id, now, _snapshot(record_type, before),
         _snapshot(record_type, after), reason))


def _write(s: Session, record_type: RecordType, record_id: str | None, values: dict[str, Any], who: Who, *,
           kind: OpKind = OpKind.UPSERT, action: str | None = None, reason: str = "") -> str:
    """Insert or update one record with its op, audit row and sync bookkeeping."""
    now = _ts()
    table = TABLE[record_type]
    before = get(s, record_type, record_id) if record_id else None
    if before is None:
        row = {**DEFAULTS[record_type], "record_id": record_id or str(uuid.uuid4()), "created_at": now, "updated_at": now,
               "created_by": who.actor, "updated_by": who.actor, "local_rev": 1, "base_version": None,
               "sync_state": SyncState.NEW.value, **values}
        cols = list(row)
        s.connection().exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", tuple(row.values()))
        action = action or Action.CREATE
    else:
        state = SyncState.NEW if before["server_version"] is None else SyncState.DIRTY
        changes = {**values, "local_rev": before["local_rev"] + 1, "updated_at": now, "updated_by": who.actor,
                   "sync_state": state.value}
        s.connection().exec_driver_sql(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changes)} WHERE record_id = ?",
            (*changes.values(), before["record_id"]))
        action = action or Action.UPDATE
    after = get(s, record_type, record_id or row["record_id"])
    assert after is not None
    _add_op(s, record_type, after, kind, now)
    _audit(s, record_type, after["record_id"], action, who, now, before, after, reason)
    return str(after["record_id"])


def write_record(s: Session, record_type: RecordType, record_id: str, values: dict[str, Any], who: Who, *,
                 kind: OpKind = OpKind.UPSERT, action: str, reason: str = "") -> str:
    """An update of stored column values with its op, audit row and sync bookkeeping, without the
    checks of the save_* functions: for values both sides already accepted (a conflict settled by
    choosing per field between the village's and the server's copy, sync.conflicts)."""
    return _write(s, record_type, record_id, values, who, kind=kind, action=action, reason=reason)


# --------------------------------------------------------------------------- households


def save_household(s: Session, payload: HouseholdPayload, who: Who, *, record_id: str | None = None,
                   operator_desa: str | None = None) -> Saved:
    found = validate_household(payload, operator_desa=operator_desa)
    _raise_findings(found)
    payload = payload.model_copy(update={"kk": _digits(payload.kk)})  # 1902.0114... typed -> stored as digits
    if record_id:
        _require(s, RecordType.HOUSEHOLD, record_id)
    kk = payload.kk
    if kk:
        hit = _one(s, hm.SQL_SAME_KK, (kk, record_id or ""))
        if hit is not None:
            where = hit["address"] or "alamat belum diisi"
            raise DuplicateHousehold(
                f"KK {kk} sudah terdaftar sebagai keluarga lain ({where}). Buka keluarga itu dan tambahkan "
                "anggotanya di sana, jangan membuat keluarga baru.", field="kk", code="duplicate_kk")
    values = household_columns(payload)
    values["warnings"] = _dumps([w.to_dict() for w in found.warnings])
    return Saved(_write(s, RecordType.HOUSEHOLD, record_id, values, who), found.warnings)


# --------------------------------------------------------------------------- members


# Rule 1's lookup (ix_members_nik) with the KK of the existing member's household for the message, in one statement.
_SQL_SAME_NIK_WITH_KK = ("SELECT m.name, h.kk FROM members m LEFT JOIN households h ON h.record_id = m.household_id "
                         "WHERE m.nik = ? AND m.nik != '' AND m.deleted = 0 AND m.record_id != ? LIMIT 1")


def check_member_ids(s: Session, payload: MemberPayload, record_id: str) -> None:
    """Rule 1: one NIK (or temporary id) on one member."""
    if payload.nik:
        hit = _all(s, _SQL_SAME_NIK_WITH_KK, (payload.nik, record_id))
        if hit:
            name, kk = hit[0]
            raise DuplicateMember(
                f"NIK {payload.nik} sudah terdaftar sebagai anggota {name} di keluarga KK {kk or '(belum ada KK)'}. "
                "Buka data anggota itu, jangan memasukkannya lagi.", field="nik", code="duplicate_nik")
    if payload.temp_id:
        temp = _one(s, hm.SQL_SAME_TEMP_ID, (payload.temp_id, record_id))
        if temp is not None:
            raise DuplicateMember(f"Nomor sementara {payload.temp_id} sudah dipakai anggota {temp['name']}.",
                                  field="temp_id", code="duplicate_temp_id")


def save_member(s: Session, payload: MemberPayload, who: Who, *, record_id: str | None = None,
                today: date | None = None, operator_kabkota: str | None = None) -> Saved:
    found = validate_member(payload, today=today, operator_kabkota=operator_kabkota)
    _raise_findings(found, MEMBER_LABELS)
    payload = payload.model_copy(update={"nik": _digits(payload.nik)})
    if not payload.nik and not payload.temp_id:
        raise InvalidRecord("NIK: isi NIK, atau beri nomor sementara bila belum punya NIK.", field="nik",
                            code="empty")
    before = _require(s, RecordType.MEMBER, record_id) if record_id else None
    _require(s, RecordType.HOUSEHOLD, payload.household_id, "household_id")
    replaced = before is not None and bool(before["temp_id"]) and bool(payload.nik) and not payload.temp_id
    if replaced and before is not None and before["temp_id"] not in payload.former_ids:
        # The NIK replaced the temporary id through a plain edit: keep the old id in the history all the same.
        payload = payload.model_copy(update={"former_ids": [*payload.former_ids, before["temp_id"]]})
    check_member_ids(s, payload, record_id or "")
    # The household's members together (one head, one husband): errors refuse, warnings are recorded.
    others = [member_payload(m) for m in members_of(s, payload.household_id) if m["record_id"] != record_id]
    family = [i for i in check_household_members([*others, payload], today=today) if i.code != "no_head"]
    _raise_findings(Findings(errors=[i for i in family if i.is_error]), MEMBER_LABELS)
    warnings = [*found.warnings, *(i for i in family if not i.is_error)]
    values = member_columns(payload, names.name_key(payload.name))
    values["warnings"] = _dumps([w.to_dict() for w in warnings])
    moved = before is not None and before["household_id"] != payload.household_id
    action = Action.MOVE if moved else Action.ID_CHANGE if replaced else None
    rid = _write(s, RecordType.MEMBER, record_id, values, who, action=action)
    return Saved(rid, warnings)


def move_member(s: Session, member_id: str, household_id: str, who: Who, *, reason: str = "") -> Saved:
    """The member goes to another household: same record, same history; the move is one audited edit."""
    row = _require(s, RecordType.MEMBER, member_id, "record_id")
    _require(s, RecordType.HOUSEHOLD, household_id, "household_id")
    if row["household_id"] == household_id:
        raise RecordRefused("Keluarga tujuan: anggota ini sudah di keluarga tersebut.", field="household_id",
                            code="same_household")
    payload = member_payload(row).model_copy(update={"household_id": household_id})
    values = member_columns(payload, row["name_key"])
    return Saved(_write(s, RecordType.MEMBER, member_id, values, who, action=Action.MOVE,
                        reason=reason or "Pindah keluarga"))


def replace_member_temp_id(s: Session, member_id: str, nik: str, who: Who, *,
                           operator_kabkota: str | None = None) -> Saved:
    """The NIK arrived: it replaces the temporary id; the old id stays in former_ids and the audit row."""
    row = _require(s, RecordType.MEMBER, member_id, "record_id")
    change = replace_temp_id(member_payload(row), nik, operator_kabkota=operator_kabkota)
    if not change.ok or change.payload is None:
        first = change.errors[0]
        raise InvalidRecord(first.message if first.message.startswith("NIK") else f"NIK: {first.message}",
                            field="nik", code=first.code)
    check_member_ids(s, change.payload, member_id)
    values = member_columns(change.payload, row["name_key"])
    rid = _write(s, RecordType.MEMBER, member_id, values, who, action=Action.ID_CHANGE,
                 reason=f"NIK menggantikan nomor sementara {change.old_id}")
    return Saved(rid, change.warnings)


# --------------------------------------------------------------------------- proposals


def _reference_findings(s: Session, niks: list[str], programme: Any, catalogue: Catalogue) -> list[Issue]:
    """Rule 5 over the target's NIKs (the member, or every member of the household)."""
    out: list[Issue] = []
    for nik in niks:
        for ref_prog, level, status in _all(
                s, "SELECT programme, level, status FROM referencerecipient WHERE nik = ?", (nik,)):
            active = (status or "").strip().lower() not in INACTIVE_REFERENCE_STATUSES
            ref = catalogue.get(ref_prog)
            if active and reference_blocks(programme, level, ref):
                raise ReferenceRecipientRefused(
                    f"Program: NIK {nik} sudah menerima bantuan pusat {ref_prog}; penerima bantuan pusat tidak dapat "
                    f"diusulkan ke program {programme.code}.", field="programme", code="reference_recipient")
            state = "" if active else f" (status: {status})"
            out.append(warning("programme", "reference_recipient",
                               f"NIK {nik} sudah ada di daftar penerima program {ref_prog}{state}."))
    return out


def save_proposal(s: Session, payload: ProposalPayload, who: Who, *, record_id: str | None = None,
                  catalogue: Catalogue = DEFAULT, today: date | None = None) -> Saved:
    try:
        prog = catalogue.resolve(payload.programme)
    except UnknownProgramme as e:
        raise InvalidRecord(f"Program: {e.message}", field="programme", code="unknown") from None
    payload = payload.model_copy(update={"programme": prog.code})
    if record_id:
        _require(s, RecordType.PROPOSAL, record_id)
    member_ids: list[str] | None = None
    if payload.household_id:
        _require(s, RecordType.HOUSEHOLD, payload.household_id, "household_id")
        member_ids = [m["record_id"] for m in members_of(s, payload.household_id)]
    if payload.member_id:
        _require(s, RecordType.MEMBER, payload.member_id, "member_id")
    found = validate_proposal(payload, catalogue=catalogue, household_member_ids=member_ids, today=today)
    wrong = [i for i in found.errors if i.code in ("household_programme_on_member", "person_programme_on_household",
                                                   "both_targets", "person_programme")]
    if wrong:
        raise WrongTarget(f"{PROPOSAL_LABELS[wrong[0].field]}: {wrong[0].message}", field=wrong[0].field, code=wrong[0].code)
    _raise_findings(found, PROPOSAL_LABELS)
    code, target = open_key(payload, catalogue)
    hit = _one(s, hm.SQL_OPEN_PROPOSAL, (code, target, record_id or ""))
    if hit is not None:
        whom = "keluarga ini" if prog.is_household else "anggota ini"
        state = {"RETURNED": "dikembalikan untuk perbaikan", None: "belum diverifikasi"}.get(
            hit["review_state"], "menunggu verifikasi")
        raise DuplicateProposal(
            f"Program: {whom} sudah punya usulan {code} yang masih terbuka ({state}). Satu program hanya boleh "
            "satu usulan terbuka per sasaran; buka usulan yang ada.", field="programme", code="duplicate_proposal")
    if prog.is_household:
        niks = [m["nik"] for m in members_of(s, payload.household_id) if m["nik"]]
    else:
        m = get(s, RecordType.MEMBER, payload.member_id)
        niks = [m["nik"]] if m and m["nik"] else []
    warnings = [*found.warnings, *_reference_findings(s, niks, prog, catalogue)]
    values = {**proposal_columns(payload), "warnings": _dumps([w.to_dict() for w in warnings])}
    return Saved(_write(s, RecordType.PROPOSAL, record_id, values, who), warnings)


# --------------------------------------------------------------------------- deletion


def soft_delete(s: Session, record_type: RecordType, record_id: str, who: Who, *, reason: str) -> Saved:
    """Mark a record deleted with a reason (+ DELETE op and audit); the row stays for history.

    A household with members, or a member named by an open proposal, is refused: nothing is removed
    by implication (ADR 0005)."""
    if not reason.strip():
        raise InvalidRecord("Alasan penghapusan wajib diisi.", field="delete_reason", code="empty")
    row = _require(s, record_type, record_id, "record_id")
    if record_type is RecordType.HOUSEHOLD and members_of(s, record_id):
        raise RecordRefused("Keluarga ini masih punya anggota; pindahkan atau hapus anggotanya dulu.",
                            field="record_id", code="has_members")
    if record_type is RecordType.MEMBER and _all(
            s, "SELECT 1 FROM proposals WHERE deleted = 0 AND (member_id = ? OR pengurus_id = ?) "
               "AND (review_state IS NULL OR review_state NOT IN ('APPROVED', 'REJECTED')) LIMIT 1",
            (record_id, record_id)):
        raise RecordRefused("Anggota ini masih menjadi sasaran atau pengurus usulan yang terbuka; hapus atau "
                            "ubah usulannya dulu.", field="record_id", code="has_open_proposals")
    del row
    return Saved(_write(s, record_type, record_id, {"deleted": 1, "delete_reason": reason.strip()}, who,
                        kind=OpKind.DELETE, action=Action.DELETE, reason=reason.strip()))


# --------------------------------------------------------------------------- bulk (importer)


_AUDIT_SQL = ("INSERT INTO auditlog (record_id, action, actor, device_id, at, after, reason) "
              "VALUES (?,?,?,?,?,?,?)")
_OP_SQL = ("INSERT INTO outbox (op_id, seq, record_id, kind, local_rev, payload, created_at, record_type) "
           "VALUES (?,?,?,?,?,?,?,?)")
_REC_COLS = ("created_at", "updated_at", "created_by", "updated_by", "local_rev", "sync_state")
# Village columns in the order the bulk tuples below fill them (the same as household_columns/member_columns;
# tests/unit/local_db/test_household_repo.py reads bulk rows back into payloads to keep them equal).
_HH_COLS = ("record_id", "kk", "kk_pending", "desa_code", "dusun", "rt", "rw", "address", "phone", "latitude",
            "longitude", *HOUSING_FIELDS, "assets", "livestock", "notes", *_REC_COLS)
_M_COLS = ("record_id", "household_id", "nik", "temp_id", "former_ids", "name", "name_key", "birth_place",
           "birth_date", "sex", "relation", "marital_status", "education", "school_status", "occupation",
           "difficulties", "chronic_illness", "pregnant", "ppks", "criteria", "phone", "notes", "override_reason",
           *_REC_COLS)


@dataclass(frozen=True, slots=True)
class NewMember:
    """A member for bulk_insert_households; name_key as the import's check pass computed it ("" = compute here)."""

    payload: MemberPayload
    name_key: str = ""


def _bulk_sql(record_type: RecordType, given: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
    """INSERT for `given` columns plus every other column with a model default, and those defaults."""
    tail = {c: v for c, v in DEFAULTS[record_type].items() if c not in given}
    cols = [*given, *tail]
    return (f"INSERT INTO {TABLE[record_type]} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            tuple(tail.values()))


def _j(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True) if obj else ("[]" if isinstance(obj, list) else "{}")


def bulk_insert_households(s: Session,
                           households: Sequence[tuple[HouseholdPayload, Sequence[MemberPayload | NewMember]]],
                           who: Who, *, reasons: Sequence[str] | None = None) -> list[str]:
    """Many new households with their members (an import already checked row by row): records, one
    op each (households before their members) and a CREATE audit row each, by executemany in the
    caller's transaction. The members' household_id is filled here. `reasons`: one audit reason per
    household (its members' rows too), e.g. the import file and rows. Returns the household ids.

    The same rows save_household/save_member write, without their per-row checks and SQL: values are
    put into tuples here (per-row dicts and json.dumps of empty values cost more than SQLite's work)."""
    now = _ts()
    n_m = sum(len(ms) for _, ms in households)
    hids = uuid4_texts(len(households))
    mids = iter(uuid4_texts(n_m))
    opids = iter(uuid4_texts(len(households) + n_m))
    seq = int(s.connection().exec_driver_sql("SELECT coalesce(max(seq), 0) FROM outbox").scalar_one())
    actor, device = who.actor, who.device_id
    rec = (now, now, actor, actor, 1, SyncState.NEW.value)
    hh_sql, hh_tail = _bulk_sql(RecordType.HOUSEHOLD, _HH_COLS)
    m_sql, m_tail = _bulk_sql(RecordType.MEMBER, _M_COLS)
    hh_rows: list[tuple[Any, ...]] = []
    m_rows: list[tuple[Any, ...]] = []
    ops: list[tuple[Any, ...]] = []
    audits: list[tuple[Any, ...]] = []
    hh_t, m_t, up, create = RecordType.HOUSEHOLD.value, RecordType.MEMBER.value, OpKind.UPSERT.value, Action.CREATE
    for i, (hid, (h, members)) in enumerate(zip(hids, households, strict=True)):
        why = reasons[i] if reasons else ""
        hs = h.housing
        hh_rows.append((hid, _digits(h.kk), int(h.kk_pending), h.desa_code, h.dusun, h.rt, h.rw, h.address, h.phone,
                        h.latitude, h.longitude, *(getattr(hs, f) for f in HOUSING_FIELDS), _j(h.assets),
                        _j(h.livestock), h.notes, *rec, *hh_tail))
        pj = h.model_dump_json()
        seq += 1
        ops.append((next(opids), seq, hid, up, 1, pj, now, hh_t))
        audits.append((hid, create, actor, device, now, pj, why))
        for item in members:
            m, key = (item.payload, item.name_key) if isinstance(item, NewMember) else (item, "")
            mid = next(mids)
            m = m.model_copy(update={"household_id": hid})
            m_rows.append((mid, hid, _digits(m.nik), m.temp_id, _j(m.former_ids), m.name, key or names.name_key(m.name),
                           m.birth_place, m.birth_date, m.sex, m.relation, m.marital_status, m.education,
                           m.school_status, m.occupation, _j(m.difficulties), m.chronic_illness, int(m.pregnant),
                           ",".join(m.ppks), ",".join(m.criteria), m.phone, m.notes, m.override_reason, *rec, *m_tail))
            pj = m.model_dump_json()
            seq += 1
            ops.append((next(opids), seq, mid, up, 1, pj, now, m_t))
            audits.append((mid, create, actor, device, now, pj, why))
    cur = _cur(s)
    try:
        if hh_rows:
            cur.executemany(hh_sql, hh_rows)
        if m_rows:
            cur.executemany(m_sql, m_rows)
        cur.executemany(_OP_SQL, ops)
        cur.executemany(_AUDIT_SQL, audits)
    finally:
        cur.close()
    return hids


def bulk_insert_proposals(s: Session, proposals: Sequence[tuple[ProposalPayload, Sequence[Issue]]],
                          who: Who, *, reasons: Sequence[str] | None = None) -> list[str]:
    """Many new proposals an import already checked (programme code resolved, targets existing or just
    inserted, rules 4 and 5 asked): the same rows, ops and CREATE audit rows as save_proposal, by
    executemany in the caller's transaction. Each comes with the warnings to record; `reasons`: one
    audit reason each. Returns the ids."""
    now = _ts()
    ids = uuid4_texts(len(proposals))
    opids = uuid4_texts(len(proposals))
    seq = int(s.connection().exec_driver_sql("SELECT coalesce(max(seq), 0) FROM outbox").scalar_one())
    given = ("record_id", *proposal_columns(ProposalPayload(programme="-")), "warnings", *_REC_COLS)
    sql, tail = _bulk_sql(RecordType.PROPOSAL, given)
    rec = (now, now, who.actor, who.actor, 1, SyncState.NEW.value)
    rows: list[tuple[Any, ...]] = []
    ops: list[tuple[Any, ...]] = []
    audits: list[tuple[Any, ...]] = []
    for i, (pid, opid, (p, warnings)) in enumerate(zip(ids, opids, proposals, strict=True)):
        rows.append((pid, *proposal_columns(p).values(), _dumps([w.to_dict() for w in warnings]), *rec, *tail))
        pj = p.model_dump_json()
        seq += 1
        ops.append((opid, seq, pid, OpKind.UPSERT.value, 1, pj, now, RecordType.PROPOSAL.value))
        audits.append((pid, Action.CREATE, who.actor, who.device_id, now, pj, reasons[i] if reasons else ""))
    cur = _cur(s)
    try:
        if rows:
            cur.executemany(sql, rows)
            cur.executemany(_OP_SQL, ops)
            cur.executemany(_AUDIT_SQL, audits)
    finally:
        cur.close()
    return ids
