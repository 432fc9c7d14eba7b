"""The main window: search box, the contacts table, menus, undo and the status bar counts."""

from __future__ import annotations

from dataclasses import replace
from itertools import chain
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableView,
    QToolBar,
    QWidget,
)

from app.book import LeadBook
from app.contact import ImportReport
from ui.desktop import selection, snapshot_loader
from ui.desktop.add_contact_dialog import AddContactDialog
from ui.desktop.big_steps import BigSteps
from ui.desktop.bulk_actions import BulkActions
from ui.desktop.column_chooser import HEADER_KEY, ColumnChooser
from ui.desktop.contact_columns import COLUMNS
from ui.desktop.contact_delegate import ContactCellDelegate
from ui.desktop.contact_detail import ContactDetailPanel
from ui.desktop.contact_table_model import ContactTableModel
from ui.desktop.contact_view import ContactTableView
from ui.desktop.duplicates_menu import DuplicatesMenu
from ui.desktop.export_dialog import ExportDialog
from ui.desktop.import_runner import ImportExportRunner
from ui.desktop.import_wizard.wizard import ImportWizard
from ui.desktop.jobs import JobRunner
from ui.desktop.lead_menus import LeadMenus
from ui.desktop.recent_books import BookMenus
from ui.desktop.snapshot_loader import SnapshotLoader

DETAILS_DELAY_MS = 60
SEARCH_DELAY_MS = 150
COLUMN_WIDTHS = {
    "Name": 190, "Email": 250, "Phone": 140, "Company": 190, "Job title": 240,
    "Country": 75, "Status": 90, "Score": 60, "City": 120, "Tags": 160, "Source": 140,
    "Created": 150,
}  # fmt: skip
STATUS_TIMEOUT_MS = 8000


class MainWindow(QMainWindow):
    """One book's contacts: search, add, import, export, delete and undo."""

    def __init__(
        self, book_path: Path, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.book_path = Path(book_path)
        self.book = LeadBook.open(self.book_path)
        self.settings = settings if settings is not None else QSettings()
        self.jobs = JobRunner(self.book_path, self)
        self.files = ImportExportRunner(self, self.jobs)
        self.files.import_finished.connect(self._on_files_import_finished)
        self.files.export_finished.connect(lambda _result: self.update_counts())
        self.files.status_message.connect(self.show_message)
        self.add_dialog: AddContactDialog | None = None
        self._closed = False
        self.setWindowTitle(f"Leadsmith — {self.book_path.name}")
        self.setAcceptDrops(True)  # a file dropped anywhere opens the Import Wizard

        # The first screens now, the whole snapshot from the table lane: a million ids take ~1 s.
        first = snapshot_loader.open_ids(self.book)
        self.model = ContactTableModel(self.book, parent=self, ids=first)
        self.model.edit_failed.connect(lambda message: self.show_message(f"Not saved: {message}"))
        self.model.edited.connect(self._on_model_edited)
        self.view = self._make_view()
        self.setCentralWidget(self.view)
        self.snapshots = SnapshotLoader(self)  # snapshots and read-ahead on the table lane
        self.snapshots.watch()
        self.model.sort_elsewhere = self.snapshots.sort  # a big table is re-sorted on the lane
        self.steps = BigSteps(self)  # undo, redo and delete; big ones on the write lane
        self.details = ContactDetailPanel(self.book, self, busy=lambda: self.jobs.busy)
        self.details.undone.connect(lambda result: self.steps.stepped(result, "undo", "Undone"))
        self.detail_dock = QDockWidget("Details", self)
        self.detail_dock.setObjectName("detail_dock")
        self.detail_dock.setWidget(self.details)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.detail_dock)
        # Paging through rows with the keyboard must not reload the details for every row passed:
        # the dock follows the selection once it rests for a moment.
        self.details_timer = QTimer(self)
        self.details_timer.setSingleShot(True)
        self.details_timer.setInterval(DETAILS_DELAY_MS)
        self.details_timer.timeout.connect(self._on_view_selection_changed)
        self.view.selectionModel().selectionChanged.connect(self.details_timer.start)
        self.view.selectionModel().currentRowChanged.connect(self.details_timer.start)
        self.export_dialog: ExportDialog | None = None

        self.search_box = QLineEdit()
        self.search_box.setObjectName("search_box")
        self.search_box.setAccessibleName("Search contacts")
        self.search_box.setPlaceholderText("Search names, emails, companies, titles…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(340)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_search)
        self.search_box.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_box.installEventFilter(self)  # Esc clears it

        self._make_actions()
        self._make_menus_and_toolbar()
        self.duplicates = DuplicatesMenu(self)  # Contacts → Find duplicates… (Ctrl+Shift+D)
        self.bulk = BulkActions(self)  # Contacts → Tag…, Set status…, Add to list…; right-click
        self.leads = LeadMenus(self)  # filter sidebar; Audiences, Review and View menus
        self._make_desktop_conventions()
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.statusBar().addPermanentWidget(self.count_label)
        self._restore_settings()
        if self.settings.value(HEADER_KEY) is None:
            self.columns.apply_defaults()
        self.columns.sync_checks()
        if len(first) > snapshot_loader.FIRST_ROWS:
            # Rows are appended when it lands (no reset: scroll position and selection stay); the
            # job counts the book too, so the UI thread does not count a million rows here.
            self.count_label.setText("Counting contacts…")
            self.snapshots.build(self.model.contact_filter, [])
        else:
            self.update_counts()
        if not self.model.rowCount():
            self.show_message("Import a file (Ctrl+I) or add a contact (Ctrl+N) to start.")

    # -- construction ------------------------------------------------------------------------------
    def _make_view(self) -> QTableView:
        view = ContactTableView()  # ordinary repaints in one Python call (contact_view.py)
        view.setObjectName("contacts_table")
        view.setAccessibleName("Contacts")
        view.setModel(self.model)
        view.setItemDelegate(ContactCellDelegate(self.model, view))  # one Python call per cell
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Name and job title are edited in place (F2 or double-click); typing never starts an edit.
        triggers = QAbstractItemView.EditTrigger
        view.setEditTriggers(triggers.EditKeyPressed | triggers.DoubleClicked)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setCornerButtonEnabled(False)
        vheader = view.verticalHeader()
        # Fixed heights: ResizeToContents would measure every row (104 s at 100k rows).
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(view.fontMetrics().height() + 8)
        vheader.hide()
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        for i, (title, _attr, _key) in enumerate(COLUMNS):
            header.resizeSection(i, COLUMN_WIDTHS.get(title, 120))
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # import order until asked
        header.setSortIndicatorClearable(True)
        view.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_header_sort_changed)
        return view

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.new_contact_action = self._action("&New contact…", "Ctrl+N", self.open_add_dialog)
        self.import_action = self._action("&Import…", "Ctrl+I", lambda: self.open_import_wizard())
        # For files whose layout Leadsmith already knows: the detected mapping, no wizard.
        self.quick_import_action = self._action(
            "&Quick import…", "Ctrl+Shift+I", lambda: self.files.choose_and_import()
        )
        self.quick_import_action.setToolTip(
            "Import a file with the detected column mapping, without the wizard (Ctrl+Shift+I)"
        )
        self.paste_rows_action = self._action(
            "&Paste rows", "Ctrl+Shift+V", lambda: self.paste_rows()
        )
        self.export_dialog_action = self._action("&Export…", "Ctrl+E", self.open_export_dialog)
        self.export_action = self._action("Quick export to &CSV…", None, self.export_csv)
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close)
        self.undo_action = self._action("&Undo", QKeySequence(std.Undo), self.undo)
        self.redo_action = self._action("&Redo", QKeySequence(std.Redo), self.redo)
        # Both conventions: Ctrl+Shift+Z (the platform's Redo on Linux and macOS) and Ctrl+Y.
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.delete_action = self._action("&Delete", QKeySequence(std.Delete), self.delete_selected)
        self.find_action = self._action("&Find", "Ctrl+F", self.focus_search)
        self.about_action = self._action("&About Leadsmith", None, self.show_about)
        self.new_contact_action.setToolTip("Add a contact by hand (Ctrl+N)")
        self.import_action.setToolTip("Import contacts from a CSV, Excel or vCard file (Ctrl+I)")
        self.paste_rows_action.setToolTip("Import rows copied from a spreadsheet (Ctrl+Shift+V)")
        self.export_action.setToolTip("Export the contacts shown to a CSV file")
        self.export_dialog_action.setToolTip("Export to a CRM, address book or file (Ctrl+E)")

    def _make_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions(
            [self.new_contact_action, self.import_action, self.quick_import_action]
        )
        file_menu.addActions([self.export_dialog_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions(
            [self.undo_action, self.redo_action, self.paste_rows_action, self.delete_action]
        )
        edit_menu.aboutToShow.connect(self.update_undo_actions)
        self.edit_menu = edit_menu
        self.file_menu = file_menu
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        bar.addMenu("&Help").addAction(self.about_action)
        toolbar = QToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.new_contact_action, self.import_action, self.export_dialog_action])
        toolbar.addSeparator()
        toolbar.addWidget(self.search_box)
        self.addToolBar(toolbar)

    # -- table and counts --------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """Ids of the selected rows, in table order (from the selection's ranges: ui/desktop/selection.py)."""
        return selection.selected_ids(self.view.selectionModel(), self.model)

    def select_ids(self, ids: list[int]) -> None:
        """Select these contacts (those still shown) and scroll to the first."""
        rows = selection.rows_of(self.model, ids)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.view.selectionModel().select(selection.row_ranges(self.model, rows), flags)
        if rows:
            first = self.model.index(rows[0], 0)
            self.view.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.view.scrollTo(first)
        self.details_timer.stop()
        self._on_view_selection_changed()  # a chosen selection shows its details at once

    def refresh(self, select: list[int] | None = None) -> None:
        """Rebuild the table after a write, keeping the selection by id (or selecting `select`)."""
        self.snapshots.refresh(self.selected_ids() if select is None else select)
        self.details.reload()
        self.leads.sidebar.refresh()

    @property
    def closed(self) -> bool:
        """True once the window shut down (late job results are ignored)."""
        return self._closed

    def scroll_to_top_row(self, row: int) -> None:
        """Scroll so that `row` is the top row shown."""
        self.view.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def _on_model_edited(self, contact_id: int) -> None:
        self.details.reload()
        self.show_message(self.model.last_saved or f"Saved contact #{contact_id} — Ctrl+Z to undo")

    def update_counts(self) -> None:
        """The status bar count: "N contacts", plus "M shown" when a search narrows the table."""
        total = self.snapshots.total()  # re-counted only after a write
        text = "1 contact" if total == 1 else f"{total:,} contacts"
        if self.model.contact_filter.search.strip() or self.leads.shown_label():
            text += f" · {self.model.rowCount():,} shown{self.leads.shown_label()}"
        self.count_label.setText(text)

    def show_message(self, text: str) -> None:
        """A transient status bar message."""
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def apply_search(self) -> None:
        """Filter the table by the search box text (after the debounce), off the UI thread."""
        self.search_timer.stop()
        # The filter being read (a sort asked for a moment ago) wins over the one shown.
        shown = self.snapshots.pending or self.model.contact_filter
        f = self.leads.narrow(replace(shown, search=self.search_box.text()))
        if f == self.model.contact_filter and self.snapshots.pending is None:
            return
        # The first page is shown as soon as it is read; the rest is appended (no reset).
        self.snapshots.build(f, self.selected_ids(), first=True)

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.search_box.text()
        ):
            self.search_box.clear()
            return True
        return super().eventFilter(watched, event)

    def _on_header_sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        # Email and phone cannot be sorted in SQL; put the indicator back where the order is.
        actual = self.model.sort_column()
        if section != actual:
            header = self.view.horizontalHeader()
            header.blockSignals(True)
            descending = self.model.contact_filter.descending
            header.setSortIndicator(
                actual, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            )
            header.blockSignals(False)
            if 0 <= section < len(COLUMNS):
                self.show_message(f"{COLUMNS[section][0]} cannot be sorted.")

    # -- commands ----------------------------------------------------------------------------------
    def open_add_dialog(self) -> AddContactDialog:
        """File → New contact…: the form, window-modal; Save adds and selects the contact."""
        dialog = AddContactDialog(self.book, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_add_dialog_accepted(dialog))
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _on_add_dialog_accepted(self, dialog: AddContactDialog) -> None:
        result = dialog.added
        self.add_dialog = None
        if result is None or result.contact_id is None:
            self.show_message("Nothing was added.")
            return
        self.refresh(select=[result.contact_id])
        name = self.book.rows([result.contact_id]).get(result.contact_id)
        who = name.name or name.email if name else f"#{result.contact_id}"
        if result.action == "merged":
            self.show_message(f"Merged into #{result.contact_id} {who} — Ctrl+Z to undo")
        else:
            self.show_message(f"Added {who} — Ctrl+Z to undo")

    def open_import_wizard(self, path: Path | None = None) -> ImportWizard:
        """File → Import…: the Import Wizard (at the preview when a file is given)."""
        return self.files.open_wizard(self.book, path=path)

    def paste_rows(self) -> ImportWizard | None:
        """Edit → Paste rows: the Import Wizard on rows copied from a spreadsheet."""
        return self.files.paste_rows(self.book)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.files.dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = self.files.dropped_file(event.mimeData())
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.open_import_wizard(path)

    def _on_files_import_finished(self, report: ImportReport) -> None:
        self.refresh()

    def export_csv(self) -> None:
        """File → Export CSV…: the contacts the table shows (search included)."""
        self.files.choose_and_export(self.model.contact_filter)

    def open_export_dialog(self) -> ExportDialog:
        """File → Export…: format, selection, preview and preflight, then the export job."""
        if self.export_dialog is not None:
            self.export_dialog.close()  # a fresh one sees the current table and selection
        # While a big table's snapshot is read, the table holds its first page only: the
        # dialog counts the filter being read instead.
        pending = self.snapshots.pending
        shown, count = (
            (pending, None)
            if pending is not None
            else (self.model.contact_filter, self.model.rowCount())
        )
        dialog = ExportDialog(self.book, self.jobs, shown, self.selected_ids(), count, parent=self)
        dialog.exported.connect(lambda _result: self.update_counts())
        dialog.fix_requested.connect(self.select_ids)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _on_view_selection_changed(self, *_args: object) -> None:
        # The current row when it is selected, else the top of the selection (no row list: a
        # select-all of a million rows must stay cheap).
        selection = self.view.selectionModel()
        current = selection.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row()):
            self.details.show_contact(self.model.id_at(current.row()))
        elif selection.hasSelection():
            ranges = selection.selection()
            top = min(ranges.at(i).top() for i in range(ranges.count()))
            self.details.show_contact(self.model.id_at(top))
        else:
            self.details.show_contact(None)

    def undo(self) -> None:
        """Edit → Undo: revert the book's last operation (an import as a whole)."""
        self.steps.step(undo=True)

    def redo(self) -> None:
        """Edit → Redo: re-apply what the last undo reverted (an import cannot be redone)."""
        self.steps.step(undo=False)

    def update_undo_actions(self) -> None:
        """The Undo/Redo actions say what they would do ("Undo Edit contact #5"), or are disabled."""
        if self._closed:
            return
        for action, verb, op in (
            (self.undo_action, "Undo", self.book.next_undo()),
            (self.redo_action, "Redo", self.book.next_redo()),
        ):
            action.setEnabled(op is not None)
            label = op.label.replace("&", "&&") if op is not None else ""
            action.setText(f"&{verb} {label}" if op is not None else f"&{verb}")
            tip = f"{verb} {op.label}" if op is not None else f"Nothing to {verb.lower()}"
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})")

    def _make_desktop_conventions(self) -> None:
        # New/Open book, Open Recent, View ▸ Columns, live Undo/Redo labels, keyboard order.
        self.books = BookMenus(self)
        self.books.install(self.file_menu, self.new_contact_action)
        self.columns = ColumnChooser(self.view, self.settings, COLUMN_WIDTHS, self)
        view_menu = next(
            (a.menu() for a in self.menuBar().actions() if a.text().replace("&", "") == "View"),
            None,
        )
        if isinstance(view_menu, QMenu):
            view_menu.addSeparator()
            view_menu.addMenu(self.columns.menu)
        # Any write ends in a model reset or a repaint of rows: re-read the labels right then (two
        # indexed one-row queries), so a shortcut pressed next finds its action enabled.
        self.model.modelReset.connect(self.update_undo_actions)
        self.model.dataChanged.connect(lambda *_args: self.update_undo_actions())
        self.update_undo_actions()
        toolbar = self.findChild(QToolBar, "main_toolbar")
        if toolbar is not None:
            toolbar.setAccessibleName("Main toolbar")
            for action in toolbar.actions():
                button = toolbar.widgetForAction(action)
                if button is not None and button is not self.search_box:
                    button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        self.search_box.setToolTip("Search by name, email, company or title (Ctrl+F; Esc clears)")
        self.view.setToolTip("")
        self.leads.sidebar.setToolTip("Show only a list, tag, status, audience or quality problem")
        self.detail_dock.setAccessibleName("Contact details")
        self.leads.dock.setAccessibleName("Filters")
        # Tab goes toolbar search → filters → table → details, the order they are read in.
        QWidget.setTabOrder(self.search_box, self.leads.sidebar)
        QWidget.setTabOrder(self.leads.sidebar, self.view)
        QWidget.setTabOrder(self.view, self.details)

    def delete_selected(self) -> None:
        """Edit → Delete: soft-delete the selected contacts (undoable)."""
        ids = self.selected_ids()
        if not ids:
            self.show_message("Select the contacts to delete first.")
            return
        first_row = self.model.row_of(ids[0])
        if self.steps.busy:
            self.show_message("Wait for the running change to finish.")
            return
        if self.steps.in_background(len(ids), backs_up=len(ids) > 1):
            self.steps.delete(ids, self._survivor_near(first_row, set(ids)))
            return
        deleted = self.book.delete_contacts(ids)
        if self.snapshots.big:
            # Rebuilt on the table lane like refresh (~1 s at 1M); meanwhile the row that takes
            # the deleted ones' place is selected already, and selected again in the new snapshot.
            after = self._survivor_near(first_row, set(ids))
            keep = [] if after is None else [after]
            self.select_ids(keep)
            self.snapshots.build(self.model.contact_filter, keep)
        else:
            self.model.refresh()
            if self.model.rowCount():
                self.select_ids([self.model.id_at(min(first_row, self.model.rowCount() - 1))])
            self.update_counts()
        self.leads.sidebar.refresh()
        noun = "contact" if deleted == 1 else "contacts"
        self.show_message(f"Deleted {deleted} {noun} — Ctrl+Z to undo")

    def _survivor_near(self, row: int, gone: set[int]) -> int | None:
        # The first shown id from `row` down that was not deleted, else the nearest one above:
        # the row a synchronous refresh would have selected.
        ids = self.model.ids
        below, above = range(max(row, 0), len(ids)), range(min(row, len(ids)) - 1, -1, -1)
        for r in chain(below, above):
            if ids[r] not in gone:
                return int(ids[r])
        return None

    def show_about(self) -> None:
        """Help → About."""
        QMessageBox.about(
            self,
            "About Leadsmith",
            "<b>Leadsmith</b><br>Build clean, targeted prospect lists: import, validate, "
            f"deduplicate, review and export to your CRM.<br><br>Book: {self.book_path}",
        )

    # -- settings and closing ----------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 720)
        state = self.settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)
        header = self.settings.value(HEADER_KEY)
        if header is not None:
            self.view.horizontalHeader().restoreState(header)

    def save_settings(self) -> None:
        """Window geometry, toolbar state and column widths go to QSettings (not the book)."""
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.setValue(HEADER_KEY, self.view.horizontalHeader().saveState())
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop background jobs, save settings, close the book (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.search_timer.stop()
        if self.export_dialog is not None:
            self.export_dialog.shutdown()
        self.jobs.shutdown()
        self.save_settings()
        self.model.clear()
        self.book.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
