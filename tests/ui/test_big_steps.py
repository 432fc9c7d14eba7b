"""Undo, redo and delete of many rows run on the write lane behind a busy dialog; small ones
answer at once, as before."""

from __future__ import annotations

from desktop_data import seed

from app.book import LeadBook
from app.query import ContactFilter
from ui.desktop import big_steps


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: (
            not window.steps.busy and window.bulk.job is None and window.snapshots.pending is None
        )
    )


def opened(qtbot, make_window, rows: int):  # type: ignore[no-untyped-def]
    """A window whose whole snapshot is read (a big one shows its first page first)."""
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == rows and window.snapshots.pending is None)
    return window


def test_undo_and_redo_of_a_big_tag_leave_the_ui_thread(qtbot, make_window, book: LeadBook) -> None:
    seed(book, big_steps.SYNC_ROWS + 50)
    window = opened(qtbot, make_window, big_steps.SYNC_ROWS + 50)
    ids = list(window.model.ids)
    window.bulk.add_tag(ids, "vip")
    settle(qtbot, window)
    window.undo()
    assert window.steps.busy  # on the write lane: the window keeps answering
    assert window.steps.dialog is not None
    assert window.steps.dialog.labelText() == f"Undoing Tag {len(ids)} contact(s) 'vip'…"
    window.undo()  # a second Ctrl+Z meanwhile is refused, not queued
    assert window.statusBar().currentMessage() == (
        "Wait for the running import, export or change to finish."
    )
    settle(qtbot, window)
    assert book.snapshot(ContactFilter(tag="vip")).tolist() == []
    assert window.statusBar().currentMessage() == f"Undone: Tag {len(ids)} contact(s) 'vip'"
    assert window.steps.dialog is None
    window.redo()
    assert window.steps.busy
    settle(qtbot, window)
    assert book.snapshot(ContactFilter(tag="vip")).tolist() == ids
    assert window.statusBar().currentMessage() == f"Redone: Tag {len(ids)} contact(s) 'vip'"


def test_a_big_delete_leaves_the_ui_thread_and_selects_the_next_row(
    qtbot, make_window, book: LeadBook
) -> None:
    n = big_steps.SYNC_ROWS + 20
    seed(book, n + 5)
    window = opened(qtbot, make_window, n + 5)
    ids = list(window.model.ids)
    window.select_ids(ids[:n])
    window.delete_action.trigger()
    assert window.steps.busy
    settle(qtbot, window)
    assert list(window.model.ids) == ids[n:]
    assert window.selected_ids() == [ids[n]]
    assert window.statusBar().currentMessage() == f"Deleted {n} contacts — Ctrl+Z to undo"
    window.undo()
    assert window.steps.busy
    settle(qtbot, window)
    assert list(window.model.ids) == ids


def test_small_steps_answer_at_once(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 4)
    window = make_window()
    ids = list(window.model.ids)
    window.select_ids(ids[1:3])
    window.delete_action.trigger()
    assert not window.steps.busy
    assert list(window.model.ids) == [ids[0], ids[3]]
    window.undo()
    assert not window.steps.busy
    assert list(window.model.ids) == ids
    assert window.statusBar().currentMessage() == "Undone: Delete 2 contact(s)"
