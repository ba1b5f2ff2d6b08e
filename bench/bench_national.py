"""National simulation (issue 18): a registration wave driven by many concurrent village devices
against `bansos-server serve --workers N` on PostgreSQL.

For each worker count: a fresh PostgreSQL schema (`bansos-server init`: the partitioned tables),
one operator account and device per desa, then --devices concurrent simulated devices, each taking
the next desa from a queue and sending its records in --batch-size batches (gzip, as the app does).
Printed: records/s, batch latency p50/p95/max, failed batches; beside it, in the same run, the
database's raw insert rate of the same rows (every entry, history and applied-op row the server
wrote, Core executemany, one transaction per batch, into a fresh migrated schema); then one desa's
full pull and a kecamatan's review list at that size.

Targets (--workers 2): ingest >= 0.4x the raw insert rate and >= 1,500 records/s, batch p95 < 6 s,
no batch > 15 s, no failed batch. Exit 1 when one is missed.

    python bench/bench_national.py                       # 2,000 desa x 225 records (100 families)
    python bench/bench_national.py --desa 200 --workers 1 2
    python bench/bench_national.py --desa 83762          # the whole country, on a bigger machine
"""

from __future__ import annotations

import argparse
import gzip
import json
import queue
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert

from domain import regions
from server import db, migrate
from server.models import (
    AppliedOp,
    AuthToken,
    Device,
    HouseholdRow,
    MemberRow,
    ProposalRow,
    RecordVersion,
    User,
    table_of,
)
from server.security import hash_password, token_digest
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.support.pg import fresh_schema_url, reachable
from tests.support.serverdata import many_payloads, person_ops
from tests.support.serverproc import ServerProcess

PASSWORD_HASH = hash_password("bench-national-sandi", fast=True)
# The rows a record costs (a household, member or proposal: one op each); raw-inserted for the baseline.
WRITTEN = (HouseholdRow, MemberRow, ProposalRow, RecordVersion, AppliedOp)


def desa_codes(n: int) -> list[str]:
    """The first n desa of the Kemendagri list, province by province (real codes: ingest checks them)."""
    out: list[str] = []

    def walk(code: str | None) -> None:
        for r in regions.children(code):
            if len(out) >= n:
                return
            if regions.is_desa(r.code):
                out.append(regions.digits_of(r.code))
            else:
                walk(r.code)

    walk(None)
    if len(out) < n:
        raise SystemExit(f"only {len(out)} desa in the region list")
    return out


def accounts(engine: Engine, desa: list[str], secret: str) -> dict[str, tuple[str, str]]:
    """One operator, device and token per desa, plus a reviewer of the first desa's kecamatan, by bulk
    insert (2,000 logins would measure argon2, not the server). Returns username -> (token, device)."""
    now = datetime.now(UTC)
    users = [{"username": f"op{d}", "role": "operator", "area_code": d, "active": True, "password_hash": PASSWORD_HASH,
              "created_at": now} for d in desa]
    users.append({"username": "rev", "role": "reviewer", "area_code": desa[0][:6], "active": True,
                  "password_hash": PASSWORD_HASH, "created_at": now})
    out: dict[str, tuple[str, str]] = {}
    with engine.begin() as conn:
        conn.execute(insert(table_of(User)), users)
        ids = dict(conn.execute(table_of(User).select().with_only_columns(table_of(User).c.username,
                                                                             table_of(User).c.id)).all())
        devices, tokens = [], []
        for u in users:
            token, dev = uuid.uuid4().hex + uuid.uuid4().hex, str(uuid.uuid4())
            out[u["username"]] = (token, dev)
            tokens.append({"token_hash": token_digest(token, secret), "user_id": ids[u["username"]], "created_at": now,
                           "expires_at": now + timedelta(days=1), "revoked_at": None})
            if u["role"] == "operator":
                devices.append({"device_id": dev, "user_id": ids[u["username"]], "desa_code": u["area_code"],
                                "label": "bench", "created_at": now})
        conn.execute(insert(table_of(Device)), devices)
        conn.execute(insert(table_of(AuthToken)), tokens)
    return out


def wave(desa: list[str], per_desa: int, batch_size: int, creds: dict[str, tuple[str, str]]) -> dict[str, list[bytes]]:
    """Gzip batch bodies per desa, made before the clock starts (the devices' own work is not measured)."""
    out: dict[str, list[bytes]] = {}
    for i, d in enumerate(desa):
        # Distinct people across the wave (names and birth dates from a running number): a realistic
        # wave has few duplicates, and each one costs the reviewer, not the benchmark.
        payloads = many_payloads(d, max(1, per_desa // 3), start=1 + i * per_desa)  # 3 records per person
        ops = [o for p in payloads for o in person_ops(p)]  # household -> member -> proposal per person
        dev = creds[f"op{d}"][1]
        out[d] = [gzip.compress(json.dumps({"device_id": dev, "ops": ops[k:k + batch_size]}).encode(), 6)
                  for k in range(0, len(ops), batch_size)]
    return out


def drive(url: str, bodies: dict[str, list[bytes]], creds: dict[str, tuple[str, str]], devices: int,
          batch_size: int) -> dict[str, Any]:
    todo: queue.Queue[str] = queue.Queue()
    for d in bodies:
        todo.put(d)
    lat: list[float] = []
    failures: list[str] = []
    records = 0
    lock = threading.Lock()
    start = threading.Barrier(devices + 1)

    def device() -> None:
        nonlocal records
        sess = requests.Session()
        start.wait()
        while True:
            try:
                d = todo.get_nowait()
            except queue.Empty:
                return
            head = {"Authorization": f"Bearer {creds[f'op{d}'][0]}", "Content-Encoding": "gzip",
                    "Content-Type": "application/json", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
            for body in bodies[d]:
                t0 = time.perf_counter()
                err, n = "", 0
                try:
                    r = sess.post(f"{url}/api/v1/sync/batches", data=body, timeout=120,
                                  headers={**head, "Idempotency-Key": uuid.uuid4().hex})
                    results = r.json().get("results", []) if r.status_code == 200 else []
                    n = sum(1 for x in results if x["status"] == "ACCEPTED")
                    if r.status_code != 200 or n != len(results) or not results:
                        err = f"{r.status_code} {r.text[:200]}"
                except requests.RequestException as e:
                    err = repr(e)
                with lock:
                    lat.append(time.perf_counter() - t0)
                    records += n
                    if err:
                        failures.append(err)

    threads = [threading.Thread(target=device, daemon=True) for _ in range(devices)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    return {"records": records, "wall_s": wall, "rec_per_s": records / wall, "batches": len(lat),
            "p50_s": statistics.median(lat), "p95_s": lat[max(0, int(0.95 * len(lat)) - 1)], "max_s": lat[-1],
            "failed": len(failures), "first_failure": failures[0] if failures else ""}


def raw_insert_rate(src: Engine, batch_size: int) -> dict[str, float]:
    """The same rows the server wrote, inserted raw into a fresh migrated schema: Core executemany,
    one transaction per batch_size records (record rows with their history and applied-op rows)."""
    with src.connect() as conn:
        rows = {m: [dict(r._mapping) for r in conn.execute(table_of(m).select())] for m in WRITTEN}
    for r in rows[RecordVersion]:
        r.pop("id", None)  # a serial, as when the server inserts
    by_rec: dict[str, dict[Any, list[dict[str, Any]]]] = {}
    for m in WRITTEN:
        for r in rows[m]:
            by_rec.setdefault(r["record_id"], {x: [] for x in WRITTEN})[m].append(r)
    recs = list(by_rec.values())
    with fresh_schema_url() as url:
        eng = db.make_engine(url)
        migrate.upgrade(eng)
        t0 = time.perf_counter()
        for k in range(0, len(recs), batch_size):
            chunk = recs[k:k + batch_size]
            with eng.begin() as conn:
                for m in WRITTEN:
                    part = [r for rec in chunk for r in rec[m]]
                    if part:
                        conn.execute(insert(table_of(m)), part)
        dt = time.perf_counter() - t0
        eng.dispose()
    return {"records": len(recs), "raw_s": dt, "raw_rec_per_s": len(recs) / dt}


def reads(url: str, desa: str, creds: dict[str, tuple[str, str]]) -> dict[str, float]:
    token, dev = creds[f"op{desa}"]
    sess = requests.Session()
    t0 = time.perf_counter()
    cursor, n = 0, 0
    while True:
        r = sess.get(f"{url}/api/v1/sync/changes", params={"since": cursor, "limit": 500, "device_id": dev},
                     headers={"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}, timeout=120)
        r.raise_for_status()
        page = r.json()
        n += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    pull_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = sess.get(f"{url}/api/v1/review/proposals", params={"limit": 500},
                 headers={"Authorization": f"Bearer {creds['rev'][0]}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}, timeout=120)
    r.raise_for_status()
    return {"pull_s": pull_s, "pulled": n, "list_s": time.perf_counter() - t0, "listed": len(r.json()["items"]),
            "kec_total": r.json()["total"]}


def run(workers: int, args: argparse.Namespace, desa: list[str]) -> dict[str, Any]:
    with fresh_schema_url() as url, tempfile.TemporaryDirectory() as tmp:
        srv = ServerProcess(Path(tmp), database_url=url, serve_args=("--workers", str(workers)),
                            env={"BANSOS_LOG_LEVEL": "warning"})
        srv.init()
        engine = db.make_engine(url)
        creds = accounts(engine, desa, srv.secret)
        bodies = wave(desa, args.per_desa, args.batch_size, creds)
        srv.start()
        try:
            load = drive(srv.url, bodies, creds, args.devices, args.batch_size)
            rd = reads(srv.url, desa[0], creds)
        finally:
            srv.stop()
            if load.get("failed") if "load" in locals() else False:
                log = srv.log_text()
                i = log.find("Traceback")
                print(f"   server log at the first failure:\n{log[i:i + 3000] if i >= 0 else log[-3000:]}")
        raw = raw_insert_rate(engine, args.batch_size)
        engine.dispose()
    return {**load, **raw, **rd, "ratio": load["rec_per_s"] / raw["raw_rec_per_s"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--desa", type=int, default=2000)
    ap.add_argument("--per-desa", type=int, default=225, help="records per desa (100 families x ~2.25 members)")
    ap.add_argument("--devices", type=int, default=50, help="concurrent simulated devices")
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="server worker counts to run")
    args = ap.parse_args()
    why = reachable()
    if why:
        print(f"PostgreSQL needed: {why}")
        return 2
    desa = desa_codes(args.desa)
    print(f"== national wave: {args.desa} desa x {args.per_desa} records = {args.desa * args.per_desa:,} records, "
          f"{args.devices} concurrent devices, {args.batch_size}-record batches, PostgreSQL (partitioned)")
    missed: list[str] = []
    for w in args.workers:
        r = run(w, args, desa)
        print(f"-- serve --workers {w}")
        print(f"   ingest   {r['records']:>9,} records in {r['wall_s']:7.1f} s = {r['rec_per_s']:7.0f} records/s | "
              f"raw insert of the same rows {r['raw_rec_per_s']:7.0f} records/s ({r['raw_s']:.1f} s) | "
              f"ingest/raw {r['ratio']:.2f}x (target >= 0.40x)")
        print(f"   batches  {r['batches']:>9,} | latency p50 {r['p50_s']:.2f} s, p95 {r['p95_s']:.2f} s (target < 6), "
              f"max {r['max_s']:.2f} s (target < 15) | failed {r['failed']} {r['first_failure']}")
        print(f"   reads    pull of desa {desa[0]}: {r['pulled']} changes in {r['pull_s']:.2f} s | kecamatan "
              f"{desa[0][:6]} review list: {r['listed']} of {r['kec_total']} proposals in {r['list_s']:.2f} s")
        if w == 2:
            checks = {"ingest/raw >= 0.4": r["ratio"] >= 0.4, "records/s >= 1500": r["rec_per_s"] >= 1500,
                      "p95 < 6 s": r["p95_s"] < 6, "max < 15 s": r["max_s"] < 15, "no failed batch": r["failed"] == 0}
            missed += [f"--workers 2: {k}" for k, ok in checks.items() if not ok]
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
