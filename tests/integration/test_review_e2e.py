"""End to end: two villages send their families (households, members, proposals) as protocol-2 batches to
a real server on loopback; a kecamatan reviewer decides the proposals through the real review widgets,
each shown with its family beside it; both villages' next pulls carry the outcomes; the audit log holds
each decision. A reviewer of another kecamatan sees and decides nothing of it, in the app or the API; the
review desktop of before protocol 2 gets the clear refusal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import create_engine, text

from desktop_app.context import AppContext
from desktop_app.tasks import TaskRunner
from domain.flags import FlagCode
from sync.client import Rejected
from sync.protocol import OLD_CLIENT_MESSAGE
from tests.support.review_demo import PROTOCOL, Demo, get, post, send
from tests.support.review_families import Family, family
from tests.support.serverproc import PASSWORD, ServerProcess
from ui.review import ReviewController, attach
from ui.review.dialogs import RejectDialog, ReturnDialog
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


def _villages(srv: ServerProcess, tmp: Path) -> Demo:
    """Village A: a1 plain (PKH), a2 (its head also registered in B as b1, with a PBI-JK proposal each),
    a3 (a member in the reference list). Village B: b1 (same NIK as a2's head), b2 plain. One batch each."""
    demo = Demo(srv, {u: srv.register_device(u) for u in ("op1", "op2")})
    fams = demo.families
    fams["a1"] = family(DESA_A, 11)
    fams["a2"] = family(DESA_A, 12, size=1, programmes=(), person_programme="PBI-JK")
    fams["a3"] = family(DESA_A, 13)
    fams["b1"] = family(DESA_B, 21, size=1, programmes=(), person_programme="PBI-JK", head_nik=fams["a2"].head["nik"],
                        head_name=fams["a2"].head["name"])
    fams["b2"] = family(DESA_B, 22)
    _import_reference(srv, tmp, fams["a3"].head["nik"])
    send(srv, "op1", demo.devices["op1"], [o for k in ("a1", "a2", "a3") for o in fams[k].ops])
    send(srv, "op2", demo.devices["op2"], [o for k in ("b1", "b2") for o in fams[k].ops])
    return demo


def _pid(demo: Demo, key: str) -> str:
    fam = demo.families[key]
    return next(iter(fam.proposals.values()))


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
    proxy = ws.proposals.proposal_proxy
    for r in range(proxy.rowCount()):
        if proxy.data(proxy.index(r, 0), ROW_ROLE).record_id == record_id:
            return r
    raise AssertionError(f"{record_id} not in the proposal table")


def _state(ws: ReviewWorkspace, record_id: str) -> str:
    m = ws.proposals.proposal_model
    return str(m.row_at(m.row_of_key(record_id)).review_state)


def _focused() -> str:
    return str(getattr(QApplication.focusWidget(), "objectName", str)())


def test_two_villages_reviewed_end_to_end(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                          runner: TaskRunner, windows: list[Any]) -> None:
    demo = _villages(server, tmp_path)
    fams = demo.families
    ids = {k: _pid(demo, k) for k in fams}
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace

    # --- inbox: both batches, whole, with their proposals' flags
    assert ws.inbox.batch_model.rowCount() == 2
    batches = {bt.desa_code: bt for bt in ws.inbox.batch_model.rows()}
    assert set(batches) == {DESA_A, DESA_B}
    assert batches[DESA_A].arrived_whole is True and batches[DESA_A].pending == 3
    assert batches[DESA_A].flag_counts.get(FlagCode.REF_MATCH) == 1

    # --- open batch A by keyboard
    ws.inbox.inbox_view.setFocus()
    src = ws.inbox.batch_model.row_of_key(batches[DESA_A].batch_id)
    ws.inbox.inbox_view.selectRow(ws.inbox.batch_proxy.mapFromSource(ws.inbox.batch_model.index(src, 0)).row())
    qtbot.keyClick(ws.inbox.inbox_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.proposals.proposal_model.rowCount() == 3 and not ws.busy, timeout=20000)
    assert ws.tabs.currentIndex() == TAB_PROPOSALS

    # --- a proposal with its family beside it: the pengurus on the left, the household and all members right
    ws.proposals._select_proxy_row(_row_of(ws, ids["a1"]))
    panel = ws.proposals.proposal_panel
    left, right = panel.proposal_text.toPlainText(), panel.family_text.toPlainText()
    a1 = fams["a1"]
    assert "Usulan PKH" in left and f"Pengurus (penerima): {a1.members[1]['name']}" in left
    assert "Lahir" in left  # the pengurus's NIK read back
    assert f"Keluarga: KK {a1.kk}" in right and "Anggota keluarga (4)" in right
    assert all(m["name"] in right for m in a1.members) and "Kondisi rumah" in right and "Jenis atap terluas" in right

    # --- the flags, explained, on the right proposals
    ws.proposals._select_proxy_row(_row_of(ws, ids["a2"]))
    assert FlagCode.DUP_NIK in ws.proposals.current_proposal().flag_codes  # its member's flag
    assert "NIK sama di desa lain" in panel.toPlainText()
    ws.proposals._select_proxy_row(_row_of(ws, ids["a3"]))
    assert FlagCode.REF_MATCH in ws.proposals.current_proposal().flag_codes
    assert ws.proposals.proposal_model.row_at(ws.proposals.proposal_model.row_of_key(ids["a1"])).flags == []

    # --- the duplicate group (same NIK in A and B), by G: keep village A's member; B's proposal is rejected
    ws.proposals._select_proxy_row(_row_of(ws, ids["a2"]))
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_G)
    assert ws.tabs.currentIndex() == TAB_DUPLICATES
    group = ws.duplicates.current_group()
    assert group is not None and group.kind == "nik"
    assert {m.record_id for m in group.members} == {fams["a2"].member_ids[0], fams["b1"].member_ids[0]}
    keep_col = [m.record_id for m in group.members].index(fams["a2"].member_ids[0])
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
    qtbot.waitUntil(lambda: not ws.busy and _state(ws, ids["a3"]) == "REJECTED", timeout=20000)

    # --- return a1 by keyboard: tick "Kondisi rumah", Tab to the note, Enter
    ws.proposals._select_proxy_row(_row_of(ws, ids["a1"]))
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: _focused() == "returnFields")
    ret = ws.findChild(ReturnDialog)
    labels = [ret.field_list.item(i).text() for i in range(ret.field_list.count())]
    for _ in range(labels.index("Kondisi rumah")):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert _focused() == "returnNote"
    qtbot.keyClicks(QApplication.focusWidget(), "Atap rumah tidak sesuai foto")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not ws.busy and _state(ws, ids["a1"]) == "RETURNED", timeout=20000)
    ws.proposals._select_proxy_row(_row_of(ws, ids["a1"]))
    assert "Kondisi rumah" in ws.proposals.proposal_panel.proposal_text.toPlainText()  # the fields to fix shown

    # --- approve the rest: every proposal still waiting, across both batches, in one bulk decision
    ws.open_pending()
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() > 0, timeout=20000)
    assert {e.record_id for e in ws.proposals.proposal_model.rows()} == {ids["a2"], ids["b2"]}
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A)  # approve the selection
    qtbot.waitUntil(lambda: not ws.busy, timeout=20000)
    assert all(e.review_state == "APPROVED" for e in ws.proposals.proposal_model.rows()), ws.status.text()

    # --- both villages pull: the right outcome on the right proposal, the fields to fix, the duplicate's fate
    pulled = {**demo.pulled("op1"), **demo.pulled("op2")}
    expect = {"a1": ("RETURNED", None), "a2": ("APPROVED", None), "a3": ("REJECTED", "R05"),
              "b1": ("REJECTED", "R03"), "b2": ("APPROVED", None)}
    for key, (state, reason) in expect.items():
        rec = pulled[ids[key]]
        assert (rec["review_state"], rec["review_reason_code"]) == (state, reason), key
    assert pulled[ids["a1"]]["review_fields"] == ["household.housing"]
    assert pulled[ids["a1"]]["review_note"] == "Atap rumah tidak sesuai foto"
    assert "DUP_OTHER_KEPT" in pulled[fams["b1"].member_ids[0]]["flags"]
    assert "DUP_KEPT" in pulled[fams["a2"].member_ids[0]]["flags"]

    # --- the server's audit log holds each decision, by rev1
    eng = create_engine(server.database_url)
    try:
        with eng.connect() as c:
            rows = c.execute(text("SELECT record_id, action, after FROM srv_audit WHERE username = 'rev1'")).all()
    finally:
        eng.dispose()
    decided = {r.record_id: json.loads(r.after or "{}") for r in rows if r.record_id and r.action != "settle_duplicates"}
    assert set(decided) >= set(ids.values())
    for key, (state, _reason) in expect.items():
        assert decided[ids[key]].get("review_state") == state, key


def test_operator_account_never_sees_the_review_workspace(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                                          runner: TaskRunner, windows: list[Any]) -> None:
    window = _main_window(tmp_path, runner, windows, "op")
    ctl = attach(window)
    pages = window.stack.count()
    with qtbot.waitSignal(ctl.login_failed, timeout=20000) as sig:
        ctl.login(server.url, "op1", PASSWORD)
    assert "akun petugas desa" in sig.args[0]
    assert ctl.workspace is None and window.stack.count() == pages
    assert window.stack.currentIndex() == 0


def test_the_old_review_desktop_gets_the_clear_refusal(server: ServerProcess) -> None:
    """The entry-centred review desktop sends no protocol header: every review call is refused with the
    Indonesian message (its own paths too), and nothing it asks for is served."""
    old = {"Authorization": f"Bearer {server.token('rev1')}"}  # what it sends: the token, no protocol
    for path in ("/api/v1/review/batches", "/api/v1/review/entries", "/api/v1/stats"):
        r = requests.get(f"{server.url}{path}", headers=old, timeout=10)
        assert (r.status_code, r.json()["detail"]) == (403, OLD_CLIENT_MESSAGE), path
    r = requests.post(f"{server.url}/api/v1/review/decisions", headers=old, timeout=10,
                      json={"record_ids": ["x" * 36], "decision": "approve"})
    assert (r.status_code, r.json()["detail"]) == (403, OLD_CLIENT_MESSAGE)
    assert requests.get(f"{server.url}/api/v1/review/batches", headers={**old, **PROTOCOL},
                        timeout=10).status_code == 200


def test_reviewer_of_another_kecamatan_sees_and_decides_nothing(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                                                 runner: TaskRunner, windows: list[Any]) -> None:
    demo = _villages(server, tmp_path)
    ids = {k: _pid(demo, k) for k in demo.families}
    # In the app: rev2 (kecamatan 19.02.02) logs in and finds an empty inbox, no groups, no counts.
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev2", qtbot)
    ws: ReviewWorkspace = ctl.workspace
    assert ws.inbox.batch_model.rowCount() == 0
    assert ws.duplicates.group_model.rowCount() == 0
    assert sum(line.total for line in ws.dashboard.dash_model.lines()) == 0
    # Through the API: no proposal, no batch, no decision, no group.
    batch_ids = [bt["batch_id"] for bt in get(server, "/api/v1/review/batches", "rev1")["items"]]
    assert batch_ids
    for bid in batch_ids:
        r = server.get(f"/api/v1/review/batches/{bid}/proposals", "rev2", headers=PROTOCOL)
        assert r.status_code in (403, 404), r.text
    assert server.get(f"/api/v1/review/proposals/{ids['a1']}", "rev2", headers=PROTOCOL).status_code in (403, 404)
    r = server.post("/api/v1/review/decisions", "rev2", headers=PROTOCOL,
                    json={"record_ids": [ids["a1"]], "decision": "approve", "note": ""})
    assert r.status_code in (403, 404), r.text
    groups = get(server, "/api/v1/review/duplicates", "rev1")
    assert groups
    r = server.post(f"/api/v1/review/duplicates/{groups[0]['group_id']}/settle", "rev2", headers=PROTOCOL,
                    json={"not_same": True})
    assert r.status_code in (403, 404), r.text
    assert get(server, "/api/v1/stats", "rev2")["total"] == 0
    # Through the app's own service (what the widgets call): refused with a clear message, nothing applied.
    with pytest.raises(Rejected) as exc:
        ctl.workspace.service.decide([ids["a1"], ids["b2"]], "approve")
    assert str(exc.value).startswith("Data ini di luar wilayah Anda")
    for key in ("a1", "b2"):
        assert get(server, f"/api/v1/review/proposals/{ids[key]}", "rev1")["proposal"]["review_state"] == "PENDING"


def test_keyboard_only_pass_through_a_batch_of_60_families(qtbot: Any, tmp_path: Path, server: ServerProcess,
                                                          runner: TaskRunner, windows: list[Any]) -> None:
    """Every key goes to whatever widget has the focus, as a reviewer's keyboard would: Enter opens the
    batch; A approves and moves on; T opens the reason list (Enter picks); K asks for the fields to fix
    (Space ticks, Tab to the note, Enter)."""
    device = server.register_device("op1")
    fams = [family(DESA_A, 200 + i, size=2) for i in range(60)]
    send(server, "op1", device, [o for f in fams for o in f.ops])
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace

    def key(k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        w = QApplication.focusWidget()
        assert w is not None, "keyboard focus was lost"
        qtbot.keyClick(w, k, mod)

    assert QApplication.focusWidget() is ws.inbox.inbox_view
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.proposals.proposal_model.rowCount() == 60 and not ws.busy, timeout=30000)
    expected: dict[str, str] = {}
    for i in range(60):
        rid = ws.proposals.current_proposal().record_id
        if i % 20 == 5:
            key(Qt.Key.Key_T)
            qtbot.waitUntil(lambda: _focused() == "reasonList")
            key(Qt.Key.Key_Down)  # R02
            key(Qt.Key.Key_Return)
            expected[rid] = "REJECTED"
        elif i % 25 == 7:
            key(Qt.Key.Key_K)
            qtbot.waitUntil(lambda: _focused() == "returnFields")
            key(Qt.Key.Key_Space)  # the first field of the list
            key(Qt.Key.Key_Tab)
            qtbot.keyClicks(QApplication.focusWidget(), "foto KK buram")
            key(Qt.Key.Key_Return)
            expected[rid] = "RETURNED"
        else:
            key(Qt.Key.Key_A)
            expected[rid] = "APPROVED"
        if i < 59:
            qtbot.waitUntil(lambda: _focused() == "proposalView")
            assert ws.proposals.current_proposal().record_id != rid, f"proposal {i} did not move on"
    qtbot.waitUntil(lambda: not ws.busy and all(e.review_state != "PENDING" for e in ws.proposals.proposal_model.rows()),
                    timeout=120000)
    assert {e.record_id: e.review_state for e in ws.proposals.proposal_model.rows()} == expected
    # The server holds the same, each proposal decided exactly once.
    items = get(server, "/api/v1/review/proposals", "rev1", limit=500)["items"]
    assert {e["record_id"]: e["review_state"] for e in items} == expected
    assert {e["review_reason_code"] for e in items if e["review_state"] == "REJECTED"} == {"R02"}
    returned = [e for e in items if e["review_state"] == "RETURNED"]
    assert {e["review_note"] for e in returned} == {"foto KK buram"}
    assert {tuple(e["review_fields"]) for e in returned} == {("proposal.programme",)}
    per_record: dict[str, int] = {}
    for row in get(server, "/api/v1/audit", "rev1", limit=5000):
        if row["username"] == "rev1" and row["record_id"]:
            per_record[row["record_id"]] = per_record.get(row["record_id"], 0) + 1
    assert set(per_record) == set(expected) and set(per_record.values()) == {1}


def test_reviewer_settles_a_hard_conflict_by_keyboard_then_approves(qtbot: Any, tmp_path: Path,
                                                                     server: ServerProcess, runner: TaskRunner,
                                                                     windows: list[Any]) -> None:
    """The village edited an old version of the same field the server had changed: the server keeps its
    value and stores the village's beside it. Approval waits until the reviewer picks per field."""
    device = server.register_device("op1")
    fam = family(DESA_A, 42)
    send(server, "op1", device, fam.ops)
    base = dict(fam.proposal_payloads["PKH"])
    send(server, "op1", device, [fam.proposal_op("PKH", base_version=1, note="Catatan server")])
    fam.proposal_payloads["PKH"] = base
    r = server.post("/api/v1/sync/batches", "op1", headers={**PROTOCOL, "Idempotency-Key": "conflict-batch-1"},
                    json={"device_id": device, "ops": [fam.proposal_op("PKH", base_version=1, local_rev=3,
                                                                        note="Catatan desa")]})
    res = r.json()["results"][0]
    assert res["status"] == "CONFLICT" and res["conflict_kind"] == "hard" and res["conflict_fields"] == ["note"]

    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace
    ws.open_pending()
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() == 1, timeout=20000)
    e = ws.proposals.current_proposal()
    rid = fam.proposals["PKH"]
    assert e.record_id == rid and FlagCode.CONFLICT_HARD in e.flag_codes
    shown = ws.proposals.proposal_panel.toPlainText()
    assert "Konflik data" in shown and "Catatan server" in shown and "Catatan desa" in shown

    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: _focused() == "choice_note")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the village's value
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not ws.busy and not ws.proposals.proposal_model.row_at(0).conflict, timeout=20000)
    assert ws.proposals.proposal_model.row_at(0).proposal_note == "Catatan desa"
    qtbot.waitUntil(lambda: _focused() == "proposalView")
    ws.proposals._select_proxy_row(0)
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: not ws.busy and ws.proposals.proposal_model.row_at(0).review_state == "APPROVED",
                    timeout=20000)
    detail = get(server, f"/api/v1/review/proposals/{rid}", "rev1")["proposal"]
    assert detail["review_state"] == "APPROVED" and detail["payload"]["note"] == "Catatan desa"
    assert detail["conflict"] is None


def test_server_down_then_back_retry_loads(qtbot: Any, tmp_path: Path, server: ServerProcess, runner: TaskRunner,
                                           windows: list[Any]) -> None:
    send(server, "op1", server.register_device("op1"), family(DESA_A, 3).ops)
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


def test_proposals_changed_since_opened_are_not_decided_blind_and_the_history_keeps_the_approved_version(
        qtbot: Any, tmp_path: Path, server: ServerProcess, runner: TaskRunner, windows: list[Any]) -> None:
    """rev1 opens a batch. Meanwhile a colleague of the same kecamatan approves one proposal and the village
    changes another. rev1 approves the whole batch as shown: those two are skipped, named, with the reason,
    and reloaded; the rest is decided. The village then edits an approved proposal: it waits again, and its
    Riwayat tab shows the approved version kept beside the new one."""
    from desktop_app import messages
    from ui.app import install_translator

    assert install_translator(QApplication.instance())  # the reviewer's language (the app installs it)
    server.create_user("rev3", "reviewer", "190201")
    device = server.register_device("op1")
    fams: list[Family] = [family(DESA_A, 60 + i, size=2) for i in range(3)]
    send(server, "op1", device, [o for f in fams for o in f.ops])
    e1, e2, e3 = (f.proposals["PKH"] for f in fams)
    _window, ctl = _open_review(tmp_path, runner, windows, server, "rev1", qtbot)
    ws: ReviewWorkspace = ctl.workspace
    ws.inbox.open_selected_batch()
    qtbot.waitUntil(lambda: ws.proposals.proposal_model.rowCount() == 3 and not ws.busy, timeout=20000)
    name = {e.record_id: e.name for e in ws.proposals.proposal_model.rows()}

    # The colleague decides e1 from their own screen; the village changes e2's criteria and sends it.
    seen = get(server, f"/api/v1/review/proposals/{e1}", "rev3")["proposal"]
    r = post(server, "/api/v1/review/decisions", "rev3", {
        "record_ids": [e1], "decision": "approve", "versions": {e1: seen["version"]},
        "change_seqs": {e1: seen["change_seq"]}})
    assert r["decided"] == 1
    send(server, "op1", device, [fams[1].proposal_op("PKH", base_version=1, criteria=["nelayan"])])

    # rev1 approves everything shown, by keyboard.
    messages.bridge().history.clear()  # it keeps the last 50: an index into a full history would never move
    warnings_before = 0
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: not ws.busy and "dimuat ulang" in ws.status.text(), timeout=20000)
    status = ws.status.text()
    assert status.startswith("1 usulan diputuskan. 2 tidak diputuskan")
    assert f"{name[e1]}: Usulan sudah diubah sejak dibuka (disetujui oleh rev3); muat ulang lalu putuskan lagi." \
        in status
    assert f"{name[e2]}: Usulan sudah berubah (versi 2) sejak dibuka; muat ulang lalu putuskan lagi." in status
    warned = [t for level, t in messages.bridge().history[warnings_before:] if level == "warning"]
    assert warned and "Usulan sudah berubah (versi 2)" in warned[-1]  # the dialog says the same
    rows = {e.record_id: e for e in ws.proposals.proposal_model.rows()}
    assert rows[e3].review_state == "APPROVED"
    assert rows[e1].review_state == "APPROVED"  # reloaded: the colleague's decision
    assert rows[e2].review_state == "PENDING" and rows[e2].version == 2 and rows[e2].criteria == ["nelayan"]

    # The village edits the approved e3: it waits again; its history keeps the approved version.
    approved_criteria = fams[2].proposal_payloads["PKH"]["criteria"]
    send(server, "op1", device, [fams[2].proposal_op("PKH", base_version=1, criteria=["lansia"])])
    ws.reload()
    qtbot.waitUntil(lambda: not ws.busy and _state(ws, e3) == "PENDING", timeout=20000)
    ws.proposals._select_proxy_row(_row_of(ws, e3))
    assert FlagCode.EDITED_AFTER_APPROVAL in ws.proposals.current_proposal().flag_codes
    assert "(disetujui: versi 1)" in ws.proposals.proposal_panel.proposal_text.toPlainText()
    ws.proposals.proposal_table.setFocus()
    qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_H)
    assert ws.proposals.history_shown
    hp = ws.proposals.history_panel
    qtbot.waitUntil(lambda: not ws.busy and hp.record_id == e3 and hp.model.rowCount() >= 4, timeout=20000)
    hm = hp.model
    actions = [hm.index(r, hm.WHAT).data() for r in range(hm.rowCount())]
    assert actions[0] == "Diubah desa (versi 2)"
    assert "Versi yang disetujui, disimpan saat desa mengubahnya (versi 1)" in actions
    assert any(a.startswith("Disetujui") for a in actions)
    changes = hm.index(0, hm.CHANGES).data()
    assert changes.startswith("Kriteria usulan: ") and changes.endswith("→ Lanjut usia (lansia)")
    detail = get(server, f"/api/v1/review/proposals/{e3}", "rev1")
    assert detail["approved"]["version"] == 1 and detail["approved"]["payload"]["criteria"] == approved_criteria
