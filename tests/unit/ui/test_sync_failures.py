"""Issue 13, must-show 1: what the operator sees when sync fails, against a real server process behind
the project's TcpProxy — server stopped, hung, answering 500, wrong password, token revoked. For each:
the status bar's text, what the affected rows say, that a run waiting on the network can be cancelled
(and a later resend is counted once), and that the message clears when the next sync succeeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine

from desktop_app import credentials
from desktop_app.tasks import TaskRunner
from domain.states import SYNC_LABELS, SyncState
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_fixtures import module_server, proxy_to, server_db_of, village_at
from tests.support.sync_invariants import check_sync_invariants
from tests.support.tcp_proxy import TcpProxy
from ui.sync_status import CANCELLED, FAILED, LOGIN, OFFLINE, SENDING, UP_TO_DATE, SyncStatusWidget

pytestmark = pytest.mark.slow

WAITING_1 = "1 keluarga, 1 anggota, 1 usulan menunggu dikirim"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "uifailsrv")


@pytest.fixture(scope="module")
def server_db(srv: ServerProcess) -> Iterator[Engine]:
    yield from server_db_of(srv)


@pytest.fixture
def proxy(srv: ServerProcess) -> Iterator[TcpProxy]:
    yield from proxy_to(srv)


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown(wait=True)


@pytest.fixture
def village(tmp_path: Path, proxy: TcpProxy) -> Iterator[Village]:
    yield from village_at(tmp_path / "desa", proxy.url, "op1")


def widget(qtbot: Any, village: Village, runner: TaskRunner) -> SyncStatusWidget:
    w = SyncStatusWidget(village.ctx, runner, interval_ms=3_600_000)
    qtbot.addWidget(w)
    w.show()
    return w


def family(village: Village) -> list[str]:
    (f,) = village.families(1)
    return [f.household_id, *f.member_ids, f.proposal_id]


def rows_say(village: Village, ids: list[str]) -> set[str]:
    """What the list's "Status kirim" column shows for these records."""
    return {SYNC_LABELS[SyncState(village.state(r))] for r in ids}


def sync_and_wait(qtbot: Any, w: SyncStatusWidget, state: str, timeout: int = 30_000) -> None:
    w.action_sync.trigger()
    qtbot.waitUntil(lambda: not w.running and w.state == state, timeout=timeout)


def recovers(qtbot: Any, w: SyncStatusWidget, village: Village, ids: list[str], server_db: Engine) -> None:
    sync_and_wait(qtbot, w, UP_TO_DATE)
    assert w.label.text().startswith("Terkini pukul ")
    assert rows_say(village, ids) == {"Terkirim"}
    check_sync_invariants(village.engine, server_db, village.desa)  # each record once on the server


def test_server_stopped_says_offline_keeps_saying_it_and_clears_when_back(
        qtbot: Any, village: Village, runner: TaskRunner, srv: ServerProcess, server_db: Engine) -> None:
    w = widget(qtbot, village, runner)
    sync_and_wait(qtbot, w, UP_TO_DATE)  # nothing pending, server up
    srv.stop()
    try:
        sync_and_wait(qtbot, w, OFFLINE)  # F9 with the server stopped: said, not "Terkini"
        assert w.label.text() == "Offline — tidak ada data yang menunggu dikirim"
        assert "Server tidak bisa dihubungi" in w.label.toolTip()
        ids = family(village)  # an edit while offline; the list refreshes the indicator
        w.refresh_status()
        qtbot.waitUntil(lambda: w.label.text() == f"Offline — {WAITING_1}", timeout=5000)
        assert w.state == OFFLINE
        sync_and_wait(qtbot, w, OFFLINE)
        assert w.label.text() == f"Offline — {WAITING_1}"
        assert rows_say(village, ids) <= {"Draf, belum dikirim", "Belum dipastikan terkirim"}
        assert "Sedang dikirim" not in rows_say(village, ids)
    finally:
        srv.start()
    recovers(qtbot, w, village, ids, server_db)


@pytest.mark.parametrize("path, shows", [("/api/v1/sync/batches", "Mengirim 0 dari 3…"),
                                         ("/api/v1/sync/changes", "Mengambil hasil verifikasi…")])
def test_a_hung_server_can_be_cancelled_and_the_resend_counts_once(
        qtbot: Any, village: Village, runner: TaskRunner, proxy: TcpProxy, server_db: Engine,
        path: str, shows: str) -> None:
    w = widget(qtbot, village, runner)
    ids = family(village)
    proxy.drop(120.0, path=path)  # accepts, never answers
    w.action_sync.trigger()
    qtbot.waitUntil(lambda: w.label.text() == shows, timeout=10_000)
    assert w.cancel_button.isVisible() and w.cancel_button.text() == "Batal"
    qtbot.wait(500)
    qtbot.mouseClick(w.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.state == CANCELLED, timeout=5000)  # not after a 120 s read timeout
    assert not w.running and w.action_sync.isEnabled() and not w.cancel_button.isVisible()
    if path.endswith("batches"):
        assert w.label.text() == f"Sinkronisasi dibatalkan — {WAITING_1}"
        assert rows_say(village, ids) == {"Belum dipastikan terkirim"}  # its batch is kept for the resend
    else:
        assert w.label.text() == "Sinkronisasi dibatalkan — tidak ada data yang menunggu dikirim"
        assert rows_say(village, ids) == {"Terkirim"}
    proxy.clear()
    proxy.reset_all()
    recovers(qtbot, w, village, ids, server_db)


def test_a_server_answering_500_is_a_failure_with_what_waits(
        qtbot: Any, village: Village, runner: TaskRunner, proxy: TcpProxy, server_db: Engine) -> None:
    w = widget(qtbot, village, runner)
    ids = family(village)
    proxy.answer(500, path="/api/v1/sync/batches", times=10)
    sync_and_wait(qtbot, w, FAILED)
    assert w.label.text() == f"Sinkronisasi gagal — {WAITING_1}"
    assert "500" in w.label.toolTip() and "coba lagi" in w.label.toolTip()
    assert rows_say(village, ids) == {"Belum dipastikan terkirim"}
    w.refresh_status()  # a later refresh keeps the failure on screen
    qtbot.wait(500)
    assert w.state == FAILED
    proxy.clear()
    recovers(qtbot, w, village, ids, server_db)


def test_a_wrong_password_says_so(qtbot: Any, village: Village, runner: TaskRunner, proxy: TcpProxy) -> None:
    w = widget(qtbot, village, runner)
    done: list[bool] = []
    w.login_with(proxy.url, "op1", "bukan-sandinya", on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=15_000)
    assert done == [False] and w.state == LOGIN
    assert w.label.text() == "Perlu masuk ke server"
    assert w.label.toolTip() == "Nama pengguna atau kata sandi salah."
    w.login_with(proxy.url, "op1", PASSWORD, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=15_000)
    assert done[1] is True
    sync_and_wait(qtbot, w, UP_TO_DATE)


def test_a_revoked_token_asks_for_a_login_and_clears_after_it(
        qtbot: Any, village: Village, runner: TaskRunner, proxy: TcpProxy, srv: ServerProcess,
        server_db: Engine) -> None:
    w = widget(qtbot, village, runner)
    token = credentials.load_token(proxy.url, "op1")
    assert token
    r = requests.post(srv.url + "/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 204  # revoked on the server (as an admin's revoke would)
    ids = family(village)
    sync_and_wait(qtbot, w, LOGIN)
    assert w.label.text() == "Perlu masuk ke server"
    assert "login ulang" in w.label.toolTip()
    assert rows_say(village, ids) <= {"Draf, belum dikirim", "Belum dipastikan terkirim"}
    w.login_with(proxy.url, "op1", PASSWORD)
    qtbot.waitUntil(lambda: w.state not in (LOGIN, SENDING), timeout=15_000)
    recovers(qtbot, w, village, ids, server_db)


def test_logout_asks_first_and_waits_for_a_running_sync(qtbot: Any, village: Village, runner: TaskRunner,
                                                        proxy: TcpProxy) -> None:
    from PySide6.QtWidgets import QMessageBox, QPushButton

    w = widget(qtbot, village, runner)
    asked: list[str] = []

    def answer(button: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        next(b for b in box.findChildren(QPushButton) if b.text() == button).click()

    QTimer.singleShot(150, lambda: answer("Batal"))
    w.action_logout.trigger()
    assert asked and asked[0].startswith("Keluar dari server?")
    assert credentials.load_token(proxy.url, "op1")  # Batal: still logged in
    family(village)
    proxy.delay(3.0, path="/api/v1/sync/batches")
    w.action_sync.trigger()
    qtbot.waitUntil(lambda: w.label.text().startswith("Mengirim"), timeout=10_000)
    QTimer.singleShot(150, lambda: answer("OK"))
    w.action_logout.trigger()  # during a sync: told to wait or cancel, nothing done
    assert "Sinkronisasi sedang berjalan" in asked[1]
    qtbot.waitUntil(lambda: not w.running, timeout=30_000)
    QTimer.singleShot(150, lambda: answer("Keluar"))
    w.action_logout.trigger()
    qtbot.waitUntil(lambda: not credentials.load_token(proxy.url, "op1"), timeout=5000)
