"""Bulk actions on the selected rows, as a user does them by keyboard and right-click: tag, untag,
status, add to and take off a list; each one undoable; a refusal or a cancel changes nothing."""

from __future__ import annotations

import sqlite3

import pytest
from desktop_data import seed
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from app.book import LeadBook
from app.query import ContactFilter


class Asker:
    """Stands in for QInputDialog.getItem: answers `answer`, keeps each (label, names, editable)."""

    def __init__(self) -> None:
        self.answer = ""
        self.questions: list[tuple[str, list[str], bool]] = []

    def get_item(self, parent, title, label, names, current=0, editable=True):  # type: ignore[no-untyped-def]
        self.questions.append((label, list(names), editable))
        return self.answer, True


@pytest.fixture(autouse=True)
def warned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Warnings shown (title, text): recorded, never blocking."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text, *a: shown.append((title, text))
    )
    return shown


@pytest.fixture
def asker(monkeypatch: pytest.MonkeyPatch) -> Asker:
    asker = Asker()
    monkeypatch.setattr(QInputDialog, "getItem", asker.get_item)
    return asker


def press(qtbot, window, key: str) -> None:  # type: ignore[no-untyped-def]
    """A shortcut typed in the table, as the user does."""
    with qtbot.waitActive(window):
        window.activateWindow()
    window.view.setFocus()
    combo = QKeySequence(key)[0]
    widget = QApplication.focusWidget()
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())
    # Let go of the modifiers too: Qt keeps the last key event's modifiers as held, and a later
    # selectRow() (in this test or the next) would then toggle or extend the selection.
    for modifier in (Qt.Key.Key_Shift, Qt.Key.Key_Control):
        qtbot.keyRelease(widget, modifier, Qt.KeyboardModifier.NoModifier)


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Wait for the change's job and the table's rebuild after it."""
    qtbot.waitUntil(lambda: window.bulk.job is None and window.snapshots.pending is None)


def tagged(book: LeadBook, tag: str) -> list[int]:
    return list(book.snapshot(ContactFilter(tag=tag)))


def test_tag_untag_and_lists_by_keyboard_with_undo(
    qtbot, make_window, book: LeadBook, asker: Asker, warned: list[tuple[str, str]]
) -> None:
    seed(book, 10)
    window = make_window()
    ids = list(window.model.ids)
    window.select_ids(ids[2:6])
    asker.answer = "vip"
    press(qtbot, window, "Ctrl+T")
    settle(qtbot, window)
    assert asker.questions[-1] == ("Tag for the 4 contacts:", [], True)
    assert tagged(book, "vip") == ids[2:6]
    assert window.statusBar().currentMessage() == "Tagged 4 contacts “vip” — Ctrl+Z to undo"
    assert window.selected_ids() == ids[2:6]  # kept for the next action
    assert window.undo_action.text() == "&Undo Tag 4 contact(s) 'vip'"

    asker.answer = "Trade show 2026"  # a new list: made on the way
    press(qtbot, window, "Ctrl+L")
    settle(qtbot, window)
    assert asker.questions[-1] == ("List for the 4 contacts:", [], True)
    assert book.lists() == [("Trade show 2026", 4)]
    press(qtbot, window, "Ctrl+Shift+L")
    settle(qtbot, window)
    assert asker.questions[-1] == ("List to take the 4 contacts off:", ["Trade show 2026"], False)
    assert book.lists() == [("Trade show 2026", 0)]

    window.select_ids(ids[3:4])
    asker.answer = "vip"
    press(qtbot, window, "Ctrl+Shift+T")
    settle(qtbot, window)
    assert asker.questions[-1] == ("Tag to take off the 1 contact:", ["vip"], False)
    assert tagged(book, "vip") == [ids[2], ids[4], ids[5]]
    assert window.statusBar().currentMessage() == "Took “vip” off 1 contact — Ctrl+Z to undo"
    window.undo()
    assert tagged(book, "vip") == ids[2:6]
    asker.answer = "Nobody's tag"  # refused by the book: said, nothing changed
    press(qtbot, window, "Ctrl+Shift+T")
    settle(qtbot, window)
    assert warned == [("Nothing was changed", 'no tag called "Nobody\'s tag"')]


def test_nothing_selected_asks_nothing(qtbot, make_window, book: LeadBook, asker: Asker) -> None:
    seed(book, 3)
    window = make_window()
    window.view.clearSelection()
    assert window.bulk.ask_tag() is None
    assert asker.questions == []
    assert window.statusBar().currentMessage() == "Select the contacts to tag first."


def test_status_from_the_right_click_menu_and_a_refused_sql(
    qtbot, make_window, book: LeadBook, warned: list[tuple[str, str]]
) -> None:
    seed(book, 6)
    window = make_window()
    ids = list(window.model.ids)
    window.select_ids(ids[:3])
    menu = window.bulk.context_menu()
    texts = [a.text() for a in menu.actions()]
    assert texts == ["&Tag selected…", "&Untag selected…", "Set &status",
                     "Add selected to &list…", "Take selected off a list…", "",
                     "&Export selected…", "&Delete"]  # fmt: skip
    window.bulk.status_actions["MQL"].trigger()
    settle(qtbot, window)
    assert [book.get_contact(i).status for i in ids[:4]] == ["MQL", "MQL", "MQL", "New"]
    assert window.statusBar().currentMessage() == "Moved 3 contacts to MQL — Ctrl+Z to undo"
    window.bulk.status_actions["SQL"].trigger()  # the lead cycle refuses: all or nothing
    settle(qtbot, window)
    assert [book.get_contact(i).status for i in ids[:3]] == ["MQL", "MQL", "MQL"]
    assert warned == [
        (
            "Nothing was changed",
            f"cannot move contact #{ids[0]} from MQL to SQL; "
            "from MQL a lead can go to: SAL, Recycled, Disqualified",
        )
    ]
    window.undo()
    assert [book.get_contact(i).status for i in ids[:3]] == ["New", "New", "New"]


def test_export_selected_opens_the_dialog_on_the_selection(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 5)
    window = make_window()
    ids = list(window.model.ids)
    window.select_ids(ids[1:3])
    window.bulk.export_selected()
    dialog = window.export_dialog
    assert dialog is not None
    assert dialog.source_combo.currentData() == "selected"
    assert dialog.contact_filter().ids == tuple(ids[1:3])
    dialog.reject()


def test_a_big_change_shows_progress_and_a_cancel_changes_nothing(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 2_500)
    window = make_window()
    qtbot.waitUntil(lambda: window.snapshots.pending is None)
    window.view.selectAll()
    ids = window.selected_ids()
    assert len(ids) == 2_500
    blocker = sqlite3.connect(book.path)  # holds the write lock: the job waits at its start
    blocker.execute("BEGIN IMMEDIATE")
    job = window.bulk.add_tag(ids, "vip")
    assert job is not None
    assert window.bulk.progress_dialog.labelText() == "Tagging 2,500 contacts “vip”…"
    assert window.bulk.ask_tag() is None  # one change at a time
    job.signals.progressed.connect(
        lambda done, total: job.cancel(), Qt.ConnectionType.DirectConnection
    )
    blocker.rollback()
    blocker.close()
    settle(qtbot, window)
    assert window.statusBar().currentMessage() == "Cancelled: nothing was changed."
    assert tagged(book, "vip") == []
    assert book.next_undo().label == "Import seed.csv"  # no tag step to undo
    assert window.bulk.progress_dialog is None
