"""Issue 13, must-show 4 (operator workspace): every menu of the main window is opened and every
action in it triggered with the offscreen platform; every window and dialog that appears (Qt's own
file and message dialogs included) is scanned for visible English words from the issue's list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTabWidget,
    QTreeView,
    QWidget,
)

from desktop_app.context import AppContext
from desktop_app.tasks import TaskRunner

ENGLISH = ["Look in", "File name", "Save", "Cancel", "Open", "Login", "Logout", "Token", "reviewer", "operator",
           "Error", "Warning"]
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
# Actions that end the session or leave the app: their dialogs are not reached this way.
SKIP = {"actQuit"}


def visible_texts(top: QWidget) -> list[str]:
    out = [top.windowTitle()]
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisibleTo(top) and w is not top:
            continue
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out += [w.text(), w.placeholderText()]
        if isinstance(w, QGroupBox):
            out.append(w.title())
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QTableWidget):
            out += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount()) if w.horizontalHeaderItem(i)]
        if isinstance(w, QTreeView) and w.model() is not None:
            m = w.model()
            out += [str(m.headerData(i, Qt.Orientation.Horizontal) or "") for i in range(m.columnCount())]
        out.append(w.toolTip())
    return [t.replace("&", "") for t in out if t]


def english_in(texts: list[str]) -> list[str]:
    return sorted({t for t in texts if _PATTERN.search(t)})


@pytest.fixture
def runner(qapp_id: QApplication) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown(wait=True)


def test_the_operator_window_its_menus_and_every_dialog_they_open_speak_indonesian(
        qtbot: Any, context: AppContext, runner: TaskRunner) -> None:
    from ui.main_window import MainWindow

    win = MainWindow(context, runner, auto_backup=False)
    qtbot.addWidget(win, before_close_func=lambda w: w.household_screen.new_household())
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: win.record_list.searches > 0, timeout=5000)
    for ext in win.extensions:
        for t in ("first_timer", "timer"):
            if hasattr(ext, t):
                getattr(ext, t).stop()
    found: dict[str, list[str]] = {}
    seen_dialogs: list[str] = []

    def scan(where: str, top: QWidget) -> None:
        bad = english_in(visible_texts(top))
        if bad:
            found.setdefault(where, []).extend(bad)

    scan("main window", win)
    for i in range(win.workspace.count()):
        win.workspace.setCurrentIndex(i)
        qtbot.wait(50)
        scan(f"main window tab {i}", win)

    def close_modals(where: str) -> None:
        for _ in range(5):
            dlg = QApplication.activeModalWidget() or next(
                (d for d in QApplication.topLevelWidgets() if isinstance(d, QDialog) and d.isVisible()), None)
            if dlg is None:
                return
            seen_dialogs.append(f"{where}: {dlg.objectName() or type(dlg).__name__}")
            scan(f"{where} → {dlg.objectName() or type(dlg).__name__} '{dlg.windowTitle()}'", dlg)
            if isinstance(dlg, QMessageBox):
                dlg.reject() if dlg.escapeButton() is None else dlg.escapeButton().click()
            if isinstance(dlg, QDialog):
                dlg.reject()
            else:
                dlg.close()
            QApplication.processEvents()

    menus = [m for m in win.menuBar().findChildren(QMenu)]
    for menu in menus:
        scan(f"menu {menu.title()}", menu)
        for act in [*menu.actions()]:
            if act.menu() is not None:
                continue
            scan(f"menu {menu.title()}", menu)
            if _PATTERN.search(act.text().replace("&", "")):
                found.setdefault(f"menu {menu.title()}", []).append(act.text())
            if act.isSeparator() or not act.isEnabled() or act.objectName() in SKIP:
                continue
            where = f"{menu.title().replace('&', '')} → {act.text().replace('&', '')}"
            poll = QTimer()
            poll.timeout.connect(lambda w=where: close_modals(w))
            poll.start(150)
            act.trigger()
            qtbot.wait(300)
            poll.stop()
            close_modals(where)
            for top in QApplication.topLevelWidgets():  # a modeless window it opened
                if top is not win and top.isVisible() and not isinstance(top, QMenu):
                    scan(f"{where} → window '{top.windowTitle()}'", top)
                    top.close()
            qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)
    # Qt's own save dialog, as the print and export actions open it (the offscreen platform has no
    # native one, so this is the widget dialog a Linux village PC shows).
    from ui.print_dialogs import ask_pdf_path

    poll = QTimer()
    poll.timeout.connect(lambda: close_modals("Simpan sebagai PDF"))
    poll.start(300)
    assert ask_pdf_path(win, "daftar.pdf") is None
    poll.stop()
    assert any(d.startswith("Simpan sebagai PDF: QFileDialog") for d in seen_dialogs), seen_dialogs
    assert seen_dialogs, "no dialog was reached: the walk did not run"
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_the_reviewer_workspace_and_its_decision_dialogs_speak_indonesian(qtbot: Any, qapp_id: QApplication) -> None:
    """The reviewer's side with no server reachable (what a first start in a kecamatan office shows)
    and its reject / return dialogs. The walk over a live reviewer session is in the review e2e tests."""
    import socket

    from desktop_app.review.service import ReviewService
    from desktop_app.review.views import ReviewSession
    from ui.review.dialogs import RejectDialog, ReturnDialog
    from ui.review.workspace import ReviewWorkspace

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    runner = TaskRunner()
    try:
        ws = ReviewWorkspace(ReviewService(ReviewSession(f"http://127.0.0.1:{port}", "rev1", "reviewer", "190201",
                                                         "t")), runner)
        qtbot.addWidget(ws)
        ws.resize(1366, 768)
        ws.show()
        ws.load_inbox()
        qtbot.waitUntil(lambda: ws.retry_button.isVisible(), timeout=15_000)  # the offline message is up
        found = {"workspace": english_in(visible_texts(ws))}
        for tab in ws.findChildren(QTabWidget):
            for i in range(tab.count()):
                tab.setCurrentIndex(i)
                qtbot.wait(30)
                found[f"tab {tab.tabText(i)}"] = english_in(visible_texts(ws))
        for dlg in (RejectDialog(3, preset="R05"), ReturnDialog(1)):
            qtbot.addWidget(dlg)
            dlg.show()
            found[type(dlg).__name__] = english_in(visible_texts(dlg))
            dlg.reject()
        assert {k: v for k, v in found.items() if v} == {}
    finally:
        runner.shutdown(wait=True)


def test_the_reviewer_login_offers_the_provisioned_server_in_wide_fields(qtbot: Any, context: AppContext,
                                                                      runner: TaskRunner) -> None:
    from ui.main_window import MainWindow
    from ui.review.dialogs import LoginDialog

    context.set_meta("sync.server_url", "https://bansos.belitungkab.go.id")  # as provisioning sets it
    win = MainWindow(context, runner, auto_backup=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    act = next(a for a in win.menu("sync").actions() if a.text().replace("&", "").startswith("Masuk sebagai peninjau"))
    act.trigger()
    qtbot.waitUntil(lambda: any(isinstance(d, LoginDialog) and d.isVisible() for d in win.findChildren(LoginDialog)),
                    timeout=3000)
    dlg = next(d for d in win.findChildren(LoginDialog) if d.isVisible())
    assert dlg.server.text() == "https://bansos.belitungkab.go.id"
    assert min(f.width() for f in (dlg.server, dlg.username, dlg.password)) >= 360
    assert dlg.server.fontMetrics().horizontalAdvance(dlg.server.text()) < dlg.server.width()  # not clipped
    assert dlg.fontMetrics().horizontalAdvance(dlg.windowTitle()) < dlg.width()
    dlg.reject()
