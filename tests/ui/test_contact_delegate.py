"""The table's delegate paints exactly what Qt's own delegate paints from the model's roles."""

from __future__ import annotations

import pytest
from desktop_data import seed
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyledItemDelegate, QTableView

from app.book import LeadBook
from ui.desktop.contact_delegate import ContactCellDelegate
from ui.desktop.contact_table_model import ContactTableModel


def shot(view: QTableView) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


@pytest.mark.parametrize("selected", [(), (3,), (3, 5, 6)])
def test_same_pixels_as_qt_delegate(qtbot, book: LeadBook, selected: tuple[int, ...]) -> None:
    seed(book, 40)  # row 3: invalid email (red, dot); row 5: risky phone (dot)
    for i, contact_id in enumerate(book.snapshot()[:12]):
        book.update_contact(int(contact_id), {"score": i * 9})  # right-aligned numbers
    model = ContactTableModel(book)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.resize(2200, 500)  # every column, created date included
    view.show()
    qtbot.waitExposed(view)
    flags = QItemSelectionModel.SelectionFlag
    for row in selected:
        view.selectionModel().select(model.index(row, 0), flags.Select | flags.Rows)
    if selected:
        view.selectionModel().setCurrentIndex(model.index(selected[-1], 1), flags.NoUpdate)
    view.setItemDelegate(QStyledItemDelegate(view))
    expected = shot(view)
    view.setItemDelegate(ContactCellDelegate(model, view))
    painted = shot(view)
    assert painted.size() == expected.size()
    assert painted == expected


def test_window_table_uses_the_delegate(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 3)
    window = make_window()
    assert isinstance(window.view.itemDelegate(), ContactCellDelegate)
