"""The duplicates view: scan, compare side by side, keep values, merge, undo, keep apart, guards."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QTableWidgetItem

from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta
from ui.desktop import theme
from ui.desktop.add_contact_dialog import AddContactDialog
from ui.desktop.duplicate_compare import DIFFERS, FIELD_ROWS, PICKED
from ui.desktop.duplicates_view import DuplicatesView
from ui.desktop.main_window import MainWindow

ROBERT = {"first_name": "Robert", "last_name": "Smith", "company": "Acme Inc",
          "email": "r.smith@acme.com", "job_title": "Sales Director", "city": "London"}  # fmt: skip
BOB = {"first_name": "Bob", "last_name": "Smith", "company": "ACME", "email": "bob.smith@acme.com",
       "phone": "+44 20 7946 0958", "job_title": "VP Sales", "city": "Leeds"}  # fmt: skip


def record(values: dict[str, str]) -> RawRecord:
    rec = RawRecord(row=1)
    for field, value in values.items():
        rec.add(field, field, value)
    return rec


def seed_duplicates(book: LeadBook) -> None:
    """#1 Robert and #2 Bob Smith (fuzzy), then #3/#4 Jane Doe (same email)."""
    book.default_region = "GB"
    book.import_records([record(ROBERT)], ImportMeta(file_name="crm.csv"))
    book.import_records([record(BOB)], ImportMeta(file_name="event.csv"))
    # Robert again in a newer file: his job title is now the most recent one (the rule's default).
    book.import_records([record(ROBERT)], ImportMeta(file_name="newsletter.csv"))
    book.add_contact(record({"first_name": "Jane", "last_name": "Doe", "email": "jane@doe.org"}))
    book.add_contact(
        record({"first_name": "J", "last_name": "Doe", "email": "JANE@doe.org"}),
        on_duplicate="keep",
    )


def open_view(qtbot, window) -> DuplicatesView:
    window.duplicates.action.trigger()
    view = window.duplicates.view
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: not view.scanning)
    view.activateWindow()
    qtbot.waitUntil(lambda: view.isActiveWindow())
    return view


def row_of(key: str) -> int:
    return next(n for n, (k, _label, _kind) in enumerate(FIELD_ROWS) if k == key)


def cell(view: DuplicatesView, key: str, column: int) -> QTableWidgetItem:
    item = view.compare.item(row_of(key), column)
    assert item is not None
    return item


def cells(view: DuplicatesView, key: str) -> list[str]:
    return [cell(view, key, c).text() for c in range(view.compare.columnCount())]


def smith_view(qtbot, make_window, book: LeadBook) -> tuple[MainWindow, DuplicatesView]:
    seed_duplicates(book)
    window = make_window()
    view = open_view(qtbot, window)
    view.select_group(1)
    assert view.compare.ids == [1, 2]
    return window, view


def test_menu_entry_and_shortcut(make_window) -> None:
    window = make_window()
    action = window.duplicates.action
    assert action.shortcut().toString() == "Ctrl+Shift+D"
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    contacts = menus["&Contacts"]
    assert isinstance(contacts, QMenu) and action in contacts.actions()
    assert action.text() == "Find &duplicates…"


def test_groups_are_listed_by_score(qtbot, make_window, book: LeadBook) -> None:
    seed_duplicates(book)
    window = make_window()
    view = open_view(qtbot, window)
    texts = [view.groups_list.item(r).text() for r in range(view.groups_list.count())]
    assert texts == [
        "100  certain — Jane Doe · J Doe\nsame email",
        "70  review — Robert Smith · Bob Smith\nsame name + nickname + same company + same "
        "company domain + different work emails",
    ]
    assert view.status_label.text() == "2 groups of duplicates (1 to review)"
    assert view.groups_list.currentRow() == 0
    assert view.compare.ids == [3, 4]


def test_contacts_side_by_side_with_differences_and_rule(qtbot, make_window, book) -> None:
    _window, view = smith_view(qtbot, make_window, book)
    table = view.compare
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
    assert heads == ["#1 Robert Smith", "#2 Bob Smith", "Merged result"]
    assert cells(view, "survivor") == ["● Keep this record", "○ Merge into the kept one", "#1"]
    assert cells(view, "first_name") == ["● Robert", "○ Bob", "Robert  (rule)"]
    assert cells(view, "last_name") == ["Smith", "Smith", "Smith"]
    assert cells(view, "job_title") == ["● Sales Director", "○ VP Sales", "Sales Director  (rule)"]
    assert cells(view, "phones") == ["—", "+442079460958", "+442079460958"]
    assert cells(view, "emails")[2] == "r.smith@acme.com, bob.smith@acme.com"
    assert cells(view, "sources") == ["2", "1", "3"]
    assert table.isRowHidden(row_of("middle_name"))
    assert cell(view, "job_title", 1).background().color() == theme.color(DIFFERS, table.palette())
    assert cell(view, "job_title", 0).background().color() == theme.color(PICKED, table.palette())
    assert table.verticalHeaderItem(row_of("job_title")).text() == "Job title ≠"  # type: ignore[union-attr]
    assert table.verticalHeaderItem(row_of("last_name")).text() == "Last name"  # type: ignore[union-attr]
    assert cell(view, "last_name", 1).background().style() == Qt.BrushStyle.NoBrush
    assert table.verticalHeaderItem(row_of("job_title")).toolTip() == (  # type: ignore[union-attr]
        "Job title: the most recent source wins unless you pick one"
    )


@pytest.mark.parametrize("how", ["keyboard", "click"])
def test_merge_keeps_a_value_from_the_second_contact(qtbot, make_window, book, how) -> None:
    window, view = smith_view(qtbot, make_window, book)
    table = view.compare
    if how == "keyboard":
        table.setFocus()
        table.setCurrentCell(row_of("job_title"), 0)
        qtbot.keyClick(table, Qt.Key.Key_Right)
        qtbot.keyClick(table, Qt.Key.Key_Space)
    else:
        rect = table.visualItemRect(cell(view, "job_title", 1))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert cells(view, "job_title") == ["○ Sales Director", "● VP Sales", "VP Sales  (your choice)"]
    assert table.choices() == {"first_name": 1, "job_title": 2, "city": 1}
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(table, Qt.Key.Key_M)
    survivor = book.get_contact(1)
    assert (survivor.first_name, survivor.job_title, survivor.city) == (
        "Robert",
        "VP Sales",
        "London",
    )
    assert [p.value for p in survivor.emails] == ["r.smith@acme.com", "bob.smith@acme.com"]
    assert window.model.row_of(2) == -1 and window.model.row_of(1) >= 0
    assert window.count_label.text() == "3 contacts"
    assert view.groups_list.count() == 1
    assert view.status_label.text() == "Merged #2 into #1 Robert Smith — Ctrl+Z to undo"


def test_another_survivor_keeps_its_id_and_values(qtbot, make_window, book) -> None:
    window, view = smith_view(qtbot, make_window, book)
    table = view.compare
    table.setFocus()
    table.setCurrentCell(row_of("survivor"), 1)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert cells(view, "survivor") == ["○ Merge into the kept one", "● Keep this record", "#2"]
    assert cells(view, "first_name") == ["○ Robert", "● Bob", "Bob  (rule)"]
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.model.row_of(1) == -1
    assert book.get_contact(2).first_name == "Bob"
    assert book.get_contact(2).job_title == "Sales Director"  # the newest source still wins


def test_undo_brings_both_contacts_back_exactly(qtbot, make_window, book) -> None:
    window, view = smith_view(qtbot, make_window, book)
    before = [book.get_contact(1), book.get_contact(2)]
    view.compare.pick(row_of("job_title"), 1)
    view.merge_button.click()
    assert window.model.row_of(2) == -1
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(view.groups_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [book.get_contact(1), book.get_contact(2)] == before
    assert view.status_label.text() == "Undone: Merge #2 into #1"
    assert view.groups_list.count() == 2
    assert view.compare.ids == [1, 2]
    assert window.model.row_of(2) >= 0 and window.count_label.text() == "4 contacts"


def test_not_a_duplicate_is_never_proposed_again(qtbot, make_window, book) -> None:
    window, view = smith_view(qtbot, make_window, book)
    qtbot.keyClick(view.groups_list, Qt.Key.Key_N)
    assert view.groups_list.count() == 1
    assert view.status_label.text() == (
        "Kept apart: Robert Smith and Bob Smith will not be proposed again."
    )
    view.close()
    again = open_view(qtbot, window)
    assert [g.ids for g in again.groups] == [(3, 4)]
    assert window.count_label.text() == "4 contacts"


def test_skip_moves_on_without_deciding(qtbot, make_window, book) -> None:
    seed_duplicates(book)
    window = make_window()
    view = open_view(qtbot, window)
    qtbot.keyClick(view.groups_list, Qt.Key.Key_S)
    assert view.groups_list.currentRow() == 1
    assert not view.skip_button.isEnabled()
    qtbot.keyClick(view.groups_list, Qt.Key.Key_Up)
    assert view.compare.ids == [3, 4]
    qtbot.keyClick(view.groups_list, Qt.Key.Key_Down)  # Down is a skip too
    assert view.compare.ids == [1, 2]
    assert book.count() == 4 and view.groups_list.count() == 2


@pytest.mark.parametrize("answer", ["Cancel", "Merge anyway"])
def test_do_not_contact_pair_needs_confirmation(qtbot, make_window, book, answer) -> None:
    seed_duplicates(book)
    book.set_do_not_contact([2], "requested")
    window = make_window()
    view = open_view(qtbot, window)
    view.select_group(1)
    assert cells(view, "do_not_contact") == ["No", "Yes", "Yes"]
    view.merge_button.click()
    box = view.guard_box
    assert box is not None and box.isVisible()
    assert box.text() == "These contacts were not merged."
    assert box.informativeText().startswith("Contact #2 is marked do-not-contact")
    button = next(b for b in box.buttons() if b.text() == answer)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if answer == "Cancel":
        assert view.status_label.text() == "Not merged."
        assert window.model.row_of(2) >= 0 and view.groups_list.count() == 2
    else:
        assert window.model.row_of(2) == -1 and view.groups_list.count() == 1
        assert book.get_contact(1).do_not_contact is True


def test_cancel_stops_the_scan(qtbot, make_window, book) -> None:
    seed_duplicates(book)
    window = make_window()
    release = threading.Event()
    # Occupy the read lane so the scan is still queued when Cancel is pressed.
    blocker = window.jobs.create(lambda _b, _p, _c: release.wait(10), "block")
    window.jobs.start_read(blocker)
    window.duplicates.action.trigger()
    view = window.duplicates.view
    assert view.scanning and view.cancel_button.isVisible()
    assert view.status_label.text() == "Looking for duplicates…"
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not view.scanning)
    assert view.status_label.text() == "Scan canceled."
    assert view.groups_list.count() == 0 and view.rescan_button.isVisible()


def test_buttons_are_named_and_explained(qtbot, make_window, book) -> None:
    _window, view = smith_view(qtbot, make_window, book)
    buttons = [view.merge_button, view.not_duplicate_button, view.skip_button, view.undo_button]
    assert [(b.accessibleName(), b.toolTip()) for b in buttons] == [
        ("Merge", "Merge into the kept record (M, Ctrl+Enter)"),
        ("Not a duplicate", "Different people: never propose this group again (N)"),
        ("Skip", "Decide later: next group (S, Down)"),
        ("Undo", "Undo the book's last operation (Ctrl+Z)"),
    ]
    item = cell(view, "job_title", 1)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "Job title of #2: VP Sales, not kept"
    assert view.groups_list.item(1).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Score 70, to review: Robert Smith, Bob Smith"
    )


def test_add_contact_warns_about_a_fuzzy_duplicate(qtbot, book: LeadBook) -> None:
    seed_duplicates(book)
    dialog = AddContactDialog(book)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.edits["first_name"], "Bob")
    qtbot.keyClicks(dialog.edits["last_name"], "Smith")
    qtbot.keyClicks(dialog.edits["company"], "Acme")
    qtbot.waitUntil(lambda: dialog.duplicate_text() != "")
    assert dialog.duplicate_text() == (
        "Maybe already in the book: #1 Robert Smith (score 70: same name + nickname + same "
        "company); #2 Bob Smith (score 70: same name + same company)"
    )
    assert dialog.merge_choice.isHidden() and dialog.keep_choice.isHidden()
    assert dialog.on_duplicate() == "merge"
