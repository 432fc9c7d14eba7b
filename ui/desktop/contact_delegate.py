"""The contacts table's cell delegate: paints an ordinary cell itself, straight from the model's cache.

Qt's QStyledItemDelegate has the style lay every cell's text out afresh on every repaint: two
QTextLayouts (one to elide, one to draw) per cell. This delegate fills the option in one call per
cell (`initStyleOption`, for Qt's own paths) and paints an ordinary cell itself, as the style
would: the selection highlight, the status badge, the text inside the style's margins, elided and
aligned as the style does. The cell's geometry is measured with the style once per column size;
a text's elision is decided once and cached (bounded): plain Latin text with a width worked out
from per-character advances and pair kerning (elidedText only when it may not fit) and drawn with
one drawText at the style's baseline; other text (Greek, CJK, emoji...) laid out once with a real
QTextLayout and its glyph runs kept. A cell in any other state (the focus frame, hover, an editor,
disabled, word wrap, text that is not one plain line) is left to QStyledItemDelegate.paint.
ContactTableView calls `draw_cell` directly, without Qt's per-cell calls into Python.
tests/ui/test_contact_delegate.py compares the pixels with Qt's own delegate: they are equal.
It cannot call QStyledItemDelegate.initStyleOption from Python: PySide6 6.12 over-releases None
on that call and aborts the process after a few hundred, so `initStyleOption` is ours in full.
"""

from __future__ import annotations

import math
import re
from operator import add
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QPointF, QRect, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QGlyphRun,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui.desktop.contact_columns import (
    EMAIL_COLUMN,
    EMAIL_STATUS,
    FORMATTED,
    PHONE_COLUMN,
    PHONE_STATUS,
    SCORE_COLUMN,
    STATUS_COLORS,
    Cells,
    shown_value,
)
from ui.desktop.contact_table_model import ContactTableModel

HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
HAS_DECORATION = QStyleOptionViewItem.ViewItemFeature.HasDecoration
WRAP_TEXT = QStyleOptionViewItem.ViewItemFeature.WrapText.value
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
VCENTER = Qt.AlignmentFlag.AlignVCenter
STATUS_OF = {EMAIL_COLUMN: EMAIL_STATUS, PHONE_COLUMN: PHONE_STATUS}
INVALID_COLOR = QColor(STATUS_COLORS["invalid"])
INVALID_TEXT = QBrush(INVALID_COLOR)

State = QStyle.StateFlag
# States a cell is painted in by Qt's own code path: rare (one focused cell, a hovered one, an
# editor) and each drawn differently by the style; painting them ourselves would buy nothing.
UNUSUAL = (State.State_HasFocus | State.State_MouseOver | State.State_Editing).value
ENABLED, ACTIVE = State.State_Enabled.value, State.State_Active.value
SELECTED = State.State_Selected.value
# A text the style would lay out on more than one line, or whose tabs and controls it would draw
# differently from one drawText (\x9c separates QFontMetrics.elidedText's variants): left to Qt.
LINE_BREAKS = frozenset("\n\r\t\v\f\x85\x9c\u2028\u2029")
# Below this character every glyph is in the table's own font (Latin, Latin-1, Latin Extended A/B),
# so the line's ascent is the font's and one drawText at a baseline worked out once per column is
# exactly the style's QTextLayout. Other text (Greek, CJK, emoji: fallback fonts can make the line
# taller) is laid out with a real QTextLayout once and its glyphs kept.
PLAIN_BELOW = "\u0250"
# Any character that makes a text not plain (a line break, or from PLAIN_BELOW on): one regex
# scan per new text instead of a set intersection and a max().
NOT_PLAIN = re.compile("[" + re.escape("".join(sorted(LINE_BREAKS))) + PLAIN_BELOW + "-\U0010ffff]")
ELIDE_RIGHT = Qt.TextElideMode.ElideRight
FIT_SLACK = 3.0  # px: a text estimated this far inside its cell fits whatever the rounding
ADVANCE_CHECKS = 200  # texts whose estimated width is checked against Qt's after a font change
ADVANCE_TOLERANCE = 0.5  # px
TEXT_CACHE_SIZE = 8_192  # texts; a screen holds ~110, a book far more
PALETTE_GROUP = {True: QPalette.ColorGroup.Normal, False: QPalette.ColorGroup.Inactive}


class Geometry(NamedTuple):
    """Where the style puts a cell's parts, relative to its top-left corner."""

    icon: QRect  # the badge's rectangle
    text: QRect  # the text's rectangle (a selection highlights it)
    left: int  # the text's left edge inside the focus-frame margins
    width: int  # and its width
    baseline: float  # a plain one-line text's baseline, vertically centred as the style does
    # The whole pixel the paint engine puts that baseline on, when drawing a left-aligned text at
    # it gives the same pixels (drawText(int, int, str): ~5 µs less a call than with a QPointF).
    baseline_px: int | None


# How a text is drawn: (text or elided text, x offset in its rectangle) for plain text;
# (glyph runs, x, y of the layout) for text laid out by QTextLayout; None: left to the style.
Placed = tuple[str, float] | tuple[list[QGlyphRun], float, float] | None


class ContactCellDelegate(QStyledItemDelegate):
    """Paints each cell of the contacts table from ContactTableModel's cached rows."""

    def __init__(self, model: ContactTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        # Per (column, width, height, badge): the style's layout of such a cell (it changes only
        # when a column is resized or the font changes).
        self._geometry: dict[tuple[int, int, int, bool], Geometry] = {}
        # Per (text, left, width, right-aligned): how to draw it; cleared when full.
        self._placed: dict[tuple[str, int, int, bool], Placed] = {}
        self._font = QFont()
        self._metrics = QFontMetrics(self._font)
        self._metrics_f = QFontMetricsF(self._font)
        self._advances: dict[str, float] = {}  # per character, for _advance
        self._kerning: dict[str, float] = {}  # per pair of characters
        self._trust_advances = True
        self._checks_left = ADVANCE_CHECKS
        self._kerned = _kerned(self._metrics_f)  # False: a text's width is its characters' sum
        self._whole_pixels = _rounds_baseline(self._font)
        self._decorate_selected = False  # the style's ShowDecorationSelected hint
        # Per (palette, active, selected): the text pen and the selection brush (None: none).
        self._colors: dict[tuple[int, bool, bool], tuple[QColor, QBrush | None]] = {}

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
            _decorate(option, self._model.badge(status))
        if cells is not None:
            option.features = option.features | HAS_DISPLAY
            option.text = shown_value(cells, column)
        option.styleObject = None  # type: ignore[assignment]  # no animations in item views

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Hot path (~110 cells a repaint): plain ints and cached objects, few calls into Qt.
        state = option.state.value
        cells = self._model.cells_at(index.row())
        if state & UNUSUAL or not state & ENABLED or cells is None or self._wraps(option):
            super().paint(painter, option, index)
            return
        font = option.font
        if font != self._font:  # every cached position belongs to one font
            self.set_font(font)
        rect = option.rect
        colors = self.colors(option.palette, state)
        row, column = index.row(), index.column()
        if not self.draw_cell(painter, rect, cells, row, column, state, colors, option):
            super().paint(painter, option, index)  # not one plain line: the style's way

    @property
    def model(self) -> ContactTableModel:
        """The model whose cached rows this delegate paints."""
        return self._model

    @property
    def font(self) -> QFont:
        """The font the cached positions belong to (see set_font)."""
        return self._font

    def decorate_selected(self, option: QStyleOptionViewItem, widget: QWidget) -> bool:
        """The style's SH_ItemView_ShowDecorationSelected: a selection fills the whole cell."""
        hint = QStyle.StyleHint.SH_ItemView_ShowDecorationSelected
        self._decorate_selected = bool(widget.style().styleHint(hint, option, widget))
        return self._decorate_selected

    def colors(self, palette: QPalette, state: int) -> tuple[QColor, QBrush | None]:
        """The text pen and selection brush of a cell in `state` (cached per palette)."""
        key = (palette.cacheKey(), bool(state & ACTIVE), bool(state & SELECTED))
        colors = self._colors.get(key)
        if colors is None:
            colors = self._colors[key] = _colors(palette, key[1], key[2])
        return colors

    def draw_cell(
        self,
        painter: QPainter,
        rect: QRect,
        cells: Cells,
        row: int,
        column: int,
        state: int,
        colors: tuple[QColor, QBrush | None],
        option: QStyleOptionViewItem,
    ) -> bool:
        """Paint an ordinary cell as CE_ItemViewItem would; False (nothing painted) if it is not.

        `option` is the cell's or the view's option (its font must be set_font's).
        """
        text = shown_value(cells, column)
        status = cells[STATUS_OF[column]] if column in STATUS_OF else ""
        badge = status in STATUS_COLORS
        geometry = self._geometry.get((column, rect.width(), rect.height(), badge))
        if geometry is None:
            geometry = self._measure(option, rect, self._model.index(row, column), badge)
        placed = None
        if text:
            key = (text, geometry.left, geometry.width, column == SCORE_COLUMN)
            placed = self._placed.get(key)
            if placed is None:
                placed = self._place(key, geometry)
                if placed is None:
                    return False
        selected = state & SELECTED
        pen, highlight = colors
        x, y = rect.x(), rect.y()
        if highlight is not None:
            # PE_PanelItemViewItem: the whole cell when the style shows decorations selected,
            # then the text's part (the same colour again), as QCommonStyle does.
            if self._decorate_selected:
                painter.fillRect(rect, highlight)
            painter.fillRect(geometry.text.translated(x, y), highlight)
        if badge:
            mode = QIcon.Mode.Selected if selected else QIcon.Mode.Normal
            self._model.badge(status).paint(
                painter, geometry.icon.translated(x, y), option.decorationAlignment, mode
            )
        if placed is None:
            return True
        # The invalid red is the option's Text colour (initStyleOption); a selection's
        # HighlightedText wins over it, as in the style.
        painter.setPen(INVALID_COLOR if status == "invalid" and not selected else pen)
        _draw(painter, placed, x, y, geometry)
        return True

    def draw_row(
        self,
        painter: QPainter,
        cells: Cells,
        y: int,
        height: int,
        columns: list[tuple[int, int, int]],
        colors: tuple[QColor, QBrush | None],
    ) -> list[tuple[int, int, int]]:
        """Paint the plain cells of an unselected, unfocused row whose background is filled
        already: draw_cell's work for each, with one pen for the row. Returns the (column, x,
        width) it left for draw_cell: a badge, a geometry not measured yet, text not one line.
        """
        left: list[tuple[int, int, int]] = []
        pen = colors[0]
        pen_set = False
        geometries, placed_get = self._geometry, self._placed.get
        for at in columns:
            column, x, width = at
            geometry = geometries.get((column, width, height, False))
            if geometry is None or (
                column in STATUS_OF and cells[STATUS_OF[column]] in STATUS_COLORS
            ):
                left.append(at)
                continue
            text = cells[column]
            if not text:
                continue  # draw_cell paints nothing for an empty, unselected, unbadged cell
            if column in FORMATTED:
                text = FORMATTED[column](text)
            key = (text, geometry.left, geometry.width, column == SCORE_COLUMN)
            placed = placed_get(key)
            if placed is None:
                placed = self._place(key, geometry)
                if placed is None:
                    left.append(at)
                    continue
            if not pen_set:
                painter.setPen(pen)
                pen_set = True
            _draw(painter, placed, x, y, geometry)
        return left

    @staticmethod
    def _wraps(option: QStyleOptionViewItem) -> bool:
        # A view with word wrap on lays text out on several lines (the main window's has it off).
        return bool(option.features.value & WRAP_TEXT)

    # -- layout, once per geometry and per text ------------------------------------------------
    def set_font(self, font: QFont) -> None:
        """Paint with `font` from now on (forgets every cached position)."""
        self._font = QFont(font)
        self._metrics = QFontMetrics(font)
        self._metrics_f = QFontMetricsF(font)
        self._geometry.clear()
        self._placed.clear()
        self._advances.clear()
        self._kerning.clear()
        self._trust_advances = True
        self._checks_left = ADVANCE_CHECKS
        self._kerned = _kerned(self._metrics_f)
        self._whole_pixels = _rounds_baseline(self._font)

    def _measure(
        self,
        option: QStyleOptionViewItem,
        rect: QRect,
        index: QModelIndex,
        badge: bool,
    ) -> Geometry:
        """The style's layout of a cell of this size, relative to the cell (cached)."""
        opt = QStyleOptionViewItem(option)
        opt.rect = rect
        self.initStyleOption(opt, index)
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        hint = QStyle.StyleHint.SH_ItemView_ShowDecorationSelected
        self._decorate_selected = bool(style.styleHint(hint, opt, widget))
        origin = QPoint(-rect.x(), -rect.y())
        icon = style.subElementRect(QStyle.SubElement.SE_ItemViewItemDecoration, opt, widget)
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        text = text.translated(origin)
        # QCommonStylePrivate::viewItemDrawText: the text sits inside a focus-frame margin on
        # either side; calculateElidedText centres the layout's rounded height vertically.
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        inner = text.adjusted(margin, 0, -margin, 0)
        metrics = self._metrics_f
        size = QSize(inner.width(), round(metrics.ascent() + metrics.descent()))
        top = QStyle.alignedRect(Qt.LayoutDirection.LeftToRight, VCENTER, size, inner).top()
        baseline = top + metrics.ascent()
        geometry = Geometry(
            icon.translated(origin),
            text,
            inner.x(),
            inner.width(),
            baseline,
            math.floor(baseline + 0.5) if self._whole_pixels else None,
        )
        self._geometry[(index.column(), rect.width(), rect.height(), badge)] = geometry
        return geometry

    def _place(self, key: tuple[str, int, int, bool], geometry: Geometry) -> Placed:
        """How to draw a text first seen in a cell of this geometry (then cached)."""
        text, left, width, right = key
        if len(self._placed) >= TEXT_CACHE_SIZE:
            self._placed.clear()  # cheaper than LRU bookkeeping on every cell; refills in a screen
        placed: Placed
        special = NOT_PLAIN.search(text) is not None
        if special and LINE_BREAKS.intersection(text):
            placed = None
        elif not special and text[0] != " " and text[-1] != " ":
            # QTextEngine::elidedText returns the text itself when it fits, as the style's check
            # (the line's natural width, spaces at either end aside) does.
            if self._fits(text, width):
                shown = text  # no shaping here: drawText shapes it once
            else:
                shown = self._metrics.elidedText(text, ELIDE_RIGHT, width)
            dx = width - self._metrics_f.horizontalAdvance(shown) if right else 0.0
            placed = (shown, dx)
        else:
            placed = _laid_out(text, self._font, left, width, right, geometry)
        self._placed[key] = placed
        return placed

    def _fits(self, text: str, width: int) -> bool:
        """True when a plain text surely fits `width` (False: let elidedText decide)."""
        if not self._trust_advances:
            return False
        advance = self._advance(text)
        if self._checks_left:
            # The first texts after a font change are measured by Qt too: a font whose shaping
            # is more than pairs (ligatures, contextual forms) turns the estimate off.
            self._checks_left -= 1
            if abs(self._metrics_f.horizontalAdvance(text) - advance) > ADVANCE_TOLERANCE:
                self._trust_advances = False
                return False
        return advance + FIT_SLACK <= width

    def _advance(self, text: str) -> float:
        """The width of a plain text from per-character advances and (a kerned font) pair kerning.

        Exact for the table's font (DejaVu Sans here) on every name, email, phone, title and
        company of the 100k bench book and 3,000 random strings; used with FIT_SLACK only to
        skip elidedText (a second shaping of each new text) when a text clearly fits.
        """
        advances, kerning = self._advances, self._kerning
        if not self._kerned:  # the table's unshaped font (contact_view.without_shaping)
            try:
                return sum(map(advances.__getitem__, text))
            except KeyError:
                self._learn(text)
                return sum(map(advances.__getitem__, text))
        pairs = list(map(add, text, text[1:]))
        try:  # C-level sums: a Python loop over the characters cost as much as elidedText
            return sum(map(advances.__getitem__, text)) + sum(map(kerning.__getitem__, pairs))
        except KeyError:
            pass
        self._learn(text)
        metrics = self._metrics_f
        for pair in pairs:
            if pair not in kerning:
                kerning[pair] = (
                    metrics.horizontalAdvance(pair) - advances[pair[0]] - advances[pair[1]]
                )
        return sum(map(advances.__getitem__, text)) + sum(map(kerning.__getitem__, pairs))

    def _learn(self, text: str) -> None:
        """Measure the advance of each character of `text` not measured yet."""
        advances, metrics = self._advances, self._metrics_f
        for char in text:
            if char not in advances:
                advances[char] = metrics.horizontalAdvance(char)


# Pairs that a kerned Latin font moves closer (or apart): if none of them is kerned, the font is
# set unkerned (QFont's PreferNoShaping drops HarfBuzz's kerning), and a plain text's width is
# the sum of its characters' advances. The first ADVANCE_CHECKS texts are measured by Qt too.
KERNING_PROBES = (
    "AV",
    "VA",
    "AT",
    "Ty",
    "To",
    "Te",
    "Wa",
    "We",
    "Yo",
    "LT",
    "P.",
    "F,",
    "r.",
    "y.",
)


def _kerned(metrics: QFontMetricsF) -> bool:
    """Whether a font applies kerning to common Latin pairs."""
    return any(
        abs(metrics.horizontalAdvance(pair) - sum(map(metrics.horizontalAdvance, pair))) > 1e-6
        for pair in KERNING_PROBES
    )


def _draw(
    painter: QPainter,
    placed: tuple[str, float] | tuple[list[QGlyphRun], float, float],
    x: int,
    y: int,
    geometry: Geometry,
) -> None:
    """Draw a placed text in the cell whose top-left corner is (x, y)."""
    if len(placed) == 2:
        shown, dx = placed
        if dx == 0.0 and geometry.baseline_px is not None:
            painter.drawText(x + geometry.left, y + geometry.baseline_px, shown)
        else:
            painter.drawText(QPointF(x + geometry.left + dx, y + geometry.baseline), shown)
    else:
        runs, dx, dy = placed
        origin = QPointF(x + dx, y + dy)
        for run in runs:
            painter.drawGlyphRun(origin, run)


def _rounds_baseline(font: QFont) -> bool:
    """Whether the paint engine draws this font's text at a baseline y + ascent (fractional) on
    the whole pixel floor(y + ascent + 0.5): Qt's raster engine does, others may place it finer.
    Drawn both ways on a small image and compared, once per font."""
    base = 20 + QFontMetricsF(font).ascent()
    images = []
    for whole in (False, True):
        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(QColor("black"))
        if whole:
            painter.drawText(2, math.floor(base + 0.5), "Hg")
        else:
            painter.drawText(QPointF(2, base), "Hg")
        painter.end()
        images.append(image)
    return images[0] == images[1]


def _laid_out(
    text: str, font: QFont, left: int, width: int, right: bool, geometry: Geometry
) -> Placed:
    """Any one-line text as QCommonStyle lays it out: glyphs and position, None if not one line."""
    line = _line(text, font, right, width)
    if line is None:
        return None
    layout, natural = line
    if natural > width:  # calculateElidedText: elide the line that does not fit
        elided = QFontMetrics(font).elidedText(text, ELIDE_RIGHT, width)
        line = _line(elided, font, right, width)
        if line is None:
            return None
    # The layout's own height (a fallback font may make it taller), centred as the style does.
    size = layout.boundingRect().size().toSize()
    inner = QRect(left, geometry.text.y(), width, geometry.text.height())
    top = QStyle.alignedRect(Qt.LayoutDirection.LeftToRight, VCENTER, size, inner).top()
    return line[0].glyphRuns(), float(left), float(top)


def _line(text: str, font: QFont, right: bool, width: int) -> tuple[QTextLayout, float] | None:
    """`text` laid out on one line as the style lays it, with its natural width; None if more."""
    layout = QTextLayout(text, font)
    option = QTextOption(RIGHT if right else LEFT)
    option.setWrapMode(QTextOption.WrapMode.ManualWrap)
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width)
    line.setPosition(QPointF(0, 0))
    natural = line.naturalTextWidth()
    more = layout.createLine().isValid()
    layout.endLayout()
    return None if more else (layout, natural)


def _colors(palette: QPalette, active: bool, selected: bool) -> tuple[QColor, QBrush | None]:
    """The text pen and selection brush CE_ItemViewItem uses for a cell in this state."""
    group = PALETTE_GROUP[active]
    if selected:
        return (
            palette.color(group, QPalette.ColorRole.HighlightedText),
            palette.brush(group, QPalette.ColorRole.Highlight),
        )
    return palette.color(group, QPalette.ColorRole.Text), None


def _decorate(option: QStyleOptionViewItem, icon: QIcon) -> None:
    """Give an option its badge, sized as QStyledItemDelegate sizes a decoration."""
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
