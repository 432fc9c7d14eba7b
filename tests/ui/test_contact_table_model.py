"""ContactTableModel: an id snapshot with paged rows, checked by Qt's model tester."""

from __future__ import annotations

from desktop_data import seed
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import QTableView

from app.book import LeadBook
from app.query import ContactFilter
from ui.desktop.contact_delegate import ContactCellDelegate
from ui.desktop.contact_table_model import ContactTableModel
from ui.desktop.contact_view import ContactTableView


def test_model_passes_qt_model_tester(qtmodeltester, book: LeadBook) -> None:
    seed(book, 500)
    model = ContactTableModel(book)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 500
    assert model.columnCount() == 12  # City, Tags, Source, Created: hidden by default
    assert model.rowCount(model.index(0, 0)) == 0


def test_headers_and_first_row(qapp, book: LeadBook) -> None:
    seed(book, 3)
    model = ContactTableModel(book)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == [
        "Name",
        "Email",
        "Phone",
        "Company",
        "Job title",
        "Country",
        "Status",
        "Score",
    ]
    row = [model.data(model.index(0, c)) for c in range(8)]
    assert row == ["Ann0 Smith00000", "person0@acme0.com", "+44 20 7946 0000", "Acme 0",
                   "Head of Sales", "", "New", ""]  # fmt: skip


def test_invalid_email_and_risky_phone_are_marked(qapp, book: LeadBook) -> None:
    seed(book, 6)  # row 3 has "person3@", row 5 the phone "0123"
    model = ContactTableModel(book)
    bad_email = model.index(3, 1)
    assert model.data(bad_email) == "person3@"
    assert isinstance(model.data(bad_email, Qt.ItemDataRole.DecorationRole), QIcon)
    assert isinstance(model.data(bad_email, Qt.ItemDataRole.ForegroundRole), QBrush)
    assert (
        model.data(bad_email, Qt.ItemDataRole.ToolTipRole) == "Invalid email: nothing after the @"
    )
    risky_phone = model.index(5, 2)
    assert model.data(risky_phone) == "+44 0123"
    assert model.data(risky_phone, Qt.ItemDataRole.ToolTipRole) == (
        "Risky phone: not a valid number for GB"
    )
    assert model.data(risky_phone, Qt.ItemDataRole.ForegroundRole) is None  # only invalid is red
    good = model.index(0, 1)
    assert model.data(good, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(good, Qt.ItemDataRole.ToolTipRole) is None


def on_screen(qtbot, view: QTableView, model: ContactTableModel) -> QTableView:
    """`view` over `model`, 800 x 600, on screen (closed with the test)."""
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 600)
    view.show()
    return view


def test_paging_to_the_end_of_5000_rows(qtbot, book: LeadBook) -> None:
    seed(book, 5000)
    model = ContactTableModel(book)
    view = on_screen(qtbot, QTableView(), model)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.rowAt(view.viewport().height() - 2) == 4999)
    assert model.data(model.index(4999, 0)) == "Ann4999 Smith04999"
    assert model.id_at(4999) == model.ids[-1]
    # Only pages of rows on screen (first screen, then last) were fetched, the last one included.
    shown = {0} | {row // model.PAGE_SIZE for row in range(view.rowAt(0), 5000)}
    assert 4999 // model.PAGE_SIZE in model._pages
    assert set(model._pages) <= shown
    for row in range(0, 5000, model.PAGE_SIZE // 2):
        assert model.data(model.index(row, 3)) == f"Acme {row % 40}"
    assert len(model._pages) == -(-5000 // model.PAGE_SIZE)  # every page once, none twice


def test_a_jump_reads_the_screens_pages_in_one_query(qtbot, book: LeadBook) -> None:
    seed(book, 3000)
    model = ContactTableModel(book)
    view = on_screen(qtbot, ContactTableView(), model)
    view.setItemDelegate(ContactCellDelegate(model, view))
    view.setWordWrap(False)  # as the main window's (word wrap is painted by QTableView)
    qtbot.waitExposed(view)
    reads: list[list[int]] = []
    real_rows = book.rows

    def counted(ids: list[int]) -> dict[int, object]:
        reads.append(list(ids))
        return real_rows(ids)  # type: ignore[return-value]

    book.rows = counted  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 2000)
    view.verticalScrollBar().setValue(2001)
    view.viewport().grab()  # paints it, as a repaint on screen would
    top, bottom = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
    assert top == 2001 and bottom - top + 1 > model.PAGE_SIZE  # the screen spans several pages
    assert len(reads) == 1  # all of them in one query
    first, last = top // model.PAGE_SIZE, bottom // model.PAGE_SIZE
    assert reads[0] == list(model.ids[first * model.PAGE_SIZE : (last + 1) * model.PAGE_SIZE])
    assert all(model.is_cached(row) for row in range(top, bottom + 1))
    assert model.data(model.index(bottom, 0)) == f"Ann{bottom} Smith{bottom:05d}"
    view.viewport().grab()
    assert len(reads) == 1  # painted again from the cache


def test_page_cache_evicts_least_recently_used(qapp, book: LeadBook) -> None:
    seed(book, 1000)
    model = ContactTableModel(book)
    model.MAX_PAGES = 3
    size = model.PAGE_SIZE
    for row in (0, size, 2 * size, 0, 3 * size, 4 * size):
        assert model.data(model.index(row, 0)) == f"Ann{row} Smith{row:05d}"
    assert list(model._pages) == [0, 3, 4]  # page 1 and 2 were the least recently used


def test_sort_rebuilds_the_snapshot_in_sql(qapp, book: LeadBook) -> None:
    seed(book, 30)
    model = ContactTableModel(book)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "Ann29 Smith00029"
    assert model.contact_filter.sort == "name" and model.contact_filter.descending
    model.sort(3, Qt.SortOrder.AscendingOrder)
    companies = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert companies == sorted(companies, key=str.casefold)
    before = list(model.ids)
    model.sort(1, Qt.SortOrder.AscendingOrder)  # email has no SQL order: nothing changes
    assert list(model.ids) == before


def test_sort_keeps_persistent_indexes_on_their_contact(qapp, book: LeadBook) -> None:
    seed(book, 20)
    model = ContactTableModel(book)
    kept = QPersistentModelIndex(model.index(2, 0))
    contact_id = model.id_at(2)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert kept.row() == model.row_of(contact_id) == 17


def test_filter_refresh_and_row_of(qapp, book: LeadBook) -> None:
    seed(book, 50)
    model = ContactTableModel(book)
    model.set_filter(ContactFilter(search="Ann4"))  # Ann4, Ann40…Ann49
    assert model.rowCount() == 11
    assert model.row_of(model.id_at(10)) == 10
    assert model.row_of(10_000) == -1
    seed(book, 1, start=400)  # "Ann400" matches too
    model.refresh()
    assert model.rowCount() == 12
    assert model.rowCount(QModelIndex()) == 12
