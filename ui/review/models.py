"""Qt item models of the review workspace. Rows are view records from desktop_app.review; no HTTP here.

Each table model exposes SORT_ROLE (a plain comparable value) so a QSortFilterProxyModel sorts
numbers as numbers and dates as dates, and FILTER_ROLE (the text a free-text filter searches).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desktop_app.review.family import HouseholdView, MemberView
from desktop_app.review.flags import flag_title
from desktop_app.review.views import (
    STATE_LABELS,
    BatchView,
    DuplicateGroupView,
    GroupMemberView,
    ProposalView,
    criteria_text,
)
from domain.regions import dotted as region_dotted
from domain.states import ReviewState

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3  # the view record itself
ID_ROLE = Qt.ItemDataRole.UserRole + 4  # batch id / record id / group id

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")

STATE_COLORS: dict[str, QColor] = {
    ReviewState.PENDING: QColor("#9aa5b1"),
    ReviewState.APPROVED: QColor("#2e9e5b"),
    ReviewState.REJECTED: QColor("#c8453b"),
    ReviewState.RETURNED: QColor("#e0a030"),
}
_ERR_BG = QBrush(QColor("#fde2e0"))
_WARN_BG = QBrush(QColor("#fff4d6"))


def _fmt_time(t: datetime | None) -> str:
    if t is None:
        return "-"
    return t.astimezone().strftime("%d-%m-%Y %H:%M")


class Column(Generic[R]):
    def __init__(self, title: str, text: Callable[[R], str], sort: Callable[[R], Any] | None = None,
                 align_right: bool = False, tooltip: Callable[[R], str] | None = None) -> None:
        self.title = title
        self.text = text
        self.sort = sort or text
        self.align_right = align_right
        self.tooltip = tooltip


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of records; `columns` defines what each column shows."""

    columns: ClassVar[list[Column[Any]]] = []

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._pos: dict[str, int] | None = None  # key -> row, built on first lookup

    # -- data management
    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._pos = None
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def key_of(self, rec: R) -> str:
        return str(getattr(rec, "record_id", getattr(rec, "batch_id", getattr(rec, "group_id", id(rec)))))

    def row_of_key(self, key: str) -> int:
        if self._pos is None:
            self._pos = {self.key_of(r): i for i, r in enumerate(self._rows)}
        return self._pos.get(key, -1)

    def replace(self, rec: R) -> None:
        """Swap in a fresher copy of one record (same key)."""
        self.replace_many([rec])

    def replace_many(self, recs: Sequence[R]) -> None:
        """Swap in fresher copies; one dataChanged for the span (a bulk decision on 1,000 rows)."""
        rows = []
        for rec in recs:
            i = self.row_of_key(self.key_of(rec))
            if i >= 0:
                self._rows[i] = rec
                rows.append(i)
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), self.columnCount() - 1))

    # -- Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return None
        rec = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(rec)
        if role == SORT_ROLE:
            return col.sort(rec)
        if role == FILTER_ROLE:
            return self.filter_text(rec)
        if role == ROW_ROLE:
            return rec
        if role == ID_ROLE:
            return self.key_of(rec)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(rec)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(rec)
        return None

    def filter_text(self, rec: R) -> str:
        return " ".join(c.text(rec) for c in self.columns).lower()

    def background(self, rec: R) -> QBrush | None:
        del rec
        return None


# ---- batches ---------------------------------------------------------------------------------


def _flag_summary(b: BatchView) -> str:
    return ", ".join(f"{flag_title(k)}: {v}" for k, v in sorted(b.flag_counts.items()) if v) or "-"


def _decision_summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{STATE_LABELS.get(k, k)}: {v}" for k, v in counts.items() if v) or "-"


def _decision_count(title: str, state: ReviewState) -> Column[BatchView]:
    def count(b: BatchView) -> int:
        return b.decision_counts.get(state, 0)

    return Column(title, lambda b: str(count(b)), sort=count, align_right=True)


class BatchTableModel(RecordTableModel[BatchView]):
    columns: ClassVar[list[Column[Any]]] = [
        Column("Desa", lambda b: b.desa_name, tooltip=lambda b: region_dotted(b.desa_code)),
        Column("Operator", lambda b: b.operator or "-"),
        Column("Dikirim", lambda b: _fmt_time(b.received_at),
               sort=lambda b: b.received_at.timestamp() if b.received_at else 0.0),
        Column("Data", lambda b: str(b.entry_count), sort=lambda b: b.entry_count, align_right=True,
               tooltip=lambda b: "Keluarga, anggota dan usulan dalam kiriman ini"),
        Column("Menunggu", lambda b: str(b.pending), sort=lambda b: b.pending, align_right=True),
        *(_decision_count(title, state)
          for title, state in (("Disetujui", ReviewState.APPROVED), ("Ditolak", ReviewState.REJECTED),
                               ("Dikembalikan", ReviewState.RETURNED))),
        Column("Bertanda", lambda b: str(b.flagged), sort=lambda b: b.flagged, align_right=True,
               tooltip=_flag_summary),
        Column("Manifes", lambda b: b.whole_text,
               sort=lambda b: {None: 1, True: 2, False: 0}[b.arrived_whole],
               tooltip=lambda b: f"Jumlah menurut desa: {b.manifest_entry_count}\nHash isi: {b.manifest_hash or '-'}"),
        Column("Tanda", _flag_summary),
    ]

    def key_of(self, rec: BatchView) -> str:
        return rec.batch_id

    def background(self, rec: BatchView) -> QBrush | None:
        return _ERR_BG if rec.arrived_whole is False else None


class QuickFilterProxy(QSortFilterProxyModel):
    """Free text (a row's FILTER_ROLE text) plus one quick filter out of QUICK; "all" lets every row
    through. Subclasses say what each other quick filter keeps in `quick_keeps`."""

    QUICK: ClassVar[dict[str, str]] = {"all": "Semua"}
    DYNAMIC_SORT = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._quick = "all"
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(self.DYNAMIC_SORT)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange()

    def set_quick(self, key: str) -> None:
        self.beginFilterChange()
        self._quick = key
        self.endFilterChange()

    def quick_keeps(self, rec: Any) -> bool:
        """Whether the current quick filter (other than "all") keeps this row."""
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._quick == "all" and not self._text:
            return True
        model = self.sourceModel()
        idx = model.index(source_row, 0, source_parent)
        rec = model.data(idx, ROW_ROLE)
        if rec is None or not self.quick_keeps(rec):
            return False
        if self._text:
            return self._text in model.data(idx, FILTER_ROLE)
        return True


class BatchFilterProxy(QuickFilterProxy):
    """Free text (desa, operator, flags) plus a quick filter."""

    QUICK: ClassVar[dict[str, str]] = {
        "all": "Semua kiriman",
        "pending": "Masih ada yang menunggu",
        "flagged": "Ada tanda",
        "broken": "Tidak utuh",
    }

    def quick_keeps(self, rec: BatchView) -> bool:
        if self._quick == "pending":
            return bool(rec.pending)
        if self._quick == "flagged":
            return bool(rec.flagged)
        if self._quick == "broken":
            return rec.arrived_whole is False
        return True


# ---- proposals -------------------------------------------------------------------------------


def _flags_text(e: ProposalView) -> str:
    return ", ".join(f.title for f in e.flags) or "-"


class ProposalTableModel(RecordTableModel[ProposalView]):
    columns: ClassVar[list[Column[Any]]] = [
        Column("Status", lambda e: e.state_label, tooltip=lambda e: e.outcome_text),
        Column("Nama", lambda e: e.name),
        Column("NIK", lambda e: e.nik),
        Column("Tanda", _flags_text, sort=lambda e: (len(e.flags), _flags_text(e)),
               tooltip=lambda e: "\n".join(f"{f.title}: {f.explanation}" for f in e.flags) or "Tidak ada tanda"),
        Column("Program", lambda e: e.programme, tooltip=lambda e: e.programme_label),
        Column("Jenis", lambda e: e.type_label),
        Column("Sasaran", lambda e: e.target_label),
        Column("Keluarga", lambda e: f"KK {e.kk} · {len(e.members)} orang" if e.household else "-",
               sort=lambda e: e.kk),
        Column("Tgl lahir", lambda e: e.birth_date_text, sort=lambda e: e.birth_date),
        Column("Desa", lambda e: e.desa_name),
        Column("Alasan/catatan", lambda e: "" if e.pending else e.outcome_text),
    ]

    def key_of(self, rec: ProposalView) -> str:
        return rec.record_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == 0:
            rec = self.row_at(index.row())
            if rec is not None:
                return QBrush(STATE_COLORS.get(rec.review_state, QColor("black")).darker(130))
        return super().data(index, role)

    def background(self, rec: ProposalView) -> QBrush | None:
        if not rec.pending:
            return None
        if any(f.severity == "error" for f in rec.flags):
            return _ERR_BG
        if rec.flags:
            return _WARN_BG
        return None


class ProposalFilterProxy(QuickFilterProxy):
    QUICK: ClassVar[dict[str, str]] = {
        "all": "Semua usulan",
        "pending": "Menunggu verifikasi",
        "flagged": "Bertanda",
        "decided": "Sudah diputuskan",
        "conflict": "Konflik data",
    }
    DYNAMIC_SORT = False  # a decided row stays in place while the reviewer moves on

    def quick_keeps(self, rec: ProposalView) -> bool:
        if self._quick == "pending":
            return rec.pending
        if self._quick == "flagged":
            return bool(rec.flags)
        if self._quick == "decided":
            return not rec.pending
        if self._quick == "conflict":
            return rec.has_conflict
        return True


# ---- duplicate groups ------------------------------------------------------------------------


class DuplicateGroupModel(RecordTableModel[DuplicateGroupView]):
    columns: ClassVar[list[Column[Any]]] = [
        Column("Jenis", lambda g: g.kind_label),
        Column("Anggota", lambda g: str(len(g.members)), sort=lambda g: len(g.members), align_right=True),
        Column("Desa", lambda g: ", ".join(sorted({m.desa_name for m in g.members}))),
        Column("Status", lambda g: g.state_label),
        Column("Skor", lambda g: f"{g.score:.0f}" if g.score is not None else "-",
               sort=lambda g: g.score or 0.0, align_right=True),
    ]

    def key_of(self, rec: DuplicateGroupView) -> str:
        return str(rec.group_id)


def _person(m: GroupMemberView) -> MemberView | None:
    return m.member or (m.proposal.person if m.proposal else None)


def _household(m: GroupMemberView) -> HouseholdView | None:
    return m.household or (m.proposal.household if m.proposal else None)


def _members_of(m: GroupMemberView) -> str:
    members = m.proposal.members if m.proposal else m.members
    return ", ".join(f"{x.name} ({x.relation_label})" for x in members) or "-"


COMPARE_FIELDS: list[tuple[str, Callable[[GroupMemberView], str]]] = [
    ("Desa", lambda m: m.desa_name),
    ("NIK", lambda m: p.id_text if (p := _person(m)) else "-"),
    ("Nama", lambda m: p.name if (p := _person(m)) else "-"),
    ("Tempat lahir", lambda m: p.birth_place if (p := _person(m)) else "-"),
    ("Tanggal lahir", lambda m: p.birth_date_text if (p := _person(m)) else "-"),
    ("Jenis kelamin", lambda m: p.sex if (p := _person(m)) else "-"),
    ("Hubungan", lambda m: p.relation_label if (p := _person(m)) else "-"),
    ("No. KK", lambda m: h.kk_text if (h := _household(m)) else "-"),
    ("Alamat", lambda m: h.address if (h := _household(m)) else "-"),
    ("Anggota keluarga", _members_of),
    ("Program", lambda m: m.proposal.programme if m.proposal else "-"),
    ("Kriteria", lambda m: criteria_text(m.proposal.criteria) if m.proposal else "-"),
    ("Status usulan", lambda m: m.proposal.outcome_text if m.proposal else "-"),
    ("Operator", lambda m: m.operator or "-"),
]


class ComparisonModel(QAbstractTableModel):
    """Records of one duplicate group side by side: a row per field, a column per record (a member, a
    household, or a proposal with its family). Cells that differ are highlighted: what to check."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: list[GroupMemberView] = []
        self._kept: str | None = None

    def set_members(self, members: Sequence[GroupMemberView], kept: str | None = None) -> None:
        self.beginResetModel()
        self._members = list(members)
        self._kept = kept
        self.endResetModel()

    def member(self, column: int) -> GroupMemberView | None:
        return self._members[column] if 0 <= column < len(self._members) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COMPARE_FIELDS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._members)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return COMPARE_FIELDS[section][0] if 0 <= section < len(COMPARE_FIELDS) else None
        m = self.member(section)
        if m is None:
            return None
        mark = " ✔ dipertahankan" if self._kept == m.record_id else ""
        return f"Data {section + 1}: {m.desa_name}{mark}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(COMPARE_FIELDS) or index.column() >= len(self._members):
            return None
        getter = COMPARE_FIELDS[index.row()][1]
        value = getter(self._members[index.column()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return value
        if role == ID_ROLE:
            return self._members[index.column()].record_id
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            if len({getter(m) for m in self._members}) <= 1:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return _WARN_BG
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#8a3b00"))
            font = QFont()
            font.setBold(True)
            return font
        return None
