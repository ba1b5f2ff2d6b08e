"""The Indonesian translation: complete for the app and Qt's own buttons and menus."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox

from ui.app import I18N_DIR

OWN_CONTEXTS = {"DuplicatePanel", "HouseholdScreen", "MemberForm", "ProposalDialog", "RecordListView", "ErrorDialog",
                "FirstRunDialog", "MainWindow", "OperatorWorkspace", "ReasonDialog", "RegionTreeModel",
                "QPlatformTheme", "QLineEdit", "QWidgetTextControl"}


def test_every_string_of_the_operator_ui_is_translated() -> None:
    root = ET.parse(I18N_DIR / "bansos_id.ts").getroot()
    found = set()
    missing = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name")
        if name not in OWN_CONTEXTS:
            continue
        found.add(name)
        for m in ctx.iter("message"):
            tr = m.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not tr.text:
                missing.append(f"{name}: {m.findtext('source')}")
    assert found == OWN_CONTEXTS
    assert missing == []
    qm = I18N_DIR / "bansos_id.qm"
    assert qm.stat().st_mtime >= (I18N_DIR / "bansos_id.ts").stat().st_mtime - 1, "run ui/i18n/update_translations.py"


def test_qt_standard_buttons_and_context_menu_are_indonesian(qapp_id) -> None:  # type: ignore[no-untyped-def]
    sb = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(sb.Ok | sb.Cancel | sb.Yes | sb.No | sb.Save | sb.Close)
    assert sorted(b.text() for b in box.buttons()) == sorted(["OK", "Batal", "&Ya", "&Tidak", "Simpan", "Tutup"])
    msg = QMessageBox()
    msg.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert msg.button(QMessageBox.StandardButton.No).text() == "&Tidak"
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert texts == ["&Urungkan", "Ula&ngi", "Po&tong", "&Salin", "T&empel", "Hapus", "Pilih Semua"]
