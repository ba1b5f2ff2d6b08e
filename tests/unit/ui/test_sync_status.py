"""The status-bar sync indicator, driven like an operator, against a real server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from desktop_app.context import AppContext
from desktop_app.tasks import TaskRunner
from tests.support import households
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_fixtures import module_server, proxy_to, village_at
from tests.support.tcp_proxy import TcpProxy
from ui import sync_status
from ui.sync_status import ATTENTION, NOT_CONFIGURED, OFFLINE, UP_TO_DATE, LoginDialog, SyncStatusWidget

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "uisrv")


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


def make_widget(qtbot: Any, ctx: AppContext, runner: TaskRunner) -> SyncStatusWidget:
    w = SyncStatusWidget(ctx, runner, interval_ms=3_600_000)
    qtbot.addWidget(w)
    w.show()
    return w


def test_a_fresh_install_says_not_connected_and_sync_now_asks_for_a_login(
        qtbot: Any, data_dir: Path, runner: TaskRunner, proxy: TcpProxy) -> None:
    ctx = AppContext.open(data_dir)
    try:
        ctx.configure(desa_code="1902012003")
        w = make_widget(qtbot, ctx, runner)
        qtbot.waitUntil(lambda: w.state == NOT_CONFIGURED, timeout=5000)
        assert w.label.text() == "Belum terhubung ke server"
        households.families(ctx.engine, 3, seed=7_000_000, start=7_000_000, desa="1902012003")

        def fill_login() -> None:
            dlg = QApplication.activeModalWidget()
            assert isinstance(dlg, LoginDialog)
            dlg.server.setText(proxy.url)
            dlg.username.setText("op1")
            dlg.password.setText(PASSWORD)
            dlg.accept()

        QTimer.singleShot(100, fill_login)
        w.button.click()  # "Sinkronkan sekarang"
        qtbot.waitUntil(lambda: w.state == UP_TO_DATE, timeout=30_000)
        assert w.label.text().startswith("Terkini pukul ")
        st = w.service().status()
        assert st.counts["SYNCED"] == 9 and st.outbox == 0  # 3 households, 3 members, 3 proposals
    finally:
        ctx.close()


def test_sending_shows_progress_and_the_window_keeps_responding(qtbot: Any, village: Village, runner: TaskRunner,
                                                              proxy: TcpProxy) -> None:
    w = make_widget(qtbot, village.ctx, runner)
    village.add(6)
    proxy.delay(1.5, path="/api/v1/sync/batches")
    seen: list[str] = []
    w.state_changed.connect(lambda _s: seen.append(w.label.text()))
    ticks: list[int] = []
    beat = QTimer()
    beat.timeout.connect(lambda: ticks.append(1))
    beat.start(50)
    w.action_sync.trigger()
    qtbot.waitUntil(lambda: w.label.text().startswith("Mengirim"), timeout=5000)
    assert w.label.text() == "Mengirim 0 dari 18…"  # 6 families: household, member, proposal each
    assert not w.action_sync.isEnabled()  # one sync at a time
    qtbot.waitUntil(lambda: w.state == UP_TO_DATE, timeout=30_000)
    beat.stop()
    assert len(ticks) >= 15  # the event loop kept running through the 1.5 s upload
    assert w.action_sync.isEnabled()


def test_a_save_during_an_upload_is_not_held_up_and_the_run_reports_through_its_task_progress(
        qtbot: Any, village: Village, runner: TaskRunner, proxy: TcpProxy) -> None:
    w = make_widget(qtbot, village.ctx, runner)
    fams = village.families(4)
    ids = [r for f in fams for r in (f.household_id, *f.member_ids, f.proposal_id)]
    proxy.delay(3.0, path="/api/v1/sync/batches")
    fed: list[tuple[str, int, int]] = []  # what the main window's progress bar is fed
    runner.progress_changed.connect(lambda label, value, maximum: fed.append((label, value, maximum)))
    w.sync_now()
    qtbot.waitUntil(lambda: w.label.text() == "Mengirim 0 dari 12…", timeout=5000)
    seen_by_save: list[list[str]] = []
    # A save asked for while the batch is on the wire runs on the writer at once, between the run's
    # own write transactions: it sees the batch in flight, and the run is still going when it is done.
    runner.write(lambda _p: seen_by_save.append([village.state(r) for r in ids]))
    qtbot.waitUntil(lambda: bool(seen_by_save), timeout=2500)
    assert seen_by_save == [["UPLOADING"] * 12]
    assert w.running and not runner.idle
    qtbot.waitUntil(lambda: runner.idle, timeout=30_000)
    assert [village.state(r) for r in ids] == ["SYNCED"] * 12
    assert w.state == UP_TO_DATE
    assert ("Mengirim", 0, 12) in fed


def test_offline_is_shown_with_what_waits_and_recovers(qtbot: Any, village: Village, runner: TaskRunner,
                                                      proxy: TcpProxy) -> None:
    w = make_widget(qtbot, village.ctx, runner)
    village.add(2)
    proxy.down()
    w.periodic_sync()  # the timer's job: a cheap reachability check first
    qtbot.waitUntil(lambda: w.state == OFFLINE, timeout=15_000)
    assert w.label.text() == "Offline — 2 keluarga, 2 anggota, 2 usulan menunggu dikirim"
    proxy.up()
    w.periodic_sync()
    qtbot.waitUntil(lambda: w.state == UP_TO_DATE, timeout=30_000)


def test_a_silent_network_costs_one_short_check_and_never_freezes_the_window(
        qtbot: Any, village: Village, runner: TaskRunner, proxy: TcpProxy) -> None:
    w = make_widget(qtbot, village.ctx, runner)
    village.add(1)
    proxy.drop(10.0, path="/api/v1/health")  # packets vanish: no refusal, no answer
    ticks: list[int] = []
    beat = QTimer()
    beat.timeout.connect(lambda: ticks.append(1))
    beat.start(50)
    w.periodic_sync()
    qtbot.waitUntil(lambda: w.state == OFFLINE, timeout=15_000)
    beat.stop()
    assert len(ticks) >= 30  # ~3 s of reachability timeout, the event loop never stopped
    assert proxy.requests["POST /api/v1/sync/batches"] == 0  # nothing sent into a dead line
    assert w.label.text() == "Offline — 1 keluarga, 1 anggota, 1 usulan menunggu dikirim"


def test_a_member_refused_by_the_server_needs_attention(qtbot: Any, village: Village, runner: TaskRunner) -> None:
    w = make_widget(qtbot, village.ctx, runner)
    (f,) = village.families(1, propose=False)
    bad = f.member_ids[0]
    nik = village.payload(bad).nik
    wrong = "99" + nik[2:]  # no province 99: as an older client or a hand-edited file might send it
    with village.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE members SET nik = ? WHERE record_id = ?", (wrong, bad))
        op = conn.exec_driver_sql("SELECT op_id, payload FROM outbox WHERE record_id = ?", (bad,)).one()
        conn.exec_driver_sql("UPDATE outbox SET payload = ? WHERE op_id = ?",
                             (op.payload.replace(nik, wrong), op.op_id))
    w.sync_now()
    qtbot.waitUntil(lambda: w.state == ATTENTION, timeout=30_000)
    assert w.label.text() == "Perlu perhatian: 1 anggota"
    assert "Ditolak server: 1" in w.label.toolTip()


def test_attach_puts_the_indicator_and_actions_in_the_main_window(qtbot: Any, village: Village,
                                                                  runner: TaskRunner) -> None:
    from ui.main_window import MainWindow

    win = MainWindow(village.ctx, runner)  # loads ui.sync_status and ui.conflict_view by itself
    qtbot.addWidget(win)
    widget = next(x for x in win.extensions if isinstance(x, SyncStatusWidget))
    assert win.statusBar().findChild(SyncStatusWidget, "syncStatus") is widget
    names = {a.objectName() for a in win.menu("sync").actions()}
    assert {"actSyncNow", "actSyncLogin", "actSyncInterval", "actResolveConflicts"} <= names
    widget.stop()
    assert sync_status.attach is not None


def test_the_interval_setting_drives_the_timer(qtbot: Any, village: Village, runner: TaskRunner) -> None:
    w = make_widget(qtbot, village.ctx, runner)
    w.set_interval_minutes(10)
    assert w.timer.interval() == 600_000 and w.timer.isActive()
    assert village.ctx.get_meta("sync.interval_seconds") == "600"
    again = SyncStatusWidget(village.ctx, runner)
    qtbot.addWidget(again)
    assert again.timer.interval() == 600_000  # the setting is kept


def test_the_login_dialog_hides_the_password_and_starts_where_typing_is_needed(qtbot: Any) -> None:
    known = LoginDialog("http://srv", "op1")
    qtbot.addWidget(known)
    known.show()
    qtbot.waitUntil(known.password.hasFocus, timeout=3000)  # server and user known: only the password
    assert known.password.echoMode() == known.password.EchoMode.Password
    qtbot.keyClicks(known.password, "rahasia")
    assert known.password.displayText() != "rahasia"
    fresh = LoginDialog()
    qtbot.addWidget(fresh)
    fresh.show()
    qtbot.waitUntil(fresh.server.hasFocus, timeout=3000)  # a first login starts at the address


def test_batal_in_the_login_dialog_logs_in_nowhere(qtbot: Any, data_dir: Path, runner: TaskRunner,
                                                  proxy: TcpProxy) -> None:
    ctx = AppContext.open(data_dir)
    try:
        ctx.configure(desa_code="1902012003")
        w = make_widget(qtbot, ctx, runner)
        qtbot.waitUntil(lambda: w.state == NOT_CONFIGURED, timeout=5000)
        shown: list[int] = []

        def cancel() -> None:
            dlg = QApplication.activeModalWidget()
            assert isinstance(dlg, LoginDialog)
            dlg.server.setText(proxy.url)
            dlg.username.setText("op1")
            dlg.password.setText(PASSWORD)
            shown.append(1)
            batal = next(b for b in dlg.findChildren(QPushButton) if b.text() == "Batal")
            qtbot.mouseClick(batal, Qt.MouseButton.LeftButton)

        QTimer.singleShot(100, cancel)
        w.action_login.trigger()  # returns once the dialog is closed
        assert shown == [1]  # the dialog was really shown and cancelled by its button
        qtbot.wait(300)
        assert runner.idle and w.service().server_url is None  # nothing sent, nothing stored
        assert not proxy.requests  # not a single request reached the server
        assert w.state == NOT_CONFIGURED
    finally:
        ctx.close()
