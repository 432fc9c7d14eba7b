"""The contacts table's cell delegate: a cell's style option filled from the model's cache.

Qt's QStyledItemDelegate asks the model for seven roles per painted cell (font, alignment,
foreground, check state, decoration, display, background), each a call from C++ into Python;
this fills the same option in one call per cell, from the cached display tuple. It paints
exactly what the default delegate paints (tests/ui/test_contact_delegate.py compares pixels).
It cannot call QStyledItemDelegate.initStyleOption for the rare cells it would leave to Qt:
PySide6 6.12 over-releases None on that call and aborts the process after a few hundred.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui.desktop.contact_table_model import (
    EMAIL_COLUMN,
    EMAIL_STATUS,
    PHONE_COLUMN,
    PHONE_STATUS,
    SCORE_COLUMN,
    STATUS_COLORS,
    ContactTableModel,
    shown_value,
)

HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
HAS_DECORATION = QStyleOptionViewItem.ViewItemFeature.HasDecoration
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STATUS_OF = {EMAIL_COLUMN: EMAIL_STATUS, PHONE_COLUMN: PHONE_STATUS}
INVALID_TEXT = QBrush(QColor(STATUS_COLORS["invalid"]))


class ContactCellDelegate(QStyledItemDelegate):
    """Fills each cell's style option straight from ContactTableModel's cached rows."""

    def __init__(self, model: ContactTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        # What QStyledItemDelegate::initStyleOption does with the model's answers (no font,
        # check state or background role is served), in the same order.
        option.index = index  # type: ignore[assignment]  # a QModelIndex when Qt paints
        column = index.column()
        cells = self._model.cells_at(index.row())
        if column == SCORE_COLUMN:
            option.displayAlignment = RIGHT
        status = cells[STATUS_OF[column]] if cells is not None and column in STATUS_OF else ""
        if status in STATUS_COLORS:
            if status == "invalid":  # option.palette is the option's own (not a copy)
                option.palette.setBrush(QPalette.ColorRole.Text, INVALID_TEXT)
            self._decorate(option, self._model.badge(status))
        if cells is not None:
            option.features = option.features | HAS_DISPLAY
            option.text = shown_value(cells, column)
        option.styleObject = None  # type: ignore[assignment]  # no animations in item views

    @staticmethod
    def _decorate(option: QStyleOptionViewItem, icon: QIcon) -> None:
        option.features = option.features | HAS_DECORATION
        option.icon = icon
        state = option.state
        if not state & QStyle.StateFlag.State_Enabled:
            mode = QIcon.Mode.Disabled
        elif state & QStyle.StateFlag.State_Selected:
            mode = QIcon.Mode.Selected
        else:
            mode = QIcon.Mode.Normal
        on = QIcon.State.On if state & QStyle.StateFlag.State_Open else QIcon.State.Off
        # A high-dpi icon may be larger than the decoration size: Qt clamps it the same way.
        option.decorationSize = icon.actualSize(option.decorationSize, mode, on).boundedTo(
            option.decorationSize
        )
