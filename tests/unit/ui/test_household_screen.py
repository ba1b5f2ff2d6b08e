"""The household screen driven like an operator: live NIK/KK checks, the duplicate panel, the house tab,
the unsaved-changes prompt, editing from the list (moved here from the old entry-form tests)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tests.support.seed import demo_rows

SITI = next(r for r in demo_rows() if r["name"] == "Siti Aminah")  # born 23-11-1982, the first family's wife


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def has_cursor(widget) -> bool:  # type: ignore[no-untyped-def]
    """Where the next keystroke goes once the window is active (offscreen platforms do not re-activate a
    window after a modal dialog closes, so hasFocus() alone would lie)."""
    return widget.window().focusWidget() is widget


def open_family(qtbot, window, kk_or_name: str) -> None:  # type: ignore[no-untyped-def]
    """Through the list, as the operator does: F3, search, Enter."""
    lst = window.record_list
    window.show_list()
    qtbot.keyClicks(lst.search, kk_or_name)
    qtbot.keyClick(lst.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lst.total == 1 and lst.table.rowCount() == 1, timeout=3000)
    qtbot.keyClick(lst.table, Qt.Key.Key_Return)
    assert window.workspace.currentWidget() is window.household_screen


def new_family(qtbot, window, kk: str = "1902011508201234") -> None:  # type: ignore[no-untyped-def]
    screen = window.household_screen
    type_into(qtbot, screen.kk, kk)
    qtbot.keyClick(screen.kk, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.household_id is not None, timeout=5000)


def count(window, table: str) -> int:  # type: ignore[no-untyped-def]
    with window.context.engine.connect() as c:
        return int(c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_kk_and_nik_are_decoded_beside_the_fields_and_the_nik_prefills(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    screen = window.household_screen
    form = screen.member_form
    type_into(qtbot, screen.kk, "1902 0114 0312 31")
    assert screen.kk_info.text() == "14/16 digit"
    qtbot.keyClicks(screen.kk, "00")
    assert screen.kk_info.text().startswith("✓ dicatat 14-03-12")
    type_into(qtbot, form.nik, "3201 0163 0885 0123")  # woman, 23-08-85, Kab. Bogor; spaces are forgiven
    text = form.nik_info.text()
    assert "perempuan" in text and "lahir 23-08-85" in text and "Bogor" in text and "Jawa Barat" in text
    assert form.birth_date.text() == "23-08-1985" and form.sex.currentData() == "P"
    qtbot.waitUntil(lambda: "di luar kabupaten/kota operator" in form.issues.text(), timeout=3000)


def test_typed_birth_date_is_not_overwritten_and_the_mismatch_is_warned(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.household_screen.member_form
    type_into(qtbot, form.birth_date, "1/1/90")  # domain.dates: a two-digit year, one-digit day and month
    type_into(qtbot, form.nik, "1902016308850123")
    assert form.birth_date.text() == "1/1/90"
    qtbot.waitUntil(lambda: "tidak cocok dengan NIK" in form.issues.text(), timeout=3000)


def test_invalid_nik_is_refused_with_the_cursor_on_it_and_nothing_written(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    new_family(qtbot, window)
    screen = window.household_screen
    form = screen.member_form
    before = count(window, "members")
    type_into(qtbot, form.nik, "1902019913850123")  # day 99: impossible
    assert "tanggal lahir '99' tidak mungkin" in form.nik_info.text()
    type_into(qtbot, form.name, "Rudi Hartono")
    type_into(qtbot, form.birth_date, "13-09-1985")
    form.sex.setCurrentIndex(form.sex.findData("L"))
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.runner.idle and not screen.saving, timeout=5000)
    assert has_cursor(form.nik)
    assert "NIK" in form.issues.text() and "tidak mungkin" in form.issues.text()
    assert form.nik.property("issue") == "error"
    assert count(window, "members") == before


def test_an_invalid_nik_shows_who_was_probably_meant(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.household_screen.member_form
    nik = str(SITI["nik"])
    wrong = nik[:6] + "9" + nik[7:]  # day 63 typed as 93: not a date, one digit from Siti's NIK
    type_into(qtbot, form.nik, wrong)
    type_into(qtbot, form.name, "Siti Aminah")
    type_into(qtbot, form.birth_date, "23-11-1982")
    panel = form.duplicates
    qtbot.waitUntil(lambda: any(h.kind == "probable_person" for h in panel.hits), timeout=3000)
    hit = next(h for h in panel.hits if h.kind == "probable_person")
    assert hit.nik == nik and "NIK beda satu angka" in hit.reasons
    assert "NIK tidak valid. Mungkin yang dimaksud" in panel.summary.text()
    assert "Siti Aminah" in panel.list.item(0).text()
    assert form.nik.property("issue") == "error"


def test_the_same_nik_again_shows_the_panel_and_opens_that_members_family(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    screen = window.household_screen
    form = screen.member_form
    type_into(qtbot, form.nik, str(SITI["nik"]))
    panel = form.duplicates
    qtbot.waitUntil(lambda: panel.list.count() > 0, timeout=3000)
    first = panel.list.item(0).text()
    assert "NIK sama" in first and "tidak bisa disimpan" in first and "Siti Aminah" in first
    assert panel.title() == "Kemungkinan duplikat (1)"
    # Opening the hit: the typed NIK would be lost, so the screen asks; "Ya" opens Siti's family.
    QTimer.singleShot(50, lambda: qtbot.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Return))
    rect = panel.list.visualItemRect(panel.list.item(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert form.record_id is not None and form.name.text() == "Siti Aminah"
    assert screen.kk.text() == str(SITI["kk"]) and screen.member_table.rowCount() == 3


def test_stale_duplicate_results_are_dropped(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.household_screen.member_form
    type_into(qtbot, form.nik, str(SITI["nik"]))
    form.run_check()
    form.nik.clear()
    qtbot.keyClicks(form.nik, "1902016308850123")  # nobody has this NIK
    qtbot.waitUntil(lambda: window.runner.idle, timeout=3000)
    qtbot.wait(50)
    assert form.duplicates.list.count() == 0


def test_saving_over_a_probable_duplicate_asks_a_reason_and_audits_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    new_family(qtbot, window)
    screen = window.household_screen
    form = screen.member_form
    # Same birth date as Siti Aminah, old spelling of the name, another NIK, another family
    type_into(qtbot, form.nik, "1902016311820777")
    type_into(qtbot, form.name, "Sitti Aminah")
    qtbot.waitUntil(lambda: any(h.kind == "probable_person" for h in form.duplicates.hits), timeout=3000)
    assert "Mungkin orang yang sama" in form.duplicates.list.item(0).text()
    seen: list[str] = []

    def wait_dialog() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QDialog):
            QTimer.singleShot(20, wait_dialog)
            return
        assert dlg.objectName() == "overrideReasonDialog"
        seen.append(dlg.windowTitle())
        qtbot.keyClicks(dlg.reason, "Orang berbeda: kembar, ibu kandung berbeda sesuai KK")
        qtbot.keyClick(dlg.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    saved: list[str] = []
    screen.saved.connect(saved.append)
    QTimer.singleShot(20, wait_dialog)
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(saved) and screen.member_table.rowCount() == 1, timeout=5000)
    assert seen == ["Kemungkinan duplikat"]
    with window.context.engine.connect() as c:
        action, after = c.exec_driver_sql(
            "SELECT action, after FROM auditlog WHERE record_id = ? ORDER BY id DESC", (saved[-1],)).one()
    assert action == "CREATE"
    assert json.loads(after)["override_reason"] == "Orang berbeda: kembar, ibu kandung berbeda sesuai KK"
    assert form.nik.text() == "" and has_cursor(form.nik)  # ready for the next member


def test_escape_discards_the_member_after_confirmation(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.household_screen.member_form
    type_into(qtbot, form.name, "Sementara")
    asked: list[tuple[str, str, str]] = []

    def answer(yes: bool) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        asked.append((box.objectName(), box.windowTitle(), box.text()))
        if yes:
            assert box.button(QMessageBox.StandardButton.Yes).text() == "&Ya"
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)

    question = ("discardDialog", "Buang isian", "Buang semua yang sudah diketik di formulir ini?")
    QTimer.singleShot(50, lambda: answer(False))
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert asked == [question] and form.name.text() == "Sementara"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    QTimer.singleShot(50, lambda: answer(True))
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert asked == [question, question]
    assert form.name.text() == "" and has_cursor(form.nik)


def test_a_new_family_with_unsaved_typing_asks_before_discarding(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    screen = window.household_screen
    type_into(qtbot, screen.kk, "19020115082012")
    asked: list[str] = []

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default is "Tidak": keep what was typed

    QTimer.singleShot(50, answer_no)
    window.act_new.trigger()  # Ctrl+N
    assert asked == ["Isian keluarga atau anggota belum disimpan. Buang isian itu?"]
    assert screen.kk.text() == "19020115082012"


def test_editing_a_member_from_the_list_saves_an_update(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.record_list.set_view(window.record_list.view.MEMBERS)
    open_family(qtbot, window, "Rosita")
    screen = window.household_screen
    form = screen.member_form
    assert form.name.text() == "Rosita" and form.title() == "Ubah anggota: Rosita"
    assert screen.title.text().startswith("Keluarga KK ")
    form.occupation.setFocus()
    qtbot.keyClicks(form.occupation, "Pedagang")
    saved: list[str] = []
    screen.saved.connect(saved.append)
    qtbot.keyClick(form.occupation, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(saved) and form.is_empty(), timeout=5000)
    with window.context.engine.connect() as c:
        occupation, state = c.exec_driver_sql("SELECT occupation, sync_state FROM members WHERE record_id = ?",
                                              (saved[0],)).one()
        actions = [r[0] for r in c.exec_driver_sql("SELECT action FROM auditlog WHERE record_id = ? ORDER BY id",
                                                   (saved[0],))]
    assert (occupation, state) == ("pedagang", "NEW") and actions == ["CREATE", "UPDATE"]


def test_the_house_and_assets_tab_saves_with_the_household(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    screen = window.household_screen
    type_into(qtbot, screen.kk, "1902011508201234")
    qtbot.keyClick(screen.kk, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Tab: the house
    assert screen.tabs.currentIndex() == 1
    qtbot.keyClicks(screen.housing["tenure"], "Milik")
    qtbot.keyClicks(screen.housing["floor_material"], "Tanah")
    type_into(qtbot, screen.floor_area, "36")
    screen.assets.setFocus()
    screen.assets.setCurrentRow(8)  # Sepeda motor
    qtbot.keyClick(screen.assets, Qt.Key.Key_Space)
    screen.livestock["kambing_domba"].setValue(3)
    screen.floor_area.setFocus()
    qtbot.keyClick(screen.floor_area, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.household_id is not None and not screen.saving, timeout=5000)
    row = window.households.household(screen.household_id)
    assert (row["tenure"], row["floor_material"], row["floor_area_m2"]) == ("milik_sendiri", "tanah", 36.0)
    assert json.loads(row["assets"]) == ["sepeda_motor"] and json.loads(row["livestock"]) == {"kambing_domba": 3}
    # Opened again, the tab shows what was saved; a wrong floor area names its field in Indonesian
    screen.load(screen.household_id)
    assert screen.housing["tenure"].currentText() == "Milik sendiri" and screen.floor_area.text() == "36"
    screen.tabs.setCurrentIndex(1)
    screen.floor_area.setFocus()
    screen.floor_area.selectAll()
    qtbot.keyClicks(screen.floor_area, "tiga puluh")
    assert "Luas lantai" in screen.hh_issues.text() and screen.floor_area.property("issue") == "error"


def test_a_returned_proposal_shows_its_state_on_the_family(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    with window.context.engine.begin() as c:  # as a pull leaves it
        c.exec_driver_sql("UPDATE proposals SET review_state = 'RETURNED', sync_state = 'SYNCED', server_version = 1 "
                          "WHERE programme = 'PKH' AND household_id = (SELECT household_id FROM members "
                          "WHERE name = 'Ahmad Fauzi')")
    open_family(qtbot, window, str(SITI["kk"]))
    items = [window.household_screen.proposal_list.item(i).text()
             for i in range(window.household_screen.proposal_list.count())]
    assert items[0] == "PKH — Usulan baru — keluarga, pengurus Siti Aminah · Dikembalikan untuk perbaikan"
    assert items[1].startswith("PBI-JK — Usulan baru — Muhammad Rizki · ")


def test_a_removal_proposal_asks_its_reason(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    open_family(qtbot, window, str(SITI["kk"]))
    screen = window.household_screen
    screen.member_table.setFocus()
    screen.member_table.setCurrentCell(1, 0)  # Siti Aminah (a PBI-JK recipient to be removed, say)
    qtbot.keyClick(screen.member_table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dlg = screen.proposal_dialog
    qtbot.waitUntil(dlg.isVisible, timeout=3000)
    assert not dlg.removal_reason.isVisible()
    dlg.type.setFocus()
    qtbot.keyClicks(dlg.type, "Penghapusan")
    assert dlg.removal_reason.isVisible()
    qtbot.keyClick(dlg.type, Qt.Key.Key_Return)
    qtbot.waitUntil(dlg.error.isVisible, timeout=5000)
    assert dlg.error.text().startswith("Alasan penghapusan") and dlg.removal_reason.hasFocus()
    qtbot.keyClicks(dlg.removal_reason, "Pindah")
    qtbot.keyClick(dlg.removal_reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)
    with window.context.engine.connect() as c:
        rows = c.exec_driver_sql("SELECT type, removal_reason FROM proposals WHERE member_id = ? AND deleted = 0 "
                                 "ORDER BY created_at", (screen.member_rows[1]["record_id"],)).all()
    assert [tuple(r) for r in rows] == [("removal", "moved")]


def test_a_temporary_number_is_replaced_by_the_nik_and_kept_in_the_history(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    new_family(qtbot, window)
    screen = window.household_screen
    form = screen.member_form
    form.nik.setFocus()
    qtbot.keyClick(form.nik, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.nik.text().startswith("TMP-"), timeout=3000)
    temp = form.nik.text()
    assert "Nomor sementara" in form.nik_info.text()
    for widget, text in ((form.name, "Bayi Nurhaliza"), (form.birth_date, "2/3/25")):
        type_into(qtbot, widget, text)
    form.sex.setCurrentIndex(form.sex.findData("P"))
    qtbot.keyClick(form.birth_date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.member_table.rowCount() == 1, timeout=5000)
    assert screen.member_table.item(0, 0).text() == temp
    # The NIK arrives: open the member (Alt+A, Enter), Ctrl+T off, type the NIK, Enter.
    screen.member_table.setFocus()
    qtbot.keyClick(screen.member_table, Qt.Key.Key_Return)
    assert form.no_nik.isChecked() and form.nik.text() == temp
    form.nik.setFocus()
    qtbot.keyClick(form.nik, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.nik.text() == "" and not form.nik.isReadOnly(), timeout=3000)
    qtbot.keyClicks(form.nik, "1902014203250001")
    qtbot.keyClick(form.nik, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.member_table.item(0, 0).text() == "1902014203250001", timeout=5000)
    with window.context.engine.connect() as c:
        nik, temp_id, former = c.exec_driver_sql("SELECT nik, temp_id, former_ids FROM members WHERE name = ?",
                                                 ("Bayi Nurhaliza",)).one()
        actions = [r[0] for r in c.exec_driver_sql(
            "SELECT action FROM auditlog WHERE record_id = (SELECT record_id FROM members WHERE nik = ?) ORDER BY id",
            ("1902014203250001",))]
    assert (nik, temp_id, json.loads(former)) == ("1902014203250001", "", [temp])
    assert actions == ["CREATE", "ID_CHANGE"]
