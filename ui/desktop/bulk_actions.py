"""Bulk actions on the selected rows: tag, untag, set status, add to a list, take off a list.

Contacts menu entries with shortcuts, and the table's right-click menu (which adds Export selected…
and Delete). Each action asks what it needs (a tag, a list, nothing for a status), then runs on
the write lane: a progress dialog with Cancel shows up when it takes more than a moment (a
select-all of a million rows), a cancel or a refusal changes nothing, and the change is one undo
step (Ctrl+Z). The selection is kept, so several actions can follow on the same contacts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QProgressDialog

from app.book import LIFECYCLE, LeadBook
from app.jobs import Cancelled, Progress
from ui.desktop.jobs import BookJob

if TYPE_CHECKING:
    from ui.desktop.main_window import MainWindow

Work = Callable[[LeadBook, list[int], Progress, Cancelled], int]
Change = Callable[
    ..., int
]  # LeadBook.add_tag and its kind: (book, ids, value, progress=, cancelled=)
SHOW_PROGRESS_MS = 400  # a quick change finishes without a flashing dialog


def menu_named(window: MainWindow, title: str) -> QMenu:
    """The window's menu called `title` ("&Contacts"), made before Help when there is none."""
    bar = window.menuBar()
    plain = title.replace("&", "")
    for a in bar.actions():
        menu = a.menu()
        if a.text().replace("&", "") == plain and isinstance(menu, QMenu):
            return menu
    menu = QMenu(title, bar)
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    return menu


class BulkActions(QObject):
    """The Contacts menu's bulk actions and the table's context menu, on one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: BookJob | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.tag_action = self._action("&Tag selected…", "Ctrl+T", self.ask_tag)
        self.untag_action = self._action("&Untag selected…", "Ctrl+Shift+T", self.ask_untag)
        self.list_action = self._action("Add selected to &list…", "Ctrl+L", self.ask_list)
        self.unlist_action = self._action(
            "Take selected off a list…", "Ctrl+Shift+L", self.ask_unlist
        )
        self.status_menu = QMenu("Set &status", window)
        self.status_actions: dict[str, QAction] = {}
        for status in LIFECYCLE:
            action = self.status_menu.addAction(status)
            action.triggered.connect(lambda _checked=False, s=status: self.set_status(s))
            self.status_actions[status] = action
        self.tag_action.setToolTip("Tag the selected contacts (Ctrl+T)")
        self.list_action.setToolTip("Add the selected contacts to a list (Ctrl+L)")
        menu = menu_named(window, "&Contacts")
        menu.addSeparator()
        menu.addActions([self.tag_action, self.untag_action])
        menu.addMenu(self.status_menu)
        menu.addActions([self.list_action, self.unlist_action])
        view = window.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_context_menu_requested)

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    # -- the table's context menu ------------------------------------------------------------------
    def context_menu(self) -> QMenu:
        """The right-click menu of the table: the bulk actions, Export selected…, Delete."""
        menu = QMenu(self.window)
        menu.addActions([self.tag_action, self.untag_action])
        menu.addMenu(self.status_menu)
        menu.addActions([self.list_action, self.unlist_action])
        menu.addSeparator()
        export = menu.addAction("&Export selected…")
        export.triggered.connect(lambda _checked=False: self.export_selected())
        menu.addAction(self.window.delete_action)
        return menu

    def _on_context_menu_requested(self, at: QPoint) -> None:
        index = self.window.view.indexAt(at)
        model = self.window.view.selectionModel()
        if index.isValid() and not model.isRowSelected(index.row()):
            self.window.select_ids([self.window.model.id_at(index.row())])  # as file managers do
        self.context_menu().exec(self.window.view.viewport().mapToGlobal(at))

    def export_selected(self) -> None:
        """Open the Export dialog on the selected rows only."""
        dialog = self.window.open_export_dialog()
        if dialog.selected_ids:
            dialog.set_choice(dialog.source_combo, "selected")

    # -- asking ------------------------------------------------------------------------------------
    def _selection(self, verb: str) -> list[int] | None:
        ids = self.window.selected_ids()
        if not ids:
            self.window.show_message(f"Select the contacts to {verb} first.")
            return None
        if self.job is not None or self.window.jobs.busy:
            self.window.show_message("Wait for the running change, import or export to finish.")
            return None
        return ids

    def _ask(self, title: str, label: str, names: list[str], editable: bool) -> str | None:
        if not names and not editable:
            self.window.show_message(f"There is nothing to choose from for {title.lower()}.")
            return None
        text, ok = QInputDialog.getItem(self.window, title, label, names, 0, editable)
        return text.strip() if ok and text.strip() else None

    def _ask_then(
        self,
        verb: str,
        question: tuple[str, str, bool],  # title, label ("{}" the count), editable
        names: Callable[[], list[str]],
        do: Callable[[list[int], str], BookJob | None],
    ) -> BookJob | None:
        ids = self._selection(verb)
        if ids is None:
            return None
        title, label, editable = question
        choice = self._ask(title, label.format(_count(ids)), names(), editable)
        return do(ids, choice) if choice else None

    def ask_tag(self) -> BookJob | None:
        """Contacts → Tag selected… (Ctrl+T): a new or existing tag for the selected rows."""
        question = ("Tag contacts", "Tag for the {}:", True)
        return self._ask_then("tag", question, self.window.book.tag_names, self.add_tag)

    def ask_untag(self) -> BookJob | None:
        """Contacts → Untag selected… (Ctrl+Shift+T): take a tag off the selected rows."""
        question = ("Untag contacts", "Tag to take off the {}:", False)
        return self._ask_then("untag", question, self.window.book.tag_names, self.remove_tag)

    def ask_list(self) -> BookJob | None:
        """Contacts → Add selected to list… (Ctrl+L): a new or existing list."""
        question = ("Add to list", "List for the {}:", True)
        return self._ask_then(
            "add to a list", question, self.window.book.list_names, self.add_to_list
        )

    def ask_unlist(self) -> BookJob | None:
        """Contacts → Take selected off a list… (Ctrl+Shift+L)."""
        question = ("Take off a list", "List to take the {} off:", False)
        return self._ask_then(
            "take off a list", question, self.window.book.list_names, self.remove_from_list
        )

    # -- doing (the write lane) --------------------------------------------------------------------
    def add_tag(self, ids: list[int], tag: str) -> BookJob | None:
        """Tag `ids` with `tag` (made if new) on the write lane."""
        texts = f"Tagging {{}} “{tag}”…", f"Tagged {{}} “{tag}”"
        return self._change(ids, texts, LeadBook.add_tag, tag)

    def remove_tag(self, ids: list[int], tag: str) -> BookJob | None:
        """Take `tag` off `ids` on the write lane."""
        texts = f"Taking “{tag}” off {{}}…", f"Took “{tag}” off {{}}"
        return self._change(ids, texts, LeadBook.remove_tag, tag)

    def add_to_list(self, ids: list[int], name: str) -> BookJob | None:
        """Add `ids` to the list `name` (made if new: it stays, empty, if the adding is undone or
        cancelled) on the write lane."""

        def add(book: LeadBook, chosen: list[int], name: str, **job: Any) -> int:
            if name not in book.list_names():
                book.create_list(name)
            return book.add_to_list(chosen, name, **job)

        texts = f"Adding {{}} to {name}…", f"Added {{}} to {name}"
        return self._change(ids, texts, add, name)

    def remove_from_list(self, ids: list[int], name: str) -> BookJob | None:
        """Take `ids` off the list `name` on the write lane."""
        texts = f"Taking {{}} off {name}…", f"Took {{}} off {name}"
        return self._change(ids, texts, LeadBook.remove_from_list, name)

    def set_status(self, status: str) -> BookJob | None:
        """Contacts → Set status → `status` for the selected rows (the lead cycle may refuse)."""
        ids = self._selection("move")
        if ids is None:
            return None
        texts = f"Moving {{}} to {status}…", f"Moved {{}} to {status}"
        return self._change(ids, texts, LeadBook.set_status, status)

    def _change(
        self, ids: list[int], texts: tuple[str, str], change: Change, value: str
    ) -> BookJob | None:
        """Run `change(book, ids, value, progress=…, cancelled=…)`; `texts` say what it does and
        did ("{}" the count of contacts)."""
        doing, done = texts

        def work(
            book: LeadBook, chosen: list[int], progress: Progress, cancelled: Cancelled
        ) -> int:
            return change(book, chosen, value, progress=progress, cancelled=cancelled)

        return self._run(ids, doing.format(_count(ids)), work, lambda n: done.format(_count(n)))

    def _run(
        self, ids: list[int], doing: str, work: Work, done: Callable[[int], str]
    ) -> BookJob | None:
        window = self.window
        if self.job is not None or window.jobs.busy:
            window.show_message("Wait for the running change, import or export to finish.")
            return None

        def run(book: LeadBook, progress: Progress, cancelled: Cancelled) -> int:
            return work(book, ids, progress, cancelled)

        job = window.jobs.create(run, doing)
        self.job = job
        dialog = QProgressDialog(doing, "Cancel", 0, 0, window)
        dialog.setWindowTitle("Changing contacts")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(SHOW_PROGRESS_MS)
        dialog.canceled.connect(job.cancel)
        self.progress_dialog = dialog
        job.signals.progressed.connect(self._on_progressed)
        job.signals.finished.connect(lambda n: self._on_finished(ids, done(int(n))))
        job.signals.failed.connect(self._on_failed)
        job.signals.canceled.connect(lambda _m: self._on_canceled())
        window.show_message(doing)
        return window.jobs.start_write(job)

    def _on_progressed(self, done: int, total: int) -> None:
        if self.progress_dialog is not None and total > 0:
            self.progress_dialog.setMaximum(1000)
            self.progress_dialog.setValue(min(1000, done * 1000 // total))

    def _end(self) -> None:
        self.job = None
        if self.progress_dialog is not None:
            self.progress_dialog.hide()  # not close(): its closeEvent emits `canceled`
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_finished(self, ids: list[int], text: str) -> None:
        self._end()
        if self.window.closed:
            return
        self.window.refresh(select=ids)  # the same contacts stay selected for the next action
        self.window.update_undo_actions()
        self.window.show_message(f"{text} — Ctrl+Z to undo")

    def _on_failed(self, message: str) -> None:
        self._end()
        if not self.window.closed:
            QMessageBox.warning(self.window, "Nothing was changed", message)

    def _on_canceled(self) -> None:
        self._end()
        if not self.window.closed:
            self.window.show_message("Cancelled: nothing was changed.")


def _count(n: int | list[int]) -> str:
    """'1 contact', '1,000,000 contacts'."""
    k = n if isinstance(n, int) else len(n)
    return f"{k:,} contact" if k == 1 else f"{k:,} contacts"
