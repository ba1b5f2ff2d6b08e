"""Development loop: the matcher's precision/recall per kind on one seed (not the held-out one)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import date

from bench.dedupe_eval.generate import generate
from domain.matching import PersonRecord, prepare
from domain.matching.blocking import match_all


def main() -> None:
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    es = generate(seed)
    t = time.perf_counter()
    items = [prepare(PersonRecord(r.id, r.nik, r.kk, r.name, date.fromisoformat(r.birth_date), r.sex, r.desa_code,
                                  r.dusun, r.rt, r.rw)) for r in es.records]
    found = match_all(items)
    print(f"{len(es.records)} records, {time.perf_counter() - t:.1f}s")
    truth = es.true_pairs()
    neg = es.negative_pairs()
    pred = {}
    for i, j, m in found:
        a, b = items[i].rec.id, items[j].rec.id
        pred[(min(a, b), max(a, b))] = m
    tp = sum(1 for k in pred if k in truth)
    print(f"P={tp / max(1, len(pred)):.4f} R={tp / len(truth):.4f} pred={len(pred)} true={len(truth)}")
    by = Counter(truth.values())
    hit = Counter(truth[k] for k in pred if k in truth)
    for kind, n in sorted(by.items()):
        print(f"  {kind:22} {hit[kind] / n:.3f} ({n - hit[kind]} missed)")
    fp = Counter(neg.get(k, "other") for k in pred if k not in truth)
    print("false positives:", dict(fp))
    recs = {r.id: r for r in es.records}
    if "-v" in sys.argv:
        for k, m in list(pred.items()):
            if k not in truth:
                print("FP", recs[k[0]].name, "|", recs[k[1]].name, neg.get(k, "other"), m.score, m.reasons)
        miss = [k for k in truth if k not in pred]
        for k in miss[:60]:
            a, b = recs[k[0]], recs[k[1]]
            print("FN", truth[k], "|", a.name, a.nik, a.birth_date, a.kk[-4:], "|", b.name, b.nik, b.birth_date, b.kk[-4:])


if __name__ == "__main__":
    main()


def misses(seed: int = 1) -> None:
    from domain.matching import compare
    from domain.matching.blocking import candidate_pairs, stats_of
    es = generate(seed)
    items = [prepare(PersonRecord(r.id, r.nik, r.kk, r.name, date.fromisoformat(r.birth_date), r.sex, r.desa_code,
                                  r.dusun, r.rt, r.rw)) for r in es.records]
    idx = {p.rec.id: i for i, p in enumerate(items)}
    st = stats_of(items)
    cands = candidate_pairs(items)
    c = Counter()
    for (a, b), kind in es.true_pairs().items():
        i, j = sorted((idx[a], idx[b]))
        m = compare(items[i], items[j], st)
        if not m.found:
            blocked = (i, j) in cands
            c[(kind, blocked, "NIK berbeda" in m.reasons, "kecamatan berbeda" in m.reasons)] += 1
            if kind not in ("moved_new_nik",) and "kecamatan berbeda" not in m.reasons:
                print(kind, blocked, items[i].rec.name, "|", items[j].rec.name, m.score, m.reasons)
    for k, v in sorted(c.items()):
        print(k, v)
