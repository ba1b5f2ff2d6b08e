"""Public status check under load (issue 16).

Seeds --members members (4 per household, one proposal per household) into a fresh database, starts a
real `bansos-server serve` behind a pretend proxy (X-Forwarded-For believed from 127.0.0.1, each request
from one of many addresses, as citizens are), then --clients threads post POST /api/v1/public/status for
--seconds (a mix of the found case and the not-found cases), and afterwards GET /api/v1/health at the
same concurrency: requests/s, p50/p95 latency and errors for each. The limits are lifted so that every
request does the full work; the answer floor (default 120 ms, as shipped) is kept.

    python bench/bench_public_status.py [--members 1000000] [--clients 200] [--seconds 60] [--workers 2] [--floor-ms 120] [--no-pg]

On PostgreSQL (127.0.0.1:5432/test, a fresh schema) when reachable, else SQLite. The client threads
run on the same machine as the server: on a small box they compete with it for CPU.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert

from server import db, migrate
from server.models import HouseholdRow, MemberRow, ProposalRow, table_of
from tests.support.pg import fresh_schema_url, reachable
from tests.support.serverproc import ServerProcess

DESA = "1902012003"


def nik_of(i: int) -> str:
    serial, rest = i % 9999 + 1, i // 9999
    return f"190201{rest % 28 + 1:02d}{rest // 28 % 12 + 1:02d}{rest // 336 % 100:02d}{serial:04d}"


def kk_of(h: int) -> str:
    serial, rest = h % 9999 + 1, h // 9999
    return f"190201{rest % 28 + 1:02d}{rest // 28 % 12 + 1:02d}{(rest // 336 + 50) % 100:02d}{serial:04d}"


def _base(rid: str, now: datetime) -> dict[str, Any]:
    return {"record_id": rid, "province_code": "19", "desa_code": DESA, "kecamatan_code": DESA[:6],
            "kabkota_code": DESA[:4], "version": 1, "change_seq": 0, "deleted": False, "voided": False,
            "flags": "[]", "payload": "{}", "warnings": "[]", "conflict": None, "device_id": "bench",
            "last_batch_id": "bench", "created_at": now, "updated_at": now}


def seed(engine: Engine, members: int, chunk: int = 20_000) -> None:
    now = datetime.now(UTC)
    h_t, m_t, p_t = table_of(HouseholdRow), table_of(MemberRow), table_of(ProposalRow)
    for start in range(0, members, chunk):
        hh, mm, pp = [], [], []
        for i in range(start, min(start + chunk, members)):
            h = i // 4
            hid = f"h{h}"
            if i % 4 == 0:
                hh.append({**_base(hid, now), "kk": kk_of(h), "desil": None})
                pp.append({**_base(f"p{h}", now), "type": "new", "programme": "PKH", "household_id": hid,
                           "member_id": "", "pengurus_id": f"m{i}", "target_id": hid,
                           "review_state": "APPROVED" if h % 3 == 0 else "PENDING", "review_reason_code": None,
                           "review_note": None, "review_fields": "[]", "approved_version": None,
                           "legacy_entry_id": None, "payload": json.dumps({"musdesus_decision": "agreed"})})
            mm.append({**_base(f"m{i}", now), "household_id": hid, "nik": nik_of(i), "temp_id": "",
                       "name_key": "bench", "birth_date": "", "desil": None})
        with engine.begin() as conn:
            conn.execute(insert(h_t), hh)
            conn.execute(insert(m_t), mm)
            conn.execute(insert(p_t), pp)
        print(f"  seeded {min(start + chunk, members):,} members", flush=True)


def _drive(url: str, clients: int, seconds: float, request: Any) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        nonlocal errors
        mine: list[float] = []
        bad = 0
        with requests.Session() as http:
            k = n
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    ok = request(http, url, k)
                except requests.RequestException:
                    ok = False
                mine.append(time.perf_counter() - t0)
                bad += not ok
                k += clients
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "rps": len(latencies) / took, "errors": errors,
            "p50_ms": 1000 * statistics.median(latencies) if latencies else 0,
            "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else 0}


def make_status_request(members: int) -> Any:
    def status(http: requests.Session, url: str, k: int) -> bool:
        i = (k * 7919) % members
        case = k % 4
        if case == 0:
            body = {"nik": nik_of(i), "kk": kk_of(i // 4)}  # found
        elif case == 1:
            body = {"nik": nik_of(i), "kk": kk_of(i // 4 + 1)}  # wrong pair
        elif case == 2:
            body = {"nik": nik_of(members + i), "kk": kk_of(i // 4)}  # unknown NIK
        else:
            body = {"nik": nik_of(i - i % 4 + 1), "kk": kk_of(i // 4)}  # a member: found via the household
        # Citizens come from many addresses: the server believes X-Forwarded-For from 127.0.0.1 (its proxy).
        r = http.post(f"{url}/api/v1/public/status", json=body, timeout=60,
                      headers={"X-Forwarded-For": f"10.{k % 200}.{k // 200 % 250}.{k % 7 + 1}"})
        return r.status_code == 200

    return status


def health(http: requests.Session, url: str, _k: int) -> bool:
    return http.get(f"{url}/api/v1/health", timeout=60).status_code == 200


@contextmanager
def database(use_pg: bool, tmp: Path) -> Iterator[str]:
    if use_pg and reachable() is None:
        with fresh_schema_url() as url:
            yield url
    else:
        yield f"sqlite:///{tmp / 'bench.db'}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--floor-ms", type=int, default=120, help="BANSOS_PUBLIC_STATUS_FLOOR_MS of the server")
    ap.add_argument("--no-pg", action="store_true")
    args = ap.parse_args()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(database(not args.no_pg, tmp))
        engine = db.make_engine(url)
        migrate.upgrade(engine)
        t0 = time.monotonic()
        seed(engine, args.members)
        print(f"seed: {args.members:,} members in {time.monotonic() - t0:.0f} s on {engine.dialect.name}")
        engine.dispose()
        srv = ServerProcess(tmp / f"srv-{uuid.uuid4().hex[:6]}", database_url=url,
                            serve_args=("--workers", str(args.workers)),
                            env={"BANSOS_TRUSTED_PROXIES": "127.0.0.1",
                                 "BANSOS_PUBLIC_STATUS_PER_ADDRESS": "1000000000", "BANSOS_PUBLIC_STATUS_FLOOR_MS": str(args.floor_ms),
                                 "BANSOS_PUBLIC_STATUS_PER_NIK": "1000000000"})
        srv.start()
        try:
            for name, req in (("POST /api/v1/public/status", make_status_request(args.members)),
                              ("GET /api/v1/health", health)):
                res = _drive(srv.url, args.clients, args.seconds, req)
                print(f"{name:28s} clients={args.clients} {res['requests']:,} requests, {res['rps']:.0f}/s, "
                      f"p50 {res['p50_ms']:.0f} ms, p95 {res['p95_ms']:.0f} ms, errors {res['errors']}")
        finally:
            srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
