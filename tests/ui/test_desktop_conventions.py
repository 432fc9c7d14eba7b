"""Desktop conventions: redo, recent books, New/Open book, the column chooser, names and tab order."""

from __future__ import annotations

from pathlib import Path

import pytest
from desktop_data import seed
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QToolBar

from app.book import LeadBook
from ui.desktop import recent_books
from ui.desktop.column_chooser import HEADER_KEY
from ui.desktop.recent_books import MAX_RECENT, RecentBooks


def test_redo_menu_says_what_it_redoes(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 3)
    window = make_window()
    first = window.model.id_at(0)
    assert window.undo_action.text() == "&Undo Import seed.csv"
    assert not window.redo_action.isEnabled() and window.redo_action.text() == "&Redo"
    window.book.update_contact(first, {"job_title": "CMO"})
    window.refresh()
    assert window.undo_action.text() == f"&Undo Edit contact #{first}"
    window.undo_action.trigger()
    assert window.book.get_contact(first).job_title == "Head of Sales"
    assert window.redo_action.isEnabled()
    assert window.redo_action.text() == f"&Redo Edit contact #{first}"
    assert [k.toString() for k in window.redo_action.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    window.redo_action.trigger()
    assert window.book.get_contact(first).job_title == "CMO"
    assert window.statusBar().currentMessage() == f"Redone: Edit contact #{first}"
    assert not window.redo_action.isEnabled()
    assert window.undo_action.text() == f"&Undo Edit contact #{first}"


def test_redo_of_an_import_explains_itself(monkeypatch, make_window, book: LeadBook) -> None:
    seed(book, 3)
    window = make_window()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: shown.append(text))
    window.undo_action.trigger()
    assert window.model.rowCount() == 0
    window.redo()
    assert shown == ["Can't redo an import — import the file again (seed.csv)."]
    assert window.model.rowCount() == 0


def test_redo_with_nothing_to_redo(make_window) -> None:
    window = make_window()
    window.redo()
    assert window.statusBar().currentMessage() == "Nothing to redo."


def test_book_shortcuts_do_not_clash(make_window) -> None:
    window = make_window()
    keys = {
        a.text(): a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()
    }
    assert keys["&New contact…"] == "Ctrl+N"
    assert keys["New &book…"] == "Ctrl+Shift+N"
    assert keys["&Open book…"] == "Ctrl+O"
    owners: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            assert key.toString() not in owners, (action.text(), owners.get(key.toString()))
            owners[key.toString()] = action.text()
    file_menu = [a.text() for a in window.file_menu.actions() if a.text()]
    assert file_menu[:4] == ["New &book…", "&Open book…", "Open &recent", "&New contact…"]


def test_recent_books_newest_first_and_bounded(tmp_path: Path, settings: QSettings) -> None:
    recent = RecentBooks(settings)
    paths = [tmp_path / f"b{n}.db" for n in range(10)]
    for p in paths:
        recent.add(p)
    recent.add(paths[3])
    assert recent.paths() == [paths[3], paths[9], paths[8], paths[7], paths[6], paths[5],
                              paths[4], paths[2]]  # fmt: skip
    assert len(recent.paths()) == MAX_RECENT
    paths[9].write_bytes(b"")
    assert recent.last_existing() == paths[9]
    assert recent.remove_missing() == 7
    assert recent.paths() == [paths[9]]


def test_open_recent_greys_missing_books_and_clears(
    tmp_path: Path, make_window, settings: QSettings
) -> None:
    other = tmp_path / "other.db"
    LeadBook.open(other).close()
    gone = tmp_path / "gone.db"
    RecentBooks(settings).add(gone)
    RecentBooks(settings).add(other)
    window = make_window()
    menu = window.books.recent_menu
    window.books.rebuild_recent_menu()
    items = [(a.text(), a.isEnabled()) for a in menu.actions() if a.text()]
    assert items == [
        ("&1 other.db", True),
        ("&2 gone.db (missing)", False),
        ("Remove &missing books", True),
        ("&Clear menu", True),
    ]
    menu.actions()[-1].trigger()  # Clear menu
    window.books.rebuild_recent_menu()
    assert [a.text() for a in menu.actions() if a.text()] == ["No other books yet", "&Clear menu"]
    assert RecentBooks(settings).paths() == [window.book_path.absolute()]


def test_open_book_replaces_the_window(
    qtbot, monkeypatch, tmp_path: Path, make_window, book: LeadBook, settings: QSettings
) -> None:
    seed(book, 4)
    other = tmp_path / "other.db"
    with LeadBook.open(other) as b:
        seed(b, 2)
    window = make_window()
    window.view.horizontalHeader().resizeSection(0, 321)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    new = window.books.open_book_action.trigger() or recent_books.OPEN_WINDOWS[-1]
    qtbot.addWidget(new)
    try:
        assert new.windowTitle() == "Leadsmith — other.db"
        assert new.model.rowCount() == 2
        assert new.view.horizontalHeader().sectionSize(0) == 321  # the layout came along
        assert not window.isVisible()
        assert RecentBooks(settings).paths()[:2] == [other.absolute(), book.path.absolute()]
    finally:
        new.shutdown()


def test_new_book_creates_an_empty_book(
    qtbot, monkeypatch, tmp_path: Path, make_window, book: LeadBook
) -> None:
    seed(book, 2)
    target = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window = make_window()
    new = window.books.new_book()
    assert new is not None
    qtbot.addWidget(new)
    try:
        assert new.book_path == tmp_path / "fresh.db"
        assert new.model.rowCount() == 0
    finally:
        new.shutdown()


def test_column_chooser_hides_and_remembers(make_window, settings: QSettings) -> None:
    window = make_window()
    chooser = window.columns
    titles = [a.text() for a in chooser.actions]
    assert titles[:8] == ["Name", "Email", "Phone", "Company", "Job title", "Country", "Status",
                          "Score"]  # fmt: skip
    assert window.view.horizontalHeader().contextMenuPolicy() == (
        Qt.ContextMenuPolicy.CustomContextMenu
    )
    chooser.actions[titles.index("Phone")].setChecked(False)
    assert window.view.isColumnHidden(titles.index("Phone"))
    assert "Phone" not in chooser.visible_titles()
    assert settings.value(HEADER_KEY) is not None  # saved at once, not only on closing
    window.shutdown()
    again = make_window()
    assert again.view.isColumnHidden(titles.index("Phone"))
    assert not again.columns.actions[titles.index("Phone")].isChecked()
    again.columns.reset_action.trigger()
    assert not again.view.isColumnHidden(titles.index("Phone"))
    assert again.columns.visible_titles()[:8] == titles[:8]


def test_the_last_column_cannot_be_hidden(make_window) -> None:
    window = make_window()
    chooser = window.columns
    for action in chooser.actions:
        action.setChecked(False)
    assert chooser.visible_titles() == ["Score"]  # the last column shown by default
    assert chooser.actions[7].isChecked()


def test_columns_are_in_the_view_menu(make_window) -> None:
    window = make_window()
    view_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"
    )
    assert window.columns.menu.menuAction() in view_menu.actions()
    assert window.columns.menu.actions()[-1].text() == "&Reset columns"


def test_toolbar_and_panels_are_named_and_explained(make_window) -> None:
    window = make_window()
    toolbar = window.findChild(QToolBar, "main_toolbar")
    for action in toolbar.actions():
        if action.isSeparator():
            continue
        widget = toolbar.widgetForAction(action)
        assert widget.accessibleName(), action.text()
        assert widget.toolTip(), action.text()
    assert [toolbar.widgetForAction(a).accessibleName() for a in toolbar.actions()[:3]] == [
        "New contact", "Import", "Export",
    ]  # fmt: skip
    assert window.search_box.toolTip().startswith("Search by name")
    assert window.leads.sidebar.accessibleName() == "Filters"
    assert window.view.accessibleName() == "Contacts"


def test_tab_moves_search_filters_table_details(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 3)
    window = make_window()
    window.activateWindow()
    window.search_box.setFocus()
    order = [window.search_box]
    for _ in range(2):
        window.focusWidget().nextInFocusChain()
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        order.append(window.focusWidget())
    assert order[1] is window.leads.sidebar
    assert order[2] is window.view


@pytest.mark.parametrize("key", ["Ctrl+Shift+Z", "Ctrl+Y"])
def test_redo_shortcuts(qtbot, make_window, book: LeadBook, key: str) -> None:
    seed(book, 2)
    window = make_window()
    first = window.model.id_at(0)
    window.book.update_contact(first, {"job_title": "CEO"})
    window.refresh()
    window.undo()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.view.setFocus()
    combo = QKeySequence(key)[0]
    qtbot.keyClick(QApplication.focusWidget(), combo.key(), combo.keyboardModifiers())
    assert window.book.get_contact(first).job_title == "CEO"
