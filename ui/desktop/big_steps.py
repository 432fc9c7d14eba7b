"""Undo, redo and delete from the main window: at once when small, on the write lane when big.

An undo reverts its operation's logged changes one by one (0.3-1 ms each) or, for an import,
deletes the contacts it added; a delete of several contacts first backs the whole book up. On the
UI thread that froze the window: undoing a tag of 10,000 contacts took 3.4 s, undoing their delete
9.6 s, and deleting two contacts of a million-contact book 6 s (its backup). A step that touches
more than SYNC_ROWS rows, or backs up a book of more than BIG_BOOK contacts, now runs on the write
lane behind a busy dialog (the step is atomic: it cannot stop half way, so there is no Cancel),
and the window refreshes when it ends. Small steps keep answering at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.book import LeadBook, UndoResult
from app.errors import LeadsmithError
from app.jobs import Cancelled, Progress
from ui.desktop.jobs import BookJob

if TYPE_CHECKING:
    from ui.desktop.main_window import MainWindow

SYNC_ROWS = 200  # rows a step may touch on the UI thread (~0.1-0.2 s)
BIG_BOOK = 20_000  # contacts above which a backup (a copy of the whole file) leaves the UI thread
SHOW_BUSY_MS = 400
Tell = Callable[[QWidget, str, str], object]


class BigSteps(QObject):
    """Runs a main window's undo, redo and delete, in the background when they are big."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: BookJob | None = None
        self.dialog: QProgressDialog | None = None

    def in_background(self, rows: int, backs_up: bool) -> bool:
        """Whether a step touching `rows` rows (after a backup when `backs_up`) leaves the UI thread."""
        return rows > SYNC_ROWS or (backs_up and self.window.snapshots.total() > BIG_BOOK)

    @property
    def busy(self) -> bool:
        """True while a background step runs."""
        return self.job is not None

    # -- undo and redo -----------------------------------------------------------------------------
    def step(self, undo: bool) -> BookJob | None:
        """Edit → Undo (or Redo): the book's last operation reverted (or re-applied)."""
        window, book = self.window, self.window.book
        verb, done = ("undo", "Undone") if undo else ("redo", "Redone")
        title, tell = (
            ("Undo failed", QMessageBox.warning) if undo else ("Redo", QMessageBox.information)
        )
        if window.jobs.busy or self.busy:
            window.show_message("Wait for the running import, export or change to finish.")
            return None
        op = book.next_undo() if undo else book.next_redo()
        if op is None:
            window.show_message(f"Nothing to {verb}.")
            return None
        backs_up = undo and op.kind == "import"
        if not self.in_background(book.step_size(op), backs_up):
            try:
                result = book.undo() if undo else book.redo()
            except LeadsmithError as exc:
                tell(window, title, exc.user_message())
                return None
            self.stepped(result, verb, done)
            return None

        def work(b: LeadBook, _progress: Progress, _cancelled: Cancelled) -> UndoResult | None:
            return b.undo() if undo else b.redo()

        doing = f"{'Undoing' if undo else 'Redoing'} {op.label}…"
        return self._run(
            work, doing, lambda result: self.stepped(result, verb, done), (title, tell)
        )

    def stepped(self, result: UndoResult | None, verb: str, done: str) -> None:
        """Refresh the window after an undo or redo and say what it did."""
        if result is None:
            self.window.show_message(f"Nothing to {verb}.")
            return
        self.window.refresh()
        self.window.show_message(f"{done}: {result.label}")

    # -- delete ------------------------------------------------------------------------------------
    def delete(self, ids: list[int], after: int | None) -> BookJob | None:
        """Soft-delete `ids` on the write lane, then select `after` (the row taking their place)."""

        def work(b: LeadBook, _progress: Progress, _cancelled: Cancelled) -> int:
            return b.delete_contacts(ids)

        def deleted(n: int) -> None:
            self.window.refresh(select=[] if after is None else [after])
            noun = "contact" if n == 1 else "contacts"
            self.window.show_message(f"Deleted {n:,} {noun} — Ctrl+Z to undo")

        doing = f"Backing the book up, then deleting {len(ids):,} contacts…"
        return self._run(work, doing, deleted, ("Delete failed", QMessageBox.warning))

    # -- the write lane ----------------------------------------------------------------------------
    def _run(
        self,
        work: Callable[[LeadBook, Progress, Cancelled], Any],
        doing: str,
        then: Callable[[Any], None],
        failure: tuple[str, Tell],
    ) -> BookJob:
        window = self.window
        job = window.jobs.create(work, doing)
        self.job = job
        dialog = QProgressDialog(doing, "", 0, 0, window)
        dialog.setWindowTitle("Working")
        dialog.setCancelButton(None)  # the step is one transaction: it cannot stop half way
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(SHOW_BUSY_MS)
        self.dialog = dialog
        title, tell = failure

        def finished(result: Any) -> None:
            self._end()
            if not window.closed:
                then(result)

        def failed(message: str) -> None:
            self._end()
            if not window.closed:
                tell(window, title, message)

        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        job.signals.canceled.connect(lambda _m: self._end())
        window.show_message(doing)
        return window.jobs.start_write(job)

    def _end(self) -> None:
        self.job = None
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
