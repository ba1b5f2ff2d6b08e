"""Review workspace benchmark: open a batch of 1,000 proposals (each with its family: one household of
three members per proposal) and apply one bulk decision to all of them, through the real widgets, against
a real server on loopback, each beside its baseline.

    python bench/bench_review.py [--entries 1000] [--runs 5]

Targets (issue 6): open < 1 s, bulk decision < 2 s.
- open: ReviewWorkspace.open_batch() until the table shows the batch (HTTP + parse of the proposals with
  their families + flags + the Qt model and its sort), beside the bare HTTP GET of the same page.
- bulk: select all + "A" (one POST for 1,000 ids, the server's audit rows, the table updated), beside
  the same bare GET and the server database's own raw UPDATE of the same 1,000 rows (a copy of it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.review.service import ReviewService
from desktop_app.review.views import ReviewSession
from desktop_app.tasks import TaskRunner
from tests.support.review_demo import PROTOCOL, send
from tests.support.review_families import family
from tests.support.serverdata import DESA_A
from tests.support.serverproc import ServerProcess
from ui.review.workspace import ReviewWorkspace


def wait_until(cond: Callable[[], bool], timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("benchmark step did not finish")
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:8.1f} ms (min {min(xs) * 1000:.1f}, max {max(xs) * 1000:.1f})"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    n = args.entries
    app = QApplication.instance() or QApplication(["bench"])
    with tempfile.TemporaryDirectory() as td:
        srv = ServerProcess(Path(td))
        try:
            srv.setup()
            device = srv.register_device("op1")
            batch_id = str(uuid.uuid4())
            send(srv, "op1", device, [o for i in range(n) for o in family(DESA_A, i + 1, size=3).ops], batch_id)
            session = ReviewSession(srv.url, "rev1", "reviewer", "190201", srv.token("rev1"))
            runner = TaskRunner()
            ws = ReviewWorkspace(ReviewService(session), runner)
            ws.resize(1280, 760)
            ws.show()
            ws.load_inbox()
            wait_until(lambda: not ws.busy and ws.inbox.batch_model.rowCount() == 1)
            bview = ws.inbox.batch_model.rows()[0]
            assert bview.pending == n and bview.arrived_whole, bview
            url = f"{srv.url}/api/v1/review/batches/{batch_id}/proposals"
            hdr = {**srv.headers("rev1"), **PROTOCOL}
            http = requests.Session()

            def bare_get() -> float:
                t = time.perf_counter()
                resp = http.get(url, params={"limit": 5000}, headers=hdr, timeout=60)
                resp.raise_for_status()
                assert len(resp.content) > 0
                return time.perf_counter() - t

            def open_batch() -> float:
                ws.proposals.proposal_model.set_rows([])
                t = time.perf_counter()
                ws.open_batch(bview)
                wait_until(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() == n)
                app.processEvents()  # the first paint of the table
                return time.perf_counter() - t

            def bulk(approve: bool) -> float:
                ws.proposals.proposal_table.setFocus()
                ws.proposals.proposal_table.selectAll()
                want = "APPROVED" if approve else "RETURNED"
                t = time.perf_counter()
                if approve:
                    ws.proposals.approve_selected()  # what the "A" key does
                else:
                    ws.proposals.decide(ws.proposals.selected_proposals(), "return", note="periksa ulang",
                                        fields=["household.housing"])  # "K" + a field + note
                wait_until(lambda: not ws.busy and all(e.review_state == want for e in ws.proposals.proposal_model.rows()))
                elapsed = time.perf_counter() - t
                ws._refresh_timer.stop()  # keep the inbox/dashboard refresh out of the next measurement
                return elapsed

            bare_get()  # warm both paths (connection, server caches)
            open_batch()
            gets, opens, bulks = [], [], []
            for i in range(args.runs):
                gets.append(bare_get())
                opens.append(open_batch())
                bulks.append(bulk(approve=i % 2 == 0))
            # The database's own floor for the bulk decision: one UPDATE of the same rows, on a copy.
            db_file = Path(srv.database_url.removeprefix("sqlite:///"))
            runner.shutdown()
            srv.stop()
            copy = Path(td) / "copy.db"
            shutil.copy(db_file, copy)
            ids = [e.record_id for e in ws.proposals.proposal_model.rows()]
            raws = []
            con = sqlite3.connect(copy)
            try:
                for i in range(args.runs):
                    t = time.perf_counter()
                    with con:
                        con.executemany("UPDATE srv_proposal SET review_state = ?, updated_at = ? WHERE record_id = ?",
                                        [("APPROVED" if i % 2 else "RETURNED", f"2026-01-01T00:00:{i:02d}", rid)
                                         for rid in ids])
                    raws.append(time.perf_counter() - t)
            finally:
                con.close()
        finally:
            srv.kill()
    print(f"Review benchmark: one batch of {n} proposals with their families, real server on loopback (SQLite), "
          f"{args.runs} runs, median")
    print(f"  open batch in the workspace     {ms(opens)}   target < 1000 ms")
    print(f"    baseline: bare HTTP GET        {ms(gets)}   (same page, bytes only)")
    print(f"  bulk decision on all {n:<5}      {ms(bulks)}   target < 2000 ms")
    print(f"    baseline: bare HTTP GET        {ms(gets)}")
    print(f"    baseline: raw SQLite UPDATE    {ms(raws)}   (same rows, server DB copy, no audit)")
    ok = statistics.median(opens) < 1.0 and statistics.median(bulks) < 2.0
    print("  targets met" if ok else "  TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
