"""The entry form driven like an operator: typing, Tab, Enter, Shift+Enter, Esc."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop_app.entry_list import ListFilter
from tests.support.seed import DESA, demo_rows

SITI = next(r for r in demo_rows() if r["name"] == "Siti Aminah")  # born 23-11-1982, PKH family


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def count_entries(window) -> int:  # type: ignore[no-untyped-def]
    return window.lists.counts().total


def has_cursor(widget) -> bool:  # type: ignore[no-untyped-def]
    """The widget where the next keystroke goes once the window is active (offscreen platforms
    do not re-activate a window after a modal dialog closes, so hasFocus() alone would lie)."""
    return widget.window().focusWidget() is widget


def test_valid_nik_is_decoded_beside_the_field_and_prefills(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    type_into(qtbot, form.nik, "3201 0163 0885 0123")  # woman, 23-08-85, Kab. Bogor; spaces are forgiven
    text = form.nik_info.text()
    assert "perempuan" in text and "lahir 23-08-85" in text
    assert "Bogor" in text and "Jawa Barat" in text
    # Birth date and sex pre-filled from the NIK
    assert form.birth_date.text() == "23-08-1985"
    assert form.sex.currentData() == "P"
    # Outside the operator's kab/kota: a plain Indonesian warning once the check has run
    qtbot.waitUntil(lambda: "di luar kabupaten/kota operator" in form.issues.text(), timeout=3000)


def test_typed_birth_date_is_not_overwritten_and_mismatch_is_warned(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    type_into(qtbot, form.birth_date, "01-01-1990")
    type_into(qtbot, form.nik, "1902016308850123")
    assert form.birth_date.text() == "01-01-1990"
    qtbot.waitUntil(lambda: "tidak cocok dengan NIK" in form.issues.text(), timeout=3000)


def test_invalid_nik_shows_error_and_save_is_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    before = count_entries(window)
    type_into(qtbot, form.nik, "1902019913850123")  # day 99: impossible
    assert "tanggal lahir '99' tidak mungkin" in form.nik_info.text()
    type_into(qtbot, form.kk, "1902011403120999")
    type_into(qtbot, form.name, "Rudi Hartono")
    type_into(qtbot, form.birth_date, "13-09-1985")
    form.sex.setCurrentIndex(form.sex.findData("L"))
    form.name.setFocus()
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    # Refused: nothing written, the cursor is on the NIK, the reason is in the checks panel
    assert has_cursor(form.nik)
    assert "NIK" in form.issues.text() and "tidak mungkin" in form.issues.text()
    assert form.nik.property("issue") == "error"
    qtbot.wait(100)
    assert window.runner.idle
    assert count_entries(window) == before


def test_invalid_nik_shows_who_was_probably_meant(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
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
    assert form.nik.property("issue") == "error"  # the NIK error stays beside it


def test_second_person_with_same_nik_shows_duplicate_panel(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    type_into(qtbot, form.nik, str(SITI["nik"]))
    panel = form.duplicates
    qtbot.waitUntil(lambda: panel.list.count() > 0, timeout=3000)
    first = panel.list.item(0).text()
    assert "NIK sama" in first and "Siti Aminah" in first
    assert panel.title() == "Kemungkinan duplikat (1)"
    # Clicking the hit opens the existing entry (read-only view)
    opened: list[str] = []

    def close_view() -> None:
        dlg = QApplication.activeModalWidget()
        assert dlg is not None and dlg.objectName() == "entryViewDialog"
        opened.append(dlg.windowTitle())
        dlg.reject()

    QTimer.singleShot(50, close_view)
    rect = panel.list.visualItemRect(panel.list.item(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == ["Entri yang sudah ada: Siti Aminah"]


def test_stale_duplicate_results_are_dropped(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    type_into(qtbot, form.nik, str(SITI["nik"]))
    form.run_check()
    form.nik.clear()
    qtbot.keyClicks(form.nik, "1902016308850123")  # nobody has this NIK
    qtbot.waitUntil(lambda: window.runner.idle, timeout=3000)
    qtbot.wait(50)
    assert form.duplicates.list.count() == 0


def test_save_over_probable_duplicate_asks_reason_and_audits_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    # Same birth date as Siti Aminah, old spelling of the name, another NIK and another KK
    type_into(qtbot, form.nik, "1902016311820777")
    type_into(qtbot, form.kk, "1902011005190888")
    type_into(qtbot, form.name, "Sitti Aminah")
    form.dusun.setEditText("Air Serkuk")
    form.programme.setCurrentIndex(form.programme.findData("BPNT"))
    qtbot.waitUntil(lambda: any(h.kind == "probable_person" for h in form.duplicates.hits), timeout=3000)
    assert "Mungkin orang yang sama" in form.duplicates.list.item(0).text()

    seen: list[str] = []

    def give_reason() -> None:
        dlg = QApplication.activeModalWidget()
        assert dlg is not None and dlg.objectName() == "overrideReasonDialog"
        seen.append(dlg.windowTitle())
        qtbot.keyClicks(dlg.reason, "Orang berbeda: kembar, ibu kandung berbeda sesuai KK")
        qtbot.keyClick(dlg.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    saved: list[str] = []
    form.saved.connect(saved.append)
    QTimer.singleShot(0, lambda: None)
    form.name.setFocus()

    def wait_dialog() -> None:
        if isinstance(QApplication.activeModalWidget(), QDialog):
            give_reason()
        else:
            QTimer.singleShot(20, wait_dialog)

    QTimer.singleShot(20, wait_dialog)
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    assert seen == ["Kemungkinan duplikat"]
    audit = window.entries.audit_for(saved[0])
    assert audit[-1].action == "CREATE"
    assert audit[-1].reason == "Orang berbeda: kembar, ibu kandung berbeda sesuai KK"
    assert json.loads(audit[-1].after or "{}")["override_reason"] == audit[-1].reason
    # The form is ready for the next entry, cursor in the NIK
    assert form.nik.text() == "" and has_cursor(form.nik)


def test_three_members_of_one_family_by_keyboard_only(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    form.nik.setFocus()
    saved: list[str] = []
    form.saved.connect(saved.append)

    def tab() -> None:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)

    def typed(text: str) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), text)

    # Head of the family: NIK, KK, name, birth place; date and sex come from the NIK.
    typed("1902010507800031")
    tab()
    typed("1902010201150555")
    tab()
    typed("Rustam Effendi")
    tab()
    typed("Tanjungpandan")
    tab()  # birth date (pre-filled)
    assert form.birth_date.hasFocus() and form.birth_date.text() == "05-07-1980"
    tab()  # sex (pre-filled)
    tab()
    assert form.dusun.hasFocus()
    typed("Air Serkuk")
    tab()
    typed("004")
    tab()
    typed("002")
    tab()
    typed("Jl. Tanjung Kelayang No. 3")
    tab()
    typed("081234567890")
    tab()
    assert form.programme.hasFocus()
    typed("PBI")  # keyboard search in the combo box: PBI-JK (one per person allowed)
    assert form.programme.currentData() == "PBI-JK"
    tab()
    assert form.criteria.hasFocus()
    qtbot.keyClick(form.criteria, Qt.Key.Key_Home)
    qtbot.keyClick(form.criteria, Qt.Key.Key_Space)  # Nelayan
    assert form.checked_criteria() == ["nelayan"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(saved) == 1, timeout=5000)

    # Second member: KK and address kept, the cursor is already in the NIK.
    assert has_cursor(form.nik) and form.kk.text() == "1902010201150555" and form.address.text()
    typed("1902015209830032")
    tab()
    tab()
    typed("Yuliana")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(saved) == 2, timeout=5000)

    # Third member, then plain Enter: saved and a blank form.
    assert has_cursor(form.nik)
    typed("1902011412100033")
    tab()
    tab()
    typed("Fajar Ramadhan")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(saved) == 3, timeout=5000)
    assert form.kk.text() == "" and has_cursor(form.nik)

    family = [window.entries.get(rid) for rid in saved]
    assert [e.name for e in family if e] == ["Rustam Effendi", "Yuliana", "Fajar Ramadhan"]
    for e in family:
        assert e is not None
        assert (e.kk, e.dusun, e.rt, e.rw, e.address, e.programme, e.desa_code) == (
            "1902010201150555", "Air Serkuk", "004", "002", "Jl. Tanjung Kelayang No. 3", "PBI-JK", DESA)
    assert [(e.sex, e.birth_date.isoformat()) for e in family if e] == [
        ("L", "1980-07-05"), ("P", "1983-09-12"), ("L", "2010-12-14")]


def test_escape_discards_after_confirmation(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    form = window.form
    type_into(qtbot, form.name, "Sementara")
    asked: list[tuple[str, str, str]] = []

    def answer(yes: bool) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return  # the test's own assertions report it (a box left open would also block here)
        asked.append((box.objectName(), box.windowTitle(), box.text()))
        if yes:
            assert box.button(QMessageBox.StandardButton.Yes).text() == "&Ya"  # Qt's button, in Indonesian
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)

    question = ("discardDialog", "Buang isian", "Buang semua yang sudah diketik di formulir ini?")
    # "Tidak" keeps what was typed...
    QTimer.singleShot(50, lambda: answer(False))
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert asked == [question]  # the box was shown (the callback ran) and asked this
    assert form.name.text() == "Sementara"
    # ...Enter takes the default, "Ya": the form is emptied, the cursor back in the NIK.
    window.activateWindow()  # offscreen Qt does not give the window back after a modal box by itself
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    QTimer.singleShot(50, lambda: answer(True))
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert asked == [question, question]
    assert form.name.text() == "" and has_cursor(form.nik)


def test_edit_from_list_loads_the_form_and_saves_changes(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.entry_list
    window.show_list()
    qtbot.keyClicks(lst.search, "Rosita")
    qtbot.waitUntil(lambda: lst.model.rowCount() == 1, timeout=3000)
    lst.table.setFocus()
    qtbot.keyClick(lst.table, Qt.Key.Key_Return)
    form = window.form
    assert window.workspace.currentWidget() is form
    assert form.name.text() == "Rosita" and form.title.text() == "Ubah entri: Rosita"
    form.phone.setFocus()
    qtbot.keyClicks(form.phone, "081377712345")
    saved: list[str] = []
    form.saved.connect(saved.append)
    qtbot.keyClick(form.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    e = window.entries.get(saved[0])
    assert e is not None and e.phone == "081377712345" and e.name == "Rosita"
    assert window.entries.audit_for(saved[0])[-1].action == "UPDATE"


def test_returned_entry_shows_the_reviewers_note_and_resends_after_a_fix(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    returned = demo_rows()[7]  # seeded as "returned for revision" with a note, the way a pull leaves it
    lst = window.entry_list
    window.show_list()
    qtbot.keyClicks(lst.search, str(returned["nik"]))
    qtbot.waitUntil(lambda: lst.model.rowCount() == 1, timeout=3000)
    lst.table.setFocus()
    qtbot.keyClick(lst.table, Qt.Key.Key_Return)
    form = window.form
    assert form.outcome.isVisible()
    assert "Dikembalikan untuk perbaikan: Foto KK tidak terbaca" in form.outcome.text()
    form.phone.setFocus()
    form.phone.clear()
    qtbot.keyClicks(form.phone, "081377700001")
    saved: list[str] = []
    form.saved.connect(saved.append)
    qtbot.keyClick(form.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    e = window.entries.get(saved[0])
    assert e is not None and e.sync_state == "DIRTY"  # queued to go back to the kecamatan
    window.form.new_entry()
    assert not form.outcome.isVisible()


def test_rejected_entry_shows_the_coded_reason(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    rejected = demo_rows()[5]
    ids = window.lists.search_ids(ListFilter(text=str(rejected["nik"])))
    assert window.form.load(ids[0])
    assert "Ditolak kecamatan: Satu KK sudah menerima program ini." in window.form.outcome.text()
