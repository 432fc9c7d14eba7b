"""The table's selection read as ids from its ranges, and ids selected again as runs of rows:
the same answers as Qt's per-index way, for a select-all, ranges, Ctrl-clicks and overlaps."""

from __future__ import annotations

import random

from desktop_data import seed
from PySide6.QtCore import QItemSelection, QItemSelectionModel

from app.book import LeadBook
from ui.desktop import selection

Flag = QItemSelectionModel.SelectionFlag


def qt_ids(window) -> list[int]:  # type: ignore[no-untyped-def]
    """What the window answered before: Qt's selectedRows, sorted, mapped to ids."""
    rows = sorted(i.row() for i in window.view.selectionModel().selectedRows())
    return [window.model.id_at(r) for r in rows]


def select_rows(window, top: int, bottom: int, flags: Flag) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    chosen = QItemSelection(model.index(top, 0), model.index(bottom, model.columnCount() - 1))
    window.view.selectionModel().select(chosen, flags)


def test_selected_ids_are_qts_selected_rows(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 120)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 120 and window.snapshots.pending is None)
    window.view.selectAll()
    assert window.selected_ids() == qt_ids(window) == list(window.model.ids)
    select_rows(window, 10, 20, Flag.ClearAndSelect)
    select_rows(window, 15, 30, Flag.Select)  # overlapping
    select_rows(window, 5, 5, Flag.Select)  # a Ctrl-click above
    select_rows(window, 90, 99, Flag.Select)
    select_rows(window, 95, 96, Flag.Deselect)  # a Ctrl-click taking two rows out
    assert window.selected_ids() == qt_ids(window)
    assert len(window.selected_ids()) == 1 + 21 + 8
    # A single cell (not a whole row): Qt's own answer is used.
    model = window.model
    window.view.selectionModel().select(model.index(40, 2), Flag.Select)
    assert window.selected_ids() == qt_ids(window)
    window.view.clearSelection()
    assert window.selected_ids() == [] == qt_ids(window)


def test_ids_are_selected_again_as_runs_of_rows(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 120)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 120 and window.snapshots.pending is None)
    ids = list(window.model.ids)
    wanted = ids[3:40] + ids[41:42] + ids[60:100] + [10**9]  # one id the table does not hold
    random.Random(3).shuffle(wanted)
    window.select_ids(wanted)
    assert window.selected_ids() == qt_ids(window) == ids[3:40] + ids[41:42] + ids[60:100]
    assert window.view.selectionModel().selection().count() == 3  # one range per run
    assert window.view.selectionModel().currentIndex().row() == 3  # the first, made current
    window.select_ids(ids[7:8])  # a few ids: each one's row looked up
    assert window.selected_ids() == [ids[7]]
    assert selection.rows_of(window.model, [ids[9], ids[2], 10**9]) == [2, 9]
