"""First run: find the desa by typing, confirm with the keyboard, name the operator."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop_app.context import AppContext
from desktop_app.first_run import apply_first_run, needs_first_run
from desktop_app.tasks import TaskRunner
from ui.desa_picker import FirstRunDialog, RegionTreeModel


def test_choose_desa_by_search_and_keyboard(qtbot, runner: TaskRunner, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = FirstRunDialog(runner)
    qtbot.addWidget(dlg)
    dlg.show()
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "OK" and not ok.isEnabled()
    qtbot.keyClicks(dlg.search, "buluh tumbang")
    qtbot.waitUntil(lambda: dlg.results.count() > 0, timeout=10000)
    assert "Buluh Tumbang" in dlg.results.item(0).text() and "Belitung" in dlg.results.item(0).text()
    qtbot.keyClick(dlg.search, Qt.Key.Key_Return)  # into the results
    qtbot.keyClick(dlg.results, Qt.Key.Key_Return)  # choose the first
    assert dlg.desa_code() == "19.02.01.2003"
    assert dlg.tree.currentIndex().data() == "Buluh Tumbang  (19.02.01.2003)"  # the tree follows
    assert "Tanjungpandan" in dlg.chosen.text()
    qtbot.keyClicks(dlg.operator, "  Rina   Marlina ")
    assert ok.isEnabled()
    qtbot.keyClick(dlg.operator, Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Accepted

    with AppContext.open(data_dir) as ctx:
        assert needs_first_run(ctx)
        apply_first_run(ctx, str(dlg.desa_code()), dlg.operator_name())
    with AppContext.open(data_dir) as ctx:
        assert not needs_first_run(ctx)
        assert (ctx.desa_code, ctx.operator_name) == ("1902012003", "Rina Marlina")


def test_prefilled_desa_is_shown_for_confirmation(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    dlg = FirstRunDialog(runner, desa_code="1902012003", operator_name="Rina")
    qtbot.addWidget(dlg)
    assert dlg.desa_code() == "19.02.01.2003"
    assert dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_region_tree_model_passes_qtmodeltester(qapp_id, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RegionTreeModel()
    assert model.rowCount() == 38  # provinces
    model.index_of("19.02.01.2003")  # loads Babel > Belitung > Tanjungpandan
    qtmodeltester.check(model, force_py=True)
