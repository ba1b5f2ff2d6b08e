"""Render docs/screenshots/review-history.png: the entry review with the Riwayat tab visible.

    QT_QPA_PLATFORM=offscreen python -m tests.support.review_history_shot docs/screenshots
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out_dir: Path) -> Path:
    import keyring
    from PySide6.QtCore import QEventLoop, QTimer

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    from desktop_app.context import AppContext
    from desktop_app.tasks import TaskRunner
    from tests.support.review_demo import DESA_A, decide_some, seed
    from tests.support.serverproc import PASSWORD, ServerProcess
    from ui.app import create_application
    from ui.main_window import MainWindow
    from ui.review import attach
    from ui.review.workspace import TAB_ENTRIES

    app = create_application(["bansos"])

    def wait(cond: Any, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("screenshot scene did not load")
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    out = out_dir / "review-history.png"
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        srv = ServerProcess(tmp)
        try:
            srv.setup()
            demo = seed(srv, tmp)
            decide_some(demo)  # a21: returned for revision with a note
            rid = demo.ids["a21"]
            row = demo.a.row(rid)
            demo.a.edit(rid, address="Jl. Pelabuhan No. 12, belakang masjid", rt="004")
            rep = demo.a.sync()
            assert rep.error is None, rep
            runner = TaskRunner()
            ctx = AppContext.open(tmp / "app-rev1")
            window = MainWindow(ctx, runner)
            window.resize(1360, 800)
            window.show()
            ctl = attach(window)
            ctl.login(srv.url, "rev1", PASSWORD)
            wait(lambda: ctl.workspace is not None)
            ws = ctl.workspace
            wait(lambda: not ws.busy and ws.batch_model.rowCount() >= 2 and ws.dash_model.rowCount() > 0)
            a_batch = max((b for b in ws.batch_model.rows() if b.desa_code == DESA_A), key=lambda b: b.entry_count)
            ws.open_batch(a_batch)
            wait(lambda: not ws.busy and ws.entry_model.rowCount() > 0)
            ws.tabs.setCurrentIndex(TAB_ENTRIES)
            for c in range(ws.entry_model.columnCount()):
                ws.entry_view.resizeColumnToContents(c)

            def select() -> None:
                r = ws.entry_model.row_of_key(rid)
                ws._select_proxy_row(ws.entry_proxy.mapFromSource(ws.entry_model.index(r, 0)).row())

            select()
            ws.decide([ws.current_entry()], "approve")  # the resubmitted fix, approved
            wait(lambda: not ws.busy and ws.entry_model.row_at(ws.entry_model.row_of_key(rid)).review_state
                 == "APPROVED")
            select()
            ws.entry_view.setFocus()
            ws.toggle_history()
            wait(lambda: not ws.busy and ws.history_panel.record_id == rid and ws.history_panel.model.rowCount() >= 4)
            wait(lambda: not ws._refresh_timer.isActive() and not ws.busy, timeout=10)
            app.processEvents()
            window.grab().save(str(out))
            assert row["name"]
            window.close()
            runner.shutdown()
            ctx.close()
            demo.close()
        finally:
            srv.kill()
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
