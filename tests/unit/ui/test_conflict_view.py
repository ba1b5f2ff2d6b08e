"""The conflict view, driven like an operator: village and server values side by side, a choice per
field, and the choice goes out as a new op on the next sync (real server on loopback). The conflict is
on a household (address and phone); a voided proposal is settled for the whole record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QRadioButton

from desktop_app.tasks import TaskRunner
from domain.records import RecordType
from domain.states import SyncState
from sync import conflicts
from sync.protocol import PROTOCOL_HEADER
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_fixtures import module_server
from tests.support.sync_invariants import check_sync_invariants, server_engine, server_rows
from ui.conflict_view import COL_FIELD, COL_SERVER, COL_VILLAGE, ConflictController, ConflictDialog
from ui.sync_status import SyncStatusWidget

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "cvsrv")


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown(wait=True)


@pytest.fixture
def conflict(tmp_path: Path, srv: ServerProcess) -> Iterator[tuple[Village, Village, str]]:
    """PC 2 edited a household's address on version 1 while PC 1's other address became version 2."""
    a = Village.create(tmp_path / "pc-1", srv.url, "op1")
    b = Village.create(tmp_path / "pc-2", srv.url, "op1")
    rid = a.families(1)[0].household_id
    assert a.sync().ok and b.sync().ok
    a.edit(rid, address="Jl. Versi Server", phone="081234567890")
    assert a.sync().ok
    b.edit(rid, address="Jl. Versi Desa")
    assert b.sync().conflict == 1
    yield a, b, rid
    a.close()
    b.close()


def row_of(dlg: ConflictDialog, label_start: str) -> int:
    for r in range(dlg.table.rowCount()):
        if dlg.table.item(r, COL_FIELD).text().startswith(label_start):
            return r
    raise AssertionError(f"no row {label_start}")


def test_values_side_by_side_and_a_choice_per_field(qtbot: Any, conflict: tuple[Village, Village, str]) -> None:
    _a, b, rid = conflict
    view = b.svc.conflict_view(rid)
    assert view is not None and view.record_type is RecordType.HOUSEHOLD
    assert view.title.startswith("Keluarga: Keluarga KK ")
    dlg = ConflictDialog(view, "uji")
    qtbot.addWidget(dlg)
    r = row_of(dlg, "Alamat")
    assert dlg.table.item(r, COL_FIELD).text() == "Alamat *"  # contested: changed on both sides
    assert dlg.table.item(r, COL_VILLAGE).text() == "Jl. Versi Desa"
    assert dlg.table.item(r, COL_SERVER).text() == "Jl. Versi Server"
    phone = row_of(dlg, "Nomor HP")  # changed only on the server: shown too, not contested
    assert dlg.table.item(phone, COL_SERVER).text() == "081234567890"
    assert r < phone  # contested fields first
    assert dlg.choices()["address"] == conflicts.SERVER  # default: the server's value where both changed
    dlg.findChild(QRadioButton, "keep_village_address").click()
    dlg.findChild(QRadioButton, "keep_server_phone").click()
    assert dlg.choices() == {"address": conflicts.VILLAGE, "phone": conflicts.SERVER}
    dlg.all_server.click()
    assert set(dlg.choices().values()) == {conflicts.SERVER}


def test_the_operator_keeps_the_village_value_and_it_goes_out_on_the_next_sync(
        qtbot: Any, conflict: tuple[Village, Village, str], runner: TaskRunner, srv: ServerProcess) -> None:
    from ui.main_window import MainWindow

    a, b, rid = conflict
    win = MainWindow(b.ctx, runner)
    qtbot.addWidget(win)
    for ext in win.extensions:
        if isinstance(ext, SyncStatusWidget):
            ext.stop()  # no background sync in the middle of the test
    ctl = next(x for x in win.extensions if isinstance(x, ConflictController))

    def operate() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ConflictDialog)
        dlg.findChild(QRadioButton, "keep_village_address").click()
        dlg.findChild(QRadioButton, "keep_server_phone").click()
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # "Simpan pilihan"

    QTimer.singleShot(100, operate)
    ctl.action.trigger()  # Sinkronisasi → Selesaikan konflik… (one conflict: opens it directly)
    qtbot.waitUntil(lambda: b.state(rid) == SyncState.DIRTY, timeout=10_000)
    e = b.get(rid)
    assert e is not None and e["address"] == "Jl. Versi Desa" and e["phone"] == "081234567890"
    assert b.sync().ok and a.sync().ok and b.sync().ok
    row = server_rows(server_engine(srv.database_url), b.desa)[(RecordType.HOUSEHOLD, rid)]
    assert row.payload.address == "Jl. Versi Desa" and row.payload.phone == "081234567890"
    check_sync_invariants([a.engine, b.engine], server_engine(srv.database_url), b.desa)


def test_voided_on_the_server_the_operator_follows_the_server(
        qtbot: Any, tmp_path: Path, srv: ServerProcess) -> None:
    v = Village.create(tmp_path / "pc-void", srv.url, "op1")
    try:
        rid = v.add(1)[0]
        assert v.sync().ok
        r = srv.post("/api/v1/review/decisions", "rev1", headers={PROTOCOL_HEADER: "2"},
                     json={"record_ids": [rid], "decision": "void", "note": "ganda"})
        assert r.status_code == 200, r.text
        v.edit(rid, note="Setelah batal")
        assert v.sync().conflict == 1
        view = v.svc.conflict_view(rid)
        assert view is not None
        dlg = ConflictDialog(view)
        qtbot.addWidget(dlg)
        rec = row_of(dlg, "Seluruh data")
        assert dlg.table.item(rec, COL_SERVER).text() == "Dihapus/dibatalkan di server"
        dlg.findChild(QRadioButton, f"keep_server_{conflicts.RECORD}").click()
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dlg.result() == ConflictDialog.DialogCode.Accepted
        v.svc.resolve_conflict(rid, dlg.choices())
        e = v.get(rid)
        assert e is not None and e["deleted"] and e["sync_state"] == SyncState.SYNCED
    finally:
        v.close()
