"""First-run screen: importing the provisioning file IT staff made with `bansos-server provision`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from desktop_app.context import AppContext
from desktop_app.first_run import apply_first_run, needs_first_run
from desktop_app.provisioning import ca_bundle_path
from desktop_app.services.sync_service import META_SERVER_URL
from desktop_app.tasks import TaskRunner
from server.services.provision import write_provisioning
from tests.support.seed import DESA
from ui.desa_picker import FirstRunDialog

SERVER = "https://bansos.belitungkab.example.go.id"


@pytest.fixture
def fresh(data_dir: Path) -> Iterator[AppContext]:
    ctx = AppContext.open(data_dir)
    yield ctx
    ctx.close()


def _dialog(qtbot, runner: TaskRunner, ctx: AppContext) -> FirstRunDialog:  # type: ignore[no-untyped-def]
    dlg = FirstRunDialog(runner, context=ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.waitUntil(lambda: dlg.index_ready, timeout=10000)
    return dlg


def _choose_file_by_keyboard(qtbot, dlg: FirstRunDialog, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Alt+I opens the file dialog; the operator picks the file."""
    qtbot.keyClick(dlg.search, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dlg.file_dialog is not None and dlg.file_dialog.isVisible(), timeout=3000)
    fd = dlg.file_dialog
    assert isinstance(fd, QFileDialog)
    # Qt's own dialog is not what is under test: typing into it depends on the folder having been
    # loaded (QFileSystemModel does that in a thread), and typed too early Qt answers with a modal
    # "file not found" box that nobody closes here. Choose the file the way the dialog reports it.
    fd.fileSelected.emit(str(path))
    fd.done(QFileDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: not fd.isVisible(), timeout=3000)


def test_import_sets_the_desa_then_only_the_name_is_typed(
        qtbot, qapp_id, fresh: AppContext, runner: TaskRunner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prov = write_provisioning(desa="19.02.01.2003", server_url=SERVER, out=str(tmp_path / "bansos-provision.json"))
    assert needs_first_run(fresh)
    dlg = _dialog(qtbot, runner, fresh)
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dlg.import_button.text() == "&Impor file provisioning…" and dlg.import_button.isVisible()
    assert dlg.import_button.focusPolicy() & Qt.FocusPolicy.TabFocus  # reachable with Tab as well

    _choose_file_by_keyboard(qtbot, dlg, prov)
    qtbot.waitUntil(lambda: dlg.import_result is not None, timeout=5000)

    # The desa and the server are set in the store; the screen says so in Indonesian.
    assert fresh.desa_code == DESA and fresh.get_meta(META_SERVER_URL) == SERVER
    assert ca_bundle_path(fresh.data_dir) is None
    assert dlg.desa_code() == "19.02.01.2003"
    assert "Buluh Tumbang" in dlg.chosen.text()
    status = dlg.import_status.text()
    assert status.startswith("File provisioning berhasil diimpor.")
    assert "Desa: Buluh Tumbang (19.02.01.2003)" in status and f"Server: {SERVER}" in status
    assert not dlg.search.isEnabled() and not dlg.tree.isEnabled()  # the desa comes from the file now
    assert dlg.focusWidget() is dlg.operator and not ok.isEnabled()

    # The operator only types their name and presses Enter.
    qtbot.keyClicks(dlg.operator, "Rina Wulandari")
    assert ok.isEnabled()
    with qtbot.waitSignal(dlg.accepted, timeout=2000):
        qtbot.keyClick(dlg.operator, Qt.Key.Key_Return)
    apply_first_run(fresh, dlg.desa_code() or "", dlg.operator_name())  # what `bansos` does next
    assert not needs_first_run(fresh)
    reopened = AppContext.open(fresh.data_dir)
    try:
        assert (reopened.desa_code, reopened.operator_name) == (DESA, "Rina Wulandari")
    finally:
        reopened.close()


def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_set(
        qtbot, qapp_id, fresh: AppContext, runner: TaskRunner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "rusak.json"
    bad.write_text('{"format": 1, "server_url": "ftp://x", "desa_code": "1902012003"}', encoding="utf-8")
    dlg = _dialog(qtbot, runner, fresh)
    _choose_file_by_keyboard(qtbot, dlg, bad)
    qtbot.waitUntil(lambda: dlg.import_status.isVisible() and dlg.import_button.isEnabled(), timeout=5000)
    qtbot.waitUntil(lambda: "Belum diimpor" in dlg.import_status.text(), timeout=5000)
    assert "'server_url'" in dlg.import_status.text()  # names the field that is wrong
    assert dlg.import_result is None and fresh.desa_code is None and fresh.get_meta(META_SERVER_URL) is None
    assert dlg.search.isEnabled() and dlg.desa_code() is None  # the operator can still pick by hand
    assert dlg.focusWidget() is dlg.import_button


def test_without_a_context_there_is_no_import_button(qtbot, qapp_id, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    dlg = FirstRunDialog(runner)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.import_button.isVisible()
