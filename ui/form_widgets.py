"""Small pieces the household and member forms share: coded combos and tick lists, the NIK/KK
read-back beside a number field, the checks panel's HTML, the field highlight.

The code lists are domain.codelist.CodeList: their labels are already Indonesian (the KK's and the
DTSEN questionnaire's wording), so they are shown as they are, not through tr().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListView, QListWidget, QListWidgetItem, QWidget

from domain import readback
from domain.idnumbers import IdNumber, normalize
from domain.issues import Issue

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_CSS = "color: #b00020;"
WARNING_CSS = "color: #8a5300;"
OK_CSS = "color: #1b6e20;"
NEUTRAL_CSS = "color: #555;"
BORDER = {"error": "border: 2px solid #b00020;", "warning": "border: 2px solid #c98a00;"}


def line(name: str, placeholder: str = "", max_len: int = 0) -> QLineEdit:
    w = QLineEdit()
    w.setObjectName(name)
    if placeholder:
        w.setPlaceholderText(placeholder)
    if max_len:
        w.setMaxLength(max_len)
    return w


def code_combo(name: str, items: Iterable[tuple[str, str]], empty: str = "—") -> QComboBox:
    """A combo of (code, label); the first item is "not filled" (code "").

    Not editable: typing the first letters of a label picks it (Qt's keyboard search)."""
    c = QComboBox()
    c.setObjectName(name)
    # Long DTSEN labels must not widen the window past a 1280-pixel screen; the popup shows them whole.
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    c.setMinimumContentsLength(12)
    c.addItem(empty, "")
    for code, label in items:
        c.addItem(label, str(code))
    return c


def set_combo(combo: QComboBox, value: str) -> None:
    idx = combo.findData(value)
    if idx < 0 and combo.isEditable():
        combo.setEditText(value)
        return
    combo.setCurrentIndex(max(idx, 0))


def tick_list(name: str, items: Iterable[tuple[str, str]], height: int = 96) -> QListWidget:
    """Checkable codes (arrow keys move, Space ticks)."""
    w = QListWidget()
    w.setObjectName(name)
    w.setFlow(QListView.Flow.TopToBottom)
    w.setWrapping(True)
    w.setResizeMode(QListView.ResizeMode.Adjust)
    w.setFixedHeight(height)
    for code, label in items:
        item = QListWidgetItem(label)
        item.setData(CODE_ROLE, str(code))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        w.addItem(item)
    return w


def ticked(w: QListWidget) -> list[str]:
    return [str(w.item(i).data(CODE_ROLE)) for i in range(w.count())
            if w.item(i).checkState() == Qt.CheckState.Checked]


def set_ticked(w: QListWidget, codes: Iterable[str]) -> None:
    wanted = set(codes)
    for i in range(w.count()):
        item = w.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(CODE_ROLE) in wanted else Qt.CheckState.Unchecked)


def decode_into(widget: QLineEdit, label: QLabel, parse: Callable[[str], IdNumber],
                digits_text: Callable[[int], str]) -> IdNumber | None:
    """The read-back of a NIK/KK beside its field at every keystroke (pure domain code)."""
    digits = normalize(widget.text())
    if not digits:
        label.setText("")
        label.setStyleSheet(NEUTRAL_CSS)
        return None
    if digits.isdigit() and len(digits) < 16:
        label.setText(digits_text(len(digits)))
        label.setStyleSheet(NEUTRAL_CSS)
        return None
    num = parse(widget.text())
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


def html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def issues_html(errors: Iterable[Issue], warnings: Iterable[Issue], labels: Mapping[str, str], none_yet: str) -> str:
    lines = [f'<div style="{ERROR_CSS}">✗ <b>{labels.get(i.field, i.field)}:</b> {html(i.message)}</div>'
             for i in errors]
    lines += [f'<div style="{WARNING_CSS}">⚠ <b>{labels.get(i.field, i.field)}:</b> {html(i.message)}</div>'
              for i in warnings]
    return "".join(lines) or f'<div style="{NEUTRAL_CSS}">{html(none_yet)}</div>'


def mark_fields(widgets: Mapping[str, QWidget], errors: Iterable[Issue], warnings: Iterable[Issue]) -> None:
    """Red/amber border and a tooltip with the messages on the fields the checks name."""
    errs, warns = list(errors), list(warnings)
    bad = {i.field for i in errs}
    warn = {i.field for i in warns}
    for key, w in widgets.items():
        level = "error" if key in bad else "warning" if key in warn else ""
        if w.property("issue") != level:
            w.setProperty("issue", level)
            w.setStyleSheet(BORDER.get(level, ""))
        w.setToolTip("\n".join(i.message for i in errs + warns if i.field == key))


def clear_widget(w: Any) -> None:
    if isinstance(w, QLineEdit):
        w.clear()
    elif isinstance(w, QComboBox):
        if w.isEditable():
            w.setEditText("")
        else:
            w.setCurrentIndex(0)
            # A new search: the letters typed for the previous member must not prefix the next one's.
            w.view().keyboardSearch("")
    elif isinstance(w, QListWidget):
        set_ticked(w, ())
