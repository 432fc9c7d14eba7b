"""The main window: counts, search, adding through the form, delete/undo, selection, settings."""

from __future__ import annotations

from desktop_data import seed
from PySide6.QtCore import QSettings, Qt

from app.book import LeadBook
from app.contact import RawRecord


def test_status_bar_counts_the_book(make_window, book: LeadBook) -> None:
    seed(book, 30)
    window = make_window()
    assert window.model.rowCount() == 30
    assert window.count_label.text() == "30 contacts"
    assert window.windowTitle() == "Leadsmith — book.db"


def test_empty_book_says_how_to_start(make_window) -> None:
    window = make_window()
    assert window.count_label.text() == "0 contacts"
    assert window.statusBar().currentMessage() == (
        "Import a file (Ctrl+I) or add a contact (Ctrl+N) to start."
    )


def test_search_box_filters_the_table(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 30)
    window = make_window()
    assert window.search_box.placeholderText() == "Search names, emails, companies, titles…"
    qtbot.keyClicks(window.search_box, "ann2")  # Ann2, Ann20…Ann29
    qtbot.waitUntil(lambda: window.model.rowCount() == 11)
    assert window.count_label.text() == "30 contacts · 11 shown"
    assert window.model.data(window.model.index(0, 0)) == "Ann2 Smith00002"
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    qtbot.waitUntil(lambda: window.model.rowCount() == 30)
    assert window.count_label.text() == "30 contacts"


def test_ctrl_f_focuses_the_search_box(qtbot, make_window, book: LeadBook) -> None:
    window = make_window()
    window.activateWindow()
    window.view.setFocus()
    window.find_action.trigger()
    assert window.focusWidget() is window.search_box
    assert window.find_action.shortcut().toString() == "Ctrl+F"


def test_add_contact_through_the_form(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 5)
    window = make_window()
    window.new_contact_action.trigger()
    dialog = window.add_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.edits["first_name"], "Zoe")
    qtbot.keyClicks(dialog.edits["last_name"], "Quinn")
    qtbot.keyClicks(dialog.edits["email"], "zoe@quinn.io")
    qtbot.keyClicks(dialog.edits["company"], "Quinn Ltd")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 6)
    assert window.count_label.text() == "6 contacts"
    row = window.model.rowCount() - 1
    assert [window.model.data(window.model.index(row, c)) for c in (0, 1, 3)] == [
        "Zoe Quinn",
        "zoe@quinn.io",
        "Quinn Ltd",
    ]
    assert window.selected_ids() == [window.model.id_at(row)]
    assert window.statusBar().currentMessage() == "Added Zoe Quinn — Ctrl+Z to undo"


def test_selection_survives_a_refresh(make_window, book: LeadBook) -> None:
    seed(book, 20)
    window = make_window()
    window.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    chosen = [window.model.id_at(3), window.model.id_at(4)]
    window.select_ids(chosen)
    rec = RawRecord(row=0)
    rec.add("first_name", "First name", "Ann99")
    rec.add("last_name", "Last name", "Smith99999")  # sorts first: rows shift by one
    book.add_contact(rec)
    window.refresh()
    assert window.model.rowCount() == 21
    assert window.selected_ids() == chosen
    assert [window.model.row_of(i) for i in chosen] == [4, 5]


def test_delete_then_undo(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 10)
    window = make_window()
    window.select_ids([window.model.id_at(2), window.model.id_at(3)])
    window.view.setFocus()
    window.delete_action.trigger()
    assert window.model.rowCount() == 8
    assert window.count_label.text() == "8 contacts"
    assert window.statusBar().currentMessage() == "Deleted 2 contacts — Ctrl+Z to undo"
    assert window.model.data(window.model.index(2, 0)) == "Ann4 Smith00004"
    window.undo_action.trigger()
    assert window.model.rowCount() == 10
    assert window.statusBar().currentMessage() == "Undone: Delete 2 contact(s)"


def test_undo_with_nothing_to_undo(make_window) -> None:
    window = make_window()
    window.undo()
    assert window.statusBar().currentMessage() == "Nothing to undo."


def test_email_column_cannot_be_sorted(make_window, book: LeadBook) -> None:
    seed(book, 5)
    window = make_window()
    header = window.view.horizontalHeader()
    window.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # Company
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # a click on Email
    assert header.sortIndicatorSection() == 3
    assert window.model.contact_filter.sort == "company"
    assert window.statusBar().currentMessage() == "Email cannot be sorted."


def test_geometry_and_columns_are_saved(make_window, settings: QSettings) -> None:
    window = make_window()
    window.view.horizontalHeader().resizeSection(0, 321)
    window.shutdown()
    assert settings.value("main_window/geometry") is not None
    again = make_window()
    assert again.view.horizontalHeader().sectionSize(0) == 321


def test_table_rows_have_a_fixed_height(make_window, book: LeadBook) -> None:
    from PySide6.QtWidgets import QHeaderView

    seed(book, 3)
    window = make_window()
    vheader = window.view.verticalHeader()
    assert vheader.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert vheader.sectionSize(0) == vheader.defaultSectionSize()
