"""households, members, proposals (protocol 2; issue 12) and the old entries moved into them

Creates srv_household, srv_member, srv_proposal and srv_record_version (on PostgreSQL partitioned by
province like srv_entry, migration 0004) and moves every srv_entry row in as ADR 0005 "moving the old
entries in" says, with the same deterministic ids as the villages' own migration
(domain.legacy_ids): one household per (desa, KK), one member per (desa, NIK), one proposal per entry
with the entry's record_id and version numbers. Entry versions become the proposal's history (the
old payload kept beside the converted one), duplicate groups move with their kind (nik and person ->
members, kk_programme -> proposals keyed programme|target; households sharing a KK across villages
form "kk" groups), every migrated record gets a fresh change seq in its desa feed, and srv_applied_op
gets the derived household/member op id of every applied entry op, so a migrated village's resend of
its converted ops is DUPLICATE. srv_entry and srv_entry_version stay as they were (read-only proof).
Works a desa at a time, so memory stays bounded on a national database.

Revision ID: 0007
Revises: 0006
"""
import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    household = op.create_table('srv_household',
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='', nullable=False),
    sa.Column('desa_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('kecamatan_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('kabkota_code', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('flags', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Text(), nullable=True),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_batch_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('kk', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('desil', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('record_id')
    )
    with op.batch_alter_table('srv_household', schema=None) as batch_op:
        batch_op.create_index('ix_srv_household_desa_seq', ['desa_code', 'change_seq'], unique=False)
        batch_op.create_index('ix_srv_household_kec', ['kecamatan_code', 'desa_code'], unique=False)
        batch_op.create_index('ix_srv_household_kk', ['kk'], unique=False)

    member = op.create_table('srv_member',
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='', nullable=False),
    sa.Column('desa_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('kecamatan_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('kabkota_code', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('flags', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Text(), nullable=True),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_batch_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('nik', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('temp_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('birth_date', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('desil', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('record_id')
    )
    with op.batch_alter_table('srv_member', schema=None) as batch_op:
        batch_op.create_index('ix_srv_member_birth', ['birth_date'], unique=False)
        batch_op.create_index('ix_srv_member_desa_seq', ['desa_code', 'change_seq'], unique=False)
        batch_op.create_index('ix_srv_member_household', ['household_id'], unique=False)
        batch_op.create_index('ix_srv_member_kec', ['kecamatan_code', 'desa_code'], unique=False)
        batch_op.create_index('ix_srv_member_name_key', ['name_key'], unique=False)
        batch_op.create_index('ix_srv_member_nik', ['nik'], unique=False)

    proposal = op.create_table('srv_proposal',
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='', nullable=False),
    sa.Column('desa_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('kecamatan_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('kabkota_code', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('flags', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Text(), nullable=True),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_batch_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('programme', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('pengurus_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('target_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('review_reason_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('review_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('review_fields', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('approved_version', sa.Integer(), nullable=True),
    sa.Column('legacy_entry_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.PrimaryKeyConstraint('record_id')
    )
    with op.batch_alter_table('srv_proposal', schema=None) as batch_op:
        batch_op.create_index('ix_srv_proposal_batch', ['last_batch_id'], unique=False)
        batch_op.create_index('ix_srv_proposal_desa_seq', ['desa_code', 'change_seq'], unique=False)
        batch_op.create_index('ix_srv_proposal_household', ['household_id'], unique=False)
        batch_op.create_index('ix_srv_proposal_kab', ['kabkota_code'], unique=False)
        batch_op.create_index('ix_srv_proposal_kec', ['kecamatan_code', 'review_state'], unique=False)
        batch_op.create_index('ix_srv_proposal_kec_list', ['kecamatan_code', 'desa_code', 'change_seq'], unique=False)
        batch_op.create_index('ix_srv_proposal_legacy', ['legacy_entry_id'], unique=False)
        batch_op.create_index('ix_srv_proposal_member', ['member_id'], unique=False)
        batch_op.create_index('ix_srv_proposal_pengurus', ['pengurus_id'], unique=False)
        batch_op.create_index('ix_srv_proposal_target', ['programme', 'target_id'], unique=False)

    record_version = op.create_table('srv_record_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='', nullable=False),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('source_payload', sa.Text(), nullable=True),
    sa.Column('op_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('batch_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('srv_record_version', schema=None) as batch_op:
        batch_op.create_index('ix_srv_record_version_rec', ['record_id', 'version'], unique=False)


    if op.get_bind().dialect.name == "postgresql":
        for table, key in NEW:
            _partition(table, key)
    _move_entries(household, member, proposal, record_version)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        raise NotImplementedError("restore the pre-upgrade backup instead")
    with op.batch_alter_table('srv_record_version', schema=None) as batch_op:
        batch_op.drop_index('ix_srv_record_version_rec')

    op.drop_table('srv_record_version')
    with op.batch_alter_table('srv_proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_srv_proposal_target')
        batch_op.drop_index('ix_srv_proposal_pengurus')
        batch_op.drop_index('ix_srv_proposal_member')
        batch_op.drop_index('ix_srv_proposal_legacy')
        batch_op.drop_index('ix_srv_proposal_kec_list')
        batch_op.drop_index('ix_srv_proposal_kec')
        batch_op.drop_index('ix_srv_proposal_kab')
        batch_op.drop_index('ix_srv_proposal_household')
        batch_op.drop_index('ix_srv_proposal_desa_seq')
        batch_op.drop_index('ix_srv_proposal_batch')

    op.drop_table('srv_proposal')
    with op.batch_alter_table('srv_member', schema=None) as batch_op:
        batch_op.drop_index('ix_srv_member_nik')
        batch_op.drop_index('ix_srv_member_name_key')
        batch_op.drop_index('ix_srv_member_kec')
        batch_op.drop_index('ix_srv_member_household')
        batch_op.drop_index('ix_srv_member_desa_seq')
        batch_op.drop_index('ix_srv_member_birth')

    op.drop_table('srv_member')
    with op.batch_alter_table('srv_household', schema=None) as batch_op:
        batch_op.drop_index('ix_srv_household_kk')
        batch_op.drop_index('ix_srv_household_kec')
        batch_op.drop_index('ix_srv_household_desa_seq')

    op.drop_table('srv_household')


NEW = (("srv_household", "record_id"), ("srv_member", "record_id"), ("srv_proposal", "record_id"),
       ("srv_record_version", "id"))
FLAG_PENGURUS_MOVED = "MIGRATED_PENGURUS_MOVED"  # the same strings as local_db.household_migration
FLAG_UNKNOWN_PROGRAMME = "MIGRATED_UNKNOWN_PROGRAMME"
PROBABLE_PERSON_CODES = ("duplicate_probable_person",)
MIGRATED_BY = "migrasi"
DUP_FLAG = {"nik": "DUP_NIK", "kk": "DUP_KK", "kk_programme": "DUP_KK", "person": "DUP_PERSON"}
MEMBER_KINDS = ("nik", "person")


def _partition(table: str, key: str) -> None:
    """As 0004: LIST (province_code) partitions, one per province and a DEFAULT (tables are empty here)."""
    from domain import regions

    conn = op.get_bind()
    indexes = sa.inspect(conn).get_indexes(table)
    new = f"{table}_new"
    op.execute(f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS) PARTITION BY LIST (province_code)")
    op.execute(f"ALTER TABLE {new} ADD CONSTRAINT {table}_pkey_p PRIMARY KEY ({key}, province_code)")
    for code in sorted(regions.province_codes()):
        op.execute(f"CREATE TABLE {table}_p{code} PARTITION OF {new} FOR VALUES IN ('{code}')")
    op.execute(f"CREATE TABLE {table}_pdefault PARTITION OF {new} DEFAULT")
    if key == "id":
        op.execute(f"ALTER SEQUENCE {table}_id_seq OWNED BY {new}.id")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {new} RENAME TO {table}")
    op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {table}_pkey_p TO {table}_pkey")
    for ix in indexes:
        op.execute(f"CREATE INDEX {ix['name']} ON {table} ({', '.join(ix['column_names'])})")


def _aware(v: Any) -> datetime:
    if isinstance(v, str):
        v = datetime.fromisoformat(v)
    return v if v.tzinfo is not None else v.replace(tzinfo=UTC)


def _rows(conn: sa.Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(sa.text(sql), params)]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _latest(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The entry whose data wins: the most recently updated non-deleted one, else the most recent."""
    return max(entries, key=lambda e: (not e["deleted"], _aware(e["updated_at"]), e["record_id"]))


def _latest_nonempty(payloads: list[tuple[dict[str, Any], dict[str, Any]]], key: str) -> str:
    for e, p in sorted(payloads, key=lambda t: (_aware(t[0]["updated_at"]), t[0]["record_id"]), reverse=True):
        if p.get(key):
            return str(p[key])
    return ""


class _Groups:
    """The old duplicate groups mapped onto the new records, and the new KK groups of households."""

    def __init__(self, conn: sa.Connection) -> None:
        from domain.legacy_ids import household_id_for, member_id_for

        self.kinds: dict[str, set[str]] = defaultdict(set)  # new record id -> live group kinds
        entries = {e["record_id"]: e for e in _rows(conn, "SELECT e.record_id, e.desa_code, e.nik, e.kk FROM srv_entry e "
                                                          "JOIN srv_dup_member m ON m.record_id = e.record_id")}
        members: dict[int, list[str]] = defaultdict(list)
        for m in _rows(conn, "SELECT group_id, record_id FROM srv_dup_member ORDER BY group_id, record_id"):
            members[m["group_id"]].append(m["record_id"])
        self.proposal_groups: list[tuple[int, list[str]]] = []  # kk_programme: keys set once targets are known
        for g in _rows(conn, "SELECT id, kind, state, kept_record_id FROM srv_dup_group ORDER BY id"):
            old = members.get(g["id"], [])
            if g["kind"] in MEMBER_KINDS:
                def to_member(rid: str | None) -> str | None:
                    e = entries.get(rid or "")
                    return member_id_for(e["desa_code"], e["nik"]) if e else rid
                new = sorted({to_member(r) or r for r in old})
                conn.execute(sa.text("DELETE FROM srv_dup_member WHERE group_id = :g"), {"g": g["id"]})
                if new:
                    conn.execute(sa.text("INSERT INTO srv_dup_member (group_id, record_id) VALUES (:g, :r)"),
                                 [{"g": g["id"], "r": r} for r in new])
                state = g["state"]
                if len(new) < 2 and state == "OPEN":  # two entries of one person in one desa: now one member
                    state = "DISSOLVED"
                conn.execute(sa.text("UPDATE srv_dup_group SET kept_record_id = :k, state = :s WHERE id = :g"),
                             {"k": to_member(g["kept_record_id"]), "s": state, "g": g["id"]})
                if state == "OPEN":
                    for r in new:
                        self.kinds[r].add(g["kind"])
            elif g["kind"] == "kk_programme":
                self.proposal_groups.append((g["id"], old))
                if g["state"] == "OPEN":
                    for r in old:
                        self.kinds[r].add(g["kind"])
        # Rule 2 on the server: the same KK in two villages is two households in one group.
        self.kk_groups: list[tuple[str, list[str]]] = []
        for row in _rows(conn, "SELECT kk FROM srv_entry WHERE deleted = :f AND voided = :f GROUP BY kk "
                               "HAVING count(DISTINCT desa_code) > 1 ORDER BY kk", f=False):
            desas = sorted({r["desa_code"] for r in _rows(
                conn, "SELECT desa_code FROM srv_entry WHERE kk = :kk AND deleted = :f AND voided = :f",
                kk=row["kk"], f=False)})
            ids = [household_id_for(d, row["kk"]) for d in desas]
            self.kk_groups.append((row["kk"], ids))
            for r in ids:
                self.kinds[r].add("kk")

    def flags(self, record_id: str, old: list[str], *, proposal: bool) -> list[str]:
        keep = [f for f in old if f not in DUP_FLAG.values()]
        kinds = self.kinds.get(record_id, set())
        if proposal:
            kinds = kinds & {"kk_programme"}
        return sorted(set(keep) | {DUP_FLAG[k] for k in kinds})


def _move_entries(household: sa.Table, member: sa.Table, proposal: sa.Table, version: sa.Table) -> None:
    from domain.legacy_ids import derived_op_id, household_id_for, member_id_for
    from domain.programmes import DEFAULT, Target
    from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType

    conn = op.get_bind()
    catalogue = DEFAULT  # the villages' step uses the same catalogue (local_db.household_migration.apply)
    now = datetime.now(UTC)
    groups = _Groups(conn)
    targets: dict[str, str] = {}  # proposal id -> programme|target_id (rule 4 keys)
    audit = sa.table("srv_audit", sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()), sa.column("user_id"),
                     sa.column("username"), sa.column("action"), sa.column("record_id"), sa.column("kecamatan_code"),
                     sa.column("before"), sa.column("after"))
    dup_group = sa.table("srv_dup_group", sa.column("id"), sa.column("kind"), sa.column("key"), sa.column("state"),
                         sa.column("kecamatan_code"), sa.column("kabkota_code"),
                         sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()))
    applied = sa.table("srv_applied_op", sa.column("op_id"), sa.column("province_code"), sa.column("record_id"),
                       sa.column("batch_id"), sa.column("status"), sa.column("version"))

    def proposal_payload(p: dict[str, Any], desa: str) -> tuple[ProposalPayload, bool]:
        hid, mid = household_id_for(desa, p["kk"]), member_id_for(desa, p["nik"])
        prog = catalogue.get(p["programme"])
        criteria = [c for c in p.get("criteria") or [] if c]
        if prog is not None and prog.target is Target.HOUSEHOLD:
            return ProposalPayload(programme=p["programme"], household_id=hid, pengurus_id=mid, criteria=criteria,
                                   note=p.get("notes", "")), True
        return ProposalPayload(programme=p["programme"], member_id=mid, criteria=criteria, note=p.get("notes", "")), \
            prog is not None

    for (desa,) in conn.execute(sa.text("SELECT DISTINCT desa_code FROM srv_entry ORDER BY desa_code")).all():
        entries = _rows(conn, "SELECT * FROM srv_entry WHERE desa_code = :d ORDER BY created_at, record_id", d=desa)
        for e in entries:
            e["p"] = json.loads(e["payload"])
            e["deleted"], e["voided"] = bool(e["deleted"]), bool(e["voided"])
        area = {"province_code": desa[:2], "desa_code": desa, "kecamatan_code": desa[:6], "kabkota_code": desa[:4]}
        feed = f"desa:{desa}"
        seq = conn.execute(sa.text("SELECT value FROM srv_area_seq WHERE area = :a"), {"a": feed}).scalar()
        if seq is None:
            conn.execute(sa.text("INSERT INTO srv_area_seq (area, value) VALUES (:a, 0)"), {"a": feed})
            seq = 0
        by_kk: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_nik: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in entries:
            by_kk[household_id_for(desa, e["kk"])].append(e)
            by_nik[member_id_for(desa, e["nik"])].append(e)
        h_rows, m_rows, p_rows, v_rows, audits = [], [], [], [], []

        def common(group: list[dict[str, Any]], rid: str, payload: Any, flags: list[str]) -> dict[str, Any]:
            nonlocal seq
            seq += 1
            src = _latest(group)
            return {"record_id": rid, **area, "version": 1, "change_seq": seq,
                    "deleted": all(e["deleted"] for e in group), "voided": False, "flags": _dumps(flags),
                    "payload": payload.model_dump_json(), "conflict": None, "device_id": src["device_id"],
                    "last_batch_id": src["last_batch_id"],
                    "created_at": min(_aware(e["created_at"]) for e in group),
                    "updated_at": max(_aware(e["updated_at"]) for e in group)}

        def history(rtype: str, row: dict[str, Any], sources: list[str]) -> None:
            v_rows.append({"province_code": desa[:2], "record_type": rtype, "record_id": row["record_id"],
                           "version": row["version"], "action": "migrate", "review_state": row.get("review_state"),
                           "payload": row["payload"], "source_payload": None, "op_id": None, "batch_id": None,
                           "device_id": None, "actor": MIGRATED_BY, "at": now})
            if rtype != "proposal":
                audits.append({"at": now, "user_id": None, "username": MIGRATED_BY, "action": "migrate",
                               "record_id": row["record_id"], "kecamatan_code": desa[:6], "before": "",
                               "after": _dumps({"record_type": rtype, "sources": sources})})

        for hid, group in by_kk.items():
            src = _latest(group)
            p = src["p"]
            pairs = [(e, e["p"]) for e in group]
            payload = HouseholdPayload(kk=src["kk"], desa_code=desa, dusun=p.get("dusun", ""), rt=p.get("rt", ""),
                                       rw=p.get("rw", ""), address=p.get("address", ""),
                                       phone=_latest_nonempty(pairs, "phone"), latitude=p.get("latitude"),
                                       longitude=p.get("longitude"))
            row = {**common(group, hid, payload, groups.flags(hid, [], proposal=False)), "warnings": "[]",
                   "kk": src["kk"], "desil": None}
            h_rows.append(row)
            history("household", row, sorted(e["record_id"] for e in group))
        member_household: dict[str, str] = {}
        for mid, group in by_nik.items():
            src = _latest(group)
            p = src["p"]
            criteria: list[str] = []
            warnings: list[dict[str, Any]] = []
            for e in group:  # created_at order
                criteria += [c for c in e["p"].get("criteria") or [] if c and c not in criteria]
                for w in json.loads(e["warnings"] or "[]"):
                    if w.get("code") in PROBABLE_PERSON_CODES and w not in warnings:
                        warnings.append(w)
            pairs = [(e, e["p"]) for e in group]
            hid = household_id_for(desa, src["kk"])
            member_household[mid] = hid
            payload = MemberPayload(household_id=hid, nik=src["nik"], name=p["name"], birth_place=p.get("birth_place", ""),
                                    birth_date=str(p["birth_date"])[:10], sex=p["sex"], relation="", criteria=criteria,
                                    phone=_latest_nonempty(pairs, "phone"),
                                    override_reason=_latest_nonempty(pairs, "override_reason"))
            own = ["OVERRIDE"] if payload.override_reason else []  # as ingest flags a saved override
            row = {**common(group, mid, payload, groups.flags(mid, own, proposal=False)), "warnings": _dumps(warnings),
                   "household_id": hid, "nik": src["nik"], "temp_id": "", "name_key": src["name_key"],
                   "birth_date": src["birth_date"], "desil": None}
            m_rows.append(row)
            history("member", row, sorted(e["record_id"] for e in group))
        for e in entries:
            payload, known = proposal_payload(e["p"], desa)
            flags = groups.flags(e["record_id"], json.loads(e["flags"] or "[]"), proposal=True)
            if not known:
                flags.append(FLAG_UNKNOWN_PROGRAMME)
            mid = member_id_for(desa, e["nik"])
            if payload.pengurus_id and member_household[mid] != payload.household_id:
                flags.append(FLAG_PENGURUS_MOVED)
            seq += 1
            target = payload.member_id or payload.household_id
            targets[e["record_id"]] = f"{payload.programme}|{target}"
            row = {"record_id": e["record_id"], **area, "version": e["version"], "change_seq": seq,
                   "deleted": e["deleted"], "voided": e["voided"], "flags": _dumps(sorted(flags)),
                   "payload": payload.model_dump_json(), "warnings": e["warnings"] or "[]", "conflict": e["conflict"],
                   "device_id": e["device_id"], "last_batch_id": e["last_batch_id"],
                   "created_at": _aware(e["created_at"]), "updated_at": _aware(e["updated_at"]),
                   "type": payload.type, "programme": payload.programme, "household_id": payload.household_id,
                   "member_id": payload.member_id, "pengurus_id": payload.pengurus_id, "target_id": target,
                   "review_state": e["review_state"], "review_reason_code": e["review_reason_code"],
                   "review_note": e["review_note"], "review_fields": "[]", "approved_version": e["approved_version"],
                   "legacy_entry_id": e["record_id"]}
            p_rows.append(row)
        # The entries' versions become the proposals' history (the old payload kept beside the new one).
        ids = [e["record_id"] for e in entries]
        for v in _rows(conn, "SELECT v.* FROM srv_entry_version v JOIN srv_entry e ON e.record_id = v.record_id "
                             "WHERE e.desa_code = :d ORDER BY v.id", d=desa):
            old = json.loads(v["payload"])
            payload, _known = proposal_payload(old, desa) if old.get("programme") else (None, False)
            v_rows.append({"province_code": desa[:2], "record_type": "proposal", "record_id": v["record_id"],
                           "version": v["version"], "action": v["change"], "review_state": v["review_state"],
                           "payload": payload.model_dump_json() if payload else "{}", "source_payload": v["payload"],
                           "op_id": v["op_id"], "batch_id": v["batch_id"], "device_id": v["device_id"],
                           "actor": v["device_id"] or "", "at": _aware(v["created_at"])})
        for row in p_rows:  # last: its current version as migrated (what a stale-base check compares with)
            history("proposal", row, [])
        # Exactly once across the migration (ADR step 6): the derived ops of every applied entry op.
        entry_of = {e["record_id"]: e for e in entries}
        ap_rows = []
        for a in _rows(conn, "SELECT op_id, record_id, batch_id FROM srv_applied_op WHERE record_id IN "
                             "(SELECT record_id FROM srv_entry WHERE desa_code = :d)", d=desa):
            e = entry_of[a["record_id"]]
            for rtype, rid in ((RecordType.HOUSEHOLD, household_id_for(desa, e["kk"])),
                               (RecordType.MEMBER, member_id_for(desa, e["nik"]))):
                ap_rows.append({"op_id": derived_op_id(a["op_id"], rtype), "province_code": desa[:2], "record_id": rid,
                                "batch_id": a["batch_id"], "status": "ACCEPTED", "version": 1})
        for table, rows in ((household, h_rows), (member, m_rows), (proposal, p_rows), (version, v_rows),
                            (audit, audits), (applied, ap_rows)):
            if rows:
                conn.execute(table.insert(), rows)
        conn.execute(sa.text("UPDATE srv_area_seq SET value = :v WHERE area = :a"), {"v": seq, "a": feed})
        assert len(ids) == len(p_rows)

    # Rule 4 groups now key on the proposal's target; new KK groups for households of two villages.
    for gid, old in groups.proposal_groups:
        keys = {targets[r] for r in old if r in targets}
        if len(keys) == 1:
            conn.execute(sa.text("UPDATE srv_dup_group SET key = :k WHERE id = :g"), {"k": keys.pop(), "g": gid})
    for kk, ids in groups.kk_groups:
        kecs = {i for i in _rows(conn, "SELECT DISTINCT kecamatan_code, kabkota_code FROM srv_household WHERE kk = :kk",
                                 kk=kk) for i in [tuple(i.values())]}
        kec = next(iter(kecs))[0] if len({k for k, _ in kecs}) == 1 else ""
        kab = next(iter(kecs))[1] if len({b for _, b in kecs}) == 1 else ""
        gid = conn.execute(dup_group.insert().returning(dup_group.c.id), {
            "kind": "kk", "key": kk, "state": "OPEN", "kecamatan_code": kec, "kabkota_code": kab,
            "created_at": now}).scalar_one()
        conn.execute(sa.text("INSERT INTO srv_dup_member (group_id, record_id) VALUES (:g, :r)"),
                     [{"g": gid, "r": r} for r in ids])
