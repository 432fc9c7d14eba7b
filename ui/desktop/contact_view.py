"""The contacts table's view: QTableView painting its ordinary cells in one Python call per repaint.

QTableView::paintEvent calls into Python five times per cell: the model's rowCount and
columnCount (QAbstractTableModel::index checks them), flags twice, and the delegate's paint.
At ~110 cells a screen that dispatch alone cost ~3.5 ms of a jump (bench/UI.md, "Painting the
cells ourselves"). This view does what QTableView::paintEvent and QTableViewPrivate::drawCell
do for the cells of the dirty area (the row background of PE_PanelItemViewRow, the cell through
ContactCellDelegate.draw_cell, then the grid) from one Python call. Anything unusual is painted by
QTableView itself: a view that is editing or dragging, right-to-left, word wrap, another
delegate or model, a disabled view, a style that draws grid lines when headers are hidden, many
selection ranges. A cell the delegate cannot draw plainly (the focused current cell, text that is
not one plain line) goes through the delegate's paint with the option drawCell would build.
tests/ui/test_contact_delegate.py compares the pixels with a stock QTableView's.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.desktop.contact_delegate import ACTIVE, SELECTED, ContactCellDelegate
from ui.desktop.contact_table_model import ContactTableModel

HAS_FOCUS = QStyle.StateFlag.State_HasFocus
ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
NO_STATE = QAbstractItemView.State.NoState
MAX_RANGES = 32  # selection ranges tested per cell in Python; more is rare: Qt paints then


def without_shaping(widget: QWidget) -> None:
    """Draw a widget's text unshaped where its script allows (QFont's PreferNoShaping).

    A jump paints ~110 new strings; HarfBuzz shaping was a third of drawing each (bench/UI.md,
    "The table's text without shaping"). Unshaped, Latin text loses its kerning pairs ("AV", "Ty"
    set 1-4 px wider, as in most spreadsheets' cells); scripts that need shaping (Arabic,
    Devanagari...) are still shaped. Only the strategy is set: every other attribute stays
    inherited, so the table follows the application's font. A stock view compared with ours in
    the tests gets the same font through this.
    """
    font = QFont()  # resolves nothing but the strategy against the parent's font
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    widget.setFont(font)


class ContactTableView(QTableView):
    """A QTableView whose ordinary repaint of a ContactTableModel costs one Python call."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        without_shaping(self)

    def paintEvent(self, event: QPaintEvent) -> None:
        delegate, model = self.itemDelegate(), self.model()
        if not (
            isinstance(delegate, ContactCellDelegate)
            and isinstance(model, ContactTableModel)
            and delegate.model is model
            and self.state() == NO_STATE
            and not self.wordWrap()
            and not self.isRightToLeft()
            and self.isEnabled()
        ):
            super().paintEvent(event)
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        style = self.style()
        hint = QStyle.StyleHint.SH_Table_AlwaysDrawLeftTopGridLines
        ranges = _ranges(self)
        if ranges is None or style.styleHint(hint, option, self):
            super().paintEvent(event)
            return
        painter = QPainter(self.viewport())
        try:
            self._paint_cells(painter, event, option, delegate, model, ranges)
        finally:
            painter.end()

    def _paint_cells(
        self,
        painter: QPainter,
        event: QPaintEvent,
        option: QStyleOptionViewItem,
        delegate: ContactCellDelegate,
        model: ContactTableModel,
        ranges: list[tuple[int, int, int, int]],
    ) -> None:
        header, vheader = self.horizontalHeader(), self.verticalHeader()
        if header.count() == 0 or vheader.count() == 0:
            return
        # The painter is clipped to the event's region, so painting its bounding rectangle's
        # cells paints exactly the cells QTableView paints rectangle by rectangle.
        area = event.region().boundingRect()
        area.setBottom(min(area.bottom(), vheader.length() - vheader.offset() - 1))
        area.setRight(min(area.right(), header.length() - header.offset() - 1))
        if not area.isValid():
            return
        left, right = header.visualIndexAt(area.left()), header.visualIndexAt(area.right())
        left, right = max(left, 0), header.count() - 1 if right == -1 else right
        top, bottom = vheader.visualIndexAt(area.top()), vheader.visualIndexAt(area.bottom())
        bottom = vheader.count() - 1 if bottom == -1 else bottom
        if top == -1 or top > bottom:
            return
        grid = 1 if self.showGrid() else 0
        columns = []
        for visual in range(left, right + 1):
            column = header.logicalIndex(visual)
            if not header.isSectionHidden(column):
                x = self.columnViewportPosition(column)
                columns.append((column, x, self.columnWidth(column) - grid))
        font = option.font
        if font != delegate.font:
            delegate.set_font(font)
        palette = option.palette
        base = option.state.value
        # PE_PanelItemViewRow's colour group: the view is enabled (checked above).
        group = QPalette.ColorGroup.Normal if base & ACTIVE else QPalette.ColorGroup.Inactive
        highlight = palette.brush(group, QPalette.ColorRole.Highlight)
        alternate_brush = palette.brush(group, QPalette.ColorRole.AlternateBase)
        fill_selected = delegate.decorate_selected(option, self)
        alternate = self.alternatingRowColors()
        alternate_row = bool(top & 1) and alternate
        plain = delegate.colors(palette, base)
        chosen = delegate.colors(palette, base | SELECTED)
        current = self.currentIndex()
        focus = (self.hasFocus() or self.viewport().hasFocus()) and current.isValid()
        focus_at = (current.row(), current.column()) if focus else None
        rows = []
        for visual in range(top, bottom + 1):
            row = vheader.logicalIndex(visual)
            if not vheader.isSectionHidden(row):
                rows.append((row, self.rowViewportPosition(row), self.rowHeight(row) - grid))
        if rows:  # the screen's uncached pages in one query (a jump), not one per page
            model.read_missing(min(r[0] for r in rows), max(r[0] for r in rows))

        def cell_at(
            row: int, at: tuple[int, int, int], y: int, height: int, selected: bool, filled: bool
        ) -> None:
            column, x, width = at
            self._paint_cell(
                painter, option, delegate, model, (row, column), QRect(x, y, width, height),
                (selected, alternate_row, filled, focus_at == (row, column), fill_selected),
                (base, highlight, alternate_brush, chosen if selected else plain),
            )  # fmt: skip

        span = (columns[0][1], columns[-1][1] + columns[-1][2]) if columns else (0, 0)
        # One fill per row covers the grid's pixels between its cells: right only when the grid
        # is not drawn or is drawn over them opaquely (else each cell is filled on its own).
        grid_color = self._grid_color(option) if grid else None
        row_fill = grid_color is None or grid_color.alpha() == 255
        for row, y, height in rows:
            cells = model.cells_at(row)
            row_ranges = [(lo, hi) for t, b, lo, hi in ranges if t <= row <= b]  # once per row
            if cells is not None and not row_ranges and (focus_at is None or focus_at[0] != row):
                # The usual row: nothing selected or focused in it. One fill for its cells'
                # background and the delegate draws its plain cells in one call; the rest go
                # through the cell's full path.
                if alternate_row and row_fill:
                    painter.fillRect(QRect(span[0], y, span[1] - span[0], height), alternate_brush)
                elif alternate_row:
                    for _column, x, width in columns:
                        painter.fillRect(QRect(x, y, width, height), alternate_brush)
                for at in delegate.draw_row(painter, cells, y, height, columns, plain):
                    cell_at(row, at, y, height, False, True)
            else:
                for at in columns:
                    selected = bool(row_ranges) and any(lo <= at[0] <= hi for lo, hi in row_ranges)
                    cell_at(row, at, y, height, selected, False)
            alternate_row = not alternate_row and alternate
        if grid_color is not None:
            self._paint_grid(painter, grid_color, area, rows, columns)

    def _paint_cell(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        delegate: ContactCellDelegate,
        model: ContactTableModel,
        at: tuple[int, int],
        rect: QRect,
        flags: tuple[bool, bool, bool, bool, bool],
        brushes: tuple[int, QBrush, QBrush, tuple[QColor, QBrush | None]],
    ) -> None:
        """One cell as drawCell paints it: PE_PanelItemViewRow's fill (unless the row is
        `filled` already), then the delegate's way or the style's."""
        row, column = at
        selected, alternate, filled, focused, fill_selected = flags
        base, highlight, alternate_brush, colors = brushes
        if selected and fill_selected:
            painter.fillRect(rect, highlight)
        elif alternate and not filled:
            painter.fillRect(rect, alternate_brush)
        cells = model.cells_at(row)
        state = base | SELECTED if selected else base
        if (
            cells is not None
            and not focused
            and delegate.draw_cell(painter, rect, cells, row, column, state, colors, option)
        ):
            return
        # The option drawCell builds, through the delegate's (the style's) paint.
        cell = QStyleOptionViewItem(option)
        cell.rect = rect
        if alternate:
            cell.features = cell.features | ALTERNATE
        if selected:
            cell.state = cell.state | QStyle.StateFlag.State_Selected
        if focused:
            cell.state = cell.state | HAS_FOCUS
        cell.palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
        delegate.paint(painter, cell, model.index(row, column))

    def _grid_color(self, option: QStyleOptionViewItem) -> QColor:
        """The grid's colour, as QTableView::paintEvent asks the style for it."""
        rgba = self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
        return QColor.fromRgba(rgba & 0xFFFFFFFF)

    def _paint_grid(
        self,
        painter: QPainter,
        color: QColor,
        area: QRect,
        rows: list[tuple[int, int, int]],
        columns: list[tuple[int, int, int]],
    ) -> None:
        # QTableView::paintEvent's grid: a line under each row and right of each column.
        if color.alpha() == 255 and self.gridStyle() == Qt.PenStyle.SolidLine:
            # The same pixels as the 1-px lines below, filled as rectangles: the raster engine's
            # fastest path (~0.5 ms less a repaint than stroking ~30 lines).
            left, top, width, height = area.left(), area.top(), area.width(), area.height()
            for _row, y, h in rows:
                painter.fillRect(left, y + h, width, 1, color)
            for _column, x, w in columns:
                painter.fillRect(x + w, top, 1, height, color)
            return
        painter.setPen(QPen(color, 1, self.gridStyle()))
        lines = [
            QLineF(area.left(), y + h, area.right(), y + h).translated(0.5, 0.5)
            for _row, y, h in rows
        ]
        lines += [
            QLineF(x + w, area.top(), x + w, area.bottom()).translated(0.5, 0.5)
            for _column, x, w in columns
        ]
        painter.drawLines(lines)


def _ranges(view: QTableView) -> list[tuple[int, int, int, int]] | None:
    """The selection as (top, bottom, left, right) ranges; None when there are too many."""
    selection = view.selectionModel().selection()
    if selection.count() > MAX_RANGES:
        return None
    ranges = (selection.at(i) for i in range(selection.count()))
    return [(r.top(), r.bottom(), r.left(), r.right()) for r in ranges]
