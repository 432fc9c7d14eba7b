"""Contacts → Find duplicates…: scan off the UI thread, review each group, merge or keep apart.

Keys: Up/Down move between groups (Down past one = skip it), Tab to the comparison, arrows move
between fields and contacts, Space keeps the value under the cursor, M or Ctrl+Enter merges, N says
"not a duplicate", S skips, Ctrl+Z undoes the book's last operation.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.book import LeadBook
from app.dedupe import DuplicateGroup, MergeRefused
from app.errors import LeadsmithError
from app.jobs import Cancelled, Progress
from ui.desktop import theme
from ui.desktop.duplicate_compare import (
    CompareTable,
    GroupList,
    GroupRecords,
    ScanResult,
    group_item,
    scan,
)
from ui.desktop.jobs import BookJob, JobRunner

# Groups whose contacts the scan job reads ahead, so the first groups open without a query on the
# UI thread (reading them there after a big scan stalled the window for 0.5 s).
PRELOADED_GROUPS = 20
# A scan of a big book finds thousands of groups: making every list entry at once froze the window
# (8,189 groups at 100k contacts: 0.3 s to make them, 2.4 s to lay them out). The first entries
# are made at once, the rest a batch per turn of the event loop, and the list lays out in batches.
FIRST_ITEMS = 200
ITEM_BATCH = 500


def scan_with_records(
    book: LeadBook, progress: Progress, cancelled: Cancelled
) -> tuple[ScanResult, dict[tuple[int, ...], GroupRecords]]:
    """The scan job, plus the contacts of the first groups the list will show."""
    # Everything alive now (the window, its models, the book) outlives the scan: freeze it out of
    # the collector's sight. Otherwise a full gc pass that the scan's allocations set off walks it
    # all with the GIL held: ~73,000 objects, 100–200 ms at 1M contacts, the UI thread frozen as
    # long (bench/UI_STALLS.md). Cheap (no pass is run); garbage cycles alive at this moment are
    # kept until the app quits, as after launch.freeze_startup_objects.
    gc.freeze()
    groups, names = scan(book, progress, cancelled)
    records: dict[tuple[int, ...], GroupRecords] = {}
    for group in groups[:PRELOADED_GROUPS]:
        # A group changed meanwhile is read again when it is shown.
        with contextlib.suppress(LeadsmithError):
            records[tuple(group.ids)] = GroupRecords.load(book, group.ids)
    return (groups, names), records


class DuplicatesView(QDialog):
    """The duplicates review window of one book."""

    changed = Signal()  # the book was written (merge, undo): the contacts table should refresh

    def __init__(self, book: LeadBook, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.jobs = jobs
        self.groups: list[DuplicateGroup] = []
        self.names: dict[int, str] = {}
        self._preloaded: dict[tuple[int, ...], GroupRecords] = {}  # valid until the next write
        self.job: BookJob | None = None
        self.guard_box: QMessageBox | None = None
        self._merged: list[DuplicateGroup] = []  # merges made here, newest last (for Undo)
        self.setWindowTitle("Duplicates")
        self.setObjectName("duplicates_view")
        self.setAccessibleName("Duplicates")
        self.resize(1100, 640)

        self.status_label = QLabel()
        self.status_label.setObjectName("duplicates_status")
        self.status_label.setAccessibleName("Duplicates status")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Scan progress")
        self.progress.setMaximumWidth(260)
        self.cancel_button = self._button("Cancel", "Stop the scan", self.cancel_scan)
        self.rescan_button = self._button(
            "Scan again", "Look for duplicates again", self.start_scan
        )
        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        top.addWidget(self.rescan_button)

        self.groups_list = GroupList()
        self.groups_list.setObjectName("duplicate_groups")
        self.groups_list.setAccessibleName("Duplicate groups")
        self.groups_list.setToolTip("Groups by score; Up/Down to move, Tab to compare")
        self.groups_list.setAlternatingRowColors(True)
        self.groups_list.setWordWrap(True)
        self.groups_list.setLayoutMode(QListView.LayoutMode.Batched)
        self.groups_list.currentRowChanged.connect(self._on_group_changed)
        self._filler = QTimer(self)  # makes the remaining list entries, a batch per tick
        self._filler.setInterval(0)
        self._filler.timeout.connect(self._on_filler_timeout)
        self.compare = CompareTable()
        self.compare.setToolTip(
            "Arrow keys move; Space or a click keeps the value under the cursor"
        )
        self.reasons_label = QLabel()
        self.reasons_label.setObjectName("duplicate_reasons")
        self.reasons_label.setAccessibleName("Why these look alike")
        self.reasons_label.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.reasons_label)
        right_layout.addWidget(self.compare, 1)
        splitter = QSplitter()
        splitter.addWidget(self.groups_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([330, 770])

        self.merge_button = self._button("&Merge", "Merge into the kept record (M, Ctrl+Enter)",
                                         self.merge)  # fmt: skip
        self.not_duplicate_button = self._button(
            "&Not a duplicate", "Different people: never propose this group again (N)",
            self.not_duplicate,
        )  # fmt: skip
        self.skip_button = self._button("&Skip", "Decide later: next group (S, Down)", self.skip)
        self.undo_button = self._button("&Undo", "Undo the book's last operation (Ctrl+Z)",
                                        self.undo)  # fmt: skip
        close_button = self._button("Close", "Close the duplicates window (Esc)", self.close)
        self.keys_label = QLabel(
            "↑↓ groups · Tab compare · arrows move · Space keep the value · M merge · "
            "N not a duplicate · S skip · Ctrl+Z undo — highlighted rows, marked ≠, differ"
        )
        self.keys_label.setObjectName("duplicate_keys")
        self.keys_label.setAccessibleName("Keyboard help")
        theme.set_style(self.keys_label, "color: $muted;")
        buttons = QHBoxLayout()
        for button in (self.merge_button, self.not_duplicate_button, self.skip_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.keys_label)
        layout.addLayout(buttons)

        keys: list[tuple[str, Callable[[], object]]] = [
            ("M", self.merge), ("Ctrl+Return", self.merge), ("Ctrl+Enter", self.merge),
            ("N", self.not_duplicate), ("S", self.skip), ("Ctrl+Z", self.undo),
        ]  # fmt: skip
        for key, slot in keys:
            QShortcut(QKeySequence(key), self, slot)
        self._update_buttons()

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(False)  # Enter must not merge by accident
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- scanning ----------------------------------------------------------------------------------
    def start_scan(self) -> None:
        """Look for duplicates in the background; the list fills when the scan ends."""
        self.cancel_scan()
        self.groups, self.names = [], {}
        self._filler.stop()
        self.groups_list.clear()
        self.compare.show_group(None)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.rescan_button.hide()
        self.status_label.setText("Looking for duplicates…")
        job = self.jobs.create(scan_with_records, "find duplicates")
        job.signals.progressed.connect(self._on_progress)
        job.signals.finished.connect(lambda result: self._on_scanned(job, result))
        job.signals.failed.connect(
            lambda message: self._on_scan_ended(job, f"Scan failed: {message}")
        )
        job.signals.canceled.connect(lambda _m: self._on_scan_ended(job, "Scan canceled."))
        self.job = job
        self._update_buttons()
        self.jobs.start_read(job)

    def cancel_scan(self) -> None:
        """Stop a running scan (the list stays empty until the next one)."""
        if self.job is not None:
            self.job.cancel()

    @property
    def scanning(self) -> bool:
        """True while a scan runs."""
        return self.job is not None

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_scan_ended(self, job: BookJob, message: str) -> None:
        if job is not self.job:
            return  # an older scan that was replaced
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.rescan_button.show()
        self.status_label.setText(message)
        self._update_buttons()

    def _on_scanned(
        self, job: BookJob, result: tuple[ScanResult, dict[tuple[int, ...], GroupRecords]]
    ) -> None:
        if job is not self.job:
            return
        (self.groups, self.names), self._preloaded = result
        self._add_items(FIRST_ITEMS)
        if self.groups_list.count() < len(self.groups):
            self._filler.start()
        review = sum(1 for g in self.groups if not g.certain)
        n = len(self.groups)
        self._on_scan_ended(
            job,
            f"{n} group{'s' if n != 1 else ''} of duplicates ({review} to review)"
            if n
            else "No duplicates found.",
        )
        if n:
            self.groups_list.setCurrentRow(0)
            self.groups_list.setFocus()

    def _add_items(self, upto: int) -> None:
        # The list holds entries for a prefix of self.groups; removals take from both alike.
        for group in self.groups[self.groups_list.count() : upto]:
            self.groups_list.addItem(group_item(group, self.names))

    def _on_filler_timeout(self) -> None:
        self._add_items(self.groups_list.count() + ITEM_BATCH)
        if self.groups_list.count() >= len(self.groups):
            self._filler.stop()
        self._update_buttons()

    # -- the current group -------------------------------------------------------------------------
    def current_group(self) -> DuplicateGroup | None:
        """The group selected in the list."""
        row = self.groups_list.currentRow()
        return self.groups[row] if 0 <= row < len(self.groups) else None

    def select_group(self, row: int) -> None:
        """Show the group on this list row."""
        self.groups_list.setCurrentRow(row)

    def _on_group_changed(self, row: int) -> None:
        group = self.current_group()
        records = None
        if group is not None:
            try:
                records = self._preloaded.pop(tuple(group.ids), None) or GroupRecords.load(
                    self.book, group.ids
                )
            except LeadsmithError as exc:  # merged or deleted elsewhere since the scan
                self.status_label.setText(
                    f"This group changed since the scan: {exc.user_message()}"
                )
        self.compare.show_group(records)
        if group is not None and records is not None:
            self.compare.setCurrentCell(0, 0)
            kind = "certain" if group.certain else "to review"
            self.reasons_label.setText(
                f"<b>Score {group.score}</b> ({kind}): {'; '.join(group.reasons)}"
            )
        else:
            self.reasons_label.setText("")
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.compare.records is not None
        for button in (self.merge_button, self.not_duplicate_button):
            button.setEnabled(ready)
        self.skip_button.setEnabled(self.groups_list.currentRow() < self.groups_list.count() - 1)

    def _remove_current(self) -> None:
        self._preloaded.clear()  # called after a write: what was read ahead may be stale
        row = self.groups_list.currentRow()
        self.groups.pop(row)
        self.groups_list.blockSignals(True)
        self.groups_list.takeItem(row)
        self.groups_list.blockSignals(False)
        self.groups_list.setCurrentRow(min(row, self.groups_list.count() - 1))
        self._on_group_changed(self.groups_list.currentRow())

    def _insert(self, group: DuplicateGroup) -> None:
        self._preloaded.clear()
        self._filler.stop()
        self._add_items(len(self.groups))  # its row may lie past the entries made so far
        row = next(
            (n for n, g in enumerate(self.groups) if (-g.score, g.ids) > (-group.score, group.ids)),
            len(self.groups),
        )
        self.groups.insert(row, group)
        self.groups_list.insertItem(row, group_item(group, self.names))
        self.groups_list.setCurrentRow(row)
        self._on_group_changed(row)

    # -- decisions ---------------------------------------------------------------------------------
    def merge(self, confirm: bool = False) -> None:
        """Merge the group into the kept record with the kept values (M, Ctrl+Enter)."""
        group = self.current_group()
        if group is None or self.compare.records is None:
            return
        if self.jobs.busy:
            self.status_label.setText("Wait for the running import or export to finish.")
            return
        survivor = self.compare.survivor
        others = [i for i in self.compare.ids if i != survivor]
        try:
            self.book.merge_contacts(survivor, others, self.compare.choices(), confirm=confirm)
        except MergeRefused as exc:
            self._guard(exc)
            return
        except LeadsmithError as exc:
            QMessageBox.warning(self, "Merge failed", exc.user_message())
            return
        self._merged.append(group)
        merged = ", ".join(f"#{i}" for i in others)
        who = self.names.get(survivor, "")
        self.status_label.setText(f"Merged {merged} into #{survivor} {who} — Ctrl+Z to undo")
        self._remove_current()
        self.changed.emit()

    def _guard(self, exc: MergeRefused) -> None:
        box = QMessageBox(self)
        box.setObjectName("merge_guard")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Merge needs your confirmation")
        box.setText("These contacts were not merged.")
        box.setInformativeText(
            f"{exc.user_message()[:1].upper()}{exc.user_message()[1:]}.\n\nMerge anyway only if "
            "they really are one person: the merged contact stays do-not-contact if any was."
        )
        self.merge_anyway_button = box.addButton("Merge anyway", QMessageBox.ButtonRole.AcceptRole)
        self.merge_anyway_button.setAccessibleName("Merge anyway")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(self._on_guard_clicked)
        self.guard_box = box
        box.open()

    def _on_guard_clicked(self, button: QAbstractButton) -> None:
        self.guard_box = None
        if button is self.merge_anyway_button:
            self.merge(confirm=True)
        else:
            self.status_label.setText("Not merged.")

    def not_duplicate(self) -> None:
        """Remember the group's contacts are different people; it is never proposed again (N)."""
        group = self.current_group()
        if group is None:
            return
        self.book.mark_not_duplicate(*group.ids)
        who = " and ".join(self.names.get(i, f"#{i}") for i in group.ids)
        self.status_label.setText(f"Kept apart: {who} will not be proposed again.")
        self._remove_current()

    def skip(self) -> None:
        """Leave this group for later and show the next one (S)."""
        row = self.groups_list.currentRow()
        if row + 1 < self.groups_list.count():
            self.groups_list.setCurrentRow(row + 1)
        else:
            self.status_label.setText("That was the last group.")

    def undo(self) -> None:
        """Undo the book's last operation (Ctrl+Z); an undone merge puts its group back."""
        if self.jobs.busy:
            self.status_label.setText("Wait for the running import or export to finish.")
            return
        try:
            result = self.book.undo()
        except LeadsmithError as exc:
            QMessageBox.warning(self, "Undo failed", exc.user_message())
            return
        if result is None:
            self.status_label.setText("Nothing to undo.")
            return
        self.status_label.setText(f"Undone: {result.label}")
        self.changed.emit()
        touched = set(result.contact_ids)
        if result.kind == "merge" and self._merged and set(self._merged[-1].ids) <= touched:
            self._insert(self._merged.pop())
        elif not self.scanning:
            self.start_scan()  # something else changed: the groups shown may be stale

    # -- lifetime ----------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        self.cancel_scan()
        super().done(result)
