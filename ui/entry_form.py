"""The entry form: keyboard-first entry of one candidate, with live checks while typing.

- NIK and KK are decoded beside the field at every keystroke (pure domain code, microseconds).
- Birth date and sex are pre-filled from a valid NIK while those fields are empty (or still hold
  the pre-filled value).
- The full check (validation + duplicate search, EntryService.check) runs on a reader thread after
  a short pause in typing; a newer check supersedes an older one, so stale results are dropped.
- Enter or Ctrl+S saves and starts a new entry; Shift+Enter or Ctrl+Shift+S saves and starts the
  next member of the same KK (KK, address and programme kept); Esc cancels.
- Errors refuse saving and put the cursor on the field; saving over a probable duplicate asks for
  a reason, which EntryService writes to the audit log.

Size: over the 450-line rule (about 700 lines: one form's layout, live checks and save flow). The
household model replaces this form with household and member forms; it is split then, not twice.
The NIK/KK read-back beside the fields is domain.readback.summary, shared with the review panel.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.services.entries import CheckResult, EntryRejected, EntryService, OverrideRequired, SaveResult
from desktop_app.tasks import TaskRunner
from domain import readback
from domain.criteria import CRITERIA
from domain.dates import format_date
from domain.entry import FIELD_LABELS, validate_entry
from domain.idnumbers import IdNumber, normalize, parse_kk, parse_nik
from domain.issues import Issue
from domain.reasons import reason_text
from domain.states import ReviewState, SyncState
from ui.dialogs import ReasonDialog
from ui.duplicate_panel import DuplicatePanel

log = logging.getLogger(__name__)
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_CSS = "color: #b00020;"
WARNING_CSS = "color: #8a5300;"
OK_CSS = "color: #1b6e20;"
NEUTRAL_CSS = "color: #555;"
# Family members share these; "Next KK member" keeps them.
HOUSEHOLD_FIELDS = ("kk", "dusun", "rt", "rw", "address", "programme")
CHECK_DELAY_MS = 25  # pause in typing before the duplicate search (the target is < 50 ms overall)


class EntryForm(QWidget):
    saved = Signal(str)  # record_id, after a successful save
    check_done = Signal(object)  # CheckResult, after each live check is shown
    open_entry_requested = Signal(str)  # record_id from the duplicate panel

    def __init__(self, service: EntryService, runner: TaskRunner, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryForm")
        self.service = service
        self.runner = runner
        self.record_id: str | None = None
        self._touched: set[str] = set()
        self._show_all_errors = False
        self._auto: dict[str, str] = {}  # field -> value we pre-filled (replaced while unchanged)
        self._loading = False
        self._saving = False
        self.last_check: CheckResult | None = None
        self._build()
        self._wire()
        self.new_entry()

    # ------------------------------------------------------------------ layout
    def _line(self, name: str, placeholder: str = "", max_len: int = 0) -> QLineEdit:
        w = QLineEdit()
        w.setObjectName(name)
        if placeholder:
            w.setPlaceholderText(placeholder)
        if max_len:
            w.setMaxLength(max_len)
        return w

    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        # What the kecamatan decided (or the server refused), so a returned entry can be fixed here.
        self.outcome = QLabel()
        self.outcome.setObjectName("reviewOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet("background: #fff4ce; border: 1px solid #e0c060; padding: 4px;")
        self.outcome.hide()

        self.nik = self._line("nik", self.tr("16 digits, from the KTP"), 24)
        self.nik_info = QLabel()
        self.kk = self._line("kk", self.tr("16 digits, from the family card"), 24)
        self.kk_info = QLabel()
        for decode, obj_name in ((self.nik_info, "nikDecode"), (self.kk_info, "kkDecode")):
            decode.setObjectName(obj_name)
            decode.setWordWrap(True)
            decode.setMinimumWidth(260)
            decode.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.name = self._line("name", self.tr("As written on the KTP"), 100)
        self.birth_place = self._line("birth_place", "", 100)
        self.birth_date = self._line("birth_date", self.tr("dd-mm-yyyy"), 10)
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        self.sex.addItem(self.tr("— choose —"), "")
        self.sex.addItem(self.tr("L — male"), "L")
        self.sex.addItem(self.tr("P — female"), "P")
        self.dusun = QComboBox()
        self.dusun.setObjectName("dusun")
        self.dusun.setEditable(True)
        self.dusun.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.dusun.setMinimumWidth(240)
        self.rt = self._line("rt", "001", 3)
        self.rw = self._line("rw", "001", 3)
        for w in (self.rt, self.rw):
            w.setMaximumWidth(70)
        self.address = self._line("address", self.tr("Street, house number"), 300)
        self.phone = self._line("phone", "08xxxxxxxxxx", 16)
        self.programme = QComboBox()
        self.programme.setObjectName("programme")
        for p in self.service.catalogue.all():
            self.programme.addItem(f"{p.code} — {p.name}", p.code)
        self.criteria = QListWidget()
        self.criteria.setObjectName("criteria")
        self.criteria.setFlow(QListView.Flow.TopToBottom)
        self.criteria.setWrapping(True)
        self.criteria.setResizeMode(QListView.ResizeMode.Adjust)
        self.criteria.setFixedHeight(104)
        for code, label in CRITERIA.items():
            item = QListWidgetItem(label)
            item.setData(CODE_ROLE, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.criteria.addItem(item)
        self.notes = self._line("notes", "", 1000)
        self.latitude = self._line("latitude", self.tr("e.g. -2.7412"), 20)
        self.longitude = self._line("longitude", self.tr("e.g. 107.6350"), 20)

        ident = QGroupBox(self.tr("Identity"))
        g = QGridLayout(ident)
        g.setColumnStretch(1, 2)
        g.setColumnStretch(2, 3)
        rows: list[tuple[str, QWidget, QWidget | None]] = [
            (self.tr("&NIK:"), self.nik, self.nik_info),
            (self.tr("No. &KK:"), self.kk, self.kk_info),
            (self.tr("N&ame:"), self.name, None),
            (self.tr("&Birth place:"), self.birth_place, None),
            (self.tr("Birth &date:"), self.birth_date, None),
            (self.tr("Se&x:"), self.sex, None),
        ]
        self.labels: dict[str, QLabel] = {}
        for r, (text, widget, info) in enumerate(rows):
            lbl = QLabel(text)
            lbl.setBuddy(widget)
            self.labels[widget.objectName()] = lbl
            g.addWidget(lbl, r, 0)
            if info is None:
                g.addWidget(widget, r, 1, 1, 2)
            else:
                g.addWidget(widget, r, 1)
                g.addWidget(info, r, 2)

        addr = QGroupBox(self.tr("Address"))
        a = QGridLayout(addr)
        self._buddy(a, 0, 0, self.tr("D&usun:"), self.dusun)
        rtrw = QHBoxLayout()
        rtrw.addWidget(self.rt)
        rw_label = QLabel(self.tr("R&W:"))
        rw_label.setBuddy(self.rw)
        rtrw.addWidget(rw_label)
        rtrw.addWidget(self.rw)
        rtrw.addStretch(1)
        rt_label = QLabel(self.tr("&RT:"))
        rt_label.setBuddy(self.rt)
        a.addWidget(rt_label, 0, 2)
        a.addLayout(rtrw, 0, 3)
        self._buddy(a, 1, 0, self.tr("A&ddress:"), self.address, span=3)
        self._buddy(a, 2, 0, self.tr("&Phone:"), self.phone, span=3)

        prog = QGroupBox(self.tr("Programme and criteria"))
        pf = QFormLayout(prog)
        pl = QLabel(self.tr("Pro&gramme:"))
        pl.setBuddy(self.programme)
        pf.addRow(pl, self.programme)
        cl = QLabel(self.tr("&Criteria:"))
        cl.setBuddy(self.criteria)
        pf.addRow(cl, self.criteria)
        hint = QLabel(self.tr("Arrow keys to move, Space to tick."))
        hint.setStyleSheet(NEUTRAL_CSS)
        pf.addRow("", hint)
        nl = QLabel(self.tr("N&otes:"))
        nl.setBuddy(self.notes)
        pf.addRow(nl, self.notes)
        coords = QHBoxLayout()
        coords.addWidget(self.latitude)
        coords.addWidget(self.longitude)
        co = QLabel(self.tr("Coordinates (optional):"))
        co.setBuddy(self.latitude)
        pf.addRow(co, coords)

        # One label column width for the three groups, so the fields line up.
        for lbl in fields_labels(ident, addr, prog):
            lbl.setMinimumWidth(LABEL_WIDTH)

        fields = QWidget()
        fl = QVBoxLayout(fields)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(ident)
        fl.addWidget(addr)
        fl.addWidget(prog)
        fl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        # Right side: what the checks found, the duplicates, the buttons.
        self.issues = QLabel()
        self.issues.setObjectName("issuesLabel")
        self.issues.setWordWrap(True)
        self.issues.setTextFormat(Qt.TextFormat.RichText)
        self.issues.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.issues.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        checks = QGroupBox(self.tr("Checks"))
        cl2 = QVBoxLayout(checks)
        cl2.addWidget(self.issues)
        self.duplicates = DuplicatePanel()
        self.save_button = QPushButton(self.tr("&Save (Enter)"))
        self.save_button.setObjectName("saveButton")
        self.next_member_button = QPushButton(self.tr("Save, next &member of this KK (Shift+Enter)"))
        self.next_member_button.setObjectName("nextMemberButton")
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"))
        self.cancel_button.setObjectName("cancelButton")
        for b in (self.save_button, self.next_member_button, self.cancel_button):
            b.setAutoDefault(False)
        buttons = QVBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.next_member_button)
        buttons.addWidget(self.cancel_button)
        right = QVBoxLayout()
        right.addWidget(checks)
        right.addWidget(self.duplicates, 1)
        right.addLayout(buttons)

        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addLayout(right, 2)
        outer = QVBoxLayout(self)
        outer.addWidget(self.title)
        outer.addWidget(self.outcome)
        outer.addLayout(body, 1)

        order: list[QWidget] = [self.nik, self.kk, self.name, self.birth_place, self.birth_date, self.sex, self.dusun,
                                self.rt, self.rw, self.address, self.phone, self.programme, self.criteria, self.notes,
                                self.latitude, self.longitude, self.save_button, self.next_member_button,
                                self.cancel_button, self.duplicates.list]
        for a_w, b_w in itertools.pairwise(order):
            self.setTabOrder(a_w, b_w)
        # Decode labels and hints are not tab stops.
        self.field_widgets: dict[str, QWidget] = {
            "nik": self.nik, "kk": self.kk, "name": self.name, "birth_place": self.birth_place,
            "birth_date": self.birth_date, "sex": self.sex, "dusun": self.dusun, "rt": self.rt, "rw": self.rw,
            "address": self.address, "phone": self.phone, "programme": self.programme, "criteria": self.criteria,
            "notes": self.notes, "latitude": self.latitude, "longitude": self.longitude,
        }

    def _buddy(self, grid: QGridLayout, row: int, col: int, text: str, w: QWidget, span: int = 1) -> None:
        lbl = QLabel(text)
        lbl.setBuddy(w)
        grid.addWidget(lbl, row, col)
        grid.addWidget(w, row, col + 1, 1, span)

    def _wire(self) -> None:
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        for key, w in self.field_widgets.items():
            if isinstance(w, QLineEdit):
                w.textEdited.connect(lambda _t, k=key: self._edited(k))
                w.returnPressed.connect(self._enter_pressed)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))
                inner = w.lineEdit() if w.isEditable() else None
                if inner is not None:
                    inner.textEdited.connect(lambda _t, k=key: self._edited(k))
                w.installEventFilter(self)
            elif isinstance(w, QListWidget):
                w.itemChanged.connect(lambda _i, k=key: self._edited(k))
                w.installEventFilter(self)
        # After the generic handler above, so a complete number cancels its typing pause.
        self.nik.textEdited.connect(self._nik_edited)
        self.kk.textEdited.connect(self._kk_edited)
        self.save_button.clicked.connect(self.save_and_new)
        self.next_member_button.clicked.connect(self.save_and_next_member)
        self.cancel_button.clicked.connect(self.cancel)
        self.duplicates.open_requested.connect(self.open_entry_requested)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq, slot in ((QKeySequence.StandardKey.Save, self.save_and_new),
                          (QKeySequence("Ctrl+Shift+S"), self.save_and_next_member),
                          (QKeySequence(Qt.Key.Key_Escape), self.cancel)):
            sc = QShortcut(seq, self)
            sc.setContext(ctx)
            sc.activated.connect(slot)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Enter on a combo box or the criteria list saves too (line edits use returnPressed).
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if isinstance(obj, QComboBox) and obj.view().isVisible():
                return False
            self._enter_pressed(event.modifiers())
            return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------ data in and out
    def data(self) -> dict[str, Any]:
        """What the form holds, as EntryService takes it."""
        return {
            "nik": self.nik.text(), "kk": self.kk.text(), "name": self.name.text(),
            "birth_place": self.birth_place.text(), "birth_date": self.birth_date.text(),
            "sex": self.sex.currentData() or "", "desa_code": self.service.desa_code or "",
            "dusun": self.dusun.currentText(), "rt": self.rt.text(), "rw": self.rw.text(),
            "address": self.address.text(), "phone": self.phone.text(),
            "criteria": self.checked_criteria(), "programme": self.programme.currentData() or "",
            "notes": self.notes.text(), "latitude": self.latitude.text(), "longitude": self.longitude.text(),
        }

    def checked_criteria(self) -> list[str]:
        out = []
        for i in range(self.criteria.count()):
            item = self.criteria.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(CODE_ROLE)))
        return out

    def set_criteria(self, codes: list[str]) -> None:
        for i in range(self.criteria.count()):
            item = self.criteria.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(CODE_ROLE) in codes else Qt.CheckState.Unchecked)

    def _set_combo(self, combo: QComboBox, value: str) -> None:
        idx = combo.findData(value)
        if idx < 0 and combo.isEditable():
            combo.setEditText(value)
            return
        combo.setCurrentIndex(max(idx, 0))

    def _clear(self, keep: tuple[str, ...] = ()) -> None:
        self._loading = True
        try:
            for key, w in self.field_widgets.items():
                if key in keep:
                    continue
                if isinstance(w, QLineEdit):
                    w.clear()
                elif key == "sex":
                    self.sex.setCurrentIndex(0)
                elif key == "dusun":
                    self.dusun.setEditText("")
                elif key == "criteria":
                    self.set_criteria([])
            # The programme is sticky: the next entry is usually for the same programme.
        finally:
            self._loading = False
        self._touched.clear()
        self._auto.clear()
        self._show_all_errors = False
        self.last_check = None
        self._decode_nik()
        self._decode_kk()
        self._show_issues([], [])
        self.duplicates.show_hits([])

    def set_dusuns(self, names: list[str]) -> None:
        """The dusun names in use (the completer list); fetched in the background by the window."""
        current = self.dusun.currentText()
        self.dusun.blockSignals(True)
        self.dusun.clear()
        self.dusun.addItems(names)
        self.dusun.setEditText(current)
        self.dusun.blockSignals(False)

    def new_entry(self) -> None:
        self.record_id = None
        self._clear()
        self.outcome.hide()
        self.title.setText(self.tr("New entry"))
        self.nik.setFocus()

    def next_member(self) -> None:
        """Keep the KK, address and programme; the cursor goes to the NIK of the next member."""
        kk = self.kk.text()
        self.record_id = None
        self._clear(keep=HOUSEHOLD_FIELDS)
        self.outcome.hide()
        self._decode_kk()
        self.title.setText(self.tr("Next member of KK {kk}").format(kk=normalize(kk)))
        self.nik.setFocus()
        if kk:
            self._check_timer.start()

    def load(self, record_id: str) -> bool:
        """Open an existing entry for editing; False when it no longer exists or was deleted."""
        entry = self.service.get(record_id)
        if entry is None or entry.deleted:
            messages.warning(self.tr("The entry cannot be opened: it was deleted."))
            return False
        self._clear()
        self._loading = True
        try:
            self.record_id = record_id
            self.nik.setText(entry.nik)
            self.kk.setText(entry.kk)
            self.name.setText(entry.name)
            self.birth_place.setText(entry.birth_place)
            self.birth_date.setText(format_date(entry.birth_date))
            self._set_combo(self.sex, entry.sex)
            self.dusun.setEditText(entry.dusun)
            self.rt.setText(entry.rt)
            self.rw.setText(entry.rw)
            self.address.setText(entry.address)
            self.phone.setText(entry.phone)
            self._set_combo(self.programme, entry.programme)
            self.set_criteria([c for c in entry.criteria.split(",") if c])
            self.notes.setText(entry.notes)
            self.latitude.setText("" if entry.latitude is None else str(entry.latitude))
            self.longitude.setText("" if entry.longitude is None else str(entry.longitude))
        finally:
            self._loading = False
        self.title.setText(self.tr("Edit entry: {name}").format(name=entry.name))
        self._show_outcome(entry)
        self._decode_nik()
        self._decode_kk()
        self._show_all_errors = True
        self.run_check()
        self.name.setFocus()
        return True

    def _show_outcome(self, entry: Any) -> None:
        text = ""
        note = (entry.review_note or "").strip()
        if note and note[-1] not in ".!?":
            note += "."  # the banner continues with another sentence
        if entry.sync_state == SyncState.CONFLICT:
            text = self.tr("Conflict with the server's copy: settle it from the Sync menu (Conflicts).")
        elif entry.sync_state == SyncState.INVALID:
            text = self.tr("The server refused this entry. Fix the fields marked below and save to send it again.")
        elif entry.review_state == ReviewState.REJECTED:
            text = self.tr("Rejected by the kecamatan: {reason}.").format(reason=reason_text(entry.review_reason_code))
            if note:
                text += " " + self.tr("Note: {note}").format(note=note)
            text += " " + self.tr("Saving a correction sends it for review again.")
        elif entry.review_state == ReviewState.RETURNED:
            text = self.tr("Returned for revision: {note}").format(note=note or "-")
            text += " " + self.tr("Fix it and save; it will be sent for review again.")
        elif entry.review_state == ReviewState.APPROVED:
            text = self.tr("Approved by the kecamatan. Saving a change sends it for review again.")
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    def is_dirty(self) -> bool:
        return bool(self._touched)

    # ------------------------------------------------------------------ live checks
    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self._touched.add(key)
        self._auto.pop(key, None)
        self._check_timer.start()

    def _nik_edited(self, text: str) -> None:
        self._decode_nik()
        self._check_now_if_complete(text)

    def _kk_edited(self, text: str) -> None:
        self._decode_kk()
        self._check_now_if_complete(text)

    def _check_now_if_complete(self, text: str) -> None:
        # The 16th digit is the moment the duplicate panel matters: no typing pause then.
        if len(normalize(text)) == 16:
            self._check_timer.stop()
            self.run_check()

    def _decode(self, field: str, widget: QLineEdit, label: QLabel, parse: Callable[[str], IdNumber]) -> IdNumber | None:
        text = widget.text()
        digits = normalize(text)
        if not digits:
            label.setText("")
            label.setStyleSheet(NEUTRAL_CSS)
            return None
        if digits.isdigit() and len(digits) < 16:
            label.setText(self.tr("{n}/16 digits").format(n=len(digits)))
            label.setStyleSheet(NEUTRAL_CSS)
            return None
        num = parse(text)
        if num.errors:
            label.setText(" ".join(i.message for i in num.errors))
            label.setStyleSheet(ERROR_CSS)
        elif num.warnings:
            label.setText(readback.summary(num) + " — " + " ".join(i.message for i in num.warnings))
            label.setStyleSheet(WARNING_CSS)
        else:
            label.setText("✓ " + readback.summary(num))
            label.setStyleSheet(OK_CSS)
        return num

    def _decode_nik(self) -> None:
        desa = self.service.desa_code
        num = self._decode("nik", self.nik, self.nik_info, lambda t: parse_nik(t, operator_kabkota=desa))
        if num is None or not num.valid or self._loading:
            return
        # Pre-fill birth date and sex while the operator has not typed them.
        likely = num.likely_date()
        bd_text = self.birth_date.text()
        if likely is not None and (not bd_text or self._auto.get("birth_date") == bd_text):
            value = format_date(likely)
            self.birth_date.setText(value)
            self._auto["birth_date"] = value
        if num.sex and (not self.sex.currentData() or self._auto.get("sex") == self.sex.currentData()):
            self._loading = True
            self._set_combo(self.sex, num.sex)
            self._loading = False
            self._auto["sex"] = num.sex

    def _decode_kk(self) -> None:
        self._decode("kk", self.kk, self.kk_info, lambda t: parse_kk(t))

    def run_check(self) -> None:
        """Validate and search duplicates off the GUI thread; only the newest result is shown."""
        data = self.data()
        record_id = self.record_id
        self.runner.query(lambda _p: self.service.check(data, record_id=record_id),
                          on_success=self._check_finished, key=f"entry-check-{id(self)}")

    def _check_finished(self, result: CheckResult) -> None:
        self.last_check = result
        visible = self._visible_fields()
        errors = [i for i in result.errors if i.field in visible]
        self._show_issues(errors, result.warnings)
        self.duplicates.show_hits(result.duplicates, nik_invalid=any(i.field == "nik" for i in result.entry.errors))
        self.check_done.emit(result)

    def _visible_fields(self) -> set[str]:
        # While typing, errors show only for fields already touched (no "Nama wajib diisi" before
        # the operator got there); after a save attempt, all of them.
        if self._show_all_errors:
            return set(FIELD_LABELS) | {"record_id", "data"}
        return set(self._touched) | {"desa_code"}

    def _show_issues(self, errors: list[Issue], warnings: list[Issue]) -> None:
        lines = []
        for i in errors:
            lines.append(f'<div style="{ERROR_CSS}">✗ <b>{FIELD_LABELS.get(i.field, i.field)}:</b> {_html(i.message)}</div>')
        for i in warnings:
            lines.append(f'<div style="{WARNING_CSS}">⚠ <b>{FIELD_LABELS.get(i.field, i.field)}:</b> {_html(i.message)}</div>')
        if not lines:
            none_yet = self.tr("No problems found so far.")
            lines.append(f'<div style="{NEUTRAL_CSS}">{_html(none_yet)}</div>')
        self.issues.setText("".join(lines))
        bad = {i.field for i in errors}
        warn = {i.field for i in warnings}
        for key, w in self.field_widgets.items():
            level = "error" if key in bad else "warning" if key in warn else ""
            if w.property("issue") != level:
                w.setProperty("issue", level)
                w.setStyleSheet({"error": "border: 2px solid #b00020;", "warning": "border: 2px solid #c98a00;"}
                                .get(level, ""))
            msgs = [i.message for i in errors + warnings if i.field == key]
            w.setToolTip("\n".join(msgs))

    # ------------------------------------------------------------------ saving
    def _enter_pressed(self, modifiers: Qt.KeyboardModifier | None = None) -> None:
        mods = QApplication.keyboardModifiers() if modifiers is None else modifiers
        if mods & Qt.KeyboardModifier.ShiftModifier:
            self.save_and_next_member()
        else:
            self.save_and_new()

    def save_and_new(self) -> None:
        self.save(next_member=False)

    def save_and_next_member(self) -> None:
        self.save(next_member=True)

    def save(self, *, next_member: bool = False, override_reason: str = "") -> None:
        if self._saving:
            return
        data = self.data()
        self._show_all_errors = True
        # Local errors first: refuse at once and put the cursor on the field.
        local = validate_entry(data, catalogue=self.service.catalogue, operator_desa=self.service.desa_code)
        if local.errors:
            self._refuse(local.errors, list(local.warnings))
            return
        self._saving = True
        self._set_buttons_enabled(False)
        record_id = self.record_id
        self.runner.write(
            lambda _p: self.service.save(data, record_id=record_id, override_reason=override_reason),
            on_success=lambda res: self._saved(res, next_member),
            on_failure=lambda exc: self._save_failed(exc, next_member),
        )

    def _set_buttons_enabled(self, on: bool) -> None:
        for b in (self.save_button, self.next_member_button):
            b.setEnabled(on)

    def _refuse(self, errors: list[Issue], warnings: list[Issue]) -> None:
        self._show_issues(errors, warnings)
        first = errors[0]
        w = self.field_widgets.get(first.field)
        messages.info(self.tr("Not saved: {msg}").format(msg=first.message))
        if w is not None:
            w.setFocus()
            if isinstance(w, QLineEdit):
                w.selectAll()

    def _saved(self, result: SaveResult, next_member: bool) -> None:
        self._saving = False
        self._set_buttons_enabled(True)
        name = self.name.text().strip()
        if result.changed:
            messages.info(self.tr("Saved: {name}.").format(name=name))
        else:
            messages.info(self.tr("No changes to save for {name}.").format(name=name))
        self.saved.emit(result.record_id)
        if next_member:
            self.next_member()
        else:
            self.new_entry()

    def _save_failed(self, exc: BaseException, next_member: bool) -> None:
        self._saving = False
        self._set_buttons_enabled(True)
        if isinstance(exc, OverrideRequired):
            dlg = ReasonDialog(
                self.tr("Probable duplicate"),
                self.tr("This person looks like an entry that already exists. Save only if it is a different "
                        "person, and write why (for example: twins, different parents). The reason is kept in "
                        "the audit log."),
                [h.message for h in exc.hits], parent=self, object_name="overrideReasonDialog")
            if dlg.exec() == QDialog.DialogCode.Accepted:
                self.save(next_member=next_member, override_reason=dlg.text())
            else:
                self.name.setFocus()
            return
        if isinstance(exc, EntryRejected):
            warnings = self.last_check.warnings if self.last_check else []
            self._refuse(exc.issues or [], list(warnings))
            return
        text = messages.user_message(exc)
        if text is not None:
            messages.warning(text)
            return
        from desktop_app.logging_setup import report_unexpected

        log.error("saving failed", exc_info=exc)
        report_unexpected(exc, already_logged=True)

    def cancel(self) -> None:
        """Esc: drop what was typed (asking first when there is something to lose)."""
        if self.is_dirty():
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Discard entry"),
                              self.tr("Discard what you typed in this form?"),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
            box.setObjectName("discardDialog")
            box.setDefaultButton(QMessageBox.StandardButton.Yes)
            if box.exec() != QMessageBox.StandardButton.Yes:
                return
        self.new_entry()


LABEL_WIDTH = 150


def fields_labels(*groups: QWidget) -> list[QLabel]:
    """The field labels of these groups (labels with a buddy, plus the coordinates label)."""
    out = []
    for g in groups:
        for lbl in g.findChildren(QLabel):
            if lbl.buddy() is not None and lbl.buddy() not in (g.findChild(QLineEdit, "rw"), g.findChild(QLineEdit, "rt")):
                out.append(lbl)
    return out


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
