"""The member form under the household's member table: one person of the family, keyboard-first.

- The NIK is read back beside the field at every keystroke; a valid NIK pre-fills birth date and
  sex while those are empty (or still hold the pre-filled value).
- "Belum punya NIK" (Ctrl+T) gives the person a temporary id (domain.temp_ids) instead.
- The full check (HouseholdService.check_member: field checks, the NIK-vs-typed warnings, same NIK,
  probable same person among members, reference list) runs on a reader thread after a short pause;
  a newer check supersedes an older one. Its result goes to the checks label and the duplicate panel.
- Enter anywhere in the form asks the household screen to save (signal `submit`).
- Functional difficulties: arrow keys pick one, Space steps its severity (none -> some -> a lot ->
  cannot at all).
Fields the form does not show (school status, chronic illness, phone...) keep their stored values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QWidget,
)

from desktop_app.services.households import HouseholdService, MemberCheck
from desktop_app.tasks import TaskRunner
from domain import member_codes as mc
from domain.criteria import CRITERIA
from domain.dates import format_date, parse_date
from domain.idnumbers import normalize
from domain.issues import Issue
from domain.member_check import LABELS
from domain.ppks import PPKS
from ui.duplicate_panel import DuplicatePanel
from ui.form_widgets import (
    CODE_ROLE,
    clear_widget,
    code_combo,
    decode_into,
    issues_html,
    line,
    mark_fields,
    set_combo,
    set_ticked,
    tick_list,
    ticked,
)

CHECK_DELAY_MS = 25  # pause in typing before the duplicate search
SEVERITIES = ["", *(str(s) for s in mc.Severity)]


class MemberForm(QGroupBox):
    submit = Signal()  # Enter: save this member (the household screen decides how)
    check_done = Signal(object)  # MemberCheck, after each live check is shown
    open_member_requested = Signal(str)  # record_id from the duplicate panel

    def __init__(self, service: HouseholdService, runner: TaskRunner, household_id: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberForm")
        self.service = service
        self.runner = runner
        self.household_id = household_id
        self.record_id: str | None = None
        self.row: dict[str, Any] = {}  # the stored member being edited (fields not shown keep their values)
        self._touched: set[str] = set()
        self._auto: dict[str, str] = {}
        self._loading = False
        self.show_all_errors = False
        self.last_check: MemberCheck | None = None
        self._build()
        self._wire()
        self.clear()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.setTitle(self.tr("New member"))
        self.nik = line("nik", self.tr("16 digits, from the KTP or KK"), 24)
        self.nik_info = QLabel()
        self.nik_info.setObjectName("nikDecode")
        self.nik_info.setWordWrap(True)
        self.nik_info.setMinimumWidth(220)
        self.nik_info.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.no_nik = QCheckBox(self.tr("No NIK yet: give a temporary number (Ctrl+T)"))
        self.no_nik.setObjectName("noNik")
        self.no_nik.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+T, not a Tab stop
        self.name = line("name", self.tr("As written on the KK"), 100)
        self.birth_place = line("birth_place", "", 100)
        self.birth_date = line("birth_date", self.tr("dd-mm-yyyy or 17/8/85"), 10)
        self.sex = code_combo("sex", mc.SEX.items())
        self.relation = code_combo("relation", mc.RELATION.items())
        self.marital_status = code_combo("marital_status", mc.MARITAL_STATUS.items())
        self.education = code_combo("education", mc.EDUCATION.items())
        self.occupation = code_combo("occupation", mc.OCCUPATION.items())
        self.difficulties = QListWidget()
        self.difficulties.setObjectName("difficulties")
        self.difficulties.setFixedHeight(80)
        for code, label in mc.DIFFICULTY.items():
            item = QListWidgetItem(label)
            item.setData(CODE_ROLE, str(code))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)  # a severity, not a tick: Space steps it
            self.difficulties.addItem(item)
        self._difficulty_labels = dict(mc.DIFFICULTY.items())
        self.ppks = tick_list("ppks", PPKS.items(), 80)
        self.criteria = tick_list("criteria", CRITERIA.items(), 80)
        self.notes = line("notes", "", 1000)

        g = QGridLayout(self)
        g.setColumnStretch(1, 2)
        g.setColumnStretch(3, 2)
        self.labels: dict[str, QLabel] = {}

        def put(text: str, w: QWidget, row: int, col: int, span: int = 1) -> None:
            lbl = QLabel(text)
            lbl.setBuddy(w)
            self.labels[w.objectName()] = lbl
            g.addWidget(lbl, row, col)
            g.addWidget(w, row, col + 1, 1, span)

        put(self.tr("&NIK:"), self.nik, 0, 0)
        g.addWidget(self.nik_info, 0, 2, 1, 2)
        g.addWidget(self.no_nik, 1, 1, 1, 3)
        put(self.tr("Full na&me:"), self.name, 2, 0, 3)
        put(self.tr("Birth &place:"), self.birth_place, 3, 0)
        put(self.tr("Birth &date:"), self.birth_date, 3, 2)
        put(self.tr("Se&x:"), self.sex, 4, 0)
        put(self.tr("&Relation:"), self.relation, 4, 2)
        put(self.tr("Marital stat&us:"), self.marital_status, 5, 0)
        put(self.tr("Educat&ion:"), self.education, 5, 2)
        put(self.tr("&Occupation:"), self.occupation, 6, 0)
        put(self.tr("Disabilit&y (Space):"), self.difficulties, 7, 0)
        put(self.tr("PPKS:"), self.ppks, 7, 2)
        put(self.tr("Criteria:"), self.criteria, 8, 0, 3)
        put(self.tr("Notes:"), self.notes, 9, 0, 3)

        # The checks and the duplicate panel are laid out by the household screen (right column).
        self.issues = QLabel()
        self.issues.setObjectName("issuesLabel")
        self.issues.setWordWrap(True)
        self.issues.setTextFormat(Qt.TextFormat.RichText)
        self.issues.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.duplicates = DuplicatePanel()

        self.order: list[QWidget] = [self.nik, self.name, self.birth_place, self.birth_date, self.sex, self.relation,
                                     self.marital_status, self.education, self.occupation, self.difficulties,
                                     self.ppks, self.criteria, self.notes]
        for a, b in itertools.pairwise(self.order):
            QWidget.setTabOrder(a, b)
        self.field_widgets: dict[str, QWidget] = {w.objectName(): w for w in self.order}

    def _wire(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run_check)
        for key, w in self.field_widgets.items():
            if isinstance(w, QLineEdit):
                w.textEdited.connect(lambda _t, k=key: self._edited(k))
                w.returnPressed.connect(self.submit)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))
                w.installEventFilter(self)
            elif isinstance(w, QListWidget):
                w.itemChanged.connect(lambda _i, k=key: self._edited(k))
                w.installEventFilter(self)
        self.nik.textEdited.connect(self._nik_edited)
        self.no_nik.toggled.connect(self._no_nik_toggled)
        self.duplicates.open_requested.connect(self.open_member_requested)
        toggle = QShortcut(QKeySequence("Ctrl+T"), self)
        toggle.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        toggle.activated.connect(self.no_nik.toggle)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if isinstance(obj, QComboBox) and obj.view().isVisible():
                    return False
                self.submit.emit()
                return True
            if obj is self.difficulties and event.key() == Qt.Key.Key_Space:
                self._step_difficulty()
                return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------ difficulties
    def _step_difficulty(self) -> None:
        item = self.difficulties.currentItem()
        if item is None:
            return
        now = str(item.data(CODE_ROLE + 1) or "")
        self._set_severity(item, SEVERITIES[(SEVERITIES.index(now) + 1) % len(SEVERITIES)])
        self._edited("difficulties")

    def _set_severity(self, item: QListWidgetItem, severity: str) -> None:
        item.setData(CODE_ROLE + 1, severity)
        label = self._difficulty_labels.get(mc.Difficulty(str(item.data(CODE_ROLE))), "")
        item.setText(f"{label}: {mc.DIFFICULTY_SEVERITY.label(severity)}" if severity else label)

    def difficulty_values(self) -> dict[str, str]:
        out = {}
        for i in range(self.difficulties.count()):
            item = self.difficulties.item(i)
            sev = str(item.data(CODE_ROLE + 1) or "")
            if sev:
                out[str(item.data(CODE_ROLE))] = sev
        return out

    # ------------------------------------------------------------------ data in and out
    def data(self) -> dict[str, Any]:
        """What the form holds, as HouseholdService takes it (stored fields it does not show kept)."""
        keep: dict[str, Any] = {k: self.row[k] for k in ("school_status", "chronic_illness", "pregnant", "phone", "former_ids",
                                         "override_reason") if k in self.row}
        if isinstance(keep.get("former_ids"), str):
            import json

            keep["former_ids"] = json.loads(keep["former_ids"] or "[]")
        temp = self.nik.text().strip().upper() if self.no_nik.isChecked() else ""
        return {
            **keep, "household_id": self.household_id(), "nik": "" if temp else self.nik.text(), "temp_id": temp,
            "name": self.name.text(), "birth_place": self.birth_place.text(), "birth_date": self.birth_date.text(),
            "sex": self.sex.currentData() or "", "relation": self.relation.currentData() or "",
            "marital_status": self.marital_status.currentData() or "", "education": self.education.currentData() or "",
            "occupation": self.occupation.currentData() or "", "difficulties": self.difficulty_values(),
            "ppks": ticked(self.ppks), "criteria": ticked(self.criteria), "notes": self.notes.text(),
        }

    def clear(self) -> None:
        """An empty form for the next member of the same household."""
        self._loading = True
        try:
            self.record_id = None
            self.row = {}
            self.no_nik.setChecked(False)
            self.nik.setReadOnly(False)
            for w in self.order:
                clear_widget(w)
            for i in range(self.difficulties.count()):
                self._set_severity(self.difficulties.item(i), "")
        finally:
            self._loading = False
        self.setTitle(self.tr("New member"))
        self._touched.clear()
        self._auto.clear()
        self.show_all_errors = False
        self.last_check = None
        self._decode_nik()
        self.issues.setText(issues_html([], [], LABELS, self.tr("No problems found so far.")))
        mark_fields(self.field_widgets, [], [])
        self.duplicates.show_hits([])

    def load(self, row: dict[str, Any]) -> None:
        """Open a stored member for editing."""
        self.clear()
        self._loading = True
        try:
            self.record_id = str(row["record_id"])
            self.row = dict(row)
            if row["temp_id"]:
                self.no_nik.setChecked(True)
                self.nik.setText(row["temp_id"])
            else:
                self.nik.setText(row["nik"])
            self.name.setText(row["name"])
            self.birth_place.setText(row["birth_place"] or "")
            self.birth_date.setText(format_date(parse_date(str(row["birth_date"])[:10])))
            for key in ("sex", "relation", "marital_status", "education", "occupation"):
                set_combo(self.field_widgets[key], row[key] or "")  # type: ignore[arg-type]
            import json

            diffs = json.loads(row["difficulties"] or "{}")
            for i in range(self.difficulties.count()):
                item = self.difficulties.item(i)
                self._set_severity(item, diffs.get(str(item.data(CODE_ROLE)), ""))
            set_ticked(self.ppks, [c for c in (row["ppks"] or "").split(",") if c])
            set_ticked(self.criteria, [c for c in (row["criteria"] or "").split(",") if c])
            self.notes.setText(row["notes"] or "")
        finally:
            self._loading = False
        self.setTitle(self.tr("Edit member: {name}").format(name=row["name"]))
        self._decode_nik()
        self.show_all_errors = True
        self.run_check()

    def is_dirty(self) -> bool:
        return bool(self._touched)

    def is_empty(self) -> bool:
        d = self.data()
        return not any(d[k] for k in ("nik", "temp_id", "name", "birth_date"))

    # ------------------------------------------------------------------ live checks
    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self._touched.add(key)
        self._auto.pop(key, None)
        self._timer.start()

    def _no_nik_toggled(self, on: bool) -> None:
        if self._loading:
            return
        self.nik.setReadOnly(on)
        self.nik.setText(self.service.new_temp_id() if on else "")
        self._edited("nik")
        self._decode_nik()
        if on:
            self.name.setFocus()
        else:
            self.nik.setFocus()

    def _nik_edited(self, text: str) -> None:
        self._decode_nik()
        if len(normalize(text)) == 16:  # the 16th digit is when the duplicate panel matters: no pause
            self._timer.stop()
            self.run_check()

    def _decode_nik(self) -> None:
        if self.no_nik.isChecked():
            self.nik_info.setText(self.tr("Temporary number: replace it with the NIK once it is issued."))
            return
        num = decode_into(self.nik, self.nik_info, self.service.nik_readback,
                          lambda n: self.tr("{n}/16 digits").format(n=n))
        if num is None or not num.valid or self._loading:
            return
        likely = num.likely_date()
        bd_text = self.birth_date.text()
        if likely is not None and (not bd_text or self._auto.get("birth_date") == bd_text):
            value = format_date(likely)
            self.birth_date.setText(value)
            self._auto["birth_date"] = value
        if num.sex and (not self.sex.currentData() or self._auto.get("sex") == self.sex.currentData()):
            self._loading = True
            set_combo(self.sex, num.sex)
            self._loading = False
            self._auto["sex"] = num.sex

    def run_check(self) -> None:
        data = self.data()
        rid = self.record_id
        self.runner.query(lambda _p: self.service.check_member(data, record_id=rid), on_success=self._checked,
                          key=f"member-check-{id(self)}")

    def _checked(self, result: MemberCheck) -> None:
        self.last_check = result
        visible = set(LABELS) if self.show_all_errors else set(self._touched)
        errors = [i for i in result.errors if i.field in visible]
        self.show_issues(errors, result.warnings)
        self.duplicates.show_hits(result.duplicates, nik_invalid=result.nik_invalid)
        self.check_done.emit(result)

    def show_issues(self, errors: list[Issue], warnings: list[Issue]) -> None:
        self.issues.setText(issues_html(errors, warnings, LABELS, self.tr("No problems found so far.")))
        mark_fields(self.field_widgets, errors, warnings)

    def focus_field(self, fld: str) -> None:
        w = self.field_widgets.get("nik" if fld == "temp_id" else fld) or self.nik
        w.setFocus()
        if isinstance(w, QLineEdit):
            w.selectAll()
