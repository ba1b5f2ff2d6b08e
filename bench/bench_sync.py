"""First sync of 10,000 families (a household and its head: 20,000 records, protocol 2) end to end on
loopback, beside a bare POST of the same kind of payload.

    python bench/bench_sync.py [--entries 10000] [--batch 1000]

Starts a real `bansos-server serve` (SQLite) on 127.0.0.1, then:
- baseline: a second client store of the same size (another desa of the same kecamatan, other
  NIKs) has its batches encoded exactly as the engine encodes them (same compact JSON, same gzip),
  and they are POSTed bare with `requests` to the same server: the server's ingest plus HTTP;
- measured: `SyncEngine.run()` for the first store: batch building and saving, UPLOADING marks,
  the same POSTs, result application, then the pull of the 20,000 server records.
Prints time for both, the ratio (target: within 3x), and gzip bytes on the wire per record for the
upload (target: < 150), plus the download.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from desktop_app.context import AppContext  # noqa: E402
from desktop_app.services.sync_service import SyncService  # noqa: E402
from domain.records import HouseholdPayload, MemberPayload  # noqa: E402
from local_db import household_repo as hr  # noqa: E402
from local_db import repository as repo  # noqa: E402
from sync.batching import BatchCap  # noqa: E402
from sync.client import SyncClient, gzip_bytes  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from sync.protocol import PROTOCOL_HEADER, BatchResponse, RecordChangesPage  # noqa: E402
from sync.report import SyncReport  # noqa: E402
from sync.wire import encode_texts  # noqa: E402
from tests.support.people import people  # noqa: E402
from tests.support.serverproc import PASSWORD, ServerProcess  # noqa: E402

USERS = (("op1", "operator", "1902012003"), ("op2", "operator", "1902012004"))


class CountingClient(SyncClient):
    """Counts the gzip bytes of every batch sent and the answer bytes received."""

    up = 0
    down = 0

    def post_batch(self, batch_id: str, body_gz: bytes) -> BatchResponse:
        CountingClient.up += len(body_gz)
        out = super().post_batch(batch_id, body_gz)
        CountingClient.down += len(out.model_dump_json())
        return out

    def get_changes(self, since: int, limit: int, device_id: str) -> RecordChangesPage:
        out = super().get_changes(since, limit, device_id)
        CountingClient.down += len(out.model_dump_json())
        return out


def fill(ctx: AppContext, n: int, desa: str, start: int) -> None:
    """n families (a household and its head), written as an import writes them."""
    items = [(HouseholdPayload(kk=row["kk"], desa_code=desa, address=row["address"]),
              [MemberPayload(household_id="", nik=row["nik"], name=row["name"], birth_date=row["birth_date"],
                             sex=row["sex"], relation="kepala_keluarga")])
             for row in people(n, seed=start + 7, desa=desa, start=start)]
    with repo.session_scope(ctx.engine, write=True) as s:
        hr.bulk_insert_households(s, items, hr.Who("bench", ctx.device_id))


def login(ctx: AppContext, url: str, user: str, desa: str) -> SyncService:
    ctx.configure(desa_code=desa)
    svc = SyncService.from_context(ctx)
    out = svc.login(url, user, PASSWORD, desa_code=desa)
    ctx.device_id = out.device_id
    svc.device_id = out.device_id
    return svc


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args()
    n = args.entries
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        t = Path(tmp)
        from tests.support.memory_keyring import use_file_keyring

        use_file_keyring(t)  # the stores' keys (no OS keyring on a headless box)
        srv = ServerProcess(t)
        srv.setup(users=USERS)
        try:
            a = AppContext.open(t / "client-a")
            b = AppContext.open(t / "client-b")
            svc_a = login(a, srv.url, "op1", USERS[0][2])
            svc_b = login(b, srv.url, "op2", USERS[1][2])
            fill(a, n, USERS[0][2], start=0)
            fill(b, n, USERS[1][2], start=50_000)
            cap = BatchCap(max_ops=args.batch)

            # Baseline: the engine's own encoding of store B, POSTed bare.
            tok_b = svc_b.token()
            assert tok_b
            enc = SyncEngine(b.engine, SyncClient(srv.url, tok_b), b.device_id, cap=cap)
            bodies: list[tuple[str, bytes]] = []
            while True:
                built = enc._build_batch(cap, SyncReport())
                if built is None:
                    break
                bid, rows = built
                bodies.append((bid, gzip_bytes(encode_texts(b.device_id, [r.text for r in rows]))))
                with repo.session_scope(b.engine, write=True) as s:  # next batch: mark these as done
                    from local_db.models import Batch, Outbox
                    for r in rows:
                        o = s.get(Outbox, r.op_id)
                        if o is not None:
                            s.delete(o)
                    bb = s.get(Batch, bid)
                    if bb is not None:
                        bb.done_at = repo.utcnow()
            http = requests.Session()
            headers = {"Authorization": f"Bearer {tok_b}", "Content-Type": "application/json",
                       "Content-Encoding": "gzip", PROTOCOL_HEADER: "2"}
            t0 = time.perf_counter()
            for bid, body in bodies:
                resp = http.post(f"{srv.url}/api/v1/sync/batches", data=body, timeout=300,
                              headers={**headers, "Idempotency-Key": bid})
                resp.raise_for_status()
            bare = time.perf_counter() - t0
            bare_bytes = sum(len(b) for _, b in bodies)

            # Measured: the real first sync of store A (push everything, then pull).
            tok_a = svc_a.token()
            assert tok_a
            eng = PhaseTimedEngine(a.engine, CountingClient(srv.url, tok_a), a.device_id, cap=cap, page_limit=2000)
            t0 = time.perf_counter()
            rep = eng.run()
            full = time.perf_counter() - t0
            assert rep.ok, rep.error
            assert rep.accepted == 2 * n, rep
            st = svc_a.status()
            assert st.outbox == 0 and st.counts.get("SYNCED") == 2 * n, st
            a.close()
            b.close()
        finally:
            srv.stop()
    records = 2 * n
    per_entry = CountingClient.up / records
    print(f"records                         : {records} ({n} families) in {len(bodies)} batches of <= {args.batch}")
    print(f"bare POST of the gzip batches   : {bare:7.2f} s  ({bare_bytes / records:6.1f} gzip bytes/record)")
    print(f"first sync end to end (push+pull): {full:7.2f} s  ({full / bare:4.2f}x the bare POST; target <= 3x)")
    print(f"  of which push {PhaseTimedEngine.times.get('push', 0):.2f} s, pull {PhaseTimedEngine.times.get('pull', 0):.2f} s")
    print(f"upload on the wire              : {CountingClient.up / 1024:8.1f} KiB gzip = {per_entry:6.1f} bytes/record "
          f"(target < 150)")
    print(f"download (answers + pull pages) : {CountingClient.down / 1024:8.1f} KiB uncompressed JSON")
    ok = full / bare <= 3.0 and per_entry < 150
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


class PhaseTimedEngine(SyncEngine):
    """The real engine; only records how long push and pull took inside run()."""

    times: dict[str, float] = {}

    def push(self, report: Any = None) -> Any:
        t0 = time.perf_counter()
        try:
            return super().push(report)
        finally:
            PhaseTimedEngine.times["push"] = time.perf_counter() - t0

    def pull(self, report: Any = None) -> Any:
        t0 = time.perf_counter()
        try:
            return super().pull(report)
        finally:
            PhaseTimedEngine.times["pull"] = time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
