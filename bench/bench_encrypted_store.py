"""Encrypted vs plain local store, side by side on the same data (issue 17).

    python bench/bench_encrypted_store.py             # 1,000,000 entries (built once, cached in /tmp)
    python bench/bench_encrypted_store.py --rows 100000

The plain store is bench_local_store's cached store; the encrypted one is a copy of it encrypted with
local_db.cipher.encrypt_in_place (SQLCipher 4, raw 256-bit key), cached beside it. On each, through the
app's own code (open_store, find_duplicates, repository.bulk_create_entries), it prints:

- exact-NIK check p50/p99 and probable-same-person check p50/p99 (find_duplicates), the two stores
  queried alternately, query by query, after 200 warm-up queries each;
- bulk insert rows/s of --insert entries (entry + household + outbox + audit, rolled back);
- start-up: a fresh process opening the store (open_store, key given) and reading the entry count,
  median of --starts runs; plus, for reference, what getting the key costs: argon2id derivation on a
  box with no keyring (a keyring lookup on Windows is a few ms).

Target: encrypted within 1.5x of plain on every figure (latency p99 and start-up at most 1.5x,
insert rate at least plain/1.5). Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_local_store as base  # noqa: E402

from desktop_app.services.entries import normalised_payload  # noqa: E402
from domain.entry import validate_entry  # noqa: E402
from domain.names import name_key  # noqa: E402
from local_db import cipher  # noqa: E402
from local_db import repository as repo  # noqa: E402
from local_db.duplicates import find_duplicates  # noqa: E402
from local_db.engine import close_store, open_store  # noqa: E402
from tests.support.people import people  # noqa: E402

BENCH_KEY = hashlib.sha256(b"bansos bench store key").digest()
LIMIT = 1.5


def encrypted_copy(plain: Path) -> Path:
    enc = plain.with_name(plain.stem + "_enc.sqlite3")
    if not enc.exists() or enc.stat().st_mtime < plain.stat().st_mtime:
        t0 = time.perf_counter()
        tmp = enc.with_name(enc.name + ".building")
        shutil.copyfile(plain, tmp)
        cipher.encrypt_in_place(tmp, BENCH_KEY)
        tmp.replace(enc)
        print(f"  encrypted copy made in {time.perf_counter() - t0:.0f} s: {enc}", flush=True)
    return enc


def typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1:]


def latencies(plain: Path, enc: Path, sample: list[Any], probes: list[tuple[str, date]],
              queries: int) -> dict[str, list[float]]:
    """NIK and probable-person checks on both stores, alternating query by query (same load on both)."""
    engines = {"plain": open_store(plain), "enc": open_store(enc, key=BENCH_KEY)}
    out: dict[str, list[float]] = {f"{k}_{w}": [] for k in engines for w in ("nik", "prob")}
    try:
        sessions = {k: repo.session_scope(e) for k, e in engines.items()}
        open_sessions = {k: cm.__enter__() for k, cm in sessions.items()}
        try:
            for i in range(queries + 200):  # the first 200 warm both caches and are not counted
                nik = sample[i % len(sample)][0]
                name, born = probes[i % len(probes)]
                for k, s in open_sessions.items():
                    t = time.perf_counter()
                    find_duplicates(s, nik=nik, kk="", programme="PKH", name="", birth_date=None)
                    t2 = time.perf_counter()
                    find_duplicates(s, nik="1902019999999999", kk="", programme="PKH", name=name, birth_date=born)
                    t3 = time.perf_counter()
                    if i >= 200:
                        out[f"{k}_nik"].append((t2 - t) * 1000)
                        out[f"{k}_prob"].append((t3 - t2) * 1000)
        finally:
            for cm in sessions.values():
                cm.__exit__(None, None, None)
    finally:
        for e in engines.values():
            close_store(e)
    return out


def insert_once(path: Path, key: bytes | None, items: list[repo.NewEntry]) -> float:
    engine = open_store(path, key=key)
    try:
        with repo.session_scope(engine, write=True) as s:
            s.connection()  # BEGIN IMMEDIATE before the clock starts
            t = time.perf_counter()
            ids = repo.bulk_create_entries(s, items, actor="bench", device_id="bench")
            took = time.perf_counter() - t
            assert len(ids) == len(items)
            s.rollback()
    finally:
        close_store(engine)
    return took


START_SNIPPET = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from local_db.engine import close_store, open_store
key = bytes.fromhex({key!r}) if {key!r} else None
engine = open_store(Path({path!r}), key=key)
with engine.connect() as c:
    c.exec_driver_sql("SELECT count(*) FROM entry").scalar_one()
close_store(engine)
print(time.perf_counter() - t0)
"""


def start_up(path: Path, key: bytes | None) -> float:
    code = START_SNIPPET.format(root=str(ROOT), key=key.hex() if key else "", path=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def line(label: str, plain: float, enc: float, unit: str, higher_is_better: bool = False) -> tuple[str, bool]:
    ratio = (plain / enc) if higher_is_better else (enc / plain)
    ok = ratio <= LIMIT
    return (f"  {label:<34} encrypted {enc:10.3f} {unit:<7} | plain {plain:10.3f} {unit:<7} "
            f"ratio {ratio:4.2f} [target <= {LIMIT}] {'ok' if ok else 'MISSED'}"), ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--insert", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3, help="interleaved runs of insert and start-up (best/median)")
    ap.add_argument("--starts", type=int, default=5)
    args = ap.parse_args()

    plain = base.cache_path(args.rows)
    if not plain.exists():
        print(f"Building a store of {args.rows:,} entries ...", flush=True)
        base.build_store(plain, args.rows)
    enc = encrypted_copy(plain)
    print(f"\nPlain store     {plain} ({plain.stat().st_size / 1e6:.0f} MB)")
    print(f"Encrypted store {enc} ({enc.stat().st_size / 1e6:.0f} MB)")

    rng = random.Random(5)
    con = cipher.connect(plain, None)
    total = int(con.execute("SELECT count(*) FROM entry").fetchone()[0])
    sample = con.execute("SELECT nik, kk, programme, name, birth_date FROM entry WHERE rowid IN "
                         f"({','.join(str(rng.randrange(1, total + 1)) for _ in range(args.queries))})").fetchall()
    con.close()
    while len(sample) < args.queries:
        sample += sample
    sample = sample[: args.queries]
    probes = [(typo(rng, r[3]), date.fromisoformat(r[4])) for r in sample]
    print(f"Entries in each store: {total:,}\n")

    lat = latencies(plain, enc, sample, probes, args.queries)
    p_nik, p_prob, e_nik, e_prob = lat["plain_nik"], lat["plain_prob"], lat["enc_nik"], lat["enc_prob"]

    items = []
    for r in people(args.insert, seed=99, start=4_000_000):
        check = validate_entry(r)
        items.append(repo.NewEntry(payload=normalised_payload(r, check), name_key=name_key(r["name"]),
                                   audit_reason="bench"))
    p_ins, e_ins = [], []
    p_start, e_start = [], []
    for _ in range(args.repeat):
        p_ins.append(insert_once(plain, None, items))
        e_ins.append(insert_once(enc, BENCH_KEY, items))
    for _ in range(args.starts):
        p_start.append(start_up(plain, None))
        e_start.append(start_up(enc, BENCH_KEY))

    from argon2.low_level import Type, hash_secret_raw

    from desktop_app.store_key import ARGON2

    t = time.perf_counter()
    hash_secret_raw(b"kata-sandi-uji-123", b"0" * 16, hash_len=32, type=Type.ID, **ARGON2)
    kdf_s = time.perf_counter() - t

    rows = [
        line("exact NIK check p50", base.pct(p_nik, 50), base.pct(e_nik, 50), "ms"),
        line("exact NIK check p99", base.pct(p_nik, 99), base.pct(e_nik, 99), "ms"),
        line("probable person check p50", base.pct(p_prob, 50), base.pct(e_prob, 50), "ms"),
        line("probable person check p99", base.pct(p_prob, 99), base.pct(e_prob, 99), "ms"),
        line(f"bulk insert ({args.insert:,} entries)", args.insert / min(p_ins), args.insert / min(e_ins), "rows/s",
             higher_is_better=True),
        line("start-up (open + first read)", statistics.median(p_start) * 1000, statistics.median(e_start) * 1000,
             "ms"),
    ]
    print("Encrypted vs plain, same data, same run:")
    for text, _ok in rows:
        print(text)
    print(f"  (key from a passphrase, no keyring: argon2id {kdf_s * 1000:.0f} ms once per start, "
          "not in the figures above)")
    ok = all(r[1] for r in rows)
    print("\nAll targets met." if ok else "\nSome targets NOT met (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
