"""Issue 13, must-show 2: every number the main window shows agrees — the list's count, the status
bar's family/member/proposal/"belum dikirim" counts, the sync indicator's "menunggu dikirim" per type
and the list's per-row "Status kirim" — after a GUI save, a delete, a CLI import into the open store,
a sync and a pull (a real server process; the CLI in a real process)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.tasks import TaskRunner
from tests.support.people import people, write_csv
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_fixtures import module_server, proxy_to, village_at
from tests.support.tcp_proxy import TcpProxy
from ui.dialogs import ReasonDialog
from ui.record_list import View
from ui.sync_status import UP_TO_DATE, SyncStatusWidget

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
WORDS = {"keluarga": "household", "anggota": "member", "usulan": "proposal"}


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "numbersrv")


@pytest.fixture
def proxy(srv: ServerProcess) -> Iterator[TcpProxy]:
    yield from proxy_to(srv)


@pytest.fixture
def runner(qapp_id: QApplication) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown(wait=True)


@pytest.fixture
def village(tmp_path: Path, proxy: TcpProxy) -> Iterator[Village]:
    yield from village_at(tmp_path / "desa", proxy.url, "op1")


def _n(text: str) -> int:
    return int(text.replace(".", ""))


def on_screen(win: Any, ind: SyncStatusWidget) -> dict[str, Any]:
    """The numbers as the operator reads them off the window."""
    h, m, p, w = (_n(x) for x in re.findall(r"\d[\d.]*", win.count_label.text()))
    lst = win.record_list
    waiting = {WORDS[word]: int(n) for n, word in re.findall(r"(\d+) (keluarga|anggota|usulan)",
                                                             ind.label.text().split("menunggu")[0])}
    sending_col = lst.table.columnCount() - 1
    unsent_rows = sum(1 for r in range(lst.table.rowCount()) if lst.table.item(r, sending_col).text() != "Terkirim")
    return {"list": _n(re.findall(r"\d[\d.]*", lst.count_label.text())[0]), "rows": lst.table.rowCount(),
            "households": h, "members": m, "proposals": p, "not_sent": w, "waiting": waiting,
            "unsent_rows": unsent_rows, "indicator": ind.label.text()}


def truth(village: Village) -> dict[str, int]:
    with village.engine.connect() as c:
        def q(sql: str) -> int:
            return int(c.exec_driver_sql(sql).scalar_one())
        return {"households": q("SELECT count(*) FROM households WHERE deleted = 0"),
                "members": q("SELECT count(*) FROM members WHERE deleted = 0"),
                "proposals": q("SELECT count(*) FROM proposals WHERE deleted = 0"),
                "not_sent": q("SELECT count(DISTINCT record_id) FROM outbox"),
                # a deletion waiting to go out: counted as waiting, no longer a row of the list
                "deleted_waiting": q("SELECT count(*) FROM households WHERE deleted = 1 AND record_id IN "
                                     "(SELECT record_id FROM outbox)")}


def agree(win: Any, ind: SyncStatusWidget, village: Village) -> bool:
    try:
        s = on_screen(win, ind)
    except (ValueError, IndexError, AttributeError):
        return False  # not shown yet
    t = truth(village)
    return (s["list"] == s["rows"] == s["households"] == t["households"]
            and (s["members"], s["proposals"], s["not_sent"]) == (t["members"], t["proposals"], t["not_sent"])
            and sum(s["waiting"].values()) == s["not_sent"]
            and s["waiting"].get("household", 0) == s["unsent_rows"] + t["deleted_waiting"])


def settle(qtbot: Any, win: Any, ind: SyncStatusWidget, village: Village, step: str, **expect: int) -> dict[str, Any]:
    """Wait until the screen agrees with itself and the store and shows `expect` (what the step did)."""
    def ok() -> bool:
        return agree(win, ind, village) and all(on_screen(win, ind)[k] == v for k, v in expect.items())
    try:
        qtbot.waitUntil(ok, timeout=10_000)
    except Exception as e:
        shown = (win.count_label.text(), win.record_list.count_label.text(), ind.label.text())
        raise AssertionError(f"after {step}: screen {shown} vs store {truth(village)}") from e
    return on_screen(win, ind)


def test_every_number_agrees_after_save_delete_cli_import_sync_and_pull(
        qtbot: Any, village: Village, runner: TaskRunner, proxy: TcpProxy, tmp_path: Path) -> None:
    from ui.main_window import MainWindow

    village.families(3)
    win = MainWindow(village.ctx, runner, auto_backup=False)
    qtbot.addWidget(win, before_close_func=lambda w: w.household_screen.new_household())
    win.show()
    ind = next(x for x in win.extensions if isinstance(x, SyncStatusWidget))
    ind.first_timer.stop()
    win.record_list.set_view(View.HOUSEHOLDS)
    settle(qtbot, win, ind, village, "start", households=3, not_sent=9)

    # A GUI save: a new family through the form (KK, Enter).
    screen = win.household_screen
    screen.kk.setFocus()
    qtbot.keyClicks(screen.kk, "1902011508201234")
    qtbot.keyClick(screen.kk, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.household_id is not None, timeout=5000)
    settle(qtbot, win, ind, village, "GUI save", households=4, not_sent=10)

    # A delete from the list, with its reason.
    win.show_list()
    table = win.record_list.table
    qtbot.waitUntil(lambda: table.rowCount() == 4, timeout=5000)
    empty = next(r for r in range(4) if table.item(r, 0).text() == "1902011508201234")  # a family has no members yet
    table.setCurrentCell(empty, 0)

    def give_reason() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ReasonDialog)
        dlg.reason.setPlainText("pindah domisili")
        dlg.accept()

    QTimer.singleShot(200, give_reason)
    win._delete_selected()
    settle(qtbot, win, ind, village, "delete", households=3)

    # `bansos import` in another process, into the store this window has open.
    rows = list(people(2, seed=91_000, start=91_000, desa=village.desa))
    f = write_csv(tmp_path / "warga.csv", rows)
    r = subprocess.run([sys.executable, "-m", "desktop_app.cli", "--data-dir", str(village.ctx.data_dir),
                        "import", str(f)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                            **{k: v for k, v in os.environ.items()
                               if k in ("PYTHON_KEYRING_BACKEND", "KEYRING_TEST_FILE")}})
    assert r.returncode == 0, r.stdout + r.stderr
    settle(qtbot, win, ind, village, "CLI import", households=5)  # the window noticed by itself

    # A sync: everything sent, nothing waiting anywhere on screen.
    ind.action_sync.trigger()
    qtbot.waitUntil(lambda: ind.state == UP_TO_DATE, timeout=30_000)
    s = settle(qtbot, win, ind, village, "sync", not_sent=0, unsent_rows=0)
    assert s["indicator"].startswith("Terkini pukul ")

    # A pull: another PC of the same desa sent two families; this window's next sync brings them in.
    other = Village.create(tmp_path / "pc2", proxy.url, "op1")
    try:
        other.families(2)
        assert other.sync().ok
    finally:
        other.close()
    ind.action_sync.trigger()
    qtbot.waitUntil(lambda: not ind.running and ind.state == UP_TO_DATE, timeout=30_000)
    settle(qtbot, win, ind, village, "pull", households=7, not_sent=0)
