"""End to end: two villages send batches to a real server on loopback; a kecamatan reviewer settles
them through the real review widgets; both villages pull the outcomes; the audit log holds each
decision. A reviewer of another kecamatan sees and decides nothing of it, in the app or the API.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine, text

from desktop_app.context import AppContext
from desktop_app.entry_list import EntryListService
from desktop_app.tasks import TaskRunner
from domain.flags import FlagCode
from sync.client import Rejected
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_env import Village, fresh_rows
from ui.entry_list_model import review_text
from ui.review import ReviewController, attach
from ui.review.dialogs import RejectDialog
from ui.review.models import ROW_ROLE
from ui.review.workspace import TAB_DUPLICATES, TAB_PROPOSALS, ReviewWorkspace

pytestmark = pytest.mark.slow

DESA_A, DESA_B = "1902012003", "1902012004"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = ServerProcess(tmp_path)
    try:
        srv.setup()  # op1 (desa A), op2 (desa B), op3 (other kecamatan), rev1 (kec 190201), rev2 (kec 190202)
        yield srv
    finally:
        srv.kill()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown()


@pytest.fixture
def windows(runner: TaskRunner) -> Iterator[list[Any]]:
    """Main windows of the test; deleted (timers and all) before the task runner shuts down."""
    from PySide6.QtCore import QCoreApplication, QEvent

    made: list[Any] = []
    yield made
    for w in made:
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for w in made:
        w.context.close()


def _import_reference(srv: ServerProcess, tmp: Path, nik: str) -> None:
    ref = tmp / "penerima.csv"
    ref.write_text("nik,programme,level,status,period\n"
                   f"{nik},BPNT,pusat,aktif,2026\n", encoding="utf-8")
    srv.cli("import-reference", str(ref))


def _villages(srv: ServerProcess, tmp: Path) -> tuple[Village, Village, dict[str, str]]:
    """Village A: a1 plain, a2 (its NIK also entered in B), a3 (in the reference list).
    Village B: b1 (same NIK as a2), b2 plain. Both send their batch."""
    a = Village.create(tmp / "desa-a", srv.url, "op1")
    b = Village.create(tmp / "desa-b", srv.url, "op2")
    rows_a = list(fresh_rows(3, DESA_A))
    rows_b = list(fresh_rows(2, DESA_B))
    shared = rows_a[1]
    rows_b[0].update(nik=shared["nik"], birth_date=shared["birth_date"], sex=shared["sex"], name=shared["name"])
    _import_reference(srv, tmp, rows_a[2]["nik"])
    ids = {}
    for key, row in zip(("a1", "a2", "a3"), rows_a, strict=True):
        ids[key] = a.add_row(row)
    for key, row in zip(("b1", "b2"), rows_b, strict=True):
        ids[key] = b.add_row(row)
    for v in (a, b):
        rep = v.sync()
        assert rep.error is None and rep.accepted == len(
            [k for k in ids if k.startswith("a" if v is a else "b")]), rep
    return a, b, ids


def _main_window(tmp: Path, runner: TaskRunner, windows: list[Any], name: str) -> Any:
    from ui.main_window import MainWindow

    window = MainWindow(AppContext.open(tmp / f"app-{name}"), runner)
    windows.append(window)
    window.show()
    return window


def _open_review(tmp: Path, runner: TaskRunner, windows: list[Any], srv: ServerProcess, user: str,
                 qtbot: Any) -> tuple[Any, ReviewController]:
    window = _main_window(tmp, runner, windows, user)
    ctl = attach(window)  # what MainWindow.load_extensions does once "ui.review" is listed
    ctl.login(srv.url, user, PASSWORD)
    qtbot.waitUntil(lambda: ctl.workspace is not None, timeout=20000)
    ws = ctl.workspace
    assert window.stack.currentWidget() is ws
    qtbot.waitUntil(lambda: not ws.busy, timeout=20000)
    return window, ctl


def _row_of(ws: ReviewWorkspace, record_id: str) -> int:
    for r in range(ws.proposals.proposal_proxy.rowCount()):
        if ws.proposals.proposal_proxy.data(ws.proposals.proposal_proxy.index(r, 0), ROW_ROLE).record_id == record_id:
            return r
    raise AssertionError(f"{record_id} not in the entry table")


def test_two_villages_reviewed_end_to_end(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                          runner: TaskRunner, windows: list[Any]) -> None:
    a, b, ids = _villages(server, tmp_path)
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace

    # --- inbox: both batches, with their flags, whole
    assert ws.inbox.batch_model.rowCount() == 2
    batches = {bt.desa_code: bt for bt in ws.inbox.batch_model.rows()}
    assert set(batches) == {DESA_A, DESA_B}
    assert batches[DESA_A].entry_count == 3 and batches[DESA_A].arrived_whole is True
    assert batches[DESA_A].flag_counts.get(FlagCode.DUP_NIK) == 1 \
        and batches[DESA_A].flag_counts.get(FlagCode.REF_MATCH) == 1

    # --- open batch A by keyboard
    ws.inbox.inbox_view.setFocus()
    src = ws.inbox.batch_model.row_of_key(batches[DESA_A].batch_id)
    ws.inbox.inbox_view.selectRow(ws.inbox.batch_proxy.mapFromSource(ws.inbox.batch_model.index(src, 0)).row())
    qtbot.keyClick(ws.inbox.inbox_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.proposals.proposal_model.rowCount() == 3 and not ws.busy, timeout=20000)
    assert ws.tabs.currentIndex() == TAB_PROPOSALS

    # --- the reviewer sees both flags, explained, on the right entries
    ws.proposals._select_proxy_row(_row_of(ws, ids["a2"]))
    assert FlagCode.DUP_NIK in ws.proposals.current_proposal().flag_codes
    assert "NIK sama di desa lain" in ws.proposals.proposal_panel.toPlainText()
    ws.proposals._select_proxy_row(_row_of(ws, ids["a3"]))
    assert FlagCode.REF_MATCH in ws.proposals.current_proposal().flag_codes
    panel = ws.proposals.proposal_panel.toPlainText()
    assert "Sudah penerima bantuan lain" in panel and "daftar penerima" in panel
    assert "Lahir" in panel  # the NIK read back
    assert ws.proposals.proposal_model.row_at(ws.proposals.proposal_model.row_of_key(ids["a1"])).flags == []

    # --- settle the duplicate group: keep village A's entry, B's is rejected as a duplicate
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_G)  # jump to the entry's group? a3 has none: stays
    ws.proposals._select_proxy_row(_row_of(ws, ids["a2"]))
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_G)
    assert ws.tabs.currentIndex() == TAB_DUPLICATES
    group = ws.duplicates.current_group()
    assert group is not None and {m.record_id for m in group.members} == {ids["a2"], ids["b1"]}
    keep_col = [m.record_id for m in group.members].index(ids["a2"])
    ws.duplicates.compare_view.selectColumn(keep_col)
    qtbot.keyClick(ws.duplicates.compare_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not ws.busy and not any(g.open for g in ws.duplicates.group_model.rows()), timeout=20000)

    # --- reject a3 with a coded reason (preset R05 from its flag), by keyboard
    ws.tabs.setCurrentIndex(TAB_PROPOSALS)
    qtbot.waitUntil(lambda: ws.proposals.proposal_model.rowCount() == 3 and not ws.busy, timeout=20000)
    ws.proposals._select_proxy_row(_row_of(ws, ids["a3"]))
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_T)
    dlg = ws.findChild(RejectDialog)
    assert dlg is not None and dlg.reason_code == "R05"
    qtbot.keyClick(dlg.reasons, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.row_at(
        ws.proposals.proposal_model.row_of_key(ids["a3"])).review_state == "REJECTED", timeout=20000)

    # --- approve the rest: every entry still waiting, across both batches, in one bulk decision
    ws.open_pending()
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() > 0, timeout=20000)
    pending = {e.record_id for e in ws.proposals.proposal_model.rows()}
    assert pending == {ids["a1"], ids["a2"], ids["b2"]}
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A)  # approve the selection
    qtbot.waitUntil(lambda: not ws.busy, timeout=20000)
    assert all(e.review_state == "APPROVED" for e in ws.proposals.proposal_model.rows()), ws.status.text()

    # --- both villages pull: the right outcome on the right entry, and the operator sees the reason
    for v in (a, b):
        rep = v.sync()
        assert rep.error is None, rep
    expect = {"a1": ("APPROVED", None), "a2": ("APPROVED", None), "a3": ("REJECTED", "R05"),
              "b1": ("REJECTED", "R03"), "b2": ("APPROVED", None)}
    for key, (state, reason) in expect.items():
        v = a if key.startswith("a") else b
        e = v.get(ids[key])
        assert e is not None
        assert (e.review_state, e.review_reason_code) == (state, reason), key
    row_a3 = EntryListService(a.engine).fetch_rows([ids["a3"]])[ids["a3"]]
    assert review_text(row_a3) == "Ditolak: Sudah menerima bantuan lain (daftar penerima)"
    row_b1 = EntryListService(b.engine).fetch_rows([ids["b1"]])[ids["b1"]]
    assert review_text(row_b1) == "Ditolak: Duplikat: orang yang sama sudah terdaftar"

    # --- the server's audit log holds each decision, by rev1
    eng = create_engine(server.database_url)
    try:
        with eng.connect() as c:
            rows = c.execute(text("SELECT record_id, username, action, before, after FROM srv_audit "
                                  "WHERE username = 'rev1'")).all()
    finally:
        eng.dispose()
    decided = {r.record_id: json.loads(r.after or "{}") for r in rows if r.record_id}
    assert set(decided) >= set(ids.values())
    for key, (state, _reason) in expect.items():
        assert decided[ids[key]].get("review_state") == state, key
    for v in (a, b):
        v.close()


def test_operator_account_never_sees_the_review_workspace(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                                          runner: TaskRunner, windows: list[Any]) -> None:
    window = _main_window(tmp_path, runner, windows, "op")
    ctl = attach(window)
    pages = window.stack.count()
    with qtbot.waitSignal(ctl.login_failed, timeout=20000) as sig:
        ctl.login(server.url, "op1", PASSWORD)
    assert "akun operator" in sig.args[0]
    assert ctl.workspace is None and window.stack.count() == pages
    assert window.stack.currentIndex() == 0


def test_reviewer_of_another_kecamatan_sees_and_decides_nothing(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                                                 runner: TaskRunner, windows: list[Any]) -> None:
    a, b, ids = _villages(server, tmp_path)
    # In the app: rev2 (kecamatan 19.02.02) logs in and finds an empty inbox, no groups, no counts.
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev2", qtbot)
    ws: ReviewWorkspace = ctl.workspace
    assert ws.inbox.batch_model.rowCount() == 0
    assert ws.duplicates.group_model.rowCount() == 0
    assert sum(line.total for line in ws.dashboard.dash_model.lines()) == 0
    # Through the API: no entry, no batch, no decision.
    rev1_batches = server.get("/api/v1/review/batches", "rev1").json()
    batch_ids = [bt["batch_id"] for bt in (rev1_batches["items"] if isinstance(rev1_batches, dict) else rev1_batches)]
    assert batch_ids
    for bid in batch_ids:
        r = server.get(f"/api/v1/review/batches/{bid}/entries", "rev2")
        assert r.status_code in (403, 404), r.text
    r = server.get(f"/api/v1/review/entries/{ids['a1']}", "rev2")
    assert r.status_code in (403, 404)
    r = server.post("/api/v1/review/decisions", "rev2",
                    json={"record_ids": [ids["a1"]], "decision": "approve", "note": ""})
    assert r.status_code in (403, 404), r.text
    groups = server.get("/api/v1/review/duplicates", "rev1").json()
    assert groups
    r = server.post(f"/api/v1/review/duplicates/{groups[0]['group_id']}/settle", "rev2",
                    json={"keep_record_ids": [ids["b1"]]})
    assert r.status_code in (403, 404), r.text
    assert server.get("/api/v1/stats", "rev2").json()["total"] == 0
    # Through the app's own service (what the widgets call): refused with a clear message, nothing applied.
    svc = ctl.workspace.service
    with pytest.raises(Rejected) as exc:
        svc.decide([ids["a1"], ids["b2"]], "approve")
    assert str(exc.value).startswith("Data ini di luar wilayah Anda")
    # The entries are still waiting for rev1.
    for key in ("a1", "b2"):
        e = server.get(f"/api/v1/review/entries/{ids[key]}", "rev1").json()
        assert e["entry"]["review_state"] == "PENDING"
    for v in (a, b):
        v.close()


def test_keyboard_only_pass_through_a_200_entry_batch(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                                     runner: TaskRunner, windows: list[Any]) -> None:
    """Every key goes to whatever widget has the focus, as a reviewer's keyboard would: Enter opens the
    batch; A approves and moves on; T opens the reason list (Enter picks); K asks for a note (Enter)."""
    from PySide6.QtWidgets import QApplication

    a = Village.create(tmp_path / "desa-a", server.url, "op1")
    a.add(200)
    assert a.sync().accepted == 200
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace

    def key(k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        w = QApplication.focusWidget()
        assert w is not None, "keyboard focus was lost"
        qtbot.keyClick(w, k, mod)

    assert QApplication.focusWidget() is ws.inbox.inbox_view
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.proposals.proposal_model.rowCount() == 200 and not ws.busy, timeout=30000)
    expected: dict[str, str] = {}
    for i in range(200):
        rid = ws.proposals.current_proposal().record_id
        if i % 20 == 5:
            key(Qt.Key.Key_T)
            qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "objectName", str)() == "reasonList")
            key(Qt.Key.Key_Down)  # R02
            key(Qt.Key.Key_Return)
            expected[rid] = "REJECTED"
        elif i % 50 == 7:
            key(Qt.Key.Key_K)
            qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "objectName", str)() == "returnNote")
            for ch in "foto KTP buram":
                qtbot.keyClicks(QApplication.focusWidget(), ch)
            key(Qt.Key.Key_Return)
            expected[rid] = "RETURNED"
        else:
            key(Qt.Key.Key_A)
            expected[rid] = "APPROVED"
        if i < 199:
            qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "objectName", str)() == "proposalView")
            assert ws.proposals.current_proposal().record_id != rid, f"entry {i} did not move on"
    assert len(expected) == 200
    qtbot.waitUntil(lambda: not ws.busy and all(e.review_state != "PENDING" for e in ws.proposals.proposal_model.rows()),
                    timeout=120000)
    got = {e.record_id: e.review_state for e in ws.proposals.proposal_model.rows()}
    assert got == expected
    # The server holds the same, each entry decided exactly once.
    entries = server.get("/api/v1/review/entries", "rev1", params={"limit": 500}).json()["items"]
    assert {e["record_id"]: e["review_state"] for e in entries} == expected
    rejected = [e for e in entries if e["review_state"] == "REJECTED"]
    assert {e["review_reason_code"] for e in rejected} == {"R02"}
    assert {e["review_note"] for e in entries if e["review_state"] == "RETURNED"} == {"foto KTP buram"}
    audit = server.get("/api/v1/audit", "rev1", params={"limit": 5000}).json()
    per_record: dict[str, int] = {}
    for row in audit:
        if row["username"] == "rev1" and row["record_id"]:
            per_record[row["record_id"]] = per_record.get(row["record_id"], 0) + 1
    assert set(per_record) == set(expected) and set(per_record.values()) == {1}
    a.close()


def test_reviewer_settles_a_hard_conflict_by_keyboard_then_approves(qtbot: Any, tmp_path: Path,
                                                                     server: ServerProcess, runner: TaskRunner,
                                                                     windows: list[Any]) -> None:
    """The village edited an old version of the same field the server had changed: the server keeps
    its value and stores the village's beside it. Approval waits until the reviewer picks per field."""
    import uuid

    from PySide6.QtWidgets import QApplication

    from tests.support.serverdata import batch, op, payload

    device = server.register_device("op1")
    rid = str(uuid.uuid4())
    p = payload(DESA_A, serial=42, name="Siti Konflik")

    def send(o: dict[str, Any]) -> dict[str, Any]:
        r = server.post("/api/v1/sync/batches", "op1", json=batch(device, [o]),
                        headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 200, r.text
        return dict(r.json()["results"][0])

    assert send(op(rid, p))["status"] == "ACCEPTED"
    assert send(op(rid, {**p, "address": "Jl. Server 1"}, base_version=1, local_rev=2))["status"] == "ACCEPTED"
    res = send(op(rid, {**p, "address": "Jl. Desa 2"}, base_version=1, local_rev=3))
    assert res["status"] == "CONFLICT" and res["conflict_kind"] == "hard" and res["conflict_fields"] == ["address"]

    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace
    ws.open_pending()
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() == 1, timeout=20000)
    e = ws.proposals.current_proposal()
    assert e.record_id == rid and FlagCode.CONFLICT_HARD in e.flag_codes
    text = ws.proposals.proposal_panel.toPlainText()
    assert "Konflik data" in text and "Jl. Server 1" in text and "Jl. Desa 2" in text

    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "objectName", str)() == "choice_address")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the village's value
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not ws.busy and not ws.proposals.proposal_model.row_at(0).conflict, timeout=20000)
    assert ws.proposals.proposal_model.row_at(0).payload["address"] == "Jl. Desa 2"
    qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "objectName", str)() == "proposalView")
    ws.proposals._select_proxy_row(0)
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.row_at(0).review_state == "APPROVED", timeout=20000)
    detail = server.get(f"/api/v1/review/entries/{rid}", "rev1").json()["entry"]
    assert detail["review_state"] == "APPROVED" and detail["payload"]["address"] == "Jl. Desa 2"
    assert detail["conflict"] is None


def test_server_down_then_back_retry_loads(qtbot: Any, tmp_path: Path, server: ServerProcess, runner: TaskRunner,
                                           windows: list[Any]) -> None:
    a = Village.create(tmp_path / "desa-a", server.url, "op1")
    a.add(3)
    assert a.sync().accepted == 3
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace
    assert ws.inbox.batch_model.rowCount() == 1
    server.stop()
    ws.reload()
    qtbot.waitUntil(lambda: not ws.busy and ws.retry_button.isVisible(), timeout=30000)
    # The words of sync.client.Offline: what happened and to try again.
    assert "Server tidak bisa dihubungi" in ws.status.text() and "coba lagi" in ws.status.text().lower()
    assert ws.inbox.batch_model.rowCount() == 1  # what was shown stays shown
    server.start()
    qtbot.mouseClick(ws.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ws.busy and not ws.retry_button.isVisible(), timeout=30000)
    assert "gagal" not in ws.status.text()
    assert ws.inbox.batch_model.rowCount() == 1 and ws.dashboard.dash_model.rowCount() == 1
    a.close()


def test_entries_changed_since_opened_are_not_decided_blind_and_the_history_shows_who_did_what(
        qtbot: Any, tmp_path: Path, server: ServerProcess, runner: TaskRunner, windows: list[Any]) -> None:
    """rev1 opens a batch. Meanwhile a colleague of the same kecamatan approves one entry and the village
    fixes another. rev1 approves the whole batch as shown: those two are skipped, named, with the reason,
    and reloaded; the rest is decided. The Riwayat tab then shows who did what, when, and what changed."""
    from PySide6.QtWidgets import QApplication

    from desktop_app import messages
    from ui.app import install_translator

    assert install_translator(QApplication.instance())  # the reviewer's language (the app installs it)
    server.create_user("rev3", "reviewer", "190201")
    a = Village.create(tmp_path / "desa-a", server.url, "op1")
    e1, e2, e3 = a.add(3)
    assert a.sync().accepted == 3
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace
    ws.inbox.open_selected_batch()
    qtbot.waitUntil(lambda: ws.proposals.proposal_model.rowCount() == 3 and not ws.busy, timeout=20000)
    shown = {e.record_id: e for e in ws.proposals.proposal_model.rows()}
    name = {rid: e.name for rid, e in shown.items()}

    # The colleague decides e1 from their own screen; the village edits e2 and sends it.
    seen = server.get(f"/api/v1/review/entries/{e1}", "rev3").json()["entry"]
    r = server.post("/api/v1/review/decisions", "rev3", json={
        "record_ids": [e1], "decision": "approve", "versions": {e1: seen["version"]},
        "change_seqs": {e1: seen["change_seq"]}})
    assert r.status_code == 200 and r.json()["decided"] == 1, r.text
    a.edit(e2, address="Jl. Pelabuhan Baru 7")
    assert a.sync().accepted == 1

    # rev1 approves everything shown, by keyboard.
    warnings_before = len(messages.bridge().history)
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: not ws.busy and "dimuat ulang" in ws.status.text(), timeout=20000)
    status = ws.status.text()
    assert status.startswith("1 entri diputuskan. 2 tidak diputuskan")
    assert f"{name[e1]}: Entri sudah diubah sejak dibuka (disetujui oleh rev3); muat ulang lalu putuskan lagi." \
        in status
    assert f"{name[e2]}: Entri sudah berubah (versi 2) sejak dibuka; muat ulang lalu putuskan lagi." in status
    warned = [t for level, t in messages.bridge().history[warnings_before:] if level == "warning"]
    assert warned and "Entri sudah berubah (versi 2)" in warned[-1]  # the dialog says the same
    rows = {e.record_id: e for e in ws.proposals.proposal_model.rows()}
    assert rows[e3].review_state == "APPROVED"
    assert rows[e1].review_state == "APPROVED"  # reloaded: the colleague's decision
    assert rows[e2].review_state == "PENDING" and rows[e2].version == 2  # reloaded: the village's fix
    assert "Jl. Pelabuhan Baru 7" in rows[e2].address
    audit = {rid: server.get("/api/v1/audit", "rev1", params={"record_id": rid}).json() for rid in (e1, e2, e3)}
    assert [(x["username"], x["action"]) for x in audit[e1]] == [("rev3", "approve")]
    assert audit[e2] == [] and [(x["username"], x["action"]) for x in audit[e3]] == [("rev1", "approve")]

    # The history of e2, then of e1, by keyboard: H shows the Riwayat tab.
    ws.proposals._select_proxy_row(_row_of(ws, e2))
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_H)
    assert ws.proposals.history_shown
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.history_panel.record_id == e2
                    and ws.proposals.history_panel.model.rowCount() == 2, timeout=20000)
    hm = ws.proposals.history_panel.model
    actions = [hm.index(r, hm.WHAT).data() for r in range(hm.rowCount())]
    assert actions == ["Diubah desa (versi 2)", "Dikirim desa (versi 1)"]  # newest first
    assert hm.index(1, hm.WHEN).data().endswith("\ndesa (op1)")  # the batch in the inbox names its operator
    assert hm.index(0, hm.CHANGES).data().startswith("Alamat: ") and "→ Jl. Pelabuhan Baru 7" in \
        hm.index(0, hm.CHANGES).data()
    assert ws.proposals.history_panel.title.text() == f"Riwayat {name[e2]}: 2 kejadian, terbaru di atas."

    ws.proposals._select_proxy_row(_row_of(ws, e1))
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.history_panel.record_id == e1
                    and ws.proposals.history_panel.model.rowCount() == 2, timeout=20000)
    assert hm.index(0, hm.WHEN).data().endswith("\nrev3")
    assert [hm.index(0, c).data() for c in (hm.WHAT, hm.CHANGES)] == [
        "Disetujui", "Status verifikasi: Menunggu verifikasi → Disetujui"]

    # Now rev1 decides e2 as reloaded (version 2): it goes through, and its history shows it on top.
    ws.proposals._select_proxy_row(_row_of(ws, e2))
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.history_panel.record_id == e2, timeout=20000)
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "objectName", str)() == "returnNote")
    qtbot.keyClicks(QApplication.focusWidget(), "Nomor rumah belum ada")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.row_at(
        ws.proposals.proposal_model.row_of_key(e2)).review_state == "RETURNED", timeout=20000)
    assert ws.status.text() == "1 entri diputuskan."
    ws.proposals._select_proxy_row(_row_of(ws, e2))
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.history_panel.record_id == e2
                    and ws.proposals.history_panel.model.rowCount() == 3, timeout=20000)
    assert hm.index(0, hm.WHEN).data().endswith("\nrev1")
    assert hm.index(0, hm.WHAT).data() == "Dikembalikan untuk perbaikan\nNomor rumah belum ada"
    a.close()
