"""A review scenario on a real server: two villages of one kecamatan send batches with the usual
problems (same NIK in both villages, a reference-list recipient, a probable same person under
another spelling), and a few decisions are already made. Used by the review screenshots and the
review benchmark.

    python -m tests.support.review_demo docs/screenshots     # writes docs/screenshots/review-*.png
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_env import Village

DESA_A, DESA_B = "1902012003", "1902012004"
_FIRST = ("Siti", "Ahmad", "Nur", "Budi", "Dewi", "Agus", "Rina", "Hendra", "Yuni", "Rudi", "Sri", "Joko", "Lina",
          "Eko", "Fitri", "Bambang", "Wati", "Dedi", "Ani", "Slamet", "Ratna", "Iwan", "Tuti", "Hasan", "Maya")
_LAST = ("Aminah", "Saputra", "Hidayat", "Lestari", "Pratama", "Rahayu", "Santoso", "Wahyuni", "Kurniawan",
         "Susanti", "Setiawan", "Handayani", "Gunawan", "Purnama", "Nugroho", "Fauziah", "Syahputra", "Marlina")
_CRITERIA = (["nelayan"], ["petani"], ["lansia"], ["tidak_bekerja"], ["nelayan", "kepala_keluarga_perempuan"],
             ["disabilitas"], ["phk"], ["petani", "lansia"], ["kukm"], ["ibu_hamil"])
_PROGRAMMES = ("PKH", "PKH", "BPNT", "BLT-DD", "BST")


def _rows(desa: str, n: int, serial0: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
        sex = rng.choice("LP")
        dd = born.day + (40 if sex == "P" else 0)
        serial = serial0 + i
        rec = date(2008, 1, 1) + timedelta(days=serial % 5000)
        out.append({
            "nik": f"{desa[:6]}{dd:02d}{born:%m%y}{serial:04d}",
            "kk": f"{desa[:6]}{rec:%d%m%y}{serial:04d}",
            "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            "birth_place": "Tanjungpandan", "birth_date": born.isoformat(), "sex": sex, "desa_code": desa,
            "dusun": rng.choice(("Dusun I", "Dusun II", "Dusun III")), "rt": f"{rng.randint(1, 9):03d}",
            "rw": f"{rng.randint(1, 4):03d}", "address": f"Jl. Pelabuhan No. {rng.randint(1, 200)}",
            "criteria": rng.choice(_CRITERIA), "programme": rng.choice(_PROGRAMMES),
        })
    return out


@dataclass
class Demo:
    server: ServerProcess
    a: Village
    b: Village
    ids: dict[str, str]

    def close(self) -> None:
        self.a.close()
        self.b.close()


def seed(srv: ServerProcess, tmp: Path, *, n_a: int = 24, n_b: int = 16) -> Demo:
    """Two villages send their batches; the returned ids name the interesting entries."""
    a = Village.create(tmp / "desa-a", srv.url, "op1")
    b = Village.create(tmp / "desa-b", srv.url, "op2")
    rows_a = _rows(DESA_A, n_a, 101, 1)
    rows_b = _rows(DESA_B, n_b, 501, 2)
    shared = rows_a[3]
    rows_b[2].update(nik=shared["nik"], birth_date=shared["birth_date"], sex=shared["sex"], name=shared["name"],
                     programme=shared["programme"])
    # The same person under an old spelling, with another NIK: a probable duplicate, not a NIK match.
    born = date.fromisoformat(rows_a[6]["birth_date"])
    rows_a[6].update(name="Muhammad Rizki Pratama", sex="L", nik=f"{DESA_A[:6]}{born:%d%m%y}0777")
    rows_b[5].update(name="Mohamad Rizky Pratama", sex="L", birth_date=born.isoformat(),
                     nik=f"{DESA_B[:6]}{born:%d%m%y}0778")
    ref = tmp / "penerima.csv"
    ref.write_text("nik,programme,level,status,period\n"
                   f"{rows_a[1]['nik']},BPNT,pusat,aktif,2026\n"
                   f"{rows_a[3]['nik']},BST,pusat,aktif,2026\n"
                   f"{rows_b[9]['nik']},PKH,pusat,aktif,2026\n", encoding="utf-8")
    srv.cli("import-reference", str(ref))
    ids: dict[str, str] = {}
    for i, row in enumerate(rows_a):
        ids[f"a{i}"] = a.add_row(row)
    for i, row in enumerate(rows_b):
        ids[f"b{i}"] = b.add_row(row)
    for v in (a, b):
        rep = v.sync()
        if rep.error:
            raise RuntimeError(f"demo sync failed: {rep.error}")
    return Demo(srv, a, b, ids)


def decide_some(demo: Demo) -> None:
    """A few decisions already made, so the inbox and dashboard show every state."""
    srv, ids = demo.server, demo.ids

    def post(record_keys: list[str], **body: Any) -> None:
        r = srv.post("/api/v1/review/decisions", "rev1", json={"record_ids": [ids[k] for k in record_keys], **body})
        r.raise_for_status()

    post([f"a{i}" for i in range(10, 20)] + [f"b{i}" for i in range(10, 14)], decision="approve")
    post(["a20", "b14"], decision="reject", reason_code="R06")
    post(["a21"], decision="return", note="Tanggal lahir tidak sesuai KTP, mohon diperiksa")


def screenshots(out_dir: Path) -> list[Path]:
    """Render the review workspace on the demo data: inbox, an entry with flags, a duplicate group, dashboard,
    and the history of an entry returned, fixed by the village and approved."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtCore import QEventLoop, QTimer

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    from desktop_app.context import AppContext
    from desktop_app.tasks import TaskRunner
    from ui.app import create_application
    from ui.main_window import MainWindow
    from ui.review import attach
    from ui.review.workspace import TAB_DASHBOARD, TAB_DUPLICATES, TAB_PROPOSALS, TAB_INBOX

    app = create_application(["bansos"])

    def wait(cond: Any, timeout: float = 30.0) -> None:
        import time

        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("screenshot scene did not load")
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        srv = ServerProcess(tmp)
        try:
            srv.setup()
            demo = seed(srv, tmp)
            decide_some(demo)
            runner = TaskRunner()
            ctx = AppContext.open(tmp / "app-rev1")
            window = MainWindow(ctx, runner)
            window.resize(1360, 800)
            window.show()
            ctl = attach(window)
            ctl.login(srv.url, "rev1", PASSWORD)
            wait(lambda: ctl.workspace is not None)
            ws = ctl.workspace
            wait(lambda: not ws.busy and ws.inbox.batch_model.rowCount() == 2 and ws.dashboard.dash_model.rowCount() > 0)
            ws.reload_button.setFocus()

            def shot(name: str) -> None:
                wait(lambda: not ws.busy)
                app.processEvents()
                path = out_dir / f"review-{name}.png"
                window.grab().save(str(path))
                written.append(path)

            ws.tabs.setCurrentIndex(TAB_INBOX)
            for c in range(ws.inbox.batch_model.columnCount()):
                ws.inbox.inbox_view.resizeColumnToContents(c)
            shot("inbox")
            a_batch = next(b for b in ws.inbox.batch_model.rows() if b.desa_code == DESA_A)
            ws.open_batch(a_batch)
            wait(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() > 0)
            ws.tabs.setCurrentIndex(TAB_PROPOSALS)
            for c in range(ws.proposals.proposal_model.columnCount()):
                ws.proposals.proposal_table.resizeColumnToContents(c)
            row = ws.proposals.proposal_model.row_of_key(demo.ids["a3"])
            ws.proposals._select_proxy_row(ws.proposals.proposal_proxy.mapFromSource(ws.proposals.proposal_model.index(row, 0)).row())
            shot("entry-flags")
            ws.tabs.setCurrentIndex(TAB_DUPLICATES)
            person = next((g for g in ws.duplicates.group_model.rows() if g.kind == "person"), None)
            if person is not None:
                ws.duplicates.select_group(person.group_id)
            shot("duplicate-group")
            ws.tabs.setCurrentIndex(TAB_DASHBOARD)
            shot("dashboard")
            # History: the village fixes the returned a21 and resends it; the reviewer approves the fix
            # and opens the Riwayat tab (sent, returned, changed by the village, approved).
            rid = demo.ids["a21"]
            demo.a.edit(rid, address="Jl. Pelabuhan No. 12, belakang masjid", rt="004")
            rep = demo.a.sync()
            assert rep.error is None, rep
            ws.reload()
            wait(lambda: not ws.busy and ws.inbox.batch_model.rowCount() >= 3)
            ws.open_batch(max((b for b in ws.inbox.batch_model.rows() if b.desa_code == DESA_A), key=lambda b: b.entry_count))
            wait(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() > 0)
            ws.tabs.setCurrentIndex(TAB_PROPOSALS)

            def select_a21() -> None:
                r = ws.proposals.proposal_model.row_of_key(rid)
                ws.proposals._select_proxy_row(ws.proposals.proposal_proxy.mapFromSource(ws.proposals.proposal_model.index(r, 0)).row())

            select_a21()
            ws.proposals.decide([ws.proposals.current_proposal()], "approve")
            wait(lambda: not ws.busy and ws.proposals.proposal_model.row_at(ws.proposals.proposal_model.row_of_key(rid)).review_state == "APPROVED")
            select_a21()
            ws.proposals.proposal_table.setFocus()
            ws.proposals.toggle_history()
            wait(lambda: not ws.busy and ws.proposals.history_panel.record_id == rid and ws.proposals.history_panel.model.rowCount() >= 4)
            wait(lambda: not ws._refresh_timer.isActive() and not ws.busy, timeout=10)
            shot("history")
            window.close()
            runner.shutdown()
            ctx.close()
            demo.close()
        finally:
            srv.kill()
    return written


if __name__ == "__main__":
    for p in screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(p)
