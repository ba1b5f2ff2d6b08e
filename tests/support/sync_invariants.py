"""The four checks every fault test ends with (issue 5), after a clean final sync:

1. every entry saved on the client exists on the server;
2. every op applied exactly once and nothing lost on the way: each record's versions run 1..version
   without a gap or a repeat; every version written by an op is on the server's applied-op ledger
   (so a resend is answered DUPLICATE, never applied again) with that status and version; every op a
   stored batch answer says was ACCEPTED is on the ledger at the answered version, and no op was
   ACCEPTED by two batches;
3. the client's entries equal the server's for its desa (operator fields, deletion, version,
   review outcome), and the client holds nothing the server does not;
4. the outbox is empty, no batch is left unanswered and nothing is stuck UPLOADING.

The server side is read straight from its database file (read-only queries), not through the
API, so a server bug cannot hide itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, text

from domain.states import SyncState
from local_db import repository as repo
from local_db.models import Entry
from sync.protocol import EntryPayload


@dataclass(frozen=True, slots=True)
class ServerRow:
    record_id: str
    desa_code: str
    version: int
    deleted: bool
    voided: bool
    review_state: str
    payload: EntryPayload


def server_engine(url_or_path: str) -> Engine:
    url = url_or_path if "://" in url_or_path else f"sqlite:///{url_or_path}"
    return create_engine(url)


def server_rows(server_db: Engine, desa: str | None = None) -> dict[str, ServerRow]:
    sql = "SELECT record_id, desa_code, version, deleted, voided, review_state, payload FROM srv_entry"
    params: dict[str, Any] = {}
    if desa is not None:
        sql += " WHERE desa_code = :desa"
        params["desa"] = desa
    with server_db.connect() as c:
        rows = c.execute(text(sql), params).all()
    return {r[0]: ServerRow(r[0], r[1], int(r[2]), bool(r[3]), bool(r[4]), str(r[5]),
                            EntryPayload.model_validate(json.loads(r[6]))) for r in rows}


def _dupes(server_db: Engine, sql: str) -> list[Any]:
    with server_db.connect() as c:
        return [tuple(r) for r in c.execute(text(sql)).all()]


_RECORDS = ("SELECT record_id, version FROM srv_household WHERE desa_code = :d UNION ALL "
            "SELECT record_id, version FROM srv_member WHERE desa_code = :d UNION ALL "
            "SELECT record_id, version FROM srv_proposal WHERE desa_code = :d")
# History rows that are snapshots, not versions written by an op: a stored hard conflict, the approved
# version kept when a village edits it, and the migration's copy of each migrated record.
_SNAPSHOTS = ("conflict", "approved", "migrate")


def ledger_problems(server_db: Engine, desa: str) -> list[str]:
    """Check 2, as a list of what is wrong (empty: nothing). Reads the desa's households, members and
    proposals, srv_record_version (the history), srv_applied_op (the ledger) and srv_batch (the
    stored answers)."""
    with server_db.connect() as c:
        versions = dict(c.execute(text(_RECORDS), {"d": desa}).all())
        history = c.execute(text(
            f"SELECT h.record_id, h.version, h.action, h.op_id FROM srv_record_version h "
            f"WHERE h.record_id IN (SELECT record_id FROM ({_RECORDS}) r) ORDER BY h.id"), {"d": desa}).all()
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
        if change not in _SNAPSHOTS:
            seen.setdefault(rid, []).append(int(version))
        if op_id is None:
            continue  # a reviewer's settlement: no op behind it
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


def client_entries(client_db: Engine) -> dict[str, Entry]:
    with repo.session_scope(client_db) as s:
        return {e.record_id: e for e in repo.list_entries(s, include_deleted=True)}


def check_outbox_clear(client_db: Engine) -> None:
    """Check 4."""
    with client_db.connect() as c:
        outbox = c.execute(text("SELECT count(*) FROM outbox")).scalar_one()
        pending = c.execute(text("SELECT count(*) FROM batch WHERE done_at IS NULL")).scalar_one()
        uploading = c.execute(text("SELECT count(*) FROM entry WHERE sync_state = :s"),
                              {"s": SyncState.UPLOADING.value}).scalar_one()
    assert outbox == 0, f"{outbox} ops still in the outbox"
    assert pending == 0, f"{pending} batches still unanswered"
    assert uploading == 0, f"{uploading} entries stuck UPLOADING"


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
                                     "GROUP BY op_id HAVING count(*) > 1")
    assert not dup_versions, f"ops applied more than once{where}: {dup_versions[:5]}"
    dup_rec_versions = _dupes(server_db, "SELECT record_id, version, count(*) FROM srv_record_version "
                                         "WHERE action NOT IN ('conflict', 'approved', 'migrate') "
                                         "GROUP BY record_id, version HAVING count(*) > 1")
    assert not dup_rec_versions, f"a record version written twice{where}: {dup_rec_versions[:5]}"

    for n, db in enumerate(clients):
        who = f"{where} client {n}"
        # 4. nothing waiting, nothing in flight
        check_outbox_clear(db)
        local = client_entries(db)
        # 1. every saved entry is on the server
        missing = sorted(set(local) - set(srv))
        assert not missing, f"{len(missing)} client entries missing on the server{who}: {missing[:3]}"
        # 3. the client equals the server for its desa
        extra = sorted(set(srv) - set(local))
        assert not extra, f"{len(extra)} server entries of the desa missing on the client{who}: {extra[:3]}"
        for rid, row in srv.items():
            e = local[rid]
            assert e.sync_state == SyncState.SYNCED, f"{rid} is {e.sync_state}{who}"
            assert repo.payload_of(e) == row.payload, (
                f"{rid} differs{who}: client {repo.payload_of(e).model_dump()} server {row.payload.model_dump()}")
            assert e.deleted == (row.deleted or row.voided), f"{rid} deleted={e.deleted} vs server{who}"
            assert e.server_version == row.version and e.base_version == row.version, (
                f"{rid} versions {e.base_version}/{e.server_version} vs server {row.version}{who}")
            assert (e.review_state or "PENDING") == row.review_state, f"{rid} review state differs{who}"
    return {"server_entries": len(srv)}
