"""First run: choose (or confirm) the desa from the Kemendagri tree and give the operator's name.

The tree (provinsi > kab/kota > kecamatan > desa) loads children when a node is expanded. The
search box matches desa names anywhere; the full name index takes about a second to build the
first time, so it is built on a reader thread while the operator starts typing.

Given the app's context, the dialog also offers "Impor file provisioning…" (Alt+I): the file IT
staff made with `bansos-server provision` sets the desa and the server; the desa is then fixed
and the operator only types their name.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.first_run import provision_from_file
from desktop_app.tasks import TaskRunner
from domain import regions

if TYPE_CHECKING:
    from desktop_app.context import AppContext
    from desktop_app.provisioning import ImportResult

log = logging.getLogger(__name__)

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
LOADED_ROLE = Qt.ItemDataRole.UserRole + 2
_PLACEHOLDER = "…"


class RegionTreeModel(QStandardItemModel):
    """Kemendagri regions; a node's children are loaded the first time it is expanded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([self.tr("Region")])
        self._add_children(self.invisibleRootItem(), None)

    def _add_children(self, parent: QStandardItem, code: str | None) -> None:
        for r in regions.children(code):
            item = QStandardItem(f"{r.name}  ({r.code})")
            item.setEditable(False)
            item.setData(r.code, CODE_ROLE)
            item.setData(r.level < 4, LOADED_ROLE)  # True: still needs loading
            if r.level < 4:
                item.setSelectable(True)
                item.appendRow(QStandardItem(_PLACEHOLDER))
            parent.appendRow(item)

    def ensure_loaded(self, index: QModelIndex) -> None:
        item = self.itemFromIndex(index)
        if item is None or not item.data(LOADED_ROLE):
            return
        item.setData(False, LOADED_ROLE)
        item.removeRows(0, item.rowCount())
        self._add_children(item, str(item.data(CODE_ROLE)))

    def index_of(self, code: str) -> QModelIndex:
        """Load the path to `code` and return its index (invalid when not found)."""
        digits = regions.digits_of(code)
        parent = self.invisibleRootItem()
        found: QStandardItem | None = None
        for width in (2, 4, 6, 10):
            if len(digits) < width:
                break
            want = regions.dotted(digits[:width])
            if found is not None:
                self.ensure_loaded(found.index())
            found = None
            for row in range(parent.rowCount()):
                child = parent.child(row)
                if child is not None and child.data(CODE_ROLE) == want:
                    found = child
                    break
            if found is None:
                return QModelIndex()
            parent = found
        return found.index() if found is not None else QModelIndex()


class FirstRunDialog(QDialog):
    """Returns the chosen desa code (dotted) and the operator's name."""

    desa_changed = Signal(str)
    provisioned = Signal(object)  # desktop_app.provisioning.ImportResult

    def __init__(self, runner: TaskRunner, *, desa_code: str | None = None, operator_name: str = "",
                 context: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Choose your desa"))
        self.resize(760, 560)
        self._runner = runner
        self._context = context
        self._desa: str | None = None
        self.import_result: ImportResult | None = None
        self.file_dialog: QFileDialog | None = None

        self.intro = intro = QLabel(self.tr(
            "Choose the desa/kelurahan this computer records for, and type your name. "
            "Type part of the desa name to search, or open the tree."))
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setObjectName("desaSearch")
        self.search.setPlaceholderText(self.tr("Search desa/kelurahan, e.g. Buluh Tumbang"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("desaResults")
        self.status = QLabel()
        self.status.setObjectName("desaSearchStatus")
        self.model = RegionTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("regionTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.chosen = QLabel(self.tr("No desa chosen yet."))
        self.chosen.setObjectName("chosenDesa")
        self.chosen.setWordWrap(True)
        self.operator = QLineEdit(operator_name)
        self.operator.setObjectName("operatorName")
        self.operator.setPlaceholderText(self.tr("Full name of the operator"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(self.tr("&Import provisioning file…"))
        self.import_button.setObjectName("importProvisioning")
        self.import_button.setToolTip(self.tr("The file from the IT officer (bansos-provision-….json) sets the desa "
                                              "and the server of this computer."))
        self.import_status = QLabel()
        self.import_status.setObjectName("provisioningStatus")
        self.import_status.setWordWrap(True)
        self.import_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_status.hide()

        self.search_pane = left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.search)
        ll.addWidget(self.status)
        ll.addWidget(self.results)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.tree)
        split.setSizes([380, 380])
        form = QFormLayout()
        form.addRow(self.tr("Chosen desa:"), self.chosen)
        form.addRow(self.tr("&Operator name:"), self.operator)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        if context is not None:
            row = QHBoxLayout()
            row.addWidget(QLabel(self.tr("Did the IT officer give you a provisioning file?")))
            row.addWidget(self.import_button)
            row.addStretch(1)
            lay.addLayout(row)
            lay.addWidget(self.import_status)
        else:
            self.import_button.hide()
        lay.addWidget(split, 1)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.setTabOrder(self.search, self.results)
        self.setTabOrder(self.results, self.tree)
        self.setTabOrder(self.tree, self.operator)
        self.setTabOrder(self.operator, self.import_button)
        self.import_button.clicked.connect(self.choose_provisioning_file)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._focus_results)
        self.results.itemActivated.connect(self._result_chosen)
        self.results.currentItemChanged.connect(self._result_current)
        self.tree.expanded.connect(self.model.ensure_loaded)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        self.tree.activated.connect(lambda _i: self.operator.setFocus())
        self.operator.textChanged.connect(lambda _t: self._update_ok())
        self.operator.returnPressed.connect(self._accept_if_ready)
        self.buttons.accepted.connect(self._accept_if_ready)
        self.buttons.rejected.connect(self.reject)

        self.index_ready = False
        self.status.setText(self.tr("Preparing the desa search…"))
        # Build the name index off the GUI thread (about a second the first time).
        runner.query(lambda _p: regions.search("a", limit=1), on_success=self._index_built, key="desa-index")
        if desa_code:
            self.set_desa(desa_code)
        self._update_ok()
        self.search.setFocus()

    # -- results
    def _index_built(self, _result: object) -> None:
        self.index_ready = True
        self.status.setText("")
        if self.search.text().strip():
            self._run_search()

    def _run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        self._runner.query(lambda _p: [(r.code, r.name, regions.path_text(r.code))
                                        for r in regions.search(text, level=4, limit=100)],
                           on_success=self._show_results, key="desa-search")

    def _show_results(self, hits: list[tuple[str, str, str]]) -> None:
        self.results.blockSignals(True)
        self.results.clear()
        for code, _name, path in hits:
            item = QListWidgetItem(f"{path}  ({code})")
            item.setData(CODE_ROLE, code)
            self.results.addItem(item)
        self.results.blockSignals(False)
        if not hits:
            self.status.setText(self.tr("No desa/kelurahan matches \"{text}\".").format(text=self.search.text().strip()))
        else:
            self.status.setText(self.tr("{n} found. Down arrow to choose, Enter to confirm.").format(n=len(hits)))

    def _focus_results(self) -> None:
        if self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)

    def _result_current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self._result_chosen(item, False)

    def _result_chosen(self, item: QListWidgetItem, move_on: bool = True) -> None:
        self.set_desa(str(item.data(CODE_ROLE)))
        if move_on:
            self.operator.setFocus()
            self.operator.selectAll()

    # -- tree
    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE)
        if code and regions.level_of(str(code)) == 4:
            self._set_chosen(str(code))

    def set_desa(self, code: str) -> None:
        idx = self.model.index_of(code)
        if idx.isValid():
            parent = idx.parent()
            while parent.isValid():
                self.tree.expand(parent)
                parent = parent.parent()
            self.tree.setCurrentIndex(idx)
            self.tree.scrollTo(idx)
        if regions.is_desa(code):
            self._set_chosen(regions.dotted(code))

    def _set_chosen(self, code: str) -> None:
        self._desa = code
        self.chosen.setText(f"{regions.path_text(code)} ({code})")
        self.desa_changed.emit(code)
        self._update_ok()

    # -- provisioning file
    def choose_provisioning_file(self) -> None:
        """Ask for the file (window-modal, so the test and the event loop keep running), then import it."""
        dlg = QFileDialog(self, self.tr("Import provisioning file"), QDir.homePath(),
                          self.tr("Provisioning file (*.json);;All files (*)"))
        dlg.setObjectName("provisioningFileDialog")
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dlg.fileSelected.connect(lambda path: self.import_provisioning(Path(path)))
        dlg.finished.connect(dlg.deleteLater)
        self.file_dialog = dlg
        dlg.open()

    def import_provisioning(self, path: Path) -> None:
        """Apply the provisioning file on the writer thread; the outcome shows under the button."""
        context = self._context
        if context is None:
            return
        self.import_button.setEnabled(False)
        self._show_import_status(self.tr("Reading {file}…").format(file=path.name), error=False)
        self._runner.write(lambda _p: provision_from_file(context, path), on_success=self._provisioned,
                           on_failure=self._provisioning_failed)

    def _provisioned(self, result: ImportResult) -> None:
        self.import_result = result
        self.import_button.setEnabled(True)
        self.set_desa(result.provisioning.desa_code)
        # The desa now comes from the file (the server registered it): no picking another one here;
        # the tree stays as the confirmation of where it is.
        for w in (self.search, self.results, self.tree):
            w.setEnabled(False)
        self.search_pane.hide()
        self.intro.setText(self.tr("The desa of this computer comes from the provisioning file. "
                                   "Type your name and press Enter."))
        self._show_import_status(self.tr("Provisioning file imported.") + "\n" + result.describe(), error=False)
        self.provisioned.emit(result)
        self.operator.setFocus()
        self.operator.selectAll()

    def _provisioning_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        text = messages.user_message(exc)
        if text is None:
            log.error("provisioning import failed", exc_info=exc)
            text = self.tr("The file could not be imported because of a program error; the details are in the log.")
        self._show_import_status(self.tr("Not imported: {reason}").format(reason=text), error=True)
        self.import_button.setFocus()

    def _show_import_status(self, text: str, *, error: bool) -> None:
        self.import_status.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.import_status.setText(text)
        self.import_status.show()

    # -- result
    def desa_code(self) -> str | None:
        return self._desa

    def operator_name(self) -> str:
        return " ".join(self.operator.text().split())

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self._desa and self.operator_name()))

    def _accept_if_ready(self) -> None:
        if not self._desa:
            self.search.setFocus()
            return
        if not self.operator_name():
            self.operator.setFocus()
            return
        self.accept()
