"""Wizard page 5: the import itself (progress, Cancel), then its report and "Save report as CSV…"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.book import LeadBook
from app.contact import ImportReport
from app.jobs import Cancelled, Progress
from importers.child import import_in_child
from importers.pipeline import ImportOptions
from ui.desktop.import_wizard.problems_table import ProblemsTable
from ui.desktop.import_wizard.report_csv import write_report_csv
from ui.desktop.import_wizard.validation_page import counts_text
from ui.desktop.jobs import BookJob

if TYPE_CHECKING:
    from ui.desktop.import_wizard.wizard import ImportWizard

REPORT_FILTER = "CSV files (*.csv)"


def choose_report_path(parent: QWidget, start: str) -> str:
    """The save dialog for the report ("" when cancelled); a module function tests replace."""
    path, _selected = QFileDialog.getSaveFileName(
        parent, "Save report as CSV", start, REPORT_FILTER
    )
    return str(path)


class ReportPage(QWizardPage):
    """Runs the real import on the write lane and shows what it did, problem by problem."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setTitle("Importing")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("import_progress")
        self.progress_bar.setRange(0, 0)
        self.cancel_button = QPushButton("&Cancel import")
        self.cancel_button.setObjectName("cancel_import")
        self.cancel_button.clicked.connect(self.cancel_import)
        self.status_label = QLabel()
        self.status_label.setObjectName("import_status")
        self.status_label.setWordWrap(True)
        self.problems_label = QLabel("Problems (the values were kept and marked):")
        self.problems = ProblemsTable()
        self.problems.setObjectName("report_problems")
        self.skipped_label = QLabel("Skipped rows:")
        self.skipped = ProblemsTable(("Row", "Reason"))
        self.skipped.setObjectName("report_skipped")
        self.save_button = QPushButton("&Save report as CSV…")
        self.save_button.setObjectName("save_report")
        self.save_button.setToolTip(
            "The rows with problems, with their original values: fix them and import the file again"
        )
        self.save_button.clicked.connect(self.save_report)
        top = QHBoxLayout()
        top.addWidget(self.progress_bar, 1)
        top.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 2)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.skipped, 1)
        layout.addLayout(bottom)
        self.job: BookJob | None = None
        self.outcome = ""  # "" while running, then "finished" | "failed" | "canceled"
        self.options = ImportOptions()
        self.saved_to: Path | None = None

    def initializePage(self) -> None:
        wizard = self.import_wizard
        self.setTitle(f"Importing {wizard.source_name}")
        self.setSubTitle(
            "Rows are numbered as in the file, counting from the first row under the header."
        )
        self.outcome = ""
        self._show_results(None)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.status_label.setText("Importing… Cancel undoes everything this import wrote.")
        path = wizard.path
        assert path is not None
        options = self.options = wizard.import_options(dry_run=False)

        def work(book: LeadBook, progress: Progress, cancelled: Cancelled) -> ImportReport:
            return import_in_child(book, path, options, progress, cancelled)

        self.job = wizard.start_job(
            work,
            f"Import {wizard.source_name}",
            self._on_import_finished,
            self._on_import_failed,
            lambda _message: self._on_import_canceled(),
            self._on_import_progressed,
        )

    def isComplete(self) -> bool:
        return bool(self.outcome)

    def cancel_import(self) -> None:
        """Cancel: the job stops at its next chunk and rolls back."""
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling…")

    # -- job outcome -----------------------------------------------------------------------------
    def _on_import_progressed(self, done: int, total: int) -> None:
        if total > 0:
            # Byte counts overflow a QProgressBar's int range past 2 GB: per-mille instead.
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(min(1000, done * 1000 // total))

    def _on_import_finished(self, report: ImportReport) -> None:
        self._ended("finished")
        self.setTitle(f"Imported {self.import_wizard.source_name}")
        self.import_wizard.report = report
        text = counts_text(report, dry_run=False)
        text += "\nEdit → Undo (Ctrl+Z) in the main window takes the whole import back."
        self.status_label.setText(text)
        self._show_results(report)
        self.import_wizard.imported.emit(report)
        self.import_wizard.status_message.emit(
            f"Imported {self.import_wizard.source_name}: {report.added:,} added, "
            f"{report.merged:,} merged"
        )

    def _on_import_failed(self, message: str) -> None:
        self._ended("failed")
        self.setTitle("The import failed")
        self.status_label.setText(f"{message}\nNothing was imported.")

    def _on_import_canceled(self) -> None:
        self._ended("canceled")
        self.setTitle("Import cancelled")
        self.status_label.setText("Import cancelled. Nothing was imported.")

    def _ended(self, outcome: str) -> None:
        self.job = None
        self.outcome = outcome
        self.progress_bar.hide()
        self.cancel_button.hide()
        self.completeChanged.emit()

    def _show_results(self, report: ImportReport | None) -> None:
        issues = report.issues if report is not None else []
        skipped = report.skipped_rows if report is not None else []
        self.problems.set_lines((i.row, i.column, i.value, i.message) for i in issues)
        self.skipped.set_lines(skipped)
        for widget, shown in ((self.problems_label, issues), (self.problems, issues),
                              (self.skipped_label, skipped), (self.skipped, skipped),
                              (self.save_button, issues or skipped)):  # fmt: skip
            widget.setVisible(bool(shown))

    # -- the CSV ---------------------------------------------------------------------------------
    def save_report(self) -> BookJob | None:
        """Save report as CSV…: the problem rows with their original cells, on the read lane."""
        wizard, report = self.import_wizard, self.import_wizard.report
        if report is None or wizard.path is None:
            return None
        stem = Path(wizard.source_name).stem.replace(" ", "_")
        folder = wizard.path.parent if wizard.pasted_text is None else Path.home()
        chosen = choose_report_path(self, str(folder / f"{stem}_problems.csv"))
        if not chosen:
            return None
        out, source_path, options = Path(chosen), wizard.path, self.options

        def work(book: LeadBook, progress: Progress, cancelled: Cancelled) -> int:
            return write_report_csv(out, source_path, options, report, progress, cancelled)

        job = wizard.jobs.create(work, "Save report")
        job.signals.finished.connect(lambda count: self._on_report_saved(out, count))
        job.signals.failed.connect(
            lambda message: self.status_label.setText(f"The report was not saved: {message}")
        )
        self.save_button.setEnabled(False)
        job.signals.ended.connect(lambda: self.save_button.setEnabled(True))
        return wizard.jobs.start_read(job)

    def _on_report_saved(self, out: Path, count: int) -> None:
        self.saved_to = out
        self.import_wizard.status_message.emit(f"Saved {count:,} problem row(s) to {out.name}")
        self.status_label.setText(
            self.status_label.text().split("\nSaved ")[0]
            + f"\nSaved {count:,} problem row(s) to {out}."
        )
