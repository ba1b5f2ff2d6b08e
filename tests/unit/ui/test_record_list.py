"""The list (F3): three views over the demo families, one search box and filters, counts that agree."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.services.households import View
from tests.support.seed import FAMILIES, demo_rows

N_FAMILIES = len(FAMILIES)
N_MEMBERS = sum(len(f.members) for f in FAMILIES)
N_PROPOSALS = N_FAMILIES + sum(max(len(f.members) - 2, 0) for f in FAMILIES)  # seed: family + each child


def shown(lst) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[lst.table.item(r, c).text() for c in range(lst.table.columnCount())] for r in range(lst.table.rowCount())]


def wait(qtbot, lst, before: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: lst.searches > before and lst.runner.idle, timeout=5000)


def status_numbers(window) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(n.replace(".", "")) for n in re.findall(r"[\d.]+", window.count_label.text())]


def test_three_views_with_counts_agreeing_with_the_status_bar(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.record_list
    window.show_list()
    qtbot.waitUntil(lambda: window.count_label.text() != "", timeout=3000)
    families, members, proposals, waiting = status_numbers(window)
    assert (families, members, proposals) == (N_FAMILIES, N_MEMBERS, N_PROPOSALS)
    assert waiting == N_FAMILIES + N_MEMBERS + N_PROPOSALS  # nothing sent yet in the demo store
    expected = {View.HOUSEHOLDS: (families, "keluarga"), View.MEMBERS: (members, "anggota"),
                View.PROPOSALS: (proposals, "usulan")}
    for n, view in enumerate((View.HOUSEHOLDS, View.MEMBERS, View.PROPOSALS)):
        before = lst.searches
        qtbot.keyClick(lst.table, Qt.Key(Qt.Key.Key_1 + n), Qt.KeyboardModifier.ControlModifier)
        wait(qtbot, lst, before)
        total, noun = expected[view]
        assert lst.view is view and lst.table.rowCount() == total
        assert lst.count_label.text() == f"{total} {noun}"
    rows = shown(lst)  # proposals, in Indonesian
    assert {r[0] for r in rows} == {"PKH", "BPNT", "BLT-DD", "PBI-JK"}
    assert {r[1] for r in rows} == {"Usulan baru"} and {r[6] for r in rows} == {"Draf, belum dikirim"}


def test_search_by_name_nik_and_kk_in_every_view(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.record_list
    window.show_list()
    siti = next(r for r in demo_rows() if r["name"] == "Siti Aminah")
    lst.set_view(View.MEMBERS)
    for text, names in (("siti", ["Siti Aminah"]), (str(siti["nik"])[:12], ["Siti Aminah"]),
                        (str(siti["kk"]), ["Ahmad Fauzi", "Muhammad Rizki", "Siti Aminah"])):
        before = lst.searches
        lst.search.clear()
        qtbot.keyClicks(lst.search, text)
        qtbot.keyClick(lst.search, Qt.Key.Key_Return)
        wait(qtbot, lst, before)
        assert sorted(r[1] for r in shown(lst)) == names, text
    before = lst.searches
    lst.set_view(View.HOUSEHOLDS)  # the same search (the KK) on the families
    wait(qtbot, lst, before)
    assert [(r[0], r[1], r[2]) for r in shown(lst)] == [(str(siti["kk"]), "Ahmad Fauzi", "3")]
    before = lst.searches
    lst.set_view(View.PROPOSALS)
    wait(qtbot, lst, before)
    assert sorted((r[0], r[2]) for r in shown(lst)) == [("PBI-JK", "Muhammad Rizki"), ("PKH", "Siti Aminah")]
    assert lst.count_label.text() == "2 usulan"


def test_the_dusun_and_sending_filters_apply_to_every_view(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.record_list
    window.show_list()
    qtbot.waitUntil(lambda: lst.dusun.count() > 1, timeout=3000)
    in_dusun = [f for f in FAMILIES if f.dusun == "Teluk Gembira"]
    before = lst.searches
    lst.dusun.setCurrentIndex(lst.dusun.findData("Teluk Gembira"))
    wait(qtbot, lst, before)
    assert lst.table.rowCount() == len(in_dusun) and {r[3] for r in shown(lst)} == {"Teluk Gembira"}
    before = lst.searches
    lst.set_view(View.MEMBERS)
    wait(qtbot, lst, before)
    assert lst.table.rowCount() == sum(len(f.members) for f in in_dusun)
    before = lst.searches
    lst.sync_state.setCurrentIndex(lst.sync_state.findData("SYNCED"))
    wait(qtbot, lst, before)
    assert lst.table.rowCount() == 0 and lst.count_label.text() == "0 anggota"


def test_deleting_a_proposal_asks_a_reason_and_the_counts_follow(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.record_list
    window.show_list()
    before = lst.searches
    lst.set_view(View.PROPOSALS)
    wait(qtbot, lst, before)
    lst.table.setFocus()
    rid, _hid = lst.current_ids()

    def give_reason() -> None:
        dlg = QApplication.activeModalWidget()
        assert dlg is not None and dlg.objectName() == "deleteReasonDialog"
        qtbot.keyClicks(dlg.reason, "Diusulkan dua kali")
        qtbot.keyClick(dlg.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(50, give_reason)
    before = lst.searches
    qtbot.keyClick(lst.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    wait(qtbot, lst, before)
    qtbot.waitUntil(lambda: status_numbers(window)[2] == N_PROPOSALS - 1, timeout=3000)
    assert lst.table.rowCount() == N_PROPOSALS - 1
    with window.context.engine.connect() as c:
        deleted, reason = c.exec_driver_sql("SELECT deleted, delete_reason FROM proposals WHERE record_id = ?",
                                            (rid,)).one()
        op = c.exec_driver_sql("SELECT kind, record_type FROM outbox WHERE record_id = ? ORDER BY seq DESC",
                               (rid,)).first()
    assert (deleted, reason) == (1, "Diusulkan dua kali") and tuple(op) == ("DELETE", "proposal")
    before = lst.searches
    lst.deleted.setChecked(True)  # shown again, greyed, with "show deleted"
    wait(qtbot, lst, before)
    assert lst.table.rowCount() == N_PROPOSALS


def test_a_family_with_members_cannot_be_deleted_and_says_why(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.record_list
    window.show_list()
    lst.table.setFocus()
    warned: list[str] = []
    from desktop_app import messages

    messages.bridge().warning.connect(warned.append)

    def give_reason() -> None:
        dlg = QApplication.activeModalWidget()
        qtbot.keyClicks(dlg.reason, "Pindah")
        qtbot.keyClick(dlg.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(50, give_reason)
    qtbot.keyClick(lst.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(warned), timeout=5000)
    assert warned == ["Keluarga ini masih punya anggota; pindahkan atau hapus anggotanya dulu."]
    assert window.households.count(View.HOUSEHOLDS) == N_FAMILIES
