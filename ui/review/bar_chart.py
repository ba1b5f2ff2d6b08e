"""A small stacked bar chart painted with QPainter (no QtCharts, no web engine: PySide6-Essentials).

One horizontal bar per category (desa), split into coloured segments (review states), with a
legend and the total at the end of each bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str
    color: QColor


class StackedBarChart(QWidget):
    BAR_H = 22
    GAP = 8
    LEGEND_H = 28
    MARGIN = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: list[Series] = []
        self._bars: list[tuple[str, dict[str, int]]] = []
        self._title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Grafik batang jumlah keluarga (KPM) per desa")

    def set_data(self, title: str, series: Sequence[Series], bars: Sequence[tuple[str, dict[str, int]]]) -> None:
        self._title = title
        self._series = list(series)
        self._bars = list(bars)
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, dict[str, int]]]:
        return list(self._bars)

    def sizeHint(self) -> QSize:
        n = max(len(self._bars), 1)
        return QSize(480, self.LEGEND_H * 2 + n * (self.BAR_H + self.GAP) + 2 * self.MARGIN)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.fillRect(self.rect(), self.palette().base())
            self._paint(p)
        finally:
            p.end()

    def _paint(self, p: QPainter) -> None:
        fm = QFontMetrics(self.font())
        m = self.MARGIN
        y = m
        text_pen = QPen(self.palette().text().color())
        p.setPen(text_pen)
        if self._title:
            f = p.font()
            f.setBold(True)
            p.setFont(f)
            p.drawText(QRectF(m, y, self.width() - 2 * m, fm.height() + 4), Qt.AlignmentFlag.AlignLeft, self._title)
            f.setBold(False)
            p.setFont(f)
            y += fm.height() + 6
        # legend
        x = float(m)
        for s in self._series:
            p.fillRect(QRectF(x, y + 3, 12, 12), s.color)
            p.drawText(QRectF(x + 16, y, fm.horizontalAdvance(s.label) + 4, fm.height() + 4),
                       Qt.AlignmentFlag.AlignLeft, s.label)
            x += 16 + fm.horizontalAdvance(s.label) + 18
        y += self.LEGEND_H
        if not self._bars:
            p.drawText(QRectF(m, y, self.width() - 2 * m, 40), Qt.AlignmentFlag.AlignLeft, "Belum ada data.")
            return
        label_w = min(max(fm.horizontalAdvance(name) for name, _ in self._bars) + 10, self.width() // 3)
        total_w = fm.horizontalAdvance("00000") + 10
        plot_w = max(self.width() - 2 * m - label_w - total_w, 20)
        max_total = max((sum(v.values()) for _, v in self._bars), default=0) or 1
        for name, values in self._bars:
            p.setPen(text_pen)
            label = fm.elidedText(name, Qt.TextElideMode.ElideRight, label_w - 6)
            p.drawText(QRectF(m, y, label_w - 6, self.BAR_H), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       label)
            bx = float(m + label_w)
            total = 0
            for s in self._series:
                v = values.get(s.key, 0)
                if v <= 0:
                    continue
                w = plot_w * v / max_total
                p.fillRect(QRectF(bx, y, w, self.BAR_H), s.color)
                if w > fm.horizontalAdvance(str(v)) + 6:
                    p.setPen(QPen(QColor("white")))
                    p.drawText(QRectF(bx, y, w, self.BAR_H), Qt.AlignmentFlag.AlignCenter, str(v))
                bx += w
                total += v
            p.setPen(text_pen)
            p.drawText(QRectF(bx + 4, y, total_w, self.BAR_H), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       str(total))
            y += self.BAR_H + self.GAP
