"""File → Import… (the Import Wizard, also for dropped files and pasted rows) and File → Export
CSV…: a job on the write lane, a progress dialog whose Cancel rolls the job back, and a summary.

Every desktop import runs in a child process (importers/child.py, `import_in_child`): in the
window's process its parsing, unpickling and garbage collections held the GIL for up to 0.8 s at
a time at 1M contacts (bench/UI_STALLS.md). The write-lane job only relays progress and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.book import LeadBook
from app.contact import ImportReport
from app.jobs import Cancelled, Progress
from app.query import ContactFilter
from importers.child import import_in_child
from importers.pipeline import ImportOptions
from ui.desktop.import_wizard.wizard import ImportWizard
from ui.desktop.jobs import BookJob, JobRunner

IMPORT_FILTER = "Contact files (*.csv *.tsv *.txt);;All files (*)"
EXPORT_FILTER = "CSV files (*.csv)"


def import_summary(file_name: str, report: ImportReport) -> str:
    """What an import did, in the words of the summary box."""
    rows = "1 row" if report.rows == 1 else f"{report.rows:,} rows"
    text = (
        f"{file_name}: {rows} read — {report.added:,} added, {report.merged:,} merged, "
        f"{report.skipped:,} skipped."
    )
    if report.invalid:
        text += f"\n{report.invalid:,} contact(s) have invalid values; they were kept and marked."
    if report.issues:
        text += f"\n{len(report.issues):,} value(s) need a look."
    return text


class ImportExportRunner(QObject):
    """Runs imports and exports for a window, one at a time, with progress and Cancel."""

    import_finished = Signal(object)  # ImportReport
    export_finished = Signal(object)  # ExportResult
    job_ended = Signal(str)  # "finished" | "failed" | "canceled"
    status_message = Signal(str)

    def __init__(self, window: QWidget, jobs: JobRunner) -> None:
        super().__init__(window)
        self.window = window
        self.jobs = jobs
        self.current_job: BookJob | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.last_dir = ""
        self.wizard: ImportWizard | None = None

    # -- the wizard --------------------------------------------------------------------------------
    def open_wizard(
        self, book: LeadBook, path: Path | None = None, pasted_text: str | None = None
    ) -> ImportWizard:
        """The Import Wizard, window-modal: at the source page, or at the preview for a file/text."""
        wizard = ImportWizard(book, self.jobs, self.window, path=path, pasted_text=pasted_text)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self.import_finished.emit)
        wizard.status_message.connect(self.status_message.emit)
        if path is not None:
            self.last_dir = str(Path(path).parent)
        self.wizard = wizard
        wizard.destroyed.connect(lambda *_args: setattr(self, "wizard", None))
        wizard.open()
        return wizard

    def paste_rows(self, book: LeadBook) -> ImportWizard | None:
        """Edit → Paste rows: the wizard on the clipboard's text (rows copied from a spreadsheet)."""
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.status_message.emit("The clipboard holds no rows: copy some from a spreadsheet.")
            return None
        return self.open_wizard(book, pasted_text=text)

    def dropped_file(self, mime: QMimeData) -> Path | None:
        """The one local file a drag carries, or None (several files, a URL, plain text)."""
        if not mime.hasUrls():
            return None
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if len(files) != 1 or not Path(files[0]).is_file():
            return None
        return Path(files[0])

    # -- import ------------------------------------------------------------------------------------
    def choose_and_import(self) -> BookJob | None:
        """Ask for a file and import it; None when the user cancels the file dialog."""
        path, _selected = QFileDialog.getOpenFileName(
            self.window, "Import contacts", self.last_dir, IMPORT_FILTER
        )
        if not path:
            return None
        return self.start_import(Path(path))

    def start_import(self, path: Path, options: ImportOptions | None = None) -> BookJob:
        """Import one file on the write lane."""
        self.last_dir = str(path.parent)
        opts = options or ImportOptions()

        def work(book: LeadBook, progress: Progress, cancelled: Cancelled) -> ImportReport:
            return import_in_child(book, path, opts, progress, cancelled)

        return self._start(
            work,
            f"Importing {path.name}…",
            f"Import {path.name}",
            lambda report: self._on_import_finished(path.name, report),
        )

    def _on_import_finished(self, file_name: str, report: ImportReport) -> None:
        self._close_progress()
        self.import_finished.emit(report)
        self.status_message.emit(
            f"Imported {file_name}: {report.added:,} added, {report.merged:,} merged"
        )
        QMessageBox.information(self.window, "Import finished", import_summary(file_name, report))
        self.job_ended.emit("finished")

    # -- export ------------------------------------------------------------------------------------
    def choose_and_export(self, f: ContactFilter) -> BookJob | None:
        """Ask where to save and export the contacts `f` selects as CSV."""
        start = str(Path(self.last_dir) / "contacts.csv") if self.last_dir else "contacts.csv"
        path, _selected = QFileDialog.getSaveFileName(
            self.window, "Export contacts", start, EXPORT_FILTER
        )
        if not path:
            return None
        return self.start_export(Path(path), f)

    def start_export(self, path: Path, f: ContactFilter) -> BookJob:
        """Export the selected contacts to a CSV file on the write lane (it records the export)."""
        self.last_dir = str(path.parent)

        def work(book: LeadBook, progress: Progress, cancelled: Cancelled) -> Any:
            return book.export("csv", path, f, progress=progress, cancelled=cancelled)

        return self._start(
            work,
            f"Exporting to {path.name}…",
            f"Export {path.name}",
            lambda result: self._on_export_finished(path, result),
        )

    def _on_export_finished(self, path: Path, result: Any) -> None:
        self._close_progress()
        self.export_finished.emit(result)
        rows = _how_many(getattr(result, "rows", 0))
        skipped = _how_many(getattr(result, "skipped", 0))
        text = f"Exported {rows:,} contact(s) to {path.name}."
        if skipped:
            text += f" {skipped:,} were left out (suppressed or not exportable)."
        self.status_message.emit(text)
        QMessageBox.information(self.window, "Export finished", text)
        self.job_ended.emit("finished")

    # -- shared ------------------------------------------------------------------------------------
    def _start(
        self, work: Any, label: str, title: str, on_finished: Callable[[Any], None]
    ) -> BookJob:
        job = self.jobs.create(work, title)
        self.current_job = job
        dialog = QProgressDialog(label, "Cancel", 0, 0, self.window)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(400)  # quick jobs finish without a flashing dialog
        dialog.canceled.connect(job.cancel)
        dialog.canceled.connect(lambda: self.status_message.emit("Cancelling…"))
        self.progress_dialog = dialog
        job.signals.progressed.connect(self._on_job_progressed)
        job.signals.failed.connect(lambda message: self._on_job_failed(title, message))
        job.signals.canceled.connect(lambda _message: self._on_job_canceled(title))
        job.signals.finished.connect(on_finished)
        return self.jobs.start_write(job)

    def _on_job_progressed(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        if total > 0:
            # Byte counts overflow a QProgressBar's int range past 2 GB: show per-mille instead.
            dialog.setMaximum(1000)
            dialog.setValue(min(1000, done * 1000 // total))
        else:
            dialog.setMaximum(0)

    def _on_job_failed(self, title: str, message: str) -> None:
        self._close_progress()
        self.status_message.emit(f"{title} failed: nothing was changed.")
        QMessageBox.warning(self.window, f"{title} failed", message)
        self.job_ended.emit("failed")

    def _on_job_canceled(self, title: str) -> None:
        self._close_progress()
        self.status_message.emit(f"{title} cancelled: nothing was changed.")
        self.job_ended.emit("canceled")

    def _close_progress(self) -> None:
        self.current_job = None
        if self.progress_dialog is not None:
            # hide(), not close(): QProgressDialog's closeEvent emits `canceled`.
            self.progress_dialog.hide()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None


def _how_many(value: object) -> int:
    """A count that an ExportResult gives as a number or as the list of the rows it concerns."""
    if isinstance(value, int):
        return value
    return len(value) if isinstance(value, list | tuple) else 0
