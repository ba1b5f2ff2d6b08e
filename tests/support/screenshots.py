"""Regenerate the operator screenshots in docs/screenshots/ from the demo data.

    QT_QPA_PLATFORM=offscreen python -m tests.support.screenshots [OUT_DIR]

main-window.png comes from the real entry point (`bansos gui --screenshot`); the household screen,
house tab, proposal and list screenshots type into the real screens like an operator would, then
grab the window. first-run.png
is the first-run screen of a fresh PC right after importing a provisioning file written by the
server's `bansos-server provision`, with the operator's name typed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]


def _pump(app: object, until: object, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not until() and time.monotonic() < end:  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()  # type: ignore[attr-defined]


def _first_run(app: object, tmp: Path, out: Path) -> None:
    from PySide6.QtTest import QTest

    from desktop_app.context import AppContext
    from desktop_app.tasks import TaskRunner
    from server.services.provision import write_provisioning
    from ui.desa_picker import FirstRunDialog

    prov = write_provisioning(desa="19.02.01.2003", server_url="https://bansos.belitungkab.go.id",
                              out=str(tmp / "bansos-provision-1902012003.json"))
    ctx = AppContext.open(tmp / "fresh")
    runner = TaskRunner()
    dlg = FirstRunDialog(runner, context=ctx)
    dlg.show()
    _pump(app, lambda: dlg.index_ready)
    dlg.import_provisioning(prov)
    _pump(app, lambda: dlg.import_result is not None and runner.idle)
    QTest.keyClicks(dlg.operator, "Rina Wulandari")
    _pump(app, lambda: True)
    dlg.grab().save(str(out), "PNG")
    dlg.reject()
    runner.shutdown()
    ctx.close()


def main(out_dir: Path) -> int:
    from tests.support.household_seed import seed_households
    from tests.support.seed import demo_rows

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        from tests.support.memory_keyring import use_file_keyring

        use_file_keyring(Path(tmp))  # the store key, for this process and `bansos gui` alike
        data = Path(tmp) / "data"
        seed_households(data)
        subprocess.run([sys.executable, "-m", "desktop_app.cli", "gui", "--data-dir", str(data), "--screenshot",
                        str(out_dir / "main-window.png")], cwd=ROOT, check=True)

        from PySide6.QtTest import QTest

        from desktop_app.context import AppContext
        from desktop_app.tasks import TaskRunner
        from ui.app import create_application
        from ui.main_window import MainWindow

        app = create_application()
        ctx = AppContext.open(data)
        runner = TaskRunner()
        win = MainWindow(ctx, runner, extensions=False)
        win.resize(1280, 760)
        win.show()
        _pump(app, lambda: win.record_list.searches > 0 and runner.idle)
        screen = win.household_screen
        form = screen.member_form

        def settled() -> bool:
            # The check of what is typed NOW: no debounced check pending, none running.
            return runner.idle and not form._timer.isActive()

        # 1. A family with its members, the next member being typed: a NIK issued in Bandung whose
        #    birth date contradicts the typed one (NIK-vs-typed warnings) and probably an existing person.
        siti = next(r for r in demo_rows() if r["name"] == "Siti Aminah")
        hid = str(ctx.engine.connect().exec_driver_sql("SELECT household_id FROM members WHERE nik = ?",
                                                       (siti["nik"],)).scalar_one())
        screen.load(hid)
        for widget, text in ((form.birth_date, "23/11/82"), (form.nik, "3273016311820217"),
                             (form.name, "Sitti Aminah"), (form.birth_place, "Tanjungpandan")):
            widget.setFocus()
            QTest.keyClicks(widget, text)
        form.name.setFocus()
        _pump(app, lambda: settled() and len(form.duplicates.hits) >= 1)
        win.grab().save(str(out_dir / "household-screen.png"), "PNG")

        # 2. The house and assets tab of the same family.
        form.clear()
        screen.tabs.setCurrentIndex(1)
        screen.housing["tenure"].setCurrentIndex(1)
        screen.housing["floor_material"].setCurrentIndex(5)
        screen.floor_area.setText("42")
        _pump(app, runner_idle(runner))
        win.grab().save(str(out_dir / "household-house-tab.png"), "PNG")
        screen.tabs.setCurrentIndex(0)

        # 3. A proposal on a member (Ctrl+U from the member table): only PBI-JK is offered.
        screen.load(hid)
        screen.member_table.setFocus()
        screen.member_table.setCurrentCell(2, 0)
        dlg = screen.new_proposal()
        _pump(app, lambda: dlg is not None and dlg.isVisible())
        dlg.grab().save(str(out_dir / "proposal-member.png"), "PNG")
        dlg.reject()
        # ... and a second PKH on the family, refused in Indonesian.
        screen.kk.setFocus()
        dlg = screen.new_proposal()
        _pump(app, lambda: dlg is not None and dlg.isVisible())
        assert dlg is not None
        dlg.save()
        _pump(app, lambda: dlg.error.isVisible())
        dlg.grab().save(str(out_dir / "proposal-refused.png"), "PNG")
        dlg.reject()

        # 4. The list, members view.
        win.show_list()
        win.record_list.set_view(win.record_list.view.MEMBERS)
        n = win.record_list.searches
        _pump(app, lambda: win.record_list.searches > n and runner.idle)
        win.grab().save(str(out_dir / "record-list.png"), "PNG")

        screen.new_household()
        win.close()
        runner.shutdown()
        ctx.close()
        _first_run(app, Path(tmp), out_dir / "first-run.png")
    for name in ("main-window.png", "household-screen.png", "household-house-tab.png", "proposal-member.png",
                 "proposal-refused.png", "record-list.png", "first-run.png"):
        print(out_dir / name)
    return 0


def runner_idle(runner: object) -> object:
    return lambda: runner.idle  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
