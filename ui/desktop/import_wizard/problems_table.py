"""A read-only table of problems: (row, column, value, message) per line."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

PROBLEM_HEADERS = ("Row", "Column", "Value", "Problem")


class ProblemsTable(QTableWidget):
    """Problems of an import or a dry run, one per line, in row order."""

    def __init__(self, headers: tuple[str, ...] = PROBLEM_HEADERS, parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i, width in enumerate((60, 150, 200)[: len(headers) - 1]):
            header.resizeSection(i, width)

    def set_lines(self, lines: Iterable[tuple[object, ...]]) -> None:
        """Replace the contents with these lines (each as many cells as there are headers)."""
        rows = list(lines)
        self.setRowCount(len(rows))
        for r, line in enumerate(rows):
            for c, value in enumerate(line):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                self.setItem(r, c, item)

    def lines(self) -> list[tuple[str, ...]]:
        """The table's text, line by line (what a user sees)."""
        return [
            tuple(
                (item.text() if (item := self.item(r, c)) is not None else "")
                for c in range(self.columnCount())
            )
            for r in range(self.rowCount())
        ]
