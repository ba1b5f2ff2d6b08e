"""The household screen: one family card (KK) with its house, its members and its proposals.

Keyboard-first, as the old entry form:
- the KK is read back beside the field at every keystroke; Enter in a household field saves the
  household and puts the cursor on the first member's NIK;
- the house and assets (DTSEN) are the second tab (Ctrl+Tab, or Alt+H);
- the member form sits under the member table (Alt+A goes to the table, Enter there edits the
  member); Enter in the member form saves the member (and the household first when it is new or
  changed) and opens the next member of the same household;
- Ctrl+U makes a proposal: on the member selected in the table when the table has the focus,
  else on the household (ui/proposal_dialog.py offers only the programmes that fit);
- Esc drops what was typed in the member form (asking first).
Every write runs on the TaskRunner's writer through HouseholdService (local_db.household_repo).
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.services.households import HouseholdService, MemberRefused, OverrideRequired, RecordRefused
from desktop_app.tasks import TaskRunner
from domain import housing_codes as hc
from domain import member_codes as mc
from domain.dates import format_date, parse_date
from domain.idnumbers import normalize, parse_kk
from domain.proposal_codes import PROPOSAL_TYPE
from domain.states import REVIEW_LABELS, SYNC_LABELS, ReviewState, SyncState
from ui.dialogs import ReasonDialog
from ui.form_widgets import (
    ERROR_CSS,
    NEUTRAL_CSS,
    clear_widget,
    code_combo,
    decode_into,
    html,
    line,
    mark_fields,
    set_combo,
    set_ticked,
    tick_list,
    ticked,
)
from ui.member_form import MemberForm
from ui.proposal_dialog import ProposalDialog

log = logging.getLogger(__name__)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
HOUSING: tuple[tuple[str, Any], ...] = (
    ("tenure", hc.TENURE), ("floor_material", hc.FLOOR_MATERIAL), ("wall_material", hc.WALL_MATERIAL),
    ("roof_material", hc.ROOF_MATERIAL), ("water_source", hc.WATER_SOURCE), ("lighting", hc.LIGHTING),
    ("wattage", hc.WATTAGE), ("cooking_fuel", hc.COOKING_FUEL), ("toilet_facility", hc.TOILET_FACILITY),
    ("toilet_type", hc.TOILET_TYPE), ("sewage", hc.SEWAGE))
ADDRESS_FIELDS = ("kk", "dusun", "rt", "rw", "address", "phone")


def _text_of(w: QWidget) -> str:
    if isinstance(w, QComboBox):
        return w.currentText() if w.isEditable() else str(w.currentData() or "")
    return w.text() if isinstance(w, QLineEdit) else ""


class HouseholdScreen(QWidget):
    saved = Signal(str)  # record_id of any household, member or proposal saved here

    def __init__(self, service: HouseholdService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("householdScreen")
        self.service = service
        self.runner = runner
        self.household_id: str | None = None
        self.household_row: dict[str, Any] = {}
        self.member_rows: list[dict[str, Any]] = []
        self.proposal_rows: list[dict[str, Any]] = []
        self._hh_touched: set[str] = set()
        self._loading = False
        self.saving = False
        self.member_form = MemberForm(service, runner, lambda: self.household_id or "")
        self._build()
        self._wire()
        self.new_household()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.outcome = QLabel()
        self.outcome.setObjectName("reviewOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet("background: #fff4ce; border: 1px solid #e0c060; padding: 4px;")
        self.outcome.hide()

        # -- tab 1: the family card and the address
        self.kk = line("kk", self.tr("16 digits, from the family card"), 24)
        self.kk_info = QLabel()
        self.kk_info.setObjectName("kkDecode")
        self.kk_info.setWordWrap(True)
        self.kk_pending = QCheckBox(self.tr("KK not issued yet"))
        self.kk_pending.setObjectName("kkPending")
        self.kk_pending.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dusun = QComboBox()
        self.dusun.setObjectName("dusun")
        self.dusun.setEditable(True)
        self.dusun.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.rt = line("rt", "001", 3)
        self.rw = line("rw", "001", 3)
        for w in (self.rt, self.rw):
            w.setMaximumWidth(70)
        self.address = line("address", self.tr("Street, house number"), 300)
        self.phone = line("phone", "08xxxxxxxxxx", 16)
        self.desa = QLabel(self.service.desa_code or "-")
        self.desa.setObjectName("desaLabel")
        card = QWidget()
        g = QGridLayout(card)
        self.hh_labels: dict[str, QLabel] = {}

        def put(grid: QGridLayout, text: str, w: QWidget, row: int, col: int, span: int = 1) -> None:
            lbl = QLabel(text)
            lbl.setBuddy(w)
            self.hh_labels[w.objectName()] = lbl
            grid.addWidget(lbl, row, col)
            grid.addWidget(w, row, col + 1, 1, span)

        put(g, self.tr("No. &KK:"), self.kk, 0, 0)
        g.addWidget(self.kk_info, 0, 2, 1, 4)
        g.addWidget(self.kk_pending, 1, 1, 1, 2)
        g.addWidget(QLabel(self.tr("Desa:")), 1, 3)
        g.addWidget(self.desa, 1, 4)
        put(g, self.tr("Du&sun:"), self.dusun, 2, 0)
        put(g, self.tr("RT:"), self.rt, 2, 2)
        put(g, self.tr("RW:"), self.rw, 2, 4)
        put(g, self.tr("Addr&ess:"), self.address, 3, 0, 5)
        put(g, self.tr("Phone:"), self.phone, 4, 0, 2)
        g.setColumnStretch(1, 2)
        g.setColumnStretch(5, 1)
        g.setRowStretch(5, 1)
        g.setVerticalSpacing(4)

        # -- tab 2: the house and the assets (DTSEN)
        house = QWidget()
        hg = QGridLayout(house)
        self.housing: dict[str, QComboBox] = {}
        for i, (key, codes) in enumerate(HOUSING):
            combo = code_combo(key, codes.items())
            self.housing[key] = combo
            lbl = QLabel(codes.title + ":")
            lbl.setWordWrap(True)
            lbl.setBuddy(combo)
            hg.addWidget(lbl, i // 2, (i % 2) * 2)
            hg.addWidget(combo, i // 2, (i % 2) * 2 + 1)
        r = (len(HOUSING) + 1) // 2
        self.floor_area = line("floor_area_m2", self.tr("m², e.g. 36"), 8)
        fl = QLabel(self.tr("Floor area (m²):"))
        fl.setBuddy(self.floor_area)
        hg.addWidget(fl, r - 1, 2)
        hg.addWidget(self.floor_area, r - 1, 3)
        self.assets = tick_list("assets", hc.ASSET.items(), 110)
        al = QLabel(hc.ASSET.title + ":")
        al.setBuddy(self.assets)
        hg.addWidget(al, r, 0)
        hg.addWidget(self.assets, r, 1, 1, 3)
        stock = QHBoxLayout()
        self.livestock: dict[str, QSpinBox] = {}
        for code, label in hc.LIVESTOCK.items():
            spin = QSpinBox()
            spin.setObjectName(f"livestock_{code}")
            spin.setRange(0, 10_000)
            self.livestock[str(code)] = spin
            stock.addWidget(QLabel(label))
            stock.addWidget(spin)
        stock.addStretch(1)
        sl = QLabel(hc.LIVESTOCK.title + ":")
        hg.addWidget(sl, r + 1, 0)
        hg.addLayout(stock, r + 1, 1, 1, 3)
        hg.setRowStretch(r + 2, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("householdTabs")
        # The house page scrolls inside its tab, so the taller page does not push the members down.
        house_scroll = QScrollArea()
        house_scroll.setWidget(house)
        house_scroll.setWidgetResizable(True)
        house_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tabs.addTab(card, self.tr("Family card and address"))
        self.tabs.addTab(house_scroll, self.tr("&House and assets"))
        self.tabs.setMaximumHeight(card.sizeHint().height() + 40)

        # -- members
        self.member_table = QTableWidget(0, 5)
        self.member_table.setObjectName("memberTable")
        self.member_table.setHorizontalHeaderLabels([
            self.tr("NIK / temporary no."), self.tr("Name"), self.tr("Born"), self.tr("Sex"), self.tr("Relation")])
        self.member_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.member_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.member_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.member_table.verticalHeader().hide()
        header = self.member_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.member_table.setMinimumHeight(110)
        self.member_table.setMaximumHeight(170)
        self.members_label = QLabel(self.tr("&Anggota keluarga (Enter: edit, Ctrl+U: proposal):"))
        self.members_label.setBuddy(self.member_table)

        fields = QWidget()
        ll = QVBoxLayout(fields)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.tabs)
        ll.addWidget(self.members_label)
        ll.addWidget(self.member_table)
        ll.addWidget(self.member_form, 1)
        # Scrolls on small screens; Tab scrolls the focused field into view.
        left = QScrollArea()
        left.setWidget(fields)
        left.setWidgetResizable(True)
        left.setFrameShape(QScrollArea.Shape.NoFrame)
        self.field_scroll = left  # not `scroll`: QWidget.scroll() is a method

        # -- right column: checks, duplicates, proposals, buttons
        self.hh_issues = QLabel()
        self.hh_issues.setObjectName("householdIssues")
        self.hh_issues.setWordWrap(True)
        self.hh_issues.setTextFormat(Qt.TextFormat.RichText)
        checks = QGroupBox(self.tr("Checks"))
        cl = QVBoxLayout(checks)
        cl.addWidget(self.hh_issues)
        cl.addWidget(self.member_form.issues)
        self.proposal_list = QListWidget()
        self.proposal_list.setObjectName("proposalList")
        self.proposal_list.setMaximumHeight(130)
        self.proposal_list.setWordWrap(True)
        props = QGroupBox(self.tr("Proposals of this family"))
        pl = QVBoxLayout(props)
        pl.addWidget(self.proposal_list)
        self.save_button = QPushButton(self.tr("&Save member (Enter)"))
        self.save_button.setObjectName("saveButton")
        self.proposal_button = QPushButton(self.tr("New &proposal (Ctrl+U)"))
        self.proposal_button.setObjectName("proposalButton")
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"))
        self.cancel_button.setObjectName("cancelButton")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(checks)
        rl.addWidget(self.member_form.duplicates, 1)
        rl.addWidget(props)
        for b in (self.save_button, self.proposal_button, self.cancel_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard: Enter / Ctrl+U / Esc
            rl.addWidget(b)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.addWidget(self.title)
        outer.addWidget(self.outcome)
        outer.addWidget(split, 1)

        self.hh_widgets: dict[str, QWidget] = {"kk": self.kk, "dusun": self.dusun, "rt": self.rt, "rw": self.rw,
                                               "address": self.address, "phone": self.phone,
                                               "floor_area_m2": self.floor_area, "assets": self.assets,
                                               **self.housing}
        # One chain: the household's fields, the member form, then the member table (Alt+A reaches it).
        order: list[QWidget] = [self.kk, self.dusun, self.rt, self.rw, self.address, self.phone,
                                *self.member_form.order, self.member_table]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    def _wire(self) -> None:
        for key, w in self.hh_widgets.items():
            if isinstance(w, QLineEdit):
                w.textEdited.connect(lambda _t, k=key: self._hh_edited(k))
                w.returnPressed.connect(self.save_household)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i, k=key: self._hh_edited(k))
                line = w.lineEdit()
                if line is not None:
                    line.textEdited.connect(lambda _t, k=key: self._hh_edited(k))
                w.installEventFilter(self)
            elif isinstance(w, QListWidget):
                w.itemChanged.connect(lambda _i, k=key: self._hh_edited(k))
        for spin in self.livestock.values():
            spin.valueChanged.connect(lambda _v: self._hh_edited("livestock"))
        self.kk_pending.toggled.connect(lambda _on: self._hh_edited("kk_pending"))
        self.kk.textEdited.connect(lambda _t: self._decode_kk())
        self.member_form.submit.connect(self.save_member)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)
        self.member_form.open_member_requested.connect(self.open_member)
        self.member_table.installEventFilter(self)
        self.member_table.doubleClicked.connect(lambda _i: self.edit_selected_member())
        self.save_button.clicked.connect(self.save_member)
        self.proposal_button.clicked.connect(self.new_proposal)
        self.cancel_button.clicked.connect(self.cancel)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq, slot in ((QKeySequence("Ctrl+U"), self.new_proposal), (QKeySequence(Qt.Key.Key_Escape), self.cancel),
                          (QKeySequence.StandardKey.Save, self.save_member)):
            sc = QShortcut(seq, self)
            sc.setContext(ctx)
            sc.activated.connect(slot)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if obj is self.member_table:
                self.edit_selected_member()
                return True
            if isinstance(obj, QComboBox) and not obj.view().isVisible():
                self.save_household()
                return True
        return super().eventFilter(obj, event)

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        # The keyboard's field stays in view also when it got the focus by code (Enter -> next member).
        inner = self.field_scroll.widget()
        if new is not None and inner is not None and inner.isAncestorOf(new):
            self.field_scroll.ensureWidgetVisible(new, 10, 10)

    # ------------------------------------------------------------------ household data
    def household_data(self) -> dict[str, Any]:
        return {
            "kk": self.kk.text(), "kk_pending": self.kk_pending.isChecked(), "desa_code": self.service.desa_code or "",
            "dusun": self.dusun.currentText(), "rt": self.rt.text(), "rw": self.rw.text(),
            "address": self.address.text(), "phone": self.phone.text(),
            **{k: str(c.currentData() or "") for k, c in self.housing.items()},
            "floor_area_m2": self.floor_area.text(), "assets": ticked(self.assets),
            "livestock": {k: s.value() for k, s in self.livestock.items() if s.value()},
            "notes": self.household_row.get("notes") or "",
        }

    def _hh_edited(self, key: str) -> None:
        if self._loading:
            return
        self._hh_touched.add(key)
        found = self.service.check_household(self.household_data())  # pure domain checks: microseconds
        errors = [i for i in found.errors if i.field in self._hh_touched]
        self._show_hh_issues(errors, found.warnings)

    def _show_hh_issues(self, errors: list[Any], warnings: list[Any]) -> None:
        from domain.household_check import LABELS

        lines = [f'<div style="{ERROR_CSS}">✗ <b>{LABELS.get(i.field, i.field)}:</b> {html(i.message)}</div>'
                 for i in errors]
        lines += [f'<div style="color: #8a5300;">⚠ <b>{LABELS.get(i.field, i.field)}:</b> {html(i.message)}</div>'
                  for i in warnings]
        self.hh_issues.setText("".join(lines))
        self.hh_issues.setVisible(bool(lines))
        mark_fields(self.hh_widgets, errors, warnings)

    def _decode_kk(self) -> None:
        decode_into(self.kk, self.kk_info, parse_kk, lambda n: self.tr("{n}/16 digits").format(n=n))

    def set_dusuns(self, names: list[str]) -> None:
        current = self.dusun.currentText()
        self.dusun.blockSignals(True)
        self.dusun.clear()
        self.dusun.addItems(names)
        self.dusun.setEditText(current)
        self.dusun.blockSignals(False)

    # ------------------------------------------------------------------ opening
    def is_dirty(self) -> bool:
        return bool(self._hh_touched) or self.member_form.is_dirty()

    def new_household(self) -> None:
        self._loading = True
        try:
            self.household_id = None
            self.household_row = {}
            for w in self.hh_widgets.values():
                clear_widget(w)
            for s in self.livestock.values():
                s.setValue(0)
            self.kk_pending.setChecked(False)
        finally:
            self._loading = False
        self._hh_touched.clear()
        self.member_rows, self.proposal_rows = [], []
        self._fill_members()
        self._fill_proposals()
        self.member_form.clear()
        self._decode_kk()
        self._show_hh_issues([], [])
        self.outcome.hide()
        self.title.setText(self.tr("New family"))
        self.tabs.setCurrentIndex(0)
        self.kk.setFocus()

    def load(self, household_id: str, *, member_id: str = "") -> bool:
        """Open a stored household (and one of its members in the form)."""
        row = self.service.household(household_id)
        if row is None or row["deleted"]:
            messages.warning(self.tr("The family cannot be opened: it was deleted."))
            return False
        self.new_household()
        self._loading = True
        try:
            self.household_id = household_id
            self.household_row = row
            self.kk.setText(row["kk"] or "")
            self.kk_pending.setChecked(bool(row["kk_pending"]))
            self.dusun.setEditText(row["dusun"] or "")
            self.rt.setText(row["rt"] or "")
            self.rw.setText(row["rw"] or "")
            self.address.setText(row["address"] or "")
            self.phone.setText(row["phone"] or "")
            for k, c in self.housing.items():
                set_combo(c, row[k] or "")
            self.floor_area.setText("" if row["floor_area_m2"] is None else f"{row['floor_area_m2']:g}")
            set_ticked(self.assets, json.loads(row["assets"] or "[]"))
            stock = json.loads(row["livestock"] or "{}")
            for k, s in self.livestock.items():
                s.setValue(int(stock.get(k, 0)))
        finally:
            self._loading = False
        self._decode_kk()
        self.title.setText(self.tr("Family KK {kk}").format(kk=row["kk"] or self.tr("(not issued yet)")))
        self._show_state(row)
        self.reload_members(then_member=member_id)
        self.member_form.nik.setFocus()
        return True

    def _show_state(self, row: dict[str, Any]) -> None:
        text = ""
        if row["sync_state"] == SyncState.CONFLICT:
            text = self.tr("Conflict with the server's copy: settle it from the Sync menu (Conflicts).")
        elif row["sync_state"] == SyncState.INVALID:
            text = self.tr("The server refused this family's data. Fix the fields and save to send it again.")
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    def reload_members(self, *, then_member: str = "") -> None:
        hid = self.household_id
        if not hid:
            return
        self.member_rows = self.service.members(hid)
        self.proposal_rows = self.service.proposals(hid)
        self._fill_members()
        self._fill_proposals()
        if then_member:
            row = next((m for m in self.member_rows if m["record_id"] == then_member), None)
            if row is not None:
                self.member_form.load(row)

    def _fill_members(self) -> None:
        t = self.member_table
        t.setRowCount(len(self.member_rows))
        for r, m in enumerate(self.member_rows):
            born = parse_date(str(m["birth_date"])[:10])
            cells = [m["nik"] or m["temp_id"], m["name"], format_date(born), m["sex"],
                     mc.RELATION.label(m["relation"] or "")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(str(text or ""))
                item.setData(ID_ROLE, m["record_id"])
                t.setItem(r, c, item)
        if self.member_rows and t.currentRow() < 0:
            t.setCurrentCell(0, 0)

    def _fill_proposals(self) -> None:
        self.proposal_list.clear()
        names = {m["record_id"]: m["name"] for m in self.member_rows}
        for p in self.proposal_rows:
            if p["member_id"]:
                whom = names.get(p["member_id"], "?")
            else:
                whom = self.tr("family, pengurus {name}").format(name=names.get(p["pengurus_id"], "-"))
            state = REVIEW_LABELS.get(ReviewState(p["review_state"])) if p["review_state"] else \
                SYNC_LABELS.get(SyncState(p["sync_state"]), p["sync_state"])
            self.proposal_list.addItem(f"{p['programme']} — {PROPOSAL_TYPE.label(p['type'])} — {whom} · {state}")

    def selected_member_id(self) -> str:
        item = self.member_table.item(self.member_table.currentRow(), 0)
        return str(item.data(ID_ROLE)) if item is not None else ""

    def edit_selected_member(self) -> None:
        mid = self.selected_member_id()
        row = next((m for m in self.member_rows if m["record_id"] == mid), None)
        if row is None:
            return
        if self.member_form.is_dirty() and not self._may_discard():
            return
        self.member_form.load(row)
        self.member_form.name.setFocus()

    def open_member(self, member_id: str) -> None:
        """A member from the duplicate panel: open its household with it in the form."""
        row = self.service.member(member_id)
        if row is None:
            return
        if self.is_dirty() and not self._may_discard():
            return
        self.load(str(row["household_id"]), member_id=member_id)

    # ------------------------------------------------------------------ saving
    def save_household(self, then_member: bool = False) -> None:
        """Save the household when new or changed; then the cursor goes to the member form."""
        if self.saving:
            return
        if self.household_id and not self._hh_touched:
            if then_member:
                self._write_member()
            else:
                self.member_form.nik.setFocus()
            return
        data = self.household_data()
        rid = self.household_id
        self.saving = True
        self.runner.write(lambda _p: self.service.save_household(data, record_id=rid),
                          on_success=lambda res: self._household_saved(res, then_member),
                          on_failure=self._household_failed)

    def _household_saved(self, result: Any, then_member: bool) -> None:
        self.saving = False
        self.household_id = result.record_id
        self.household_row = self.service.household(result.record_id) or {}
        self._hh_touched.clear()
        self._show_hh_issues([], result.warnings)
        self.title.setText(self.tr("Family KK {kk}").format(kk=normalize(self.kk.text()) or self.tr("(not issued yet)")))
        self.saved.emit(result.record_id)
        if then_member:
            self._write_member()
        else:
            messages.info(self.tr("Family saved. Now enter its members."))
            self.member_form.nik.setFocus()

    def _household_failed(self, exc: BaseException) -> None:
        self.saving = False
        text = messages.user_message(exc)
        if text is None:
            self._unexpected(exc)
            return
        fld = getattr(exc, "field", "") or "kk"
        issues = getattr(exc, "issues", None)
        if issues:
            fld = issues[0].field
        from domain.issues import error

        self._show_hh_issues([error(fld, "refused", text)], [])
        messages.info(self.tr("Not saved: {msg}").format(msg=text))
        w = self.hh_widgets.get(fld, self.kk)
        if fld in {k for k, _ in HOUSING} or fld in ("floor_area_m2", "assets"):
            self.tabs.setCurrentIndex(1)
        else:
            self.tabs.setCurrentIndex(0)
        w.setFocus()

    def save_member(self) -> None:
        if self.saving:
            return
        if self.member_form.is_empty() and self.member_form.record_id is None:
            self.save_household()  # Enter on an empty member form: the household only
            return
        if not self.household_id or self._hh_touched:
            self.save_household(then_member=True)
            return
        self._write_member()

    def _write_member(self, override_reason: str = "") -> None:
        form = self.member_form
        form.show_all_errors = True
        data = form.data()
        rid = form.record_id
        self.saving = True
        self.runner.write(lambda _p: self.service.save_member(data, record_id=rid, override_reason=override_reason),
                          on_success=self._member_saved, on_failure=self._member_failed)

    def _member_saved(self, result: Any) -> None:
        self.saving = False
        name = self.member_form.name.text().strip()
        messages.info(self.tr("Saved: {name}. Next member of this family.").format(name=name))
        self.saved.emit(result.record_id)
        self.reload_members()
        self.member_form.clear()
        self.member_form.nik.setFocus()

    def _member_failed(self, exc: BaseException) -> None:
        self.saving = False
        form = self.member_form
        if isinstance(exc, OverrideRequired):
            dlg = ReasonDialog(
                self.tr("Probable duplicate"),
                self.tr("This person looks like a member who is already registered. Save only if it is a different "
                        "person, and write why (for example: twins, different parents). The reason is kept in "
                        "the audit log."),
                [h.message for h in exc.hits], parent=self, object_name="overrideReasonDialog")
            if dlg.exec() == QDialog.DialogCode.Accepted:
                self._write_member(dlg.text())
            else:
                form.name.setFocus()
            return
        if isinstance(exc, MemberRefused):
            warnings = form.last_check.warnings if form.last_check else []
            form.show_issues(exc.issues, list(warnings))
            messages.info(self.tr("Not saved: {msg}").format(msg=exc.issues[0].message if exc.issues else str(exc)))
            form.focus_field(exc.issues[0].field if exc.issues else "nik")
            return
        if isinstance(exc, RecordRefused):
            from domain.issues import error

            form.show_issues([error(exc.field or "nik", exc.code or "refused", str(exc))], [])
            messages.info(self.tr("Not saved: {msg}").format(msg=str(exc)))
            form.focus_field(exc.field or "nik")
            return
        text = messages.user_message(exc)
        if text is not None:
            messages.warning(text)
            return
        self._unexpected(exc)

    def _unexpected(self, exc: BaseException) -> None:
        from desktop_app.logging_setup import report_unexpected

        log.error("saving failed", exc_info=exc)
        report_unexpected(exc, already_logged=True)

    # ------------------------------------------------------------------ proposals
    def new_proposal(self) -> ProposalDialog | None:
        """Ctrl+U: a proposal on the selected member (member table focused) or on the household."""
        if not self.household_id:
            messages.info(self.tr("Save the family first (Enter), then make its proposals."))
            self.kk.setFocus()
            return None
        member_id = self.selected_member_id() if self.member_table.hasFocus() else ""
        if not member_id and self.member_form.record_id and self.member_form.hasFocus():
            member_id = self.member_form.record_id
        back_to = QApplication.focusWidget() or self.member_form.nik
        dlg = ProposalDialog(self.service, self.runner, self.household_row, self.member_rows, member_id=member_id,
                             parent=self)
        self.proposal_dialog = dlg
        dlg.finished.connect(lambda _r: self._proposal_closed(dlg, back_to))
        dlg.open()
        return dlg

    def _proposal_closed(self, dlg: ProposalDialog, back_to: QWidget) -> None:
        if dlg.saved_id:
            self.saved.emit(dlg.saved_id)
            self.reload_members()
        # The keyboard goes back where it was (the member table's row, the member form...).
        self.window().activateWindow()
        back_to.setFocus()

    # ------------------------------------------------------------------ cancelling
    def _may_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Discard changes"),
                          self.tr("Discard what you typed in this form?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("discardDialog")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        """Esc: drop the member being typed (asking first when there is something to lose)."""
        if self.member_form.is_dirty() and not self._may_discard():
            return
        self.member_form.clear()
        self.member_form.nik.setFocus()
        self.hh_issues.setStyleSheet(NEUTRAL_CSS)
