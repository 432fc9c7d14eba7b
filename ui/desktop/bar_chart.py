"""A small horizontal bar chart drawn with QPainter (the project ships without Qt Charts)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.desktop import theme

BAR_HEIGHT = 18
GAP = 6
DEFAULT_COLOR = "accent"  # a theme role: bars take the light or dark variant when painted


class BarChart(QWidget):
    """Labelled horizontal bars, one per (label, value), scaled to the largest value."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._bars: list[tuple[str, int, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(title or "Bar chart")

    def set_bars(self, bars: list[tuple[str, int]], colors: dict[str, str] | None = None) -> None:
        """Show these bars (in this order); `colors` maps a label to a theme role (or "#rrggbb")."""
        colors = colors or {}
        self._bars = [(label, int(v), colors.get(label, DEFAULT_COLOR)) for label, v in bars]
        self.setToolTip("\n".join(f"{label}: {v:,}" for label, v, _c in self._bars))
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, int]]:
        """The (label, value) pairs shown."""
        return [(label, v) for label, v, _c in self._bars]

    def bar_color(self, color: str) -> QColor:
        """A bar's colour in the palette the chart paints with (roles follow light/dark)."""
        return QColor(color) if color.startswith("#") else theme.color(color, self.palette())

    def _title_height(self) -> int:
        return self.fontMetrics().height() + GAP if self.title else 0

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._bars))
        return QSize(360, self._title_height() + rows * (BAR_HEIGHT + GAP) + GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        text_color = self.palette().windowText().color()
        y = 0
        if self.title:
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(text_color)
            painter.drawText(0, metrics.ascent(), self.title)
            font.setBold(False)
            painter.setFont(font)
            y = self._title_height()
        if not self._bars:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(0, y + metrics.ascent(), "Nothing to show yet.")
            painter.end()
            return
        label_w = max(metrics.horizontalAdvance(label) for label, _v, _c in self._bars) + 10
        value_w = max(metrics.horizontalAdvance(f"{v:,}") for _l, v, _c in self._bars) + 10
        span = max(1, self.width() - label_w - value_w)
        top = max(v for _l, v, _c in self._bars) or 1
        for label, value, color in self._bars:
            row = QRectF(0, y, self.width(), BAR_HEIGHT)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(0, y, label_w - 10, BAR_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            width = span * value / top
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.bar_color(color))
            painter.drawRoundedRect(QRectF(label_w, y + 2, max(width, 1.0), BAR_HEIGHT - 4), 2, 2)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(label_w + width + 5, row.top(), value_w, BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{value:,}",
            )
            y += BAR_HEIGHT + GAP
        painter.end()
