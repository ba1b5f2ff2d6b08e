"""The GUI's two store-key dialogs: the passphrase question (no keyring) and the recovery key shown once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from desktop_app.commands.gui import _ask_passphrase, _show_recovery_code


def _answer(kind: type, act: object) -> list[str]:
    """Act on the next modal dialog of `kind` once it is up; returns the texts it showed."""
    seen: list[str] = []

    def poll() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, kind):
            QTimer.singleShot(20, poll)
            return
        seen.append(dlg.labelText() if isinstance(dlg, QInputDialog) else dlg.text())  # type: ignore[attr-defined]
        act(dlg)  # type: ignore[operator]

    QTimer.singleShot(20, poll)
    return seen


def test_passphrase_dialog_gives_what_the_operator_typed(qapp_id: QApplication,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BANSOS_STORE_PASSPHRASE", raising=False)

    def type_and_ok(dlg: QInputDialog) -> None:
        dlg.setTextValue("kuda-laut-belitung")
        dlg.accept()

    seen = _answer(QInputDialog, type_and_ok)
    assert _ask_passphrase(True) == "kuda-laut-belitung"
    assert "Buat kata sandi basis data" in seen[0]
    seen = _answer(QInputDialog, lambda dlg: dlg.reject())
    assert _ask_passphrase(False) is None  # cancelled: the store stays locked
    assert seen == ["Kata sandi basis data:"]


def test_recovery_key_is_shown_selectable(qapp_id: QApplication) -> None:
    code = "ABCD-EFGH-IJKL-MNOP"
    seen = _answer(QMessageBox, lambda dlg: dlg.accept())
    _show_recovery_code(code)
    assert code in seen[0] and "hanya ditampilkan sekali" in seen[0]
