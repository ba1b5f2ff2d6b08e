"""A proposal (usulan) on the household or one of its members, opened with Ctrl+U.

The target decides the programmes offered (domain.programmes.Catalogue.for_target): PKH, BPNT,
BLT-DD... on the household, with a pengurus (the member who receives the aid) picked from its
members (the wife, else the head, by default); PBI-JK on one member. Type new / correction /
removal (a removal asks its reason). Enter saves through HouseholdService on the writer thread;
a refusal (rule 4: an open proposal of that programme already exists; wrong target; reference
list) stays in the dialog in Indonesian, beside the field it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.services.households import HouseholdService, proposal_from
from desktop_app.tasks import TaskRunner
from domain import member_codes as mc
from domain.programmes import Target
from domain.proposal_codes import PROPOSAL_TYPE, REMOVAL_REASON, ProposalType
from ui.form_widgets import ERROR_CSS, code_combo, set_combo

HOUSEHOLD = ""  # the target combo's data for the household itself


def default_pengurus(members: Sequence[dict[str, Any]]) -> str:
    """The wife, else the head, else the first member (the usual KPM pengurus)."""
    for relation in (mc.Relation.ISTRI, mc.Relation.KEPALA_KELUARGA):
        for m in members:
            if m["relation"] == relation:
                return str(m["record_id"])
    return str(members[0]["record_id"]) if members else ""


class ProposalDialog(QDialog):
    def __init__(self, service: HouseholdService, runner: TaskRunner, household: dict[str, Any],
                 members: Sequence[dict[str, Any]], *, member_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalDialog")
        self.setWindowTitle(self.tr("New proposal"))
        self.service = service
        self.runner = runner
        self.household = household
        self.members = list(members)
        self.saved_id: str | None = None
        self.saving = False

        self.target = QComboBox()
        self.target.setObjectName("target")
        self.target.addItem(self.tr("The family (KK {kk})").format(kk=household["kk"] or "-"), HOUSEHOLD)
        for m in self.members:
            self.target.addItem(self.tr("Member: {name}").format(name=m["name"]), m["record_id"])
        self.programme = QComboBox()
        self.programme.setObjectName("programme")
        self.pengurus = QComboBox()
        self.pengurus.setObjectName("pengurus")
        for m in self.members:
            self.pengurus.addItem(f"{m['name']} ({mc.RELATION.label(m['relation'] or '') or '-'})", m["record_id"])
        self.type = code_combo("type", PROPOSAL_TYPE.items())
        self.type.removeItem(0)  # a proposal always has a type
        self.removal_reason = code_combo("removal_reason", REMOVAL_REASON.items())
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(1000)
        self.error = QLabel()
        self.error.setObjectName("proposalError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_CSS)
        self.error.hide()

        form = QFormLayout()
        self.rows: dict[str, QLabel] = {}
        for key, text, w in (("target", self.tr("&Target:"), self.target),
                             ("programme", self.tr("&Programme:"), self.programme),
                             ("pengurus_id", self.tr("P&engurus (receives the aid):"), self.pengurus),
                             ("type", self.tr("T&ype:"), self.type),
                             ("removal_reason", self.tr("&Removal reason:"), self.removal_reason),
                             ("note", self.tr("&Note:"), self.note)):
            lbl = QLabel(text)
            lbl.setBuddy(w)
            self.rows[key] = lbl
            form.addRow(lbl, w)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        lay = QVBoxLayout(self)
        hint = QLabel(self.tr("Only the programmes that fit the target are offered. Enter saves, Esc closes."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

        self.target.currentIndexChanged.connect(self._target_changed)
        self.type.currentIndexChanged.connect(self._type_changed)
        set_combo(self.target, member_id or HOUSEHOLD)
        set_combo(self.pengurus, default_pengurus(self.members))
        self._target_changed()
        self._type_changed()
        self.programme.setFocus()
        self.resize(520, self.sizeHint().height())

    def _target_changed(self) -> None:
        on_household = self.target.currentData() == HOUSEHOLD
        self.programme.clear()
        for p in self.service.programmes_for(Target.HOUSEHOLD if on_household else Target.PERSON):
            self.programme.addItem(f"{p.code} — {p.name}", p.code)
        self.pengurus.setVisible(on_household)
        self.rows["pengurus_id"].setVisible(on_household)
        self.error.hide()

    def _type_changed(self) -> None:
        removal = self.type.currentData() == ProposalType.REMOVAL
        self.removal_reason.setVisible(removal)
        self.rows["removal_reason"].setVisible(removal)

    def values(self) -> dict[str, Any]:
        on_household = self.target.currentData() == HOUSEHOLD
        return {
            "type": self.type.currentData(), "programme": self.programme.currentData() or "",
            "household_id": self.household["record_id"] if on_household else "",
            "member_id": "" if on_household else self.target.currentData(),
            "pengurus_id": (self.pengurus.currentData() or "") if on_household else "",
            "removal_reason": self.removal_reason.currentData() if self.type.currentData() == ProposalType.REMOVAL
            else "", "note": self.note.text(),
        }

    def save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.save_button.setEnabled(False)
        payload = proposal_from(self.values())
        self.runner.write(lambda _p: self.service.save_proposal(payload), on_success=self._saved,
                          on_failure=self._failed)

    def _saved(self, result: Any) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.saved_id = result.record_id
        warns = " ".join(w.message for w in result.warnings)
        messages.info(self.tr("Proposal saved.") + (" " + warns if warns else ""))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        text = messages.user_message(exc)
        if text is None:
            from desktop_app.logging_setup import report_unexpected

            report_unexpected(exc)
            return
        self.error.setText(text)
        self.error.show()
        fld = getattr(exc, "field", "")
        w = {"programme": self.programme, "pengurus_id": self.pengurus, "removal_reason": self.removal_reason,
             "note": self.note}.get(fld, self.programme)
        w.setFocus()

    def keyPressEvent(self, event: Any) -> None:
        # Enter saves from any field (a combo's open popup takes its own Enter first).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            return
        super().keyPressEvent(event)
