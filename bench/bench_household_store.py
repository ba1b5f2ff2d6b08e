"""Household store benchmark (issue 12): the 1M-record local store figures over 1M members in ~300k
households.

    python bench/bench_household_store.py               # 1,000,000 members (built once, cached in /tmp)
    python bench/bench_household_store.py --members 50000

Prints, each beside its baseline measured in the same run:
- duplicate rule 1 (same NIK) through local_db.household_repo.check_member_ids, the check save_member
  runs (an existing NIK: the refusal with its message naming the member and the KK), beside one raw
  sqlite3 SELECT by NIK (target p99 < 2 ms). The store file is read once first (warm OS cache for both);
- duplicate rule 3: the member form's whole check (local_db.member_duplicates.member_duplicates) for a person
  typed again under no NIK with a one-letter typo in the name, beside the raw SELECT of the birth-date block
  (target p99 < 30 ms);
- bulk import rows/s through household_repo.bulk_insert_households (households + members, one op and
  one audit row each, rows and payload JSON built from the domain models inside the clock; name keys
  come with the rows, as from the import's check pass, as in bench_local_store) beside raw sqlite3
  executemany of the same rows pre-built outside the clock (target: at least half the raw rate). Both
  run in a transaction on the large store that is rolled back; best of --repeat interleaved runs.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.names import name_key  # noqa: E402
from domain.records import HouseholdPayload, MemberPayload  # noqa: E402
from local_db import household_repo as hr  # noqa: E402
from local_db.engine import close_store, open_store  # noqa: E402
from local_db.household_errors import DuplicateMember  # noqa: E402
from local_db.household_migration import migrate_to_households  # noqa: E402
from local_db.member_duplicates import member_duplicates  # noqa: E402
from local_db.repository import session_scope  # noqa: E402
from tests.support.people import people  # noqa: E402

BUILD_BATCH = 50_000
RELATIONS = ("kepala_keluarga", "istri", "anak", "anak", "anak")


def cache_path(members: int) -> Path:
    return Path("/tmp") / f"bansos_bench_households_{members}.sqlite3"


def _ts(d: datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


def families(n: int, *, seed: int, start: int = 0) -> Iterator[tuple[dict[str, str], list[dict[str, str]]]]:
    """People grouped into families of 1-6 (mean ~3.3, so 1M members make ~300k households)."""
    rng = random.Random(seed)
    it = people(n, seed=seed, start=start)
    left = n
    while left > 0:
        size = min(left, rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 6)) if rng.random() < 0.9 else 2)
        group = [next(it) for _ in range(size)]
        left -= size
        yield group[0], group


def build_store(path: Path, members: int) -> None:
    """The schema through open_store + the household migration, then raw executemany of the rows."""
    t0 = time.perf_counter()
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    engine = open_store(tmp)
    with engine.begin() as conn:
        migrate_to_households(conn)
    close_store(engine)
    con = sqlite3.connect(tmp, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name IN "
                          "('households', 'members') AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        con.execute(f"DROP INDEX {name}")  # rebuilt once at the end
    now = _ts(datetime.now(UTC))
    ins_h = ("INSERT INTO households (record_id, kk, kk_pending, desa_code, dusun, rt, rw, address, phone, tenure, "
             "floor_material, wall_material, roof_material, water_source, lighting, wattage, cooking_fuel, "
             "toilet_facility, toilet_type, sewage, assets, livestock, notes, created_at, updated_at, created_by, "
             "updated_by, warnings, deleted, delete_reason, local_rev, sync_state, server_flags, voided) VALUES "
             "(?,?,0,?,'','001','002',?,'','','','','','','','','','','','','[]','{}','',?,?,'b','b','[]',0,'',1,"
             "'SYNCED','[]',0)")
    ins_m = ("INSERT INTO members (record_id, household_id, nik, temp_id, former_ids, name, name_key, birth_place, "
             "birth_date, sex, relation, marital_status, education, school_status, occupation, difficulties, "
             "chronic_illness, pregnant, ppks, criteria, phone, notes, override_reason, created_at, updated_at, "
             "created_by, updated_by, warnings, deleted, delete_reason, local_rev, sync_state, server_flags, voided) "
             "VALUES (?,?,?,'','[]',?,?,'',?,?,?,'','','','','{}','',0,'','','','','',?,?,'b','b','[]',0,'',1,"
             "'SYNCED','[]',0)")
    con.execute("BEGIN")
    bh: list[tuple[object, ...]] = []
    bm: list[tuple[object, ...]] = []
    done = 0
    for n_h, (head, group) in enumerate(families(members, seed=11)):
        hid = str(uuid.UUID(int=n_h + 1))
        bh.append((hid, head["kk"], head["desa_code"], head["address"], now, now))
        for k, r in enumerate(group):
            bm.append((str(uuid.UUID(int=10**9 + done + k)), hid, r["nik"], r["name"], name_key(r["name"]),
                       r["birth_date"], r["sex"], RELATIONS[min(k, 4)], now, now))
        done += len(group)
        if len(bm) >= BUILD_BATCH:
            con.executemany(ins_h, bh)
            con.executemany(ins_m, bm)
            bh.clear()
            bm.clear()
            print(f"  built {done:,} members ({time.perf_counter() - t0:.0f} s)", flush=True)
    con.executemany(ins_h, bh)
    con.executemany(ins_m, bm)
    con.execute("COMMIT")
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    tmp.replace(path)
    print(f"  store of {members:,} members built in {time.perf_counter() - t0:.0f} s: {path}", flush=True)


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, default=1_000_000, help="members in the store (default 1,000,000)")
    ap.add_argument("--queries", type=int, default=2000, help="checks per latency figure")
    ap.add_argument("--insert", type=int, default=50_000, help="members for the bulk-import comparison")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved bulk-import runs (best of each)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached store")
    args = ap.parse_args()

    path = cache_path(args.members)
    if args.rebuild or not path.exists():
        print(f"Building a store of {args.members:,} members ...", flush=True)
        build_store(path, args.members)
    # Read the file once so the OS cache is warm for both sides alike, as on a PC that uses its store: otherwise
    # the sample query below warms exactly the probed members' pages (the baseline's) and not their households'.
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass
    engine = open_store(path)
    con = sqlite3.connect(path)
    n_m = con.execute("SELECT count(*) FROM members").fetchone()[0]
    n_h = con.execute("SELECT count(*) FROM households").fetchone()[0]
    print(f"\nStore: {path} ({path.stat().st_size / 1e6:.0f} MB): {n_m:,} members in {n_h:,} households\n")
    rng = random.Random(5)
    sample = con.execute("SELECT nik, household_id, name, birth_date, sex FROM members WHERE rowid IN "
                         f"({','.join(str(rng.randrange(1, n_m + 1)) for _ in range(args.queries))})").fetchall()
    while len(sample) < args.queries:
        sample += sample
    probes = [MemberPayload(household_id=str(uuid.uuid4()), nik=r[0], name=r[2], birth_date=r[3], sex=r[4])
              for r in sample[:args.queries]]

    # --- rule 1: an existing NIK is refused (message naming the member and the KK)
    it = iter(probes * 3)
    refused = 0

    def nik_check() -> None:
        nonlocal refused
        try:
            hr.check_member_ids(s, next(it), "")
        except DuplicateMember:
            refused += 1

    with session_scope(engine) as s:
        timed(nik_check, 200)
        refused = 0
        nik_ms = timed(nik_check, args.queries)
    it2 = iter(sample * 2)
    nik_raw = timed(lambda: con.execute("SELECT record_id, household_id, name FROM members WHERE nik = ? "
                                        "AND deleted = 0", (next(it2)[0],)).fetchall(), args.queries)
    print("Duplicate rule 1 (figure | baseline, same run):")
    print(f"  same NIK (check_member_ids)   p50 {pct(nik_ms, 50):7.3f} ms  p99 {pct(nik_ms, 99):7.3f} ms   | raw "
          f"sqlite3 SELECT by NIK: p50 {pct(nik_raw, 50):7.3f} ms  p99 {pct(nik_raw, 99):7.3f} ms   "
          f"[target p99 < 2 ms; {refused}/{args.queries} refused]")

    # --- rule 3: the whole entry-time check of the member form (same NIK + probable person under another NIK
    # + reference list), for a person typed again with a new NIK and a one-letter typo in the name
    def typo(name: str) -> str:
        i = len(name) // 2
        return name[:i] + ("a" if name[i] != "a" else "e") + name[i + 1:]

    people = [(typo(r[2]), date.fromisoformat(r[3]), r[4]) for r in sample[:args.queries]]
    it3 = iter(people * 3)
    found = 0

    def person_check() -> None:
        nonlocal found
        name, born, sex = next(it3)
        hits = member_duplicates(s, nik="", name=name, birth_date=born, sex=sex)
        found += any(h.kind == "probable_person" for h in hits)

    with session_scope(engine) as s:
        timed(person_check, 200)
        found = 0
        person_ms = timed(person_check, args.queries)
    it4 = iter(people * 2)
    person_raw = timed(lambda: con.execute("SELECT record_id, name, name_key FROM members WHERE birth_date = ? "
                                           "AND deleted = 0", (next(it4)[1].isoformat(),)).fetchall(), args.queries)
    print("Duplicate rule 3 (figure | baseline, same run):")
    print(f"  probable person (member_duplicates) p50 {pct(person_ms, 50):7.3f} ms  p99 {pct(person_ms, 99):7.3f} ms"
          f"   | raw sqlite3 SELECT by birth date: p50 {pct(person_raw, 50):7.3f} ms  p99 {pct(person_raw, 99):7.3f} ms"
          f"   [target p99 < 30 ms; {found}/{args.queries} typed-again persons found]")

    # --- bulk import: households + members through the repository vs raw executemany
    fams = [(HouseholdPayload(kk=h["kk"], desa_code=h["desa_code"], rt="001", rw="002", address=h["address"]),
             [hr.NewMember(MemberPayload(household_id="", nik=r["nik"], name=r["name"], birth_date=r["birth_date"],
                                         sex=r["sex"], relation=RELATIONS[min(k, 4)]), name_key(r["name"]))
              for k, r in enumerate(group)])
            for h, group in families(args.insert, seed=99, start=4_000_000)]
    n_members = sum(len(ms) for _, ms in fams)
    who = hr.Who("bench", "bench")

    def importer_once() -> float:
        with session_scope(engine, write=True) as s:
            s.connection()  # BEGIN IMMEDIATE before the clock, as for the raw side
            t = time.perf_counter()
            ids = hr.bulk_insert_households(s, fams, who)
            took = time.perf_counter() - t
            assert len(ids) == len(fams)
            s.rollback()
        return took

    now = _ts(datetime.now(UTC))
    hh, mm, ops, aud = [], [], [], []
    seq = 10_000_000
    for h, members in fams:
        hid = str(uuid.uuid4())
        pj = h.model_dump_json()
        hh.append((hid, h.kk, h.desa_code, h.address, now, now))
        seq += 1
        ops.append((str(uuid.uuid4()), seq, hid, "UPSERT", 1, pj, now, "household"))
        aud.append((hid, "CREATE", "bench", "bench", now, pj, ""))
        for item in members:
            mid = str(uuid.uuid4())
            m = item.payload.model_copy(update={"household_id": hid})
            mm.append((mid, hid, m.nik, m.name, item.name_key, m.birth_date, m.sex, m.relation, now, now))
            pj = m.model_dump_json()
            seq += 1
            ops.append((str(uuid.uuid4()), seq, mid, "UPSERT", 1, pj, now, "member"))
            aud.append((mid, "CREATE", "bench", "bench", now, pj, ""))

    def raw_once() -> float:
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("BEGIN IMMEDIATE")
        t = time.perf_counter()
        raw.executemany(
            "INSERT INTO households (record_id, kk, kk_pending, desa_code, dusun, rt, rw, address, phone, tenure, "
            "floor_material, wall_material, roof_material, water_source, lighting, wattage, cooking_fuel, "
            "toilet_facility, toilet_type, sewage, assets, livestock, notes, created_at, updated_at, created_by, "
            "updated_by, warnings, deleted, delete_reason, local_rev, sync_state, server_flags, voided) VALUES "
            "(?,?,0,?,'','001','002',?,'','','','','','','','','','','','','[]','{}','',?,?,'bench','bench','[]',0,"
            "'',1,'NEW','[]',0)", hh)
        raw.executemany(
            "INSERT INTO members (record_id, household_id, nik, temp_id, former_ids, name, name_key, birth_place, "
            "birth_date, sex, relation, marital_status, education, school_status, occupation, difficulties, "
            "chronic_illness, pregnant, ppks, criteria, phone, notes, override_reason, created_at, updated_at, "
            "created_by, updated_by, warnings, deleted, delete_reason, local_rev, sync_state, server_flags, voided) "
            "VALUES (?,?,?,'','[]',?,?,'',?,?,?,'','','','','{}','',0,'','','','','',?,?,'bench','bench','[]',0,'',"
            "1,'NEW','[]',0)", mm)
        raw.executemany("INSERT INTO outbox (op_id, seq, record_id, kind, local_rev, payload, created_at, record_type) "
                        "VALUES (?,?,?,?,?,?,?,?)", ops)
        raw.executemany("INSERT INTO auditlog (record_id, action, actor, device_id, at, after, reason) "
                        "VALUES (?,?,?,?,?,?,?)", aud)
        took = time.perf_counter() - t
        raw.execute("ROLLBACK")
        raw.close()
        return took

    imp_times, raw_times = [], []
    for _ in range(args.repeat):
        imp_times.append(importer_once())
        raw_times.append(raw_once())
    con.close()
    close_store(engine)
    imp_rate, raw_rate = n_members / min(imp_times), n_members / min(raw_times)
    print(f"\nBulk import of {n_members:,} members in {len(fams):,} households (household + member + outbox + audit "
          f"rows) into the {n_m:,}-member store:")
    print(f"  repository (bulk_insert_households) {imp_rate:10,.0f} members/s   | raw sqlite3 executemany "
          f"{raw_rate:10,.0f} members/s   ratio {imp_rate / raw_rate:.2f} [target >= 0.50]")
    ok = pct(nik_ms, 99) < 2 and pct(person_ms, 99) < 30 and imp_rate >= raw_rate / 2
    print("\nAll targets met." if ok else "\nSome targets NOT met (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
