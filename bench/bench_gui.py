"""Operator GUI figures with 200,000 entries (issue 3), each printed beside its target and baseline.

    python bench/bench_gui.py [--entries 200000] [--store DIR] [--rebuild]

1. start -> main window shown: a fresh `bansos gui` process (offscreen), timed from before the
   process is spawned to the first turn of its event loop after show(); and to the list filled.
   Baseline: a process that only imports Qt and opens a QApplication.
2. list search -> list updated: from starting the search (after the typing pause) to the model
   reset on the GUI thread. Baseline: the same SQL on a bare DB-API connection (local_db.cipher).
3. last NIK keystroke -> duplicate panel updated, including the typing pause. Baseline: one
   EntryService.check call (validation + duplicate queries) without Qt.
4. resident memory of that GUI process (psutil) after all of the above.

The store is built once with bulk inserts and cached (default /tmp/bansos-bench-200k).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DESA = "1902012003"
FIRST = ["Ahmad", "Siti", "Muhammad", "Nur", "Dewi", "Budi", "Sri", "Agus", "Rina", "Hendra", "Yuli", "Eko",
         "Fitri", "Rudi", "Wati", "Joko", "Ani", "Bambang", "Lestari", "Rahmat", "Aisyah", "Yusuf", "Fatimah", "Zul"]
LAST = ["Fauzi", "Aminah", "Rizki", "Hidayat", "Lestari", "Santoso", "Wahyuni", "Saputra", "Marlina", "Susanto",
        "Kartini", "Rahman", "Halimah", "Bahri", "Gunawan", "Rosita", "Supriyadi", "Maulana", "Nurlela", "Effendi"]
DUSUN = ["Air Serkuk", "Buluh Tumbang", "Teluk Gembira", "Pangkal Lalang", "Air Ketapang", "Batu Itam"]
PROGS = ["PKH", "BPNT", "BST", "BLT-DD", "PBI-JK"]
CRIT = ["nelayan", "petani", "lansia", "phk", "kukm", "anak_sekolah", ""]


def build_store(data_dir: Path, n: int) -> None:
    from desktop_app.context import AppContext
    from domain.names import name_key
    from local_db import repository as repo
    from sync.protocol import EntryPayload

    rnd = random.Random(7)
    t0 = time.perf_counter()
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=DESA, operator_name="Bench")
        start = date(1940, 1, 1)
        items = []
        serial = 0
        kk = ""
        for i in range(n):
            if i % 3 == 0:
                kk = f"190201{(i // 3) % 28 + 1:02d}{(i // 3) % 12 + 1:02d}{(i // 3) % 25:02d}{(i // 3) % 9999 + 1:04d}"
                household = (rnd.choice(DUSUN), f"{rnd.randint(1, 12):03d}", f"{rnd.randint(1, 6):03d}")
            born = start + timedelta(days=rnd.randint(0, 365 * 80))
            sex = rnd.choice("LP")
            serial = serial % 9999 + 1
            day = born.day + (40 if sex == "P" else 0)
            nik = f"190201{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            crit = rnd.choice(CRIT)
            payload = EntryPayload(
                nik=nik, kk=kk, name=name, birth_date=born.isoformat(), sex=sex, desa_code=DESA,
                dusun=household[0], rt=household[1], rw=household[2], address=f"Jl. {household[0]} No. {i % 200}",
                criteria=[crit] if crit else [], programme=rnd.choice(PROGS))
            items.append(repo.NewEntry(payload=payload, name_key=name_key(name)))
        with repo.session_scope(ctx.engine, write=True) as s:
            for i in range(0, n, 20_000):
                repo.bulk_create_entries(s, items[i:i + 20_000], actor="bench", device_id=ctx.device_id)
        with ctx.engine.begin() as conn:
            # A realistic mix of states: most sent, some reviewed.
            conn.exec_driver_sql("UPDATE entry SET sync_state='SYNCED', review_state='PENDING' WHERE rowid % 3 = 0")
            conn.exec_driver_sql("UPDATE entry SET review_state='APPROVED' WHERE rowid % 7 = 0 AND sync_state='SYNCED'")
            conn.exec_driver_sql("UPDATE entry SET review_state='REJECTED', review_reason_code='R03' "
                                 "WHERE rowid % 50 = 0 AND sync_state='SYNCED'")
            conn.exec_driver_sql("ANALYZE")
    print(f"built a store of {n:,} entries in {time.perf_counter() - t0:.1f} s")


def ensure_indexes(data_dir: Path) -> None:
    """A cached store built before an index was added to local_db/models.py gets it now."""
    from desktop_app import store_key
    from local_db.engine import make_engine
    from local_db.models import Entry

    db = data_dir / "bansos.sqlite3"
    engine = make_engine(db, store_key.unlock(db, create=False).key)  # the store is encrypted
    with engine.begin() as conn:
        for idx in Entry.__table__.indexes:  # type: ignore[attr-defined]
            idx.create(conn, checkfirst=True)
    engine.dispose()


# ---------------------------------------------------------------------------- 1. startup

DRIVER = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
_base_exec = QApplication.exec
def _exec(*_args):
    w = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def shown():
        print("SHOWN", time.time(), flush=True)
        def filled():
            if w.entry_list.searches:
                print("FILLED", time.time(), w.entry_list.model.rowCount(), flush=True)
                QApplication.quit()
            else:
                QTimer.singleShot(5, filled)
        filled()
    QTimer.singleShot(0, shown)
    return _base_exec()
QApplication.exec = _exec
from desktop_app.cli import main
sys.exit(main(["gui", "--data-dir", sys.argv[1]]))
"""
IMPORTS_ONLY = r"""
import time
import desktop_app.cli as c
c.build_parser()  # imports every command module, as `bansos` does
import ui.main_window
print("SHOWN", time.time(), flush=True)
"""
BASELINE = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.show(); app.processEvents()
print("SHOWN", time.time(), flush=True)
"""


def spawn(code: str, *args: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a real install has its .pyc files
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    marks: dict[str, float] = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in ("SHOWN", "FILLED"):
            marks[parts[0]] = float(parts[1]) - t0
    if "SHOWN" not in marks:
        raise RuntimeError(out.stderr[-2000:])
    return marks


# ---------------------------------------------------------------------------- 2-4. in process

def in_process(data_dir: Path, searches: list[tuple[str, dict[str, str]]]) -> list[str]:
    """Figures 2-4; returns the names of the targets missed."""
    import psutil
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    from desktop_app.context import AppContext
    from desktop_app.tasks import TaskRunner
    from local_db import cipher
    from local_db.list_query import ListFilter, _where
    from ui.app import create_application
    from ui.main_window import MainWindow

    app = create_application()
    ctx = AppContext.open(data_dir)
    runner = TaskRunner()
    win = MainWindow(ctx, runner, extensions=False)
    win.show()

    def pump_until(cond, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + timeout
        while not cond():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if time.perf_counter() > end:
                raise TimeoutError
    pump_until(lambda: win.entry_list.searches > 0 and runner.idle)
    lst = win.entry_list
    print(f"\n2. list search -> list updated ({lst.model.rowCount():,} entries; typing pause before it: "
          f"{lst._debounce.interval()} ms, not included)")
    print(f"   {'query':30} {'rows':>8} {'shown ms':>9} {'all ids ms':>11} {'raw SQL first/all ms':>21}  target < 150 ms")
    raw = cipher.connect(ctx.db_path, ctx.store_key)  # the baseline: the same SQL, bare, same library
    worst = 0.0
    # One persistent slot per signal (connecting/disconnecting lambdas in a loop is asking for trouble).
    search_results: list[tuple[int, float]] = []
    complete_at: list[float] = []
    lst.search_done.connect(lambda n, s: search_results.append((n, s)))
    lst.search_complete.connect(lambda _n: complete_at.append(time.perf_counter()))
    for label, flt_kw in searches:
        times = []
        all_times = []
        for _ in range(3):
            got = search_results
            got.clear()
            complete_at.clear()
            lst.search.blockSignals(True)
            lst.search.setText(flt_kw.get("text", ""))
            lst.search.blockSignals(False)
            for combo, key in ((lst.programme_filter, "programme"), (lst.status_filter, "status")):
                combo.blockSignals(True)
                combo.setCurrentIndex(max(combo.findText(flt_kw[key]), 0) if key in flt_kw else 0)
                combo.blockSignals(False)
            t_start = time.perf_counter()
            lst.refresh()
            pump_until(lambda got=got: bool(got))
            # the first rows are painted from the page cache: include that paint
            t = time.perf_counter()
            lst.table.viewport().repaint()
            times.append(got[0][1] + (time.perf_counter() - t))
            pump_until(lambda: bool(complete_at))
            all_times.append(complete_at[0] - t_start)
            rows = lst.model.rowCount()
        flt = lst.current_filter()
        where, params = _where(flt)
        t = time.perf_counter()
        raw.execute(f"SELECT record_id FROM entry{where} ORDER BY rowid DESC LIMIT 300", params).fetchall()
        raw_first = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        raw.execute(f"SELECT record_id FROM entry{where} ORDER BY rowid DESC", params).fetchall()
        raw_all = (time.perf_counter() - t) * 1000
        ms = statistics.median(times) * 1000
        worst = max(worst, ms)
        print(f"   {label:30} {rows:>8,} {ms:>9.1f} {statistics.median(all_times) * 1000:>11.1f} "
              f"{raw_first:>10.1f}/{raw_all:<10.1f}")
    print(f"   worst median until the list shows the new rows: {worst:.1f} ms (target < 150 ms) "
          f"{'OK' if worst < 150 else 'OVER'}; the count and the rest of the ids follow in the background")
    del ListFilter

    # 3. NIK keystrokes -> duplicate panel
    win.show_form()
    form = win.form
    svc = win.entries
    existing = [r[0] for r in raw.execute("SELECT nik FROM entry ORDER BY rowid LIMIT 20 OFFSET 5000")]
    fresh = [f"1902011508{60 + i:02d}{9000 + i:04d}" for i in range(10)]
    lat: list[float] = []
    base: list[float] = []
    check_times: list[float] = []
    form.check_done.connect(lambda _r: check_times.append(time.perf_counter()))
    for nik in existing + fresh:
        form.new_entry()
        form.nik.setFocus()
        QTest.keyClicks(form.nik, nik[:-1])
        pump_until(lambda: runner.idle)
        app.processEvents()
        done = check_times
        done.clear()
        t = time.perf_counter()
        QTest.keyClick(form.nik, getattr(Qt.Key, f"Key_{nik[-1]}"))
        pump_until(lambda done=done: bool(done))
        form.duplicates.list.viewport().repaint()
        lat.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        svc.check(form.data())
        base.append((time.perf_counter() - t) * 1000)
    hits = sum(1 for _ in existing)
    med, p95 = statistics.median(lat), sorted(lat)[int(len(lat) * 0.95) - 1]
    print(f"\n3. last NIK keystroke -> duplicate panel updated ({len(lat)} NIKs, {hits} already registered; "
          "the 16th digit starts the check at once, no typing pause)")
    print(f"   median {med:.1f} ms, p95 {p95:.1f} ms, max {max(lat):.1f} ms   target < 50 ms "
          f"{'OK' if p95 < 50 else 'OVER'}")
    print(f"   baseline: EntryService.check alone, median {statistics.median(base):.1f} ms")

    # 4. memory: every entry listed (all 200,000 ids in the model), scrolled from top to bottom
    win.show_list()
    for combo in (lst.programme_filter, lst.status_filter):
        combo.blockSignals(True)
        combo.setCurrentIndex(0)
        combo.blockSignals(False)
    lst.search.setText("")
    complete_at.clear()
    lst.refresh()
    pump_until(lambda: bool(complete_at))
    for r in range(0, lst.model.rowCount(), max(1, lst.model.rowCount() // 50)):
        lst.table.scrollTo(lst.model.index(r, 0))
        app.processEvents()
    rss = psutil.Process().memory_info().rss / 2**20
    print(f"\n4. resident memory of the GUI with {lst.model.rowCount():,} ids listed: {rss:.0f} MB   target < 300 MB "
          f"{'OK' if rss < 300 else 'OVER'}")
    win.form.new_entry()
    win.close()
    runner.shutdown()
    ctx.close()
    return [name for name, ok in (("list search < 150 ms", worst < 150), ("NIK check p95 < 50 ms", p95 < 50),
                                  ("memory < 300 MB", rss < 300)) if not ok]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=200_000)
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only-startup", action="store_true")
    args = ap.parse_args()
    store = args.store or Path(f"/tmp/bansos-bench-{args.entries // 1000}k")
    if args.rebuild and store.exists():
        shutil.rmtree(store)
    store.mkdir(parents=True, exist_ok=True)
    from tests.support.memory_keyring import use_file_keyring

    use_file_keyring(store)  # the store key, kept with the cached store, for this process and `bansos gui`
    if not (store / "bansos.sqlite3").exists():
        build_store(store, args.entries)
    ensure_indexes(store)

    print(f"\n1. start -> main window shown ({args.entries:,} entries; fresh process, offscreen, {args.runs} runs)")
    shown, filled, base, imports = [], [], [], []
    for _ in range(args.runs):
        m = spawn(DRIVER, str(store))
        shown.append(m["SHOWN"])
        filled.append(m.get("FILLED", float("nan")))
        base.append(spawn(BASELINE)["SHOWN"])
        imports.append(spawn(IMPORTS_ONLY)["SHOWN"])
    s = statistics.median(shown)
    print(f"   window shown: median {s:.2f} s (runs {', '.join(f'{x:.2f}' for x in shown)})   target < 1.5 s "
          f"{'OK' if s < 1.5 else 'OVER'}")
    print(f"   list filled with all entries: median {statistics.median(filled):.2f} s")
    print(f"   baseline: python + Qt + an empty window: median {statistics.median(base):.2f} s")
    print(f"   baseline: python + importing the app's modules (no store, no window): "
          f"median {statistics.median(imports):.2f} s")
    missed = [] if s < 1.5 else ["window shown < 1.5 s"]
    if not args.only_startup:
        missed += in_process(store, [
            ("all entries (no filter)", {}),
            ("name 'siti'", {"text": "siti"}),
            ("name 'nur hidayat'", {"text": "nur hidayat"}),
            ("NIK prefix 1902014", {"text": "1902014"}),
            ("full NIK", {"text": "1902011508600001"}),
            ("programme PKH", {"programme": "PKH"}),
            ("status Disetujui + PKH", {"status": "Disetujui", "programme": "PKH"}),
        ])
    print("\nAll targets met." if not missed else f"\nTARGET MISSED: {', '.join(missed)}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
