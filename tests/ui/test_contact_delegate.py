"""The table paints exactly what a stock QTableView with Qt's own delegate paints.

ContactCellDelegate paints ordinary cells itself and ContactTableView paints a whole repaint in
one Python call; both must give the same pixels as Qt (light and dark, selections, the focused
current cell, badges, invalid emails, elision, right-aligned scores, moved and hidden columns,
text that needs a fallback font or is not one plain line). The comparisons are exact: the text
is drawn by the same Qt code at the same positions, so no anti-aliasing tolerance is needed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from desktop_data import seed
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyledItemDelegate, QTableView

from app.book import LeadBook
from ui.desktop.contact_columns import EMAIL_COLUMN, NAME_COLUMN, PHONE_COLUMN, STATUS_COLORS
from ui.desktop.contact_delegate import ContactCellDelegate
from ui.desktop.contact_table_model import ContactTableModel
from ui.desktop.contact_view import ContactTableView, without_shaping
from ui.desktop.theme import apply_scheme

Select = QItemSelectionModel.SelectionFlag


@pytest.fixture
def app_palette(qapp) -> Iterator[None]:
    """Put the application palette back after a test that switches the scheme."""
    before = QPalette(QGuiApplication.palette())
    yield
    QGuiApplication.setPalette(before)


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, app_palette: None) -> str:
    """Each test in the light and the dark palette (the app follows the system's)."""
    apply_scheme(Qt.ColorScheme.Dark if request.param == "dark" else Qt.ColorScheme.Light)
    return str(request.param)


def scored_book(book: LeadBook, n: int = 40) -> ContactTableModel:
    """Seeded contacts (row 3: invalid email, red with a dot; row 5: risky phone, a dot)."""
    seed(book, n)
    for i, contact_id in enumerate(book.snapshot()[:12]):
        book.update_contact(int(contact_id), {"score": i * 9})  # right-aligned numbers
    return ContactTableModel(book)


def make_view(qtbot, model: ContactTableModel, ours: bool, *, wrap: bool = False) -> QTableView:
    """The main window's kind of table (ours) or a stock QTableView with Qt's delegate."""
    view = ContactTableView() if ours else QTableView()
    if not ours:
        without_shaping(view)  # the font ContactTableView sets itself
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = ContactCellDelegate(model, view) if ours else QStyledItemDelegate(view)
    view.setItemDelegate(delegate)
    view.setAlternatingRowColors(True)
    view.setWordWrap(wrap)
    view.resize(1400, 420)
    view.show()
    qtbot.waitExposed(view)
    return view


def shot(view: QTableView) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def stage(
    view: QTableView, model: ContactTableModel, selected: tuple[int, ...], focus: bool
) -> None:
    for row in selected:
        view.selectionModel().select(model.index(row, 0), Select.Select | Select.Rows)
    if selected:
        view.selectionModel().setCurrentIndex(model.index(selected[-1], 1), Select.NoUpdate)
    if focus:
        view.setFocus()
    else:
        view.clearFocus()


@pytest.mark.parametrize(
    ("selected", "focus", "layout"),
    [
        ((), False, ""),
        ((3,), False, ""),
        ((3, 5, 6), False, ""),
        ((3,), True, ""),  # the current cell's focus frame
        ((4,), True, "moved+hidden"),
        ((9,), False, "scrolled"),
    ],
)
def test_view_paints_what_a_stock_table_paints(
    qtbot, book: LeadBook, scheme: str, selected: tuple[int, ...], focus: bool, layout: str
) -> None:
    model = scored_book(book, 60)
    images = []
    for ours in (False, True):
        view = make_view(qtbot, model, ours)
        if "hidden" in layout:
            view.setColumnHidden(PHONE_COLUMN, True)
        if "moved" in layout:
            view.horizontalHeader().moveSection(3, 0)
        stage(view, model, selected, focus)
        if layout == "scrolled":
            view.verticalScrollBar().setValue(7)
            view.horizontalScrollBar().setValue(60)
        images.append(shot(view))
        view.hide()
    expected, painted = images
    assert painted.size() == expected.size()
    assert painted == expected


@pytest.mark.parametrize("shaped", [False, True])
@pytest.mark.parametrize("wrap", [False, True])
@pytest.mark.parametrize("selected", [(), (3, 5, 6)])
def test_delegate_in_a_plain_table_paints_as_qt(
    qtbot, book: LeadBook, scheme: str, wrap: bool, selected: tuple[int, ...], shaped: bool
) -> None:
    model = scored_book(book)
    view = make_view(qtbot, model, ours=False, wrap=wrap)
    if shaped:
        view.setFont(QFont())  # the application's font as it is: kerned, shaped
    strategy = view.font().styleStrategy()
    assert (strategy == QFont.StyleStrategy.PreferNoShaping) != shaped
    stage(view, model, selected, focus=True)
    expected = shot(view)
    view.setItemDelegate(ContactCellDelegate(model, view))
    assert shot(view) == expected


UNUSUAL_TITLES = [
    "Σοφία, Διευθύντρια Πωλήσεων",  # Greek: past Latin, laid out by QTextLayout
    "山田 太郎 営業部長",  # no glyphs here: a fallback font (or boxes)
    "مدير المبيعات",  # right-to-left
    "Head of Growth 🚀",
    "  Head of Sales  ",  # spaces either side
    "Chief Executive Officer and Founder of Several Very Long Company Names Ltd",
    "Head of\tSales",
    "Ä Ö Ü ß ñ ç ł ő Ș",  # Latin-1 and Extended-A/B: the plain path
    "AVP, Wave Tyres (office)",  # kerning pairs and an "ffi": unshaped, they are not applied
]


def test_unusual_texts_paint_as_qt(qtbot, book: LeadBook, scheme: str) -> None:
    seed(book, len(UNUSUAL_TITLES))
    for contact_id, title in zip(book.snapshot(), UNUSUAL_TITLES, strict=True):
        book.update_contact(int(contact_id), {"job_title": title})
    model = ContactTableModel(book)
    images = []
    for ours in (False, True):
        view = make_view(qtbot, model, ours)
        stage(view, model, (1,), focus=False)
        images.append(shot(view))
        view.hide()
    assert images[1] == images[0]


def cell_pixels(view: QTableView, model: ContactTableModel, row: int, column: int) -> set[str]:
    """The colours painted inside a cell (its grid line excluded), as "#rrggbb"."""
    image = shot(view)
    rect = view.visualRect(model.index(row, column))
    return {
        image.pixelColor(x, y).name()
        for x in range(rect.left(), rect.right())
        for y in range(rect.top(), rect.bottom())
    }


def test_cells_show_their_colours_badges_and_selection(qtbot, book: LeadBook, scheme: str) -> None:
    model = scored_book(book)
    view = make_view(qtbot, model, ours=True)
    palette = view.palette()
    red, orange = STATUS_COLORS["invalid"], STATUS_COLORS["risky"]
    # Row 3's invalid email: red text and a red dot; row 4's valid email: neither.
    assert red in cell_pixels(view, model, 3, EMAIL_COLUMN)
    assert red not in cell_pixels(view, model, 4, EMAIL_COLUMN)
    # Row 5's risky phone: an orange dot, its text in the ordinary colour.
    phone = cell_pixels(view, model, 5, PHONE_COLUMN)
    assert orange in phone
    assert palette.color(QPalette.ColorRole.Text).name() in phone
    # Odd rows have the alternate background, even rows the base.
    assert palette.color(QPalette.ColorRole.AlternateBase).name() in cell_pixels(
        view, model, 1, NAME_COLUMN
    )
    assert palette.color(QPalette.ColorRole.Base).name() in cell_pixels(view, model, 2, NAME_COLUMN)
    # A selected row: the highlight behind highlighted text (the invalid email's too).
    view.selectionModel().select(model.index(3, 0), Select.Select | Select.Rows)
    view.clearFocus()
    group = QPalette.ColorGroup.Active if view.isActiveWindow() else QPalette.ColorGroup.Inactive
    selected = cell_pixels(view, model, 3, EMAIL_COLUMN)
    assert palette.color(group, QPalette.ColorRole.Highlight).name() in selected
    assert palette.color(group, QPalette.ColorRole.HighlightedText).name() in selected


def test_long_text_is_elided_as_qt_elides_it(qtbot, book: LeadBook) -> None:
    model = scored_book(book, 4)
    images = []
    for ours in (False, True):
        view = make_view(qtbot, model, ours)
        view.setColumnWidth(NAME_COLUMN, 60)  # "Ann0 Smith00000" → "Ann0 S…"
        view.setColumnWidth(EMAIL_COLUMN, 400)  # and nothing elided here
        images.append(shot(view))
        view.hide()
    assert images[1] == images[0]


def test_a_jump_paints_the_real_rows(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 400)
    window = make_window()
    view = window.view
    assert isinstance(view, ContactTableView)
    assert isinstance(view.itemDelegate(), ContactCellDelegate)
    qtbot.waitUntil(lambda: window.model.rowCount() == 400)
    view.verticalScrollBar().setValue(250)
    painted = shot(view)
    top = view.rowAt(0)
    assert top == 250
    assert window.model.cells_at(top)[NAME_COLUMN] == "Ann250 Smith00250"
    # The same screen through QTableView's own paintEvent and Qt's delegate.
    view.setItemDelegate(QStyledItemDelegate(view))
    assert shot(view) == painted


def test_scheme_switch_repaints_in_the_new_colours(
    qtbot, book: LeadBook, app_palette: None
) -> None:
    model = scored_book(book, 10)
    apply_scheme(Qt.ColorScheme.Light)
    stock, ours = make_view(qtbot, model, ours=False), make_view(qtbot, model, ours=True)
    assert shot(ours) == shot(stock)  # colours cached for the light palette
    for scheme, base in ((Qt.ColorScheme.Dark, "#1e1f22"), (Qt.ColorScheme.Light, "#ffffff")):
        apply_scheme(scheme)  # the cached colours are the palette's: they follow it
        qtbot.waitUntil(lambda b=base: ours.palette().color(QPalette.ColorRole.Base).name() == b)
        assert base in cell_pixels(ours, model, 2, NAME_COLUMN)
        assert shot(ours) == shot(stock)


def test_a_new_font_is_measured_again(qtbot, book: LeadBook) -> None:
    model = scored_book(book, 20)
    images = []
    for ours in (False, True):
        view = make_view(qtbot, model, ours)
        shot(view)  # positions cached for the first font
        font = view.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        view.setFont(font)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        images.append(shot(view))
        view.hide()
    assert images[1] == images[0]


class TranslucentGrid(QProxyStyle):
    """The application's style with a see-through grid colour (a style may give one)."""

    def styleHint(self, hint, option=None, widget=None, returnData=None):  # type: ignore[no-untyped-def]
        if hint == QStyle.StyleHint.SH_Table_GridLineColor:
            return QColor(200, 0, 0, 96).rgba()
        return super().styleHint(hint, option, widget, returnData)


def test_a_translucent_grid_paints_as_qt(qtbot, book: LeadBook) -> None:
    model = scored_book(book)
    images, styles = [], []  # a view does not own the style it is given: keep them alive
    for ours in (False, True):
        view = make_view(qtbot, model, ours)
        styles.append(TranslucentGrid())
        view.setStyle(styles[-1])
        images.append(shot(view))
        view.hide()
    assert images[1] == images[0]
