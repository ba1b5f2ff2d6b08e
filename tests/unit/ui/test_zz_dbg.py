from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
def test_dbg(qtbot, context, runner):
    from ui.main_window import MainWindow
    w = MainWindow(context, runner)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.entry_list.searches > 0 and runner.idle, timeout=5000)
    ctl = w.extensions[-1]
    ctl.login_action.trigger()
    qtbot.wait(100)
    ds = [(type(d).__name__, d.objectName(), d.isVisible(), d.isModal(), d.windowModality()) for d in w.findChildren(QDialog)]
    print(ds)
    dlg = next(d for d in w.findChildren(QDialog) if d.isVisible())
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.wait(100)
    print(dlg.isVisible(), dlg.result())
    qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Escape)
    qtbot.wait(100)
    print(dlg.isVisible(), dlg.result(), dlg.focusWidget())
    assert 0
