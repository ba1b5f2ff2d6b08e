"""Server ingest benchmark (issue 4).

1. One 10,000-op batch (best of --repeat fresh runs) as the route handles it: the gzip body decoded and
   parsed into the request model (server.services.body.decode_body, IngestRequest.model_validate),
   then the ingest service (validation, classification, history, applied ops, duplicate groups,
   reference rules): everything but the HTTP transport, beside the database's raw insert of
   (a) the household, member and proposal rows alone and (b) every row the ingest wrote for the batch
   (records, version history, applied-op ledger, the batch row with its stored response, and any audit or duplicate-group
   rows), each one Core executemany per table in one transaction into an empty database — SQLite, and
   PostgreSQL when reachable. Target: parse + ingest within 3x of the raw insert of the same rows, (b).
2. The same batch end to end over HTTP (gzip body) to a real `bansos-server serve` process.
3. 20 concurrent clients, each sending 50-op batches to a real server process on loopback:
   requests/s and failed requests, beside GET /health at the same concurrency. Target: no failed request.
4. A reviewer opening a 1,000-proposal batch and bulk-approving it (targets < 1 s and < 2 s).

    python bench/bench_server_ingest.py [--ops 10000] [--clients 20] [--batches-per-client 5] [--no-pg]

Exits 1 when any target is missed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert
from sqlmodel import Session

from domain import regions
from domain.programmes import Catalogue
from server import db, migrate
from server.models import (
    AppliedOp,
    AuditLog,
    Batch,
    Device,
    DuplicateGroup,
    DuplicateMember,
    HouseholdRow,
    MemberRow,
    ProposalRow,
    RecordVersion,
    User,
    table_of,
)
from server.routes.sync import IngestRequest
from server.services.body import decode_body
from server.services.ingest import ingest_batch
from server.services.users import create_user
from server.settings import Settings
from sync.protocol import ops_content_hash
from tests.support.pg import fresh_schema_url, reachable
from tests.support.serverdata import DESA_A, many_payloads, person_ops
from tests.support.serverproc import ServerProcess


def _ops(n: int, start: int = 1) -> list[dict[str, Any]]:
    """n protocol-2 ops: a household, its member and a proposal per person (n // 3 people, at least one)."""
    return [o for p in many_payloads(DESA_A, max(1, n // 3), start=start) for o in person_ops(p)]


def _prepare(engine: Engine) -> tuple[Any, str]:
    migrate.upgrade(engine)
    with Session(engine) as s:
        user = create_user(s, username="bench", role="operator", area=DESA_A, password="bench-password", fast_hash=True)
        dev = Device(device_id=str(uuid.uuid4()), user_id=user.id or 0, desa_code=DESA_A, created_at=user.created_at)
        s.add(dev)
        s.commit()
        s.refresh(user)
        s.expunge(user)
        return user, dev.device_id


# The tables ingest inserts rows into, in foreign-key order (it also bumps the srv_counter row).
WRITTEN = (Batch, HouseholdRow, MemberRow, ProposalRow, RecordVersion, AppliedOp, AuditLog, DuplicateGroup,
           DuplicateMember)
RECORDS = (HouseholdRow, MemberRow, ProposalRow)
# Surrogate keys nothing else references: left to the database, as ingest does.
_AUTO_ID = (RecordVersion, AuditLog)


def _rows(engine: Engine, model: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [{k: v for k, v in r._mapping.items() if not (k == "id" and model in _AUTO_ID)}
                for r in conn.execute(table_of(model).select())]


def _raw_insert(engine: Engine, rows: dict[Any, list[dict[str, Any]]]) -> float:
    """One Core executemany per table, all in one transaction (commit included)."""
    t0 = time.perf_counter()
    with engine.begin() as conn:
        for model, rows_m in rows.items():
            if rows_m:
                conn.execute(insert(table_of(model)), rows_m)
    return time.perf_counter() - t0


def ingest_vs_raw(urls: tuple[str, str, str], n: int, label: str) -> dict[str, float]:
    """Ingest n ops into database A; raw-insert the record rows it wrote into the empty database B,
    and every row it wrote into the empty database C."""
    url_a, url_b, url_c = urls
    settings = Settings(environment="test", database_url=url_a, max_ops_per_batch=max(n, 10_000))
    eng_a, eng_b, eng_c = db.make_engine(url_a), db.make_engine(url_b), db.make_engine(url_c)
    try:
        user, dev = _prepare(eng_a)
        accounts = {m: _rows(eng_a, m) for m in (User, Device)}  # what the batch row refers to
        for eng in (eng_b, eng_c):
            migrate.upgrade(eng)
            _raw_insert(eng, accounts)
        before = {m: len(_rows(eng_a, m)) for m in WRITTEN}
        assert not any(before.values()), f"database A is not empty before the ingest: {before}"

        ops = _ops(n)
        n = len(ops)
        gz = gzip.compress(json.dumps({"device_id": dev, "ops": ops, "record_count": n}).encode())
        regions.province_codes()  # a running server has its region cache warm (create_app does this)
        with Session(eng_a) as s:
            t0 = time.perf_counter()
            # What server.routes.sync.post_batch does with the body it read, before the service.
            req = IngestRequest.model_validate(decode_body(gz, "gzip", settings.max_body_bytes))
            parse_s = time.perf_counter() - t0
            body = ingest_batch(s, settings=settings, catalogue=Catalogue(), user=user, batch_id="bench-" + label,
                                req=req)
            ingest_s = time.perf_counter() - t0
        results = json.loads(body)["results"]
        assert sum(r["status"] == "ACCEPTED" for r in results) == n, "ingest did not accept every op"
        written = {m: _rows(eng_a, m) for m in WRITTEN}
        raw_s = _raw_insert(eng_b, {m: written[m] for m in RECORDS})  # (a) the record rows alone
        raw_all_s = _raw_insert(eng_c, written)  # (b) every row the ingest wrote
        # Context: the mandated re-validation alone (the domain check of each record type).
        from domain.household_check import validate_household
        from domain.member_check import validate_member
        from domain.proposal_check import validate_proposal
        from domain.records import HouseholdPayload, MemberPayload, ProposalPayload

        t0 = time.perf_counter()
        for o in req.ops:
            if isinstance(o.payload, HouseholdPayload):
                validate_household(o.payload, operator_desa=DESA_A)
            elif isinstance(o.payload, MemberPayload):
                validate_member(o.payload)
            elif isinstance(o.payload, ProposalPayload):
                validate_proposal(o.payload)
        validate_s = time.perf_counter() - t0
        # Context: the batch content hash (idempotency + manifest) alone.
        t0 = time.perf_counter()
        ops_content_hash(req.ops)
        hash_s = time.perf_counter() - t0
        counts = {m: len(written[m]) for m in WRITTEN if written[m]}
        return {"ingest_s": ingest_s, "parse_s": parse_s, "raw_s": raw_s, "raw_all_s": raw_all_s, "validate_s": validate_s,
                "hash_s": hash_s, **{f"rows:{table_of(m).name}": float(c) for m, c in counts.items()}}
    finally:
        for eng in (eng_a, eng_b, eng_c):
            eng.dispose()


def best_of(repeat: int, url_sets: list[tuple[str, str, str]], n: int, label: str) -> dict[str, float]:
    """Min of `repeat` runs, each on fresh databases: the machine is shared, the minimum is the signal."""
    runs = [ingest_vs_raw(urls, n, f"{label}{i}") for i, urls in enumerate(url_sets[:repeat])]
    return {k: min(r[k] for r in runs) for k in runs[0]}


def review_timings(srv: ServerProcess, n: int = 1000) -> dict[str, float]:
    """A reviewer opens a batch of n proposals (n families) and approves all of them in one bulk decision."""
    dev = srv.register_device("op1")
    ops = _ops(3 * n, start=400_000)
    key = "bench-review-" + uuid.uuid4().hex
    r = requests.post(f"{srv.url}/api/v1/sync/batches", json={"device_id": dev, "ops": ops}, timeout=300,
                      headers={**srv.headers("op1"), "Idempotency-Key": key})
    assert r.status_code == 200, r.text[:300]
    t0 = time.perf_counter()
    page = srv.get(f"/api/v1/review/batches/{key}/proposals", "rev1", params={"limit": 5000}, timeout=120)
    open_s = time.perf_counter() - t0
    assert page.status_code == 200, page.text[:300]
    mine = {o["record_id"] for o in ops if o["record_type"] == "proposal"}
    ids = [e["record_id"] for e in page.json()["items"] if e["record_id"] in mine]
    assert len(ids) == n, (len(ids), page.json()["total"])
    t0 = time.perf_counter()
    d = srv.post("/api/v1/review/decisions", "rev1", json={"record_ids": ids, "decision": "approve"}, timeout=120)
    decide_s = time.perf_counter() - t0
    assert d.status_code == 200 and d.json()["decided"] == n, d.text[:300]
    t0 = time.perf_counter()
    srv.get("/api/v1/health")
    return {"open_s": open_s, "decide_s": decide_s, "health_s": time.perf_counter() - t0}


def http_batch(srv: ServerProcess, n: int) -> dict[str, float]:
    dev = srv.register_device("op1")
    ops = _ops(n, start=50_000)
    body = gzip.compress(json.dumps({"device_id": dev, "ops": ops, "record_count": len(ops)}).encode())
    t0 = time.perf_counter()
    r = requests.post(f"{srv.url}/api/v1/sync/batches", data=body, timeout=600, headers={
        **srv.headers("op1"), "Idempotency-Key": "bench-http-" + uuid.uuid4().hex, "Content-Encoding": "gzip",
        "Content-Type": "application/json"})
    dt = time.perf_counter() - t0
    assert r.status_code == 200, r.text[:500]
    bare = requests.get(f"{srv.url}/api/v1/health", timeout=10)
    assert bare.status_code == 200
    return {"http_s": dt, "gzip_bytes": len(body)}


def load(srv: ServerProcess, clients: int, batches_each: int, ops_per_batch: int = 50) -> dict[str, float]:
    users = [(f"load{i}", "operator", DESA_A) for i in range(clients)]
    srv.create_users(tuple(users))
    devices = {u: srv.register_device(u, DESA_A) for u, _, _ in users}
    heads = {u: srv.headers(u) for u, _, _ in users}
    bodies = {u: [gzip.compress(json.dumps({"device_id": devices[u], "ops": _ops(ops_per_batch, start=100_000 + i * 10_000 + b * 100)}).encode())
                  for b in range(batches_each)] for i, (u, _, _) in enumerate(users)}
    failures: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(u: str) -> None:
        sess = requests.Session()
        start.wait()
        for body in bodies[u]:
            t0 = time.perf_counter()
            try:
                r = sess.post(f"{srv.url}/api/v1/sync/batches", data=body, timeout=120, headers={
                    **heads[u], "Idempotency-Key": uuid.uuid4().hex, "Content-Encoding": "gzip",
                    "Content-Type": "application/json"})
                ok = r.status_code == 200 and all(x["status"] == "ACCEPTED" for x in r.json()["results"])
                err = "" if ok else f"{r.status_code} {r.text[:200]}"
            except requests.RequestException as e:
                err = repr(e)
            with lock:
                latencies.append(time.perf_counter() - t0)
                if err:
                    failures.append(err)

    threads = [threading.Thread(target=client, args=(u,)) for u, _, _ in users]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    # Baseline in the same run: the same number of bare health requests, same concurrency.
    hb = threading.Barrier(clients + 1)

    def health_client() -> None:
        sess = requests.Session()
        hb.wait()
        for _ in range(batches_each):
            sess.get(f"{srv.url}/api/v1/health", timeout=30)

    hthreads = [threading.Thread(target=health_client) for _ in range(clients)]
    for t in hthreads:
        t.start()
    hb.wait()
    h0 = time.perf_counter()
    for t in hthreads:
        t.join()
    hwall = time.perf_counter() - h0
    total = clients * batches_each
    return {"requests": total, "failed": len(failures), "rps": total / wall, "ops_per_s": total * ops_per_batch / wall,
            "p50_ms": statistics.median(latencies) * 1000, "p95_ms": sorted(latencies)[int(0.95 * len(latencies)) - 1] * 1000,
            "health_rps": total / hwall, "first_failure": failures[0] if failures else ""}


def _print_ingest(name: str, r: dict[str, float], n: int) -> bool:
    """Prints the comparison; whether the target is met."""
    pad = " " * len(name)
    rows = ", ".join(f"{int(v)} {k[5:]}" for k, v in r.items() if k.startswith("rows:"))
    ratio_a, ratio_b = r["ingest_s"] / r["raw_s"], r["ingest_s"] / r["raw_all_s"]
    verdict = "met" if ratio_b <= 3.0 else "NOT met"
    print(f"{name} parse + ingest {r['ingest_s']:.2f} s ({n / r['ingest_s']:.0f} ops/s; of which gunzip + JSON + "
          f"request model {r['parse_s']:.2f} s)")
    print(f"{pad} (a) raw insert of the entry rows only        {r['raw_s']:.2f} s | ingest/raw {ratio_a:.1f}x")
    print(f"{pad} (b) raw insert of every row ingest wrote     {r['raw_all_s']:.2f} s | ingest/raw {ratio_b:.1f}x "
          f"<- target <= 3.0x: {verdict}")
    print(f"{pad}     (b) = {rows}")
    print(f"{pad} context, each alone: re-validation {r['validate_s']:.2f} s, content hash {r['hash_s']:.2f} s")
    return ratio_b <= 3.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--batches-per-client", type=int, default=5)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="ingest comparison: best of N fresh runs")
    ap.add_argument("--ingest-only", action="store_true", help="skip the HTTP and load parts")
    ap.add_argument("--load-only", action="store_true", help="skip the in-process ingest comparison")
    args = ap.parse_args()
    pg_reason = "disabled (--no-pg)" if args.no_pg else reachable()
    missed: list[str] = []

    with tempfile.TemporaryDirectory() as tmp:
        print(f"== ingest of one {args.ops}-op batch vs the raw insert of the same rows (target: <= 3.0x of (b))")
        if args.load_only:
            print("(skipped: --load-only)")
        r = {} if args.load_only else best_of(
            args.repeat, [(f"sqlite:///{tmp}/a{i}.db", f"sqlite:///{tmp}/b{i}.db", f"sqlite:///{tmp}/c{i}.db")
                          for i in range(args.repeat)], args.ops, "sqlite")
        if r and not _print_ingest("SQLite    ", r, args.ops):
            missed.append("SQLite ingest <= 3x raw")
        if pg_reason is None and not args.load_only:
            with ExitStack() as stack:
                sets = [(stack.enter_context(fresh_schema_url()), stack.enter_context(fresh_schema_url()),
                         stack.enter_context(fresh_schema_url())) for _ in range(args.repeat)]
                r = best_of(args.repeat, sets, args.ops, "pg")
            if not _print_ingest("PostgreSQL", r, args.ops):
                missed.append("PostgreSQL ingest <= 3x raw")
        elif pg_reason is not None:
            print(f"PostgreSQL skipped: {pg_reason}")

        if args.ingest_only:
            return _verdict(missed)
        backends: list[tuple[str, str | None]] = [("SQLite", None)]
        pg_ctx = None
        if pg_reason is None:
            pg_ctx = fresh_schema_url()
            backends.append(("PostgreSQL", pg_ctx.__enter__()))
        try:
            for name, url in backends:
                srv = ServerProcess(Path(tmp) / name, database_url=url)
                with srv.setup():
                    h = http_batch(srv, args.ops)
                    print(f"== {name}: one {args.ops}-op batch over HTTP (gzip {h['gzip_bytes'] / 1024:.0f} KiB): "
                          f"{h['http_s']:.2f} s end to end")
                    lr = load(srv, args.clients, args.batches_per_client)
                    print(f"== {name}: {args.clients} clients x {args.batches_per_client} batches of 50 ops: "
                          f"{lr['rps']:.1f} req/s ({lr['ops_per_s']:.0f} ops/s), p50 {lr['p50_ms']:.0f} ms, "
                          f"p95 {lr['p95_ms']:.0f} ms, failed {lr['failed']}/{lr['requests']} "
                          f"| baseline GET /health same concurrency: {lr['health_rps']:.0f} req/s")
                    if lr["failed"]:
                        print(f"   first failure: {lr['first_failure']}")
                        missed.append(f"{name}: no failed request under load")
                    rv = review_timings(srv)
                    print(f"== {name}: reviewer opens a 1,000-proposal batch {rv['open_s'] * 1000:.0f} ms (target < 1 s), "
                          f"bulk-approves all 1,000 {rv['decide_s'] * 1000:.0f} ms (target < 2 s) "
                          f"| baseline GET /health {rv['health_s'] * 1000:.0f} ms")
                    if rv["open_s"] >= 1.0:
                        missed.append(f"{name}: open a 1,000-proposal batch < 1 s")
                    if rv["decide_s"] >= 2.0:
                        missed.append(f"{name}: bulk decision < 2 s")
        finally:
            if pg_ctx is not None:
                pg_ctx.__exit__(None, None, None)
    return _verdict(missed)


def _verdict(missed: list[str]) -> int:
    print("All targets met." if not missed else f"TARGET MISSED: {'; '.join(missed)}")
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
