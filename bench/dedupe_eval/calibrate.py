"""How the matcher's data-chosen values were chosen (docs/decisions/0006-person-matcher.md), on
development seeds only; the held-out seed of bench/bench_dedupe.py is refused.

    python -m bench.dedupe_eval.calibrate floors [--seed 1] [--pairs 2000000]
        share of unlabelled random pairs at each name level, by the shorter name's length, among
        all names and among names held by 3 or more (the near-name floors);
    python -m bench.dedupe_eval.calibrate sweep [--seeds 1,2,3,4,5,6] [--rates 0.05,0.06]
        precision/recall of the default rule per DUPLICATE_RATE (the prior);
    python -m bench.dedupe_eval.calibrate frontier [--seeds 1,2,3]
        the best any name-frequency cut could do on the pattern "same name, same birth date, NIK
        unrelated, another kecamatan" (moved with a new NIK vs common names on one birth date).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import date

from bench.dedupe_eval.generate import EvalSet, generate
from domain.matching import PersonRecord, Prepared, prepare
from domain.matching import scorer as S
from domain.matching.blocking import candidate_pairs, match_all, stats_of
from domain.matching.record import nik_relation

HELD_OUT_SEED = 20261206  # bench/bench_dedupe.py's; never calibrate on it


def _load(seed: int) -> tuple[EvalSet, list[Prepared]]:
    if seed == HELD_OUT_SEED:
        raise SystemExit(f"seed {seed} is the held-out seed: not for calibration")
    es = generate(seed)
    items = [prepare(PersonRecord(r.id, r.nik, r.kk, r.name, date.fromisoformat(r.birth_date), r.sex, r.desa_code,
                                  r.dusun, r.rt, r.rw)) for r in es.records]
    return es, items


def floors(seed: int, pairs: int) -> None:
    _es, items = _load(seed)
    held = Counter(p.key for p in items)
    rng = random.Random(5)
    at: Counter[tuple[str, str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for _ in range(pairs):
        a, b = items[rng.randrange(len(items))], items[rng.randrange(len(items))]
        if a is b:
            continue
        shortest = min(len(a.joined), len(b.joined))
        length = "<=7" if shortest <= 7 else "8-11" if shortest < 12 else ">=12"
        level = S.name_level(a, b)
        for names in ("all", "held by 3+") if min(held[a.key], held[b.key]) >= 3 else ("all",):
            total[(length, names)] += 1
            at[(length, names, level)] += 1
    for (length, names), n in sorted(total.items()):
        shares = {lv: at[(length, names, lv)] / n for lv in ("exact", "reordered", "near", "partial", "similar")}
        print(f"{length:5} {names:11} {n:8d} pairs: " + "  ".join(f"{k} {v:.1e}" for k, v in shares.items()))


def sweep(seeds: list[int], rates: list[float]) -> None:
    loaded = {s: _load(s) for s in seeds}
    keep = S.DUPLICATE_RATE
    try:
        for rate in rates:
            S.DUPLICATE_RATE = rate
            ps, rs = [], []
            for s in seeds:
                es, items = loaded[s]
                truth = es.true_pairs()
                pred = {tuple(sorted((items[i].rec.id, items[j].rec.id))) for i, j, _m in match_all(items)}
                tp = sum(1 for k in pred if k in truth)
                ps.append(tp / max(1, len(pred)))
                rs.append(tp / len(truth))
            f1 = sum(2 * p * r / (p + r) for p, r in zip(ps, rs, strict=True)) / len(seeds)
            print(f"DUPLICATE_RATE {rate}: mean precision {sum(ps) / len(ps):.4f}, recall {sum(rs) / len(rs):.4f}, "
                  f"F1 {f1:.4f} (min precision {min(ps):.4f}, min recall {min(rs):.4f})", flush=True)
    finally:
        S.DUPLICATE_RATE = keep


def frontier(seeds: list[int]) -> None:
    for seed in seeds:
        es, items = _load(seed)
        truth = es.true_pairs()
        st = stats_of(items)
        rows: list[tuple[int, bool]] = []
        for i, j in candidate_pairs(items):
            a, b = items[i], items[j]
            if a.rec.desa_code[:6] == b.rec.desa_code[:6] or nik_relation(a.nik, b.nik):
                continue
            if S.name_level(a, b) not in ("exact", "reordered", "near"):
                continue
            if S._date_weight(a, b, st)[1] != "exact" or (a.sexes and b.sexes and not a.sexes & b.sexes):
                continue
            others = max(st.name_count(a.key), st.name_count(b.key)) - 1
            rows.append((others, tuple(sorted((a.rec.id, b.rec.id))) in truth))
        print(f"seed {seed}: {len(truth)} true pairs")
        for cut in (20, 30, 40, 50, 60, 70):
            missed = sum(1 for c, t in rows if t and c >= cut)
            false = sum(1 for c, t in rows if not t and c < cut)
            print(f"  flag names held by < {cut} others: {missed} true pairs unfound (recall <= "
                  f"{1 - missed / len(truth):.4f}), {false} false pairs")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("floors", "sweep", "frontier"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pairs", type=int, default=2_000_000)
    ap.add_argument("--seeds", default="1,2,3,4,5,6")
    ap.add_argument("--rates", default="0.045,0.05,0.055,0.06,0.065,0.07")
    a = ap.parse_args(argv)
    seeds = [int(s) for s in a.seeds.split(",")]
    if a.what == "floors":
        floors(a.seed, a.pairs)
    elif a.what == "sweep":
        sweep(seeds, [float(r) for r in a.rates.split(",")])
    else:
        frontier(seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
