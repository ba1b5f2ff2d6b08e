"""Local store benchmark: duplicate checks on a large store and bulk insert vs raw SQL.

    python bench/bench_local_store.py             # 1,000,000 entries (built once, cached in /tmp)
    python bench/bench_local_store.py --rows 50000

Prints, each beside its baseline measured in the same run:
- exact-NIK check latency p50/p99 through local_db.duplicates.find_duplicates (target p99 < 2 ms),
  beside one raw SQL SELECT by NIK;
- probable-same-person check latency p50/p99 through find_duplicates (target p99 < 30 ms), beside a
  raw SELECT of the birth-date block;
- the full EntryService.check (validation + all four duplicate rules, own session) for reference;
- bulk insert rows/s through the importer's insert path (repository.bulk_create_entries: entry,
  household, outbox, audit) beside raw SQL executemany of the same rows into the same schema
  (target: at least half the raw rate). Both run in a transaction on the large store that is
  rolled back afterwards, so the cached store stays as built; commit time is excluded from both.
  The raw side gets its rows pre-built (uuids, JSON) outside the clock; the importer side builds
  them from the payloads inside it. Runs are interleaved, best of --repeat each.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.services.entries import EntryService, normalised_payload  # noqa: E402
from domain.entry import validate_entry  # noqa: E402
from domain.names import name_key  # noqa: E402
from local_db import cipher  # noqa: E402
from local_db import repository as repo  # noqa: E402
from local_db.duplicates import find_duplicates  # noqa: E402
from local_db.engine import close_store, open_store  # noqa: E402
from local_db.migrations import SCHEMA_VERSION  # noqa: E402
from tests.support.people import people  # noqa: E402

BUILD_BATCH = 50_000


def cache_path(rows: int) -> Path:
    return Path("/tmp") / f"bansos_bench_v{SCHEMA_VERSION}_{rows}.sqlite3"


def _ts(d: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME storage format (UTC, no offset).
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


def build_store(path: Path, rows: int) -> None:
    """Create the schema through open_store, then fill `entry`/`household` with raw executemany."""
    t0 = time.perf_counter()
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    close_store(open_store(tmp))
    con = cipher.connect(tmp, None, isolation_level=None)  # the store's own SQLite library
    con.execute("PRAGMA synchronous=OFF")
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='entry' AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        con.execute(f"DROP INDEX {name}")  # rebuilt once at the end: much faster than per-row upkeep
    now = _ts(datetime.now(UTC))
    cols = ("record_id, nik, kk, name, name_key, birth_place, birth_date, sex, desa_code, dusun, rt, rw, address, "
            "phone, criteria, programme, notes, warnings, override_reason, deleted, delete_reason, created_at, "
            "updated_at, created_by, updated_by, local_rev, sync_state, server_flags")
    ins_e = f"INSERT INTO entry ({cols}) VALUES ({', '.join('?' * 28)})"
    ins_h = "INSERT INTO household (kk, desa_code, dusun, rt, rw, address, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)"
    progs = ("PKH", "BPNT", "BST", "BLT-DD", "PBI-JK")
    con.execute("BEGIN")
    batch_e: list[tuple[object, ...]] = []
    batch_h: list[tuple[object, ...]] = []
    for i, r in enumerate(people(rows, seed=11)):
        batch_e.append((str(uuid.UUID(int=i + 1)), r["nik"], r["kk"], r["name"], name_key(r["name"]), "",
                        r["birth_date"], r["sex"], r["desa_code"], "", "", "", r["address"], "", "", progs[i % 5], "",
                        "[]", "", 0, "", now, now, "bench", "bench", 1, "SYNCED", "[]"))
        batch_h.append((r["kk"], r["desa_code"], "", "", "", r["address"], now, now))
        if len(batch_e) >= BUILD_BATCH:
            con.executemany(ins_h, batch_h)
            con.executemany(ins_e, batch_e)
            batch_e.clear()
            batch_h.clear()
            print(f"  built {i + 1:,} rows ({time.perf_counter() - t0:.0f} s)", flush=True)
    con.executemany(ins_h, batch_h)
    con.executemany(ins_e, batch_e)
    con.execute("COMMIT")
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    tmp.replace(path)
    print(f"  store of {rows:,} entries built in {time.perf_counter() - t0:.0f} s: {path}", flush=True)


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def fmt(label: str, ms: list[float], base: list[float] | None, base_label: str, target: str) -> str:
    line = f"{label:<34} p50 {pct(ms, 50):7.3f} ms  p99 {pct(ms, 99):7.3f} ms"
    if base is not None:
        line += f"   | {base_label}: p50 {pct(base, 50):7.3f} ms  p99 {pct(base, 99):7.3f} ms"
    return line + f"   [{target}]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="entries in the store (default 1,000,000)")
    ap.add_argument("--queries", type=int, default=2000, help="checks per latency figure")
    ap.add_argument("--insert", type=int, default=50_000, help="rows for the bulk-insert comparison")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved bulk-insert runs (best of each)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached store")
    args = ap.parse_args()

    path = cache_path(args.rows)
    if args.rebuild or not path.exists():
        print(f"Building a store of {args.rows:,} entries ...", flush=True)
        build_store(path, args.rows)
    engine = open_store(path)
    rng = random.Random(5)
    print(f"\nStore: {path} ({path.stat().st_size / 1e6:.0f} MB)")
    con = cipher.connect(path, None)
    total = con.execute("SELECT count(*) FROM entry").fetchone()[0]
    print(f"Entries in the store: {total:,}\n")
    sample = con.execute("SELECT nik, kk, programme, name, birth_date FROM entry WHERE rowid IN "
                         f"({','.join(str(rng.randrange(1, total + 1)) for _ in range(args.queries))})").fetchall()
    while len(sample) < args.queries:
        sample += sample
    sample = sample[:args.queries]

    # --- exact NIK
    it = iter(sample * 3)
    with repo.session_scope(engine) as s:
        timed(lambda: find_duplicates(s, nik=next(it)[0], kk="", programme="PKH", name="", birth_date=None), 200)
        nik_ms = timed(lambda: find_duplicates(s, nik=next(it)[0], kk="", programme="PKH", name="", birth_date=None),
                       args.queries)
    it = iter(sample * 2)
    nik_raw = timed(lambda: con.execute("SELECT record_id, name, nik, programme, desa_code FROM entry "
                                        "WHERE nik = ? AND deleted = 0", (next(it)[0],)).fetchall(), args.queries)

    # --- probable same person: a typo of an existing name, same birth date, another NIK
    def typo(name: str) -> str:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]

    probes = [(typo(r[3]), date.fromisoformat(r[4])) for r in sample]
    it2 = iter(probes * 3)
    hits = 0
    with repo.session_scope(engine) as s:
        def probable() -> None:
            nonlocal hits
            name, born = next(it2)
            found = find_duplicates(s, nik="1902019999999999", kk="", programme="PKH", name=name, birth_date=born)
            hits += bool(found)

        timed(probable, 200)
        hits = 0
        prob_ms = timed(probable, args.queries)
    it3 = iter(probes * 2)
    prob_raw = timed(lambda: con.execute("SELECT record_id, name, nik, programme, desa_code, name_key FROM entry "
                                         "WHERE birth_date = ? AND deleted = 0", (next(it3)[1].isoformat(),)
                                         ).fetchall(), args.queries)
    block = statistics.mean(
        con.execute("SELECT count(*) FROM entry WHERE birth_date = ?", (p[1].isoformat(),)).fetchone()[0]
        for p in probes[:200])

    # --- the whole check as the entry form runs it
    svc = EntryService(engine, operator="bench", device_id="bench", desa_code=None)
    forms = [{"nik": r[0][:12] + "9998", "kk": r[1], "name": typo(r[3]), "birth_date": r[4],
              "sex": "P" if int(r[0][6:8]) > 40 else "L", "desa_code": "1902012003", "programme": "BST"}
             for r in sample[:500]]
    it4 = iter(forms * 2)
    check_ms = timed(lambda: svc.check(next(it4)), len(forms))

    print("Duplicate checks (figure | baseline, same run):")
    print(fmt("exact NIK (find_duplicates)", nik_ms, nik_raw, "raw SQL SELECT by NIK", "target p99 < 2 ms"))
    print(fmt("probable person (find_duplicates)", prob_ms, prob_raw, "raw SELECT of the birth-date block",
              "target p99 < 30 ms"))
    print(f"{'':34} ({hits}/{args.queries} typo probes found; mean birth-date block {block:.0f} rows)")
    print(fmt("full EntryService.check", check_ms, None, "", "validation + 4 rules + own session"))

    # --- bulk insert: importer path vs raw executemany, same rows, same store, rolled back
    n = args.insert
    rows = list(people(n, seed=99, start=4_000_000))
    items = []
    for r in rows:
        check = validate_entry(r)
        items.append(repo.NewEntry(payload=normalised_payload(r, check), name_key=name_key(r["name"]),
                                   audit_reason="bench"))

    def importer_once() -> float:
        with repo.session_scope(engine, write=True) as s:
            s.connection()  # BEGIN IMMEDIATE before the clock starts, as for the raw side
            t = time.perf_counter()
            ids = repo.bulk_create_entries(s, items, actor="bench", device_id="bench")
            took = time.perf_counter() - t
            assert len(ids) == n
            s.rollback()
        return took

    # The same rows as tuples, built before the clock (raw executemany does no Python work per row).
    now = _ts(datetime.now(UTC))
    ent, hh, ops, aud = [], [], [], []
    for i, it_ in enumerate(items):
        p = it_.payload
        rid = str(uuid.uuid4())
        ent.append((rid, p.nik, p.kk, p.name, it_.name_key, p.birth_place, p.birth_date, p.sex, p.desa_code, p.dusun,
                    p.rt, p.rw, p.address, p.phone, ",".join(p.criteria), p.programme, p.notes, "[]", "", 0, "", now,
                    now, "bench", "bench", 1, "NEW", "[]"))
        hh.append((p.kk, p.desa_code, p.dusun, p.rt, p.rw, p.address, now, now))
        ops.append((str(uuid.uuid4()), 10_000_000 + i, rid, "UPSERT", 1, p.model_dump_json(), now))
        aud.append((rid, "CREATE", "bench", "bench", now, json.dumps({**p.model_dump(), "deleted": False}), "bench"))

    def raw_once() -> float:
        raw = cipher.connect(path, None, isolation_level=None)
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("BEGIN IMMEDIATE")
        t = time.perf_counter()
        raw.executemany("INSERT INTO household (kk, desa_code, dusun, rt, rw, address, created_at, updated_at) "
                        "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(kk) DO UPDATE SET address = excluded.address", hh)
        raw.executemany(
            "INSERT INTO entry (record_id, nik, kk, name, name_key, birth_place, birth_date, sex, desa_code, dusun, "
            "rt, rw, address, phone, criteria, programme, notes, warnings, override_reason, deleted, delete_reason, "
            "created_at, updated_at, created_by, updated_by, local_rev, sync_state, server_flags) VALUES "
            f"({', '.join('?' * 28)})", ent)
        raw.executemany("INSERT INTO outbox (op_id, seq, record_id, kind, local_rev, payload, created_at) "
                        "VALUES (?,?,?,?,?,?,?)", ops)
        raw.executemany("INSERT INTO auditlog (record_id, action, actor, device_id, at, after, reason) "
                        "VALUES (?,?,?,?,?,?,?)", aud)
        took = time.perf_counter() - t
        raw.execute("ROLLBACK")
        raw.close()
        return took

    # Interleaved repeats, best of each: the machine's other load hits both sides alike.
    imp_times, raw_times = [], []
    for _ in range(args.repeat):
        imp_times.append(importer_once())
        raw_times.append(raw_once())
    imp_s, raw_s = min(imp_times), min(raw_times)
    con.close()
    close_store(engine)

    imp_rate, raw_rate = n / imp_s, n / raw_s
    print(f"\nBulk insert of {n:,} entries (entry + household + outbox + audit rows) into the {total:,}-entry store:")
    print(f"  importer path (bulk_create_entries)  {imp_rate:10,.0f} rows/s   | raw SQL executemany "
          f"{raw_rate:10,.0f} rows/s   ratio {imp_rate / raw_rate:.2f} [target >= 0.50]")
    ok = pct(nik_ms, 99) < 2 and pct(prob_ms, 99) < 30 and imp_rate >= raw_rate / 2
    print("\nAll targets met." if ok else "\nSome targets NOT met (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
