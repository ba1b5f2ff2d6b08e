"""Person matcher benchmark: quality on the generated evaluation set, beside the baselines, and speed.

    python bench/bench_dedupe.py                 # dev seed + held-out seed, baselines, 100,000-row speed
    python bench/bench_dedupe.py --million       # also 1,000,000 rows through `bansos-server dedupe`
    python bench/bench_dedupe.py --no-baselines  # only this project's figures

Quality (bench/dedupe_eval/generate.py; the dev seed is the one the matcher was developed on, the
held-out seed was never looked at while building it and is reported separately): precision, recall
and F1 of the pairs called same-or-probable by the default decision rule, per kind of duplicate,
and false positives per kind of planted look-alike, beside
- exact NIK (same NIK = same person);
- the rule before issue 14 (same typed birth date and token_sort_ratio >= 85 on name keys, or the
  same NIK; with today's name keys);
- recordlinkage (ECM classifier, unsupervised) and Splink (EM-trained; its threshold chosen on the
  truth, the best F1 it can reach, which no deployment could do), both run in a separate venv.

Speed: `bansos-server dedupe` on 100,000 rows (target < 60 s, peak memory < 4 GB) beside Splink's
time on the same file; 1,000,000 rows (target < 15 min) with --million.

The baselines' venv (never the app's): created on first use as bench/.venv-dedupe with
`python -m venv bench/.venv-dedupe && bench/.venv-dedupe/bin/pip install splink recordlinkage`;
if that fails the bench says why and prints its own figures.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dedupe_eval.generate import EvalSet, generate, write_csv  # noqa: E402
from domain.matching import PersonRecord  # noqa: E402
from domain.names import close_pairs  # noqa: E402
from server.services.dedupe import dedupe  # noqa: E402

DEV_SEED = 1
HELD_OUT_SEED = 20261206
VENV = ROOT / "bench" / ".venv-dedupe"
VENV_PY = VENV / "bin" / "python"
TARGET_P = TARGET_R = 0.97
Pair = tuple[str, str]


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def records_of(es: EvalSet) -> list[PersonRecord]:
    return [PersonRecord(r.id, r.nik, r.kk, r.name, date.fromisoformat(r.birth_date), r.sex, r.desa_code, r.dusun,
                         r.rt, r.rw) for r in es.records]


# --------------------------------------------------------------------------- methods


def matcher_pairs(es: EvalSet) -> set[Pair]:
    return {_pair(a, b) for a, b, _m in dedupe(records_of(es))}


def exact_nik_pairs(es: EvalSet) -> set[Pair]:
    by: dict[str, list[str]] = {}
    for r in es.records:
        by.setdefault(r.nik, []).append(r.id)
    return {_pair(a, b) for ids in by.values() for i, a in enumerate(ids) for b in ids[i + 1:]}


def old_rule_pairs(es: EvalSet) -> set[Pair]:
    from domain.names import name_key
    out = exact_nik_pairs(es)
    by: dict[str, list[tuple[str, str, str]]] = {}
    for r in es.records:
        by.setdefault(r.birth_date, []).append((r.id, r.nik, name_key(r.name)))
    for block in by.values():
        if len(block) > 1:
            for i, j, _s in close_pairs([b[2] for b in block]):
                if block[i][1] != block[j][1]:
                    out.add(_pair(block[i][0], block[j][0]))
    return out


def ensure_venv() -> str | None:
    """None when the baselines' venv is usable, else why not."""
    if VENV_PY.exists():
        probe = subprocess.run([str(VENV_PY), "-c", "import splink, recordlinkage"], capture_output=True, text=True)
        if probe.returncode == 0:
            return None
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True)
        subprocess.run([str(VENV_PY), "-m", "pip", "install", "-q", "splink", "recordlinkage"], check=True,
                       capture_output=True, text=True, timeout=1800)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        return f"cannot install splink/recordlinkage into {VENV}: {str(detail).strip()[-300:]}"
    return None


def run_baseline(script: str, csv_in: Path) -> tuple[list[tuple[str, str, float, float]], float] | str:
    """(rows of id_a, id_b, score, probability; seconds) or why it failed."""
    out = csv_in.with_suffix(f".{script}.csv")
    proc = subprocess.run([str(VENV_PY), str(ROOT / "bench" / "dedupe_eval" / f"run_{script}.py"), str(csv_in),
                           str(out)], capture_output=True, text=True)
    if proc.returncode != 0:
        return f"{script} failed: {proc.stderr.strip()[-400:]}"
    seconds = float(proc.stdout.strip().splitlines()[-1])
    rows: list[tuple[str, str, float, float]] = []
    with out.open() as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split(",")
            score = float(parts[2]) if len(parts) > 2 else 1.0
            rows.append((parts[0], parts[1], score, float(parts[3]) if len(parts) > 3 else score))
    return rows, seconds


# --------------------------------------------------------------------------- scoring


def prf(pred: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scored: Iterable[tuple[str, str, float, float]], truth: set[Pair]) -> tuple[float, set[Pair]]:
    ranked = sorted(((s, _pair(a, b)) for a, b, s, _p in scored), reverse=True)
    best = (0.0, 1.0, 0)
    tp = 0
    for k, (s, pair) in enumerate(ranked, start=1):
        tp += pair in truth
        p, r = tp / k, tp / len(truth)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best[0] and (k == len(ranked) or ranked[k][0] < s):
            best = (f, s, k)
    return best[1], {pair for _s, pair in ranked[:best[2]]}


def report(title: str, es: EvalSet, methods: dict[str, set[Pair] | str]) -> dict[str, tuple[float, float, float]]:
    truth_kind = es.true_pairs()
    truth = set(truth_kind)
    neg = es.negative_pairs()
    print(f"\n== {title}: {len(es.records)} records, {len(truth)} true pairs, {len(neg)} planted look-alike pairs")
    out: dict[str, tuple[float, float, float]] = {}
    print(f"{'method':44} {'precision':>9} {'recall':>7} {'F1':>6} {'predicted':>9}")
    for name, pred in methods.items():
        if isinstance(pred, str):
            print(f"{name:44} {pred}")
            continue
        p, r, f = prf(pred, truth)
        out[name] = (p, r, f)
        print(f"{name:44} {p:9.4f} {r:7.4f} {f:6.4f} {len(pred):9d}")
    kinds = sorted(Counter(truth_kind.values()).items())
    shown = [(n, m) for n, m in methods.items() if not isinstance(m, str)]
    print("\nrecall per kind of duplicate" + "".join(f" | {n[:18]:>18}" for n, _m in shown))
    for kind, n in kinds:
        cells = []
        for _name, pred in shown:
            hit = sum(1 for k, v in truth_kind.items() if v == kind and k in pred)
            cells.append(f" | {hit / n:18.3f}")
        print(f"  {kind:22} ({n:4d}) " + "".join(cells))
    print("\nfalse positives per planted look-alike" + "".join(f" | {n[:18]:>18}" for n, _m in shown))
    tags = Counter(neg.values())
    for tag, n in sorted(tags.items()):
        cells = [f" | {sum(1 for k, v in neg.items() if v == tag and k in pred):18d}" for _n, pred in shown]
        print(f"  {tag:26} ({n:4d})" + "".join(cells))
    others = [f" | {len({k for k in pred if k not in truth and k not in neg}):18d}" for _n, pred in shown]
    print(f"  {'other (not planted)':26}       " + "".join(others))
    return out


def evaluate(seed: int, title: str, baselines: bool, tmp: Path) -> dict[str, tuple[float, float, float]]:
    es = generate(seed)
    csv_in = tmp / f"eval_{seed}.csv"
    write_csv(es, csv_in)
    truth = set(es.true_pairs())
    t = time.perf_counter()
    mine = matcher_pairs(es)
    mine_s = time.perf_counter() - t
    methods: dict[str, set[Pair] | str] = {
        f"person matcher, default rule ({mine_s:.1f} s)": mine,
        "exact NIK": exact_nik_pairs(es),
        "rule before issue 14 (birth date + name >= 85)": old_rule_pairs(es),
    }
    if baselines:
        why = ensure_venv()
        if why:
            methods["recordlinkage / Splink"] = why
        else:
            rl = run_baseline("recordlinkage", csv_in)
            methods[f"recordlinkage ECM ({rl[1]:.1f} s)" if not isinstance(rl, str) else "recordlinkage"] = (
                rl if isinstance(rl, str) else {_pair(a, b) for a, b, _s, _p in rl[0]})
            sp = run_baseline("splink", csv_in)
            if isinstance(sp, str):
                methods["Splink"] = sp
            else:
                thr, best = best_threshold(sp[0], truth)
                methods[f"Splink, best weight {thr:.2f} on truth ({sp[1]:.1f} s)"] = best
                methods["Splink, probability >= 0.5"] = {_pair(a, b) for a, b, _w, p in sp[0] if p >= 0.5}
    return report(title, es, methods)


# --------------------------------------------------------------------------- speed


def run_cli_dedupe(csv_in: Path, out: Path) -> tuple[float, float, float]:
    """(wall seconds, peak resident MB, CPU seconds) of `bansos-server dedupe` in its own process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "dedupe", str(csv_in), "--id-column", "id",
                             "--out", str(out)], env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"dedupe failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def speed(rows: int, tmp: Path, limit_s: float, splink: bool) -> bool:
    families = int(rows / 4.5)
    es = generate(7, families)
    csv_in = tmp / f"speed_{rows}.csv"
    write_csv(es, csv_in)
    seconds, mb, cpu = run_cli_dedupe(csv_in, tmp / f"pairs_{rows}.csv")
    ok = seconds < limit_s and mb < 4096
    print(f"\nbansos-server dedupe on {len(es.records):,} rows: {seconds:.1f} s wall, {cpu:.1f} s CPU "
          f"(target < {limit_s:.0f} s), peak memory {mb:.0f} MB (target < 4096 MB) -> {'OK' if ok else 'MISSED'}")
    if splink:
        why = ensure_venv()
        sp = why or run_baseline("splink", csv_in)
        print(f"Splink on the same {len(es.records):,} rows: " +
              (f"{sp[1]:.1f} s (train + predict)" if not isinstance(sp, str) else sp))
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--million", action="store_true", help="also dedupe 1,000,000 rows (< 15 min)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    a = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench_dedupe_") as d:
        tmp = Path(d)
        for seed, title in ((DEV_SEED, f"dev seed {DEV_SEED}"), (HELD_OUT_SEED, f"held-out seed {HELD_OUT_SEED}")):
            res = evaluate(seed, title, not a.no_baselines, tmp)
            p, r, _f = next(iter(res.values()))
            hit = p >= TARGET_P and r >= TARGET_R
            ok &= hit
            print(f"-> person matcher on {title}: precision {p:.4f}, recall {r:.4f} "
                  f"(targets >= {TARGET_P} each): {'OK' if hit else 'MISSED'}")
        if not a.no_speed:
            ok &= speed(100_000, tmp, 60, not a.no_baselines)
        if a.million:
            ok &= speed(1_000_000, tmp, 15 * 60, False)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
