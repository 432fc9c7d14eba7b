"""File → Export…: choose a format and the contacts, see the rows exactly as they will be written
and what the target would reject, then write the file off the UI thread with progress and Cancel.

Checking a million contacts against a target takes about half a minute. The preview comes after
the first chunk: Export is enabled from then on while the check goes on with its progress shown
(the writer skips the rows the target would reject whether the check has finished or not)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.book import LIFECYCLE, LeadBook
from app.errors import LeadsmithError
from app.export import ExportResult, Preset
from app.jobs import Cancelled, Progress
from app.query import ContactFilter
from ui.desktop import theme
from ui.desktop.export_preview_model import (
    CHUNK,
    ExportPlan,
    ExportPreviewModel,
    export_summary,
    plan_export,
    plan_summary,
    preset_items,
    problem_text,
    read_only_table,
    split_notice,
)
from ui.desktop.jobs import BookJob, JobRunner

SHOWN, SELECTED, EVERYONE = "shown", "selected", "everyone"
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "vcard": "vcf", "json": "json"}
PLAN_DELAY_MS = 120  # options clicked in a row are worked out once


def ask_export_path(parent: QWidget, preset: Preset, suggested: str) -> Path | None:
    """Ask where to write the export (tests replace this function); None when cancelled."""
    ext = preset.extension or EXTENSIONS.get(preset.writer, "csv")
    path, _selected = QFileDialog.getSaveFileName(
        parent, f"Export to {preset.label}", suggested, f"{preset.label} (*.{ext})"
    )
    return Path(path) if path else None


class ExportDialog(QDialog):
    """Format, selection, preview, preflight report and history of exports, then Export…."""

    plan_ready = Signal(object)  # ExportPlan, complete
    plan_previewed = Signal(object)  # ExportPlan whose contacts are still being checked
    exported = Signal(object)  # ExportResult
    export_ended = Signal(str)  # "finished" | "failed" | "canceled"
    fix_requested = Signal(list)  # ids of rejected contacts the user wants to fix first

    def __init__(
        self,
        book: LeadBook,
        jobs: JobRunner,
        shown: ContactFilter = ContactFilter(),
        selected_ids: Sequence[int] = (),
        shown_count: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.book, self.jobs = book, jobs
        self.shown, self.selected_ids = shown, tuple(selected_ids)
        self.presets = book.presets()
        self.plan: ExportPlan | None = None
        self.plan_job: BookJob | None = None
        self.export_job: BookJob | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.last_dir = ""
        self._generation = 0
        self._closed = False
        self._export_preset: Preset | None = None
        self.plan_chunk = CHUNK  # contacts checked between two progress reports
        self.setWindowTitle("Export contacts")
        self.setObjectName("export_dialog")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PLAN_DELAY_MS)
        self.timer.timeout.connect(self.start_plan)

        count = book.count(shown) if shown_count is None else shown_count
        layout = QVBoxLayout(self)
        layout.addLayout(self._make_form(count))
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary_label")
        self.summary_label.setWordWrap(True)
        self.split_label = QLabel()
        self.split_label.setObjectName("split_label")
        theme.set_style(self.split_label, "color: $risky;")
        self.result_label = QLabel()
        self.result_label.setObjectName("result_label")
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        layout.addWidget(self.summary_label)
        layout.addWidget(self.split_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self._make_tabs(), 1)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export_button")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 640)
        self.refresh_history()
        self.schedule_plan()

    # -- construction ------------------------------------------------------------------------------
    def _make_form(self, shown_count: int) -> QFormLayout:
        form = QFormLayout()
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("preset_combo")
        self.preset_combo.setModel(preset_items(self.presets, self))
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(self._default_preset()))
        self.source_combo = QComboBox()
        self.source_combo.addItem(f"All contacts shown in the table ({shown_count:,})", SHOWN)
        self.source_combo.addItem(f"Selected rows only ({len(self.selected_ids):,})", SELECTED)
        self.source_combo.addItem(f"Every contact in the book ({self.book.count():,})", EVERYONE)
        if not self.selected_ids:
            self._disable_item(self.source_combo, 1)
        self.list_combo = self._choice_combo("Any list", self.book.lists())
        self.tag_combo = self._choice_combo("Any tag", self.book.tags())
        self.status_combo = self._choice_combo("Any status", [(s, None) for s in LIFECYCLE])
        self.only_new_box = QCheckBox("Only contacts not yet exported to this format")
        self.valid_email_box = QCheckBox("Leave out contacts whose email is invalid")
        self.valid_email_box.setChecked(True)
        form.addRow("&Format:", self.preset_combo)
        form.addRow("&Contacts:", self.source_combo)
        narrow = QHBoxLayout()
        for label, combo in (
            ("List", self.list_combo),
            ("Tag", self.tag_combo),
            ("Status", self.status_combo),
        ):
            narrow.addWidget(QLabel(f"{label}:"))
            narrow.addWidget(combo, 1)
        form.addRow("Only those in:", narrow)
        form.addRow("", self.only_new_box)
        form.addRow("", self.valid_email_box)
        for combo in (
            self.preset_combo,
            self.source_combo,
            self.list_combo,
            self.tag_combo,
            self.status_combo,
        ):
            combo.currentIndexChanged.connect(self.schedule_plan)
        for box in (self.only_new_box, self.valid_email_box):
            box.toggled.connect(self.schedule_plan)
        return form

    def _default_preset(self) -> str:
        history = self.book.exports(limit=1)
        last = str(history[0]["preset"]) if history else ""
        return last if last in self.presets else "csv"

    def _choice_combo(self, any_text: str, choices: Sequence[tuple[str, int | None]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(any_text, "")
        for name, n in choices:
            combo.addItem(name if n is None else f"{name} ({n:,})", name)
        return combo

    @staticmethod
    def _disable_item(combo: QComboBox, row: int) -> None:
        model = combo.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(row)
            if item is not None:
                item.setEnabled(False)

    def _make_tabs(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.preview_model = ExportPreviewModel(self)
        self.preview_view = QTableView()
        self.preview_view.setObjectName("preview_view")
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.setWordWrap(False)
        self.preview_view.verticalHeader().setDefaultSectionSize(
            self.preview_view.fontMetrics().height() + 8
        )
        self.tabs.addTab(self.preview_view, "Preview")

        problems = QWidget()
        box = QVBoxLayout(problems)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_table = read_only_table(["Contact", "Column", "Value", "Why it is rejected"])
        self.fix_button = QPushButton("Go back and fix them")
        self.fix_button.setToolTip("Close this dialog and select the rejected contacts")
        self.fix_button.clicked.connect(self._on_fix_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.problems_label, 1)
        row.addWidget(self.fix_button)
        box.addLayout(row)
        box.addWidget(self.problems_table)
        self.tabs.addTab(problems, "Rejected rows")

        self.history_table = read_only_table(["When", "Format", "File", "Rows", "Skipped", "Who"])
        self.tabs.addTab(self.history_table, "History")
        return self.tabs

    # -- the selection -----------------------------------------------------------------------------
    @property
    def preset_name(self) -> str:
        """The chosen preset's name."""
        return str(self.preset_combo.currentData(Qt.ItemDataRole.UserRole) or "")

    def set_preset(self, name: str) -> None:
        """Choose a preset by name."""
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))

    def set_choice(self, combo: QComboBox, value: str) -> None:
        """Choose a source, list, tag or status by its value ("" for any)."""
        combo.setCurrentIndex(combo.findData(value))

    def contact_filter(self) -> ContactFilter:
        """The contacts the form selects, before the export leaves anyone out."""
        source = self.source_combo.currentData()
        if source == SELECTED:
            base = ContactFilter(
                ids=self.selected_ids or (-1,),
                sort=self.shown.sort,
                descending=self.shown.descending,
            )
        elif source == EVERYONE:
            base = ContactFilter(sort=self.shown.sort, descending=self.shown.descending)
        else:
            base = self.shown
        narrowed = {
            key: combo.currentData()
            for key, combo in (
                ("list_name", self.list_combo),
                ("tag", self.tag_combo),
                ("status", self.status_combo),
            )
            if combo.currentData()
        }
        return replace(base, **narrowed)

    # -- the plan (off the UI thread) --------------------------------------------------------------
    def schedule_plan(self) -> None:
        """Work the export out again soon (after the options stop changing)."""
        self.plan = None
        self.export_button.setEnabled(False)
        self.summary_label.setText("Checking the contacts…")
        self.timer.start()

    def start_plan(self) -> BookJob | None:
        """Start working out the export with the current options in a read job."""
        self.timer.stop()
        if self._closed:
            return None
        if self.plan_job is not None:
            self.plan_job.cancel()  # its result would be dropped anyway
        self._generation += 1
        generation, name, f = self._generation, self.preset_name, self.contact_filter()
        only_new, leave_out = self.only_new_box.isChecked(), self.valid_email_box.isChecked()
        chunk = self.plan_chunk

        def work(book: LeadBook, progress: Progress, cancelled: Cancelled) -> Any:
            try:
                return generation, plan_export(
                    book,
                    name,
                    f,
                    only_new=only_new,
                    leave_out_invalid_emails=leave_out,
                    progress=progress,
                    cancelled=cancelled,
                    on_partial=lambda plan: job.signals.partial.emit((generation, plan)),
                    chunk=chunk,
                )
            except LeadsmithError as exc:
                return generation, exc.user_message()

        job = self.jobs.create(work, "export preview")
        # Bound methods, not lambdas: Qt drops the connection if the dialog is gone first.
        job.signals.finished.connect(self._on_plan_finished)
        job.signals.failed.connect(self._on_plan_crashed)
        job.signals.partial.connect(self._on_plan_previewed)
        job.signals.progressed.connect(self._on_plan_progressed)
        self.plan_job = job
        return self.jobs.start_read(job)

    def _on_plan_progressed(self, done: int, total: int) -> None:
        job = self.plan_job
        if self._closed or job is None or self.sender() is not job.signals or not total:
            return  # an older plan's progress
        checking = f"Checking the contacts for {self._preset_who()}: {done:,} of {total:,}…"
        plan = self.plan
        if plan is not None and not plan.complete:
            checking = f"{plan.selected:,} contacts selected. {checking}"
        self.summary_label.setText(checking)

    def _preset_who(self) -> str:
        preset = self.presets.get(self.preset_name)
        return preset.who if preset is not None else "the target"

    def _on_plan_previewed(self, outcome: tuple[int, ExportPlan]) -> None:
        generation, plan = outcome
        if generation != self._generation or self._closed:
            return
        self.plan = plan
        self._show_preview(plan)
        self.split_label.hide()  # how many files: known when the check ends
        self.tabs.setTabText(1, "Rejected rows (checking…)")
        self.problems_label.setText(
            f"Checking which contacts {plan.preset.who} would reject… You can export now: "
            "the ones it would reject are skipped and counted when the export ends."
        )
        self.problems_table.setRowCount(0)
        self.fix_button.setEnabled(False)
        self.export_button.setEnabled(plan.to_check > 0 and self.export_job is None)
        self.plan_previewed.emit(plan)

    def _on_plan_crashed(self, message: str) -> None:
        if not self._closed:
            self.summary_label.setText(f"Cannot work out this export: {message}")

    def _on_plan_finished(self, outcome: tuple[int, ExportPlan | str]) -> None:
        generation, plan = outcome
        if generation != self._generation or self._closed:
            return  # an older plan: the options changed since
        self.plan_job = None
        if isinstance(plan, str):
            self.plan = None
            self.export_button.setEnabled(False)
            self.summary_label.setText(f"Cannot work out this export: {plan}")
            return
        self.plan = plan
        self._show_preview(plan)
        self.summary_label.setText(plan_summary(plan))
        notice = split_notice(plan)
        self.split_label.setText(notice)
        self.split_label.setVisible(bool(notice))
        self._show_problems(plan)
        self.export_button.setEnabled(plan.rows > 0 and self.export_job is None)
        self.plan_ready.emit(plan)

    def _show_preview(self, plan: ExportPlan) -> None:
        self.preview_model.set_plan(plan.header, plan.preview)
        self.preview_view.resizeColumnsToContents()  # the preview's 20 rows, not the export's
        for column in range(self.preview_model.columnCount()):
            width = self.preview_view.columnWidth(column)
            self.preview_view.setColumnWidth(column, min(width, 320))
        shown = len(plan.preview)
        self.tabs.setTabText(0, f"Preview (first {shown})" if shown else "Preview (nothing)")

    def _show_problems(self, plan: ExportPlan) -> None:
        self.tabs.setTabText(1, f"Rejected rows ({plan.rejected:,})")
        if plan.rejected:
            self.problems_label.setText(
                f"{plan.preset.who} would reject {plan.rejected:,} contact(s). They will be "
                "skipped; the others are exported. Or go back and fix them first."
            )
        else:
            self.problems_label.setText(f"{plan.preset.who} accepts every row.")
        self.fix_button.setEnabled(bool(plan.rejected))
        listed = ContactFilter(ids=tuple(plan.rejected_ids) or (-1,))
        names = {c.id: c.display_name or c.primary_email for c in self.book.contacts(listed)}
        self.problems_table.setRowCount(len(plan.problems))
        for r, p in enumerate(plan.problems):
            who = names.get(p.contact_id or -1, "")
            cells = [f"#{p.contact_id} {who}".strip(), p.column, problem_text(p), p.message]
            for c, text in enumerate(cells):
                self.problems_table.setItem(r, c, QTableWidgetItem(text))

    def _on_fix_button_clicked(self) -> None:
        ids = self.plan.rejected_ids if self.plan is not None and self.plan.complete else []
        self.fix_requested.emit(ids)
        self.reject()

    def refresh_history(self) -> None:
        """Fill the History tab from the book's export log."""
        rows = self.book.exports()
        self.history_table.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            preset = self.presets.get(str(entry["preset"]))
            cells = [
                str(entry["at"])[:16].replace("T", " "),
                preset.label if preset else str(entry["preset"]),
                str(entry["file"]),
                f"{entry['rows']:,}",
                f"{entry['skipped']:,}",
                str(entry["user"]),
            ]
            for c, text in enumerate(cells):
                self.history_table.setItem(r, c, QTableWidgetItem(text))
        self.tabs.setTabText(2, f"History ({len(rows)})")

    # -- exporting ---------------------------------------------------------------------------------
    def export(self) -> BookJob | None:
        """Export…: ask for the file and write it on the write lane (None if nothing started)."""
        plan = self.plan
        if plan is None or plan.rows == 0 or self.export_job is not None:
            return None
        preset = plan.preset
        ext = preset.extension or EXTENSIONS.get(preset.writer, "csv")
        suggested = str(Path(self.last_dir) / f"{preset.name}.{ext}")
        path = ask_export_path(self, preset, suggested)
        if path is None:
            return None
        if not plan.complete and self.plan_job is not None:
            # The export checks every row itself: the rest of the check would only compete
            # with it for the CPU. It runs again once the export ends (schedule_plan).
            self.plan_job.cancel()
            self.plan_job = None
            self._generation += 1
            self.summary_label.setText(
                f"{plan.selected:,} contacts selected; the export checks them as it writes."
            )
        self.last_dir = str(path.parent)
        name, f, only_new = preset.name, plan.export_filter, self.only_new_box.isChecked()

        def work(book: LeadBook, progress: Progress, cancelled: Cancelled) -> ExportResult:
            return book.export(
                name,
                path,
                f,
                only_new=only_new,
                skip_invalid=True,
                progress=progress,
                cancelled=cancelled,
            )

        job = self.jobs.create(work, f"Export {path.name}")
        self.export_job = job
        self.export_button.setEnabled(False)
        dialog = QProgressDialog(f"Exporting to {path.name}…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Exporting")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(400)  # a quick export finishes without a flashing dialog
        dialog.canceled.connect(job.cancel)
        self.progress_dialog = dialog
        job.signals.progressed.connect(self._on_export_progressed)
        self._export_preset = preset
        job.signals.finished.connect(self._on_export_finished)
        job.signals.failed.connect(self._on_export_failed)
        job.signals.canceled.connect(self._on_export_canceled)
        return self.jobs.start_write(job)

    def _on_export_progressed(self, done: int, total: int) -> None:
        if self.progress_dialog is not None and total > 0:
            self.progress_dialog.setMaximum(1000)
            self.progress_dialog.setValue(min(1000, done * 1000 // total))

    def _on_export_finished(self, result: ExportResult) -> None:
        self._end_export()
        assert self._export_preset is not None
        text = export_summary(result, self._export_preset)
        self._show_result(text.replace("\n", " "))
        self.exported.emit(result)
        QMessageBox.information(self, "Export finished", text)
        self.refresh_history()
        self.schedule_plan()  # "only new" now leaves these contacts out
        self.export_ended.emit("finished")

    def _on_export_failed(self, message: str) -> None:
        self._end_export()
        QMessageBox.warning(self, "Export failed", f"{message}\nNo file was written.")
        self.schedule_plan()
        self.export_ended.emit("failed")

    def _on_export_canceled(self, _message: str) -> None:
        self._end_export()
        self.schedule_plan()
        self._show_result("Export cancelled: no file was written.")
        self.export_ended.emit("canceled")

    def _show_result(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.show()

    def _end_export(self) -> None:
        self.export_job = None
        if self.progress_dialog is not None:
            self.progress_dialog.hide()  # not close(): its closeEvent emits `canceled`
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def shutdown(self) -> None:
        """Stop working out plans for good (the window is closing); a running export runs on."""
        self._closed = True
        self.timer.stop()
        if self.plan_job is not None:
            self.plan_job.cancel()

    def done(self, result: int) -> None:
        self.shutdown()  # a closed dialog works nothing out (its export's file is atomic anyway)
        super().done(result)
