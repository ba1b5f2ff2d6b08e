"""The entry list: on-demand model (qtmodeltester), search, filters, soft delete with a reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.entry_list import ListRow
from ui.entry_list_model import EntryTableModel


def shown_names(lst) -> list[str]:  # type: ignore[no-untyped-def]
    m = lst.model
    return [m.data(m.index(r, 1)) for r in range(m.rowCount())]


def search(qtbot, lst, text: str) -> None:  # type: ignore[no-untyped-def]
    n = lst.searches
    lst.search.clear()
    qtbot.keyClicks(lst.search, text)
    qtbot.waitUntil(lambda: lst.searches > n and lst.search.text() == text, timeout=3000)
    qtbot.waitUntil(lambda: lst.runner.idle, timeout=3000)


def test_list_model_passes_qtmodeltester(qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    model = window.entry_list.model
    assert model.rowCount() == 28
    qtmodeltester.check(model, force_py=True)


def test_list_shows_sync_and_review_states_in_indonesian(window) -> None:  # type: ignore[no-untyped-def]
    m = window.entry_list.model
    rows = {m.data(m.index(r, 1)): (m.data(m.index(r, 9)), m.data(m.index(r, 10))) for r in range(m.rowCount())}
    assert rows["Ahmad Fauzi"] == ("Terkirim", "Disetujui")
    assert rows["Dewi Lestari"] == ("Terkirim", "Dikembalikan untuk perbaikan: Foto KK tidak terbaca, mohon unggah ulang")
    assert rows["Sulaiman"] == ("Terkirim", "Ditolak: Satu KK sudah menerima program ini")
    assert rows["Bambang Supriyadi"][0] == "Konflik"
    assert rows["Junaidi"][0] == "Menunggu dikirim"
    assert rows["Asmah"] == ("Draf, belum dikirim", "")
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers[-2:] == ["Status kirim", "Status verifikasi"]


def test_search_by_name_nik_and_kk(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.entry_list
    window.show_list()
    search(qtbot, lst, "aminah")
    assert shown_names(lst) == ["Siti Aminah"]
    search(qtbot, lst, "1902016311")  # NIK prefix (Siti: 23+40, 11, 82)
    assert shown_names(lst) == ["Siti Aminah"]
    search(qtbot, lst, "190201140312")  # KK prefix of the Fauzi family
    assert sorted(shown_names(lst)) == ["Ahmad Fauzi", "Muhammad Rizki", "Siti Aminah"]
    search(qtbot, lst, "Mohammad Rizky")  # the list finds words; spelling variants are the duplicate check's job
    assert shown_names(lst) == []
    search(qtbot, lst, "rizki")
    assert shown_names(lst) == ["Muhammad Rizki"]
    assert lst.count_label.text() == "1 entri"


def test_filters_status_programme_criteria_dusun(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.entry_list

    def choose(combo, text: str) -> None:  # type: ignore[no-untyped-def]
        n = lst.searches
        idx = combo.findText(text)
        assert idx >= 0, text
        combo.setCurrentIndex(idx)
        qtbot.waitUntil(lambda: lst.searches > n and lst.runner.idle, timeout=3000)

    choose(lst.status_filter, "Disetujui")
    assert sorted(shown_names(lst)) == ["Ahmad Fauzi", "Junaidi", "Kartini", "Siti Aminah"]
    choose(lst.programme_filter, "PKH")
    assert sorted(shown_names(lst)) == ["Ahmad Fauzi", "Junaidi"]
    choose(lst.status_filter, "Semua status")
    choose(lst.criteria_filter, "Nelayan")
    assert sorted(shown_names(lst)) == ["Ahmad Fauzi"]
    choose(lst.programme_filter, "Semua program")
    assert sorted(shown_names(lst)) == ["Ahmad Fauzi", "Hendra Saputra", "Rahmat Hidayat"]
    qtbot.waitUntil(lambda: lst.dusun_filter.count() > 1, timeout=3000)
    choose(lst.dusun_filter, "Teluk Gembira")
    assert sorted(shown_names(lst)) == ["Rahmat Hidayat"]


def test_soft_delete_with_reason_by_keyboard(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.entry_list
    window.show_list()
    search(qtbot, lst, "Nurlela")
    rid = lst.current_record_id()
    assert rid is not None
    lst.table.setFocus()

    def give_reason() -> None:
        dlg = QApplication.activeModalWidget()
        assert dlg is not None and dlg.objectName() == "deleteReasonDialog"
        assert "Nurlela" in dlg.findChildren(type(lst.count_label))[0].text()
        qtbot.keyClicks(dlg.reason, "Pindah domisili ke Kota Pangkalpinang")
        qtbot.keyClick(dlg.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(50, give_reason)
    n = lst.searches
    qtbot.keyClick(lst.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: lst.searches > n and lst.runner.idle, timeout=5000)
    assert shown_names(lst) == []
    entry = window.entries.get(rid)
    assert entry is not None and entry.deleted and entry.delete_reason == "Pindah domisili ke Kota Pangkalpinang"
    audit = window.entries.audit_for(rid)
    assert audit[-1].action == "DELETE" and audit[-1].reason == "Pindah domisili ke Kota Pangkalpinang"


def test_delete_cancelled_keeps_the_entry(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    lst = window.entry_list
    window.show_list()
    search(qtbot, lst, "Nurlela")
    rid = lst.current_record_id()
    QTimer.singleShot(50, lambda: qtbot.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Escape))
    lst.delete_current()
    qtbot.wait(100)
    assert rid is not None and not window.entries.get(rid).deleted


def _row(i: int) -> ListRow:
    return ListRow(record_id=f"id-{i:06d}", nik=f"{i:016d}", kk="1", name=f"Orang {i}", birth_date=None, sex="L",
                   programme="PKH", dusun="", rt="", rw="", criteria=(), sync_state="NEW", review_state=None,
                   review_reason_code=None, review_note=None, updated_at=None, deleted=False)


def test_rows_are_fetched_a_page_at_a_time(qapp_id, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    asked: list[int] = []

    def fetch(ids: Sequence[str]) -> dict[str, ListRow]:
        asked.append(len(ids))
        return {rid: _row(int(rid[3:])) for rid in ids}

    model = EntryTableModel(fetch)
    model.set_ids([f"id-{i:06d}" for i in range(200_000)])
    assert model.rowCount() == 200_000 and asked == []
    assert model.data(model.index(150_123, 1)) == "Orang 150123"
    assert asked == [EntryTableModel.PAGE]
    for r in range(150_000, 150_200):  # the rest of that page is cached
        model.data(model.index(r, 0))
    assert asked == [EntryTableModel.PAGE]
    assert model.data(model.index(0, 0)) == f"{0:016d}"
    assert len(asked) == 2
    assert model.row_of("id-150123") == 150_123
    assert model.rowCount(model.index(0, 0)) == 0 and not model.data(QModelIndex())
    small = EntryTableModel(fetch)
    small.set_ids([f"id-{i:06d}" for i in range(50)])
    qtmodeltester.check(small, force_py=True)
