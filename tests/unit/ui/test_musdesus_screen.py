"""The Musdesus screen from the main window (Ctrl+M): a wrong minutes file is refused naming the
file, the print buttons open the print dialog with the meeting filled in, closing asks for what is
missing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt


def test_ctrl_m_opens_the_meeting_refuses_a_wrong_file_and_prints_with_the_meeting(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screen = window.open_musdesus()
    assert screen is not None and screen.isVisible()
    qtbot.keyClicks(screen.place, "Balai Desa")
    qtbot.keyClicks(screen.chair, "Suhardi")
    screen.present.setValue(40)
    qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
    n = screen.table.rowCount()
    assert n > 0 and screen.counts.text().endswith(f"{n} belum diputuskan")
    assert not screen.open_button.isEnabled()

    photo = tmp_path / "foto-rapat.png"
    photo.write_bytes(b"GIF89a not a png")
    screen.ask_file = lambda _w: photo
    qtbot.mouseClick(screen.attach_button, Qt.MouseButton.LeftButton)
    assert "foto-rapat.png bukan PDF, JPG atau PNG" in screen.status.text()
    assert screen.minutes_label.text() == "Berita acara: belum dilampirkan"

    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    assert f"Masih ada {n} usulan yang belum diputuskan" in screen.status.text()

    dlg = screen._print("minutes")
    assert dlg.meeting_box.isVisibleTo(dlg) and dlg.place.text() == "Balai Desa" and dlg.chair.text() == "Suhardi"
    assert dlg.present.value() == 40 and dlg.period.text() == screen.date.date().toString("yyyy-MM")
    dlg.reject()

    # Reopened: the open meeting is resumed, not a new one.
    screen.done(0)
    again = window.open_musdesus()
    assert again.table.rowCount() == n and again.place.text() == "Balai Desa"
    again.done(0)
