"""Screenshots of issue 13's sync states at 1366×768 into docs/screenshots/ (a real server process):

    QT_QPA_PLATFORM=offscreen python -m tests.support.sync_screenshots [OUT_DIR]

sync-offline.png: the operator's window after F9 with the server stopped (two families waiting);
sync-wrong-password.png: after a login with a wrong password; sync-cancelled.png: after Batal on a
hung server.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")
ROOT = Path(__file__).resolve().parents[2]


def _pump(app: Any, until: Any, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


def main(out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop_app.tasks import TaskRunner
    from tests.support.serverproc import ServerProcess
    from tests.support.sync_env import SYNC_USERS, Village
    from tests.support.tcp_proxy import TcpProxy
    from ui.app import install_translator
    from ui.main_window import MainWindow
    from ui.sync_status import CANCELLED, LOGIN, OFFLINE, SyncStatusWidget

    os.environ.setdefault("BANSOS_STORE_PASSPHRASE", "tangkapan-layar-2026")
    app = QApplication.instance() or QApplication(sys.argv)
    install_translator(app)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        srv = ServerProcess(Path(tmp)).setup(users=SYNC_USERS)
        try:
            with TcpProxy("127.0.0.1", srv.port) as proxy:
                v = Village.create(Path(tmp) / "desa", proxy.url, "op1")
                v.families(2, members=3)
                runner = TaskRunner()
                win = MainWindow(v.ctx, runner, auto_backup=False)
                win.resize(1366, 768)
                win.show()
                ind = next(x for x in win.extensions if isinstance(x, SyncStatusWidget))
                ind.first_timer.stop()
                win.show_list()
                proxy.down()
                ind.action_sync.trigger()
                _pump(app, lambda: not ind.running and ind.state == OFFLINE)
                win.grab().save(str(out / "sync-offline.png"))
                proxy.up()
                proxy.drop(120.0, path="/api/v1/sync/batches")
                ind.action_sync.trigger()
                _pump(app, lambda: ind.label.text().startswith("Mengirim"), 10)
                win.grab().save(str(out / "sync-sending-with-cancel.png"))
                ind.cancel_sync()
                _pump(app, lambda: ind.state == CANCELLED, 10)
                win.grab().save(str(out / "sync-cancelled.png"))
                proxy.clear()
                done: list[bool] = []
                ind.login_with(proxy.url, "op1", "salah-sandi", on_done=done.append)
                _pump(app, lambda: bool(done) and ind.state == LOGIN)
                win.statusBar().clearMessage()
                win.grab().save(str(out / "sync-wrong-password.png"))
                win.close()
                runner.shutdown(wait=True)
                v.close()
        finally:
            srv.kill()
    print("\n".join(str(out / n) for n in ("sync-offline.png", "sync-sending-with-cancel.png", "sync-cancelled.png",
                                          "sync-wrong-password.png")))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
