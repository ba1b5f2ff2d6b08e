"""Regenerate the operator screenshots in docs/screenshots/ from the demo data.

    QT_QPA_PLATFORM=offscreen python -m tests.support.screenshots [OUT_DIR]

main-window.png comes from the real entry point (`bansos gui --screenshot`); the two form
screenshots type into the real form like an operator would, then grab the window. first-run.png
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
    from tests.support.seed import demo_rows, seed_demo

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        from tests.support.memory_keyring import use_file_keyring

        use_file_keyring(Path(tmp))  # the store key, for this process and `bansos gui` alike
        data = Path(tmp) / "data"
        seed_demo(data)
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
        _pump(app, lambda: win.entry_list.searches > 0 and runner.idle)
        form = win.form

        def settled() -> bool:
            # The check of what is typed NOW: no debounced check pending, none running (else the
            # picture can show the result of an earlier keystroke, e.g. "Nama wajib diisi").
            return runner.idle and not form._check_timer.isActive()

        # 1. A warning: NIK issued in Bandung (outside Belitung), typed birth date contradicts it.
        form.new_entry()
        for widget, text in ((form.birth_date, "12-04-1986"), (form.nik, "3273015204870005"),
                             (form.kk, "1902011811200045"), (form.name, "Lina Marlina"),
                             (form.birth_place, "Bandung"), (form.address, "Gg. Kenanga No. 21"),
                             (form.rt, "002"), (form.rw, "003"), (form.phone, "081273398812")):
            widget.setFocus()
            QTest.keyClicks(widget, text)
        form.dusun.setEditText("Teluk Gembira")
        form.programme.setCurrentIndex(form.programme.findData("BPNT"))
        form.set_criteria(["kukm"])
        form.name.setFocus()
        _pump(app, lambda: settled() and form.last_check is not None)
        win.grab().save(str(out_dir / "entry-form-warning.png"), "PNG")

        # 2. Duplicates: the Fauzi family's KK in PKH again, and a close spelling of Siti Aminah.
        siti = next(r for r in demo_rows() if r["name"] == "Siti Aminah")
        form.new_entry()
        for widget, text in ((form.nik, "1902016311820217"), (form.kk, str(siti["kk"])),
                             (form.name, "Sitti Aminah"), (form.birth_place, "Tanjungpandan")):
            widget.setFocus()
            QTest.keyClicks(widget, text)
        form.dusun.setEditText("Air Serkuk")
        form.programme.setCurrentIndex(form.programme.findData("PKH"))
        form.name.setFocus()
        _pump(app, lambda: settled() and len(form.duplicates.hits) >= 2)
        win.grab().save(str(out_dir / "duplicate-panel.png"), "PNG")

        # 3. A returned entry opened for fixing: the reviewer's note above the form.
        from desktop_app.entry_list import ListFilter

        returned = demo_rows()[7]
        win.workspace.setCurrentWidget(form)  # not edit_entry(): it would ask to discard the typing above
        form.load(win.lists.search_ids(ListFilter(text=str(returned["nik"])))[0])
        _pump(app, settled)
        win.grab().save(str(out_dir / "returned-entry.png"), "PNG")

        form.new_entry()
        win.close()
        runner.shutdown()
        ctx.close()
        _first_run(app, Path(tmp), out_dir / "first-run.png")
    for name in ("main-window.png", "entry-form-warning.png", "duplicate-panel.png", "returned-entry.png",
                 "first-run.png"):
        print(out_dir / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
