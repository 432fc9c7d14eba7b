"""Inline editing in the contacts table, and the snapshot built off the UI thread."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest
from desktop_data import seed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from app.book import LeadBook
from app.jobs import Cancelled, Progress
from ui.desktop import snapshot_loader
from ui.desktop.contact_table_model import ContactTableModel
from ui.desktop.jobs import JobRunner


def edit_cell(qtbot, window, row: int, column: int, text: str) -> None:
    """Select a cell, F2, replace its text, Enter to commit: what a user does by keyboard."""
    view = window.view
    view.setFocus()
    view.setCurrentIndex(window.model.index(row, column))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.state() == QAbstractItemView.State.EditingState
    # The open editor: a closed one lingers hidden until its deleteLater runs.
    (editor,) = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits a Return from the event loop (Tab would commit at once, then open the
    # next editable cell's editor, now that email, phone and company are editable too).
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


@pytest.mark.parametrize(
    ("column", "typed", "shown", "stored"),
    [
        (0, "Dr. Ana Lopez", "Dr. Ana Lopez",
         {"prefix": "Dr.", "first_name": "Ana", "last_name": "Lopez"}),
        (0, "Lopez, Ana", "Ana Lopez", {"first_name": "Ana", "last_name": "Lopez"}),
        (4, "  Chief   Marketing Officer ", "Chief Marketing Officer",
         {"job_title": "Chief Marketing Officer", "seniority": "C-level"}),
    ],
)  # fmt: skip
def test_edit_a_cell_by_keyboard_saves_and_undo_restores(
    qtbot, make_window, book: LeadBook, column: int, typed: str, shown: str, stored: dict
) -> None:
    seed(book, 3)
    window = make_window()
    before = window.model.data(window.model.index(1, column))
    contact_id = window.model.id_at(1)
    edit_cell(qtbot, window, 1, column, typed)
    assert window.model.data(window.model.index(1, column)) == shown
    saved = LeadBook.open(book.path)
    try:
        row = saved.conn.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        assert {k: row[k] for k in stored} == stored
    finally:
        saved.close()
    assert window.statusBar().currentMessage() == f"Saved contact #{contact_id} — Ctrl+Z to undo"
    window.undo()
    assert window.model.data(window.model.index(1, column)) == before
    assert window.statusBar().currentMessage() == f"Undone: Edit contact #{contact_id}"


def test_name_email_phone_company_and_title_are_edited_in_place(
    make_window, book: LeadBook
) -> None:
    seed(book, 1)
    window = make_window()
    editable = [
        bool(window.model.flags(window.model.index(0, c)) & Qt.ItemFlag.ItemIsEditable)
        for c in range(window.model.columnCount())
    ]
    assert editable == [True, True, True, True, True] + [False] * 7


def test_an_unchanged_edit_writes_no_history(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 1)
    window = make_window()
    edit_cell(qtbot, window, 0, 0, "Ann0 Smith00000")
    assert book.next_undo() is not None and book.next_undo().label == "Import seed.csv"


def test_extend_snapshot_appends_rows_without_a_reset(qapp, book: LeadBook) -> None:
    seed(book, 10)
    full = book.snapshot()
    model = ContactTableModel(book, ids=full[:4])
    resets: list[bool] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    assert model.data(model.index(3, 0)) == "Ann3 Smith00003"
    model.extend_snapshot(model.contact_filter, full)
    assert (resets, inserted, model.rowCount()) == ([], [(4, 9)], 10)
    assert model.data(model.index(9, 0)) == "Ann9 Smith00009"
    model.extend_snapshot(model.contact_filter, array("q", reversed(full)))  # order changed
    assert resets == [True] and model.data(model.index(0, 0)) == "Ann9 Smith00009"


def test_big_book_snapshot_is_built_in_the_background(
    qtbot, monkeypatch, make_window, book: LeadBook
) -> None:
    monkeypatch.setattr(snapshot_loader, "SYNC_SNAPSHOT_ROWS", 5)
    monkeypatch.setattr(snapshot_loader, "FIRST_ROWS", 4)
    seed(book, 30)
    window = make_window()
    assert window.model.rowCount() == 5  # the first rows (FIRST_ROWS + 1) at once…
    qtbot.waitUntil(lambda: window.model.rowCount() == 30)  # …the rest from the read lane
    window.select_ids([window.model.id_at(20)])
    seed(book, 5, start=30)
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 35)
    assert window.selected_ids() == [window.model.id_at(20)]
    assert window.count_label.text() == "35 contacts"
    qtbot.keyClicks(window.search_box, "ann2")  # Ann2, Ann20…Ann29
    window.apply_search()
    qtbot.waitUntil(lambda: window.model.rowCount() == 11 and window.snapshots.pending is None)
    assert window.count_label.text() == "35 contacts · 11 shown"


def test_read_jobs_share_one_connection_that_sees_new_writes(qtbot, book: LeadBook) -> None:
    seen: list[tuple[int, int]] = []

    def count(b: LeadBook, progress: Progress, cancelled: Cancelled) -> None:
        seen.append((id(b), b.count()))

    runner = JobRunner(Path(book.path))
    for n in (2, 3):
        seed(book, 1, start=n)
        job = runner.create(count)
        with qtbot.waitSignal(job.signals.ended, timeout=10_000):
            runner.start_read(job)
    assert [n for _b, n in seen] == [1, 2]
    assert seen[0][0] == seen[1][0]
    assert runner.shutdown()
