"""The QApplication: names, the Indonesian translation and the error presenter."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

I18N_DIR = Path(__file__).resolve().parent / "i18n"
QM_FILE = I18N_DIR / "bansos_id.qm"

_translators: list[QTranslator] = []  # kept alive for the application's lifetime


def install_translator(app: QCoreApplication) -> bool:
    """Load bansos_id.qm (the app's strings and Qt's standard buttons/menus); True when loaded."""
    if _translators:
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    tr = QTranslator(app)
    if not tr.load(str(QM_FILE)):
        return False
    app.installTranslator(tr)
    _translators.append(tr)
    return True


def create_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv) or ["bansos"])
    app.setApplicationName("Bansos Desa")
    app.setOrganizationName("Bansos Desa")
    app.setApplicationDisplayName("Bansos Desa")
    install_translator(app)
    from ui.error_dialog import install_error_presenter

    install_error_presenter()
    return app
