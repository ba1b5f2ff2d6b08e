"""The four checks every fault test ends with (issue 5), after a clean final sync, over households,
members and proposals (protocol 2):

1. every record saved on the client exists on the server;
2. every op applied exactly once and nothing lost on the way: each record's versions run 1..version
   without a gap or a repeat; every version written by an op is on the server's applied-op ledger
   (so a resend is answered DUPLICATE, never applied again) with that status and version; every op a
   stored batch answer says was ACCEPTED is on the ledger at the answered version, and no op was
   ACCEPTED by two batches;
3. the client's records equal the server's for its desa (village fields, deletion, version, review
   outcome), and the client holds nothing the server does not;
4. the outbox is empty, no batch is left unanswered and nothing is stuck UPLOADING.

The server side is read straight from its database file (read-only queries over srv_household,
srv_member, srv_proposal, srv_record_version, srv_applied_op, srv_batch), not through the API, so a
server bug cannot hide itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, create_engine, text

from domain.records import PAYLOADS, RecordType
from domain.states import SyncState
from local_db.household_payloads import PAYLOAD_OF
from local_db.household_repo import TABLE
from local_db.pulled import comparable

SERVER_TABLE = {RecordType.HOUSEHOLD: "srv_household", RecordType.MEMBER: "srv_member",
                RecordType.PROPOSAL: "srv_proposal"}
Key = tuple[RecordType, str]


@dataclass(frozen=True, slots=True)
class ServerRow:
    record_type: RecordType
    record_id: str
    desa_code: str
    version: int
    deleted: bool
    voided: bool
    review_state: str | None  # proposals only
    payload: BaseModel


def server_engine(url_or_path: str) -> Engine:
    url = url_or_path if "://" in url_or_path else f"sqlite:///{url_or_path}"
    return create_engine(url)


def server_rows(server_db: Engine, desa: str | None = None) -> dict[Key, ServerRow]:
    out: dict[Key, ServerRow] = {}
    with server_db.connect() as c:
        for rtype, table in SERVER_TABLE.items():
            review = "review_state" if rtype is RecordType.PROPOSAL else "NULL"
            sql = f"SELECT record_id, desa_code, version, deleted, voided, {review}, payload FROM {table}"
            params: dict[str, Any] = {}
            if desa is not None:
                sql += " WHERE desa_code = :desa"
                params["desa"] = desa
            for r in c.execute(text(sql), params).all():
                out[(rtype, r[0])] = ServerRow(rtype, r[0], r[1], int(r[2]), bool(r[3]), bool(r[4]),
                                               None if r[5] is None else str(r[5]),
                                               PAYLOADS[rtype].model_validate(json.loads(r[6])))
    return out


def _dupes(server_db: Engine, sql: str) -> list[Any]:
    with server_db.connect() as c:
        return [tuple(r) for r in c.execute(text(sql)).all()]


_RECORDS = ("SELECT record_id, version FROM srv_household WHERE desa_code = :d UNION ALL "
            "SELECT record_id, version FROM srv_member WHERE desa_code = :d UNION ALL "
            "SELECT record_id, version FROM srv_proposal WHERE desa_code = :d")
# History rows that are snapshots, not versions written by an op: a stored hard conflict, the approved
# version kept when a village edits it, and the migration's copy of each migrated record. A "review" row
# (a reviewer's decision) moves only the change sequence.
_SNAPSHOTS = ("conflict", "approved", "migrate")


def ledger_problems(server_db: Engine, desa: str) -> list[str]:
    """Check 2, as a list of what is wrong (empty: nothing). Reads the desa's households, members and
    proposals, srv_record_version (the history), srv_applied_op (the ledger) and srv_batch (the
    stored answers)."""
    with server_db.connect() as c:
        versions: dict[str, int] = {r[0]: int(r[1]) for r in c.execute(text(_RECORDS), {"d": desa}).all()}
        history: list[tuple[Any, ...]] = [tuple(r) for r in c.execute(text(
            f"SELECT h.record_id, h.version, h.action, h.op_id FROM srv_record_version h "
            f"WHERE h.record_id IN (SELECT record_id FROM ({_RECORDS}) r) ORDER BY h.id"), {"d": desa}).all()]
        ledger = {r[0]: (r[1], r[2], r[3]) for r in c.execute(text(
            f"SELECT a.op_id, a.record_id, a.status, a.version FROM srv_applied_op a "
            f"WHERE a.record_id IN (SELECT record_id FROM ({_RECORDS}) r)"), {"d": desa}).all()}
        answers = c.execute(text("SELECT batch_id, response_json FROM srv_batch WHERE desa_code = :d"),
                            {"d": desa}).all()
    # A migrated record's earlier versions are in its history already; its migrate row counts as a
    # version only when nothing else wrote that version (a household or member made by the migration).
    written = {(rid, int(v)) for rid, v, action, _op in history if action not in _SNAPSHOTS}
    history = [(rid, v, "migrated" if action == "migrate" and (rid, int(v)) not in written else action, op_id)
               for rid, v, action, op_id in history]
    problems: list[str] = []
    seen: dict[str, list[int]] = {}
    for rid, version, change, op_id in history:
        if change not in _SNAPSHOTS and change != "review":
            seen.setdefault(rid, []).append(int(version))
        if op_id is None or change in ("review", "approved"):
            continue  # a reviewer's settlement or decision, the approved copy: no op wrote this version
        want = ("CONFLICT", None) if change == "conflict" else ("ACCEPTED", int(version))
        got = ledger.get(op_id)
        if got is None or got[0] != rid or got[1] != want[0] or (want[1] is not None and got[2] != want[1]):
            problems.append(f"version {version} of {rid} written by op {op_id}, ledger has {got}")
    for rid, version in versions.items():
        if sorted(seen.get(rid, [])) != list(range(1, int(version) + 1)):
            problems.append(f"{rid} is at version {version}, history has {sorted(seen.get(rid, []))}")
    accepted_by: dict[str, list[str]] = {}
    for batch_id, response in answers:
        for res in json.loads(response).get("results", []):
            if res["status"] != "ACCEPTED" or res.get("record_id") not in versions:
                continue
            accepted_by.setdefault(res["op_id"], []).append(batch_id)
            got = ledger.get(res["op_id"])
            if got is None or got[1] != "ACCEPTED" or got[2] != res.get("version"):
                problems.append(f"op {res['op_id']} answered ACCEPTED v{res.get('version')} in batch {batch_id}, "
                                f"ledger has {got}")
    problems += [f"op {op} ACCEPTED by batches {b}" for op, b in accepted_by.items() if len(b) > 1]
    return problems


def client_records(client_db: Engine) -> dict[Key, dict[str, Any]]:
    out: dict[Key, dict[str, Any]] = {}
    with client_db.connect() as c:
        for rtype, table in TABLE.items():
            res = c.exec_driver_sql(f"SELECT * FROM {table}")
            keys = list(res.keys())
            for r in res.fetchall():
                d = dict(zip(keys, r, strict=True))
                out[(rtype, d["record_id"])] = d
    return out


def check_outbox_clear(client_db: Engine) -> None:
    """Check 4."""
    with client_db.connect() as c:
        outbox = c.execute(text("SELECT count(*) FROM outbox WHERE record_type IN "
                                "('household', 'member', 'proposal')")).scalar_one()
        pending = c.execute(text("SELECT count(*) FROM batch WHERE done_at IS NULL")).scalar_one()
        uploading = sum(c.execute(text(f"SELECT count(*) FROM {t} WHERE sync_state = :s"),
                                  {"s": SyncState.UPLOADING.value}).scalar_one() for t in TABLE.values())
    assert outbox == 0, f"{outbox} ops still in the outbox"
    assert pending == 0, f"{pending} batches still unanswered"
    assert uploading == 0, f"{uploading} records stuck UPLOADING"


def same_record(local: dict[str, Any], srv: ServerRow) -> str | None:
    """Why the client's row differs from the server's (None: it does not)."""
    rt = srv.record_type
    mine = comparable(rt, PAYLOAD_OF[rt](local))
    theirs = comparable(rt, srv.payload)
    if mine != theirs:
        return f"fields {sorted(k for k in mine if mine[k] != theirs.get(k))}"
    if bool(local["deleted"]) != (srv.deleted or srv.voided):
        return f"deleted={bool(local['deleted'])} vs server {srv.deleted or srv.voided}"
    if local["server_version"] != srv.version or local["base_version"] != srv.version:
        return f"versions {local['base_version']}/{local['server_version']} vs server {srv.version}"
    if rt is RecordType.PROPOSAL and (local["review_state"] or "PENDING") != (srv.review_state or "PENDING"):
        return f"review state {local['review_state']} vs server {srv.review_state}"
    return None


def check_sync_invariants(
    client_db: Engine | Iterable[Engine], server_db: Engine, desa: str, *, label: str = "",
) -> dict[str, int]:
    """All four checks for one or more client stores of the same desa. Returns a few counts."""
    clients = [client_db] if isinstance(client_db, Engine) else list(client_db)
    where = f" [{label}]" if label else ""
    srv = server_rows(server_db, desa)

    # 2. every op applied exactly once, nothing lost or doubled on the server
    problems = ledger_problems(server_db, desa)
    assert not problems, f"{len(problems)} ledger/history problems{where}: {problems[:5]}"
    dup_versions = _dupes(server_db, "SELECT op_id, count(*) FROM srv_record_version WHERE op_id IS NOT NULL "
                                     "AND action NOT IN ('review', 'approved') GROUP BY op_id HAVING count(*) > 1")
    assert not dup_versions, f"ops applied more than once{where}: {dup_versions[:5]}"
    dup_rec_versions = _dupes(server_db, "SELECT record_id, version, count(*) FROM srv_record_version "
                                         "WHERE action NOT IN ('conflict', 'review', 'approved', 'migrate') "
                                         "GROUP BY record_id, version HAVING count(*) > 1")
    assert not dup_rec_versions, f"a record version written twice{where}: {dup_rec_versions[:5]}"

    for n, db in enumerate(clients):
        who = f"{where} client {n}"
        # 4. nothing waiting, nothing in flight
        check_outbox_clear(db)
        local = client_records(db)
        # 1. every saved record is on the server
        missing = sorted(set(local) - set(srv))
        assert not missing, f"{len(missing)} client records missing on the server{who}: {missing[:3]}"
        # 3. the client equals the server for its desa
        extra = sorted(set(srv) - set(local))
        assert not extra, f"{len(extra)} server records of the desa missing on the client{who}: {extra[:3]}"
        for key, row in srv.items():
            mine = local[key]
            assert mine["sync_state"] == SyncState.SYNCED, f"{key} is {mine['sync_state']}{who}"
            why = same_record(mine, row)
            assert why is None, f"{key} differs{who}: {why}"
    return {"server_records": len(srv),
            **{f"server_{t.value}s": sum(1 for k in srv if k[0] is t) for t in RecordType}}
