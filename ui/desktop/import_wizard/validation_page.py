"""Wizard page 4: a dry run's counts and first problems, and the import's options."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.book import LeadBook
from app.contact import ImportReport
from app.jobs import Cancelled, Progress
from importers.child import import_in_child
from importers.pipeline import ImportOptions
from ui.desktop.import_wizard.problems_table import ProblemsTable
from ui.desktop.jobs import BookJob

if TYPE_CHECKING:
    from ui.desktop.import_wizard.wizard import ImportWizard

FIRST_PROBLEMS = 100
LEGAL_BASES = ("", "legitimate interest", "consent", "contract")
ON_DUPLICATE = (
    ("merge", "Merge into the existing contact"),
    ("skip", "Skip the new row"),
    ("keep", "Keep both"),
)


def problem_lines(report: ImportReport, limit: int | None = None) -> list[tuple[object, ...]]:
    """(row, column, value, message) for every issue, then skipped rows with their reason."""
    lines: list[tuple[object, ...]] = [(i.row, i.column, i.value, i.message) for i in report.issues]
    lines += [(row, "", "", f"Skipped: {reason}") for row, reason in report.skipped_rows]
    lines.sort(key=lambda line: int(str(line[0])) if str(line[0]).isdigit() else 0)
    return lines if limit is None else lines[:limit]


def counts_text(report: ImportReport, dry_run: bool) -> str:
    """The counts line: "12 new · 3 would merge · 1 skipped · 2 with invalid values"."""
    merged = "would merge" if dry_run else "merged"
    added = "new" if dry_run else "added"
    return (
        f"{report.rows:,} rows read: {report.added:,} {added} · {report.merged:,} {merged} · "
        f"{report.skipped:,} skipped · {report.invalid:,} with invalid values (kept and marked)"
    )


class ValidationPage(QWizardPage):
    """Runs a dry run of the import as a job and shows what the real one would do."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("A trial run over the whole file; nothing is written until you import.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.list_combo = QComboBox()
        self.list_combo.setObjectName("list_combo")
        self.list_combo.setEditable(True)
        self.list_combo.setAccessibleName("Add to list")
        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("source_edit")
        self.source_edit.setAccessibleName("Lead source")
        self.source_edit.setPlaceholderText("e.g. Trade show 2026")
        self.basis_combo = QComboBox()
        self.basis_combo.setObjectName("basis_combo")
        self.basis_combo.setEditable(True)
        self.basis_combo.setAccessibleName("Legal basis")
        self.basis_combo.addItems(list(LEGAL_BASES))
        self.duplicate_combo = QComboBox()
        self.duplicate_combo.setObjectName("duplicate_combo")
        self.duplicate_combo.setAccessibleName("On duplicate")
        for value, label in ON_DUPLICATE:
            self.duplicate_combo.addItem(label, value)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("validation_summary")
        self.summary_label.setWordWrap(True)
        self.problems = ProblemsTable()
        self.problems.setObjectName("validation_problems")
        form = QFormLayout()
        form.addRow("Add to &list:", self.list_combo)
        form.addRow("Lead &source:", self.source_edit)
        form.addRow("Legal &basis:", self.basis_combo)
        form.addRow("On &duplicate:", self.duplicate_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problems, 1)
        self.report: ImportReport | None = None
        self.job: BookJob | None = None
        self._run = 0
        self.duplicate_combo.activated.connect(lambda _i: self.start_dry_run())

    def initializePage(self) -> None:
        current = self.list_combo.currentText()
        self.list_combo.clear()
        self.list_combo.addItems(["", *(name for name, _count in self.import_wizard.book.lists())])
        self.list_combo.setCurrentText(current)
        self.start_dry_run()

    def cleanupPage(self) -> None:
        # Back: a dry run still going is for a mapping that is about to change.
        self._run += 1
        if self.job is not None:
            self.job.cancel()
            self.job = None

    def isComplete(self) -> bool:
        return self.report is not None and self.job is None

    def chosen_options(self) -> ImportOptions:
        """The list, lead source, legal basis and duplicate rule chosen on this page."""
        return ImportOptions(
            list_name=self.list_combo.currentText().strip(),
            source_label=self.source_edit.text().strip(),
            legal_basis=self.basis_combo.currentText().strip(),
            on_duplicate=str(self.duplicate_combo.currentData() or "merge"),
        )

    def start_dry_run(self) -> BookJob | None:
        """Run the import as a dry run on the write lane (it rolls back) and show its report."""
        wizard = self.import_wizard
        if wizard.path is None:
            return None
        if self.job is not None:
            self.job.cancel()
        path, options = wizard.path, wizard.import_options(dry_run=True)

        def work(book: LeadBook, progress: Progress, cancelled: Cancelled) -> ImportReport:
            return import_in_child(book, path, options, progress, cancelled)

        self.report = None
        self._run += 1
        run = self._run
        self.summary_label.setText("Checking every row…")
        self.problems.set_lines([])
        self.job = wizard.start_job(
            work,
            f"Check {wizard.source_name}",
            lambda report: self._on_dry_run_finished(run, report),
            lambda message: self._on_dry_run_failed(run, message),
            lambda _message: self._on_dry_run_canceled(run),
        )
        self.completeChanged.emit()
        return self.job

    def _on_dry_run_finished(self, run: int, report: ImportReport) -> None:
        if run != self._run:
            return  # an older run, superseded by a changed option
        self.job, self.report = None, report
        text = counts_text(report, dry_run=True)
        lines = problem_lines(report)
        if lines:
            text += f"\n{len(lines):,} problem(s)"
            text += (
                ", listed below."
                if len(lines) <= FIRST_PROBLEMS
                else f"; the first {FIRST_PROBLEMS}:"
            )
        else:
            text += "\nNo problems found."
        self.summary_label.setText(text)
        self.problems.set_lines(lines[:FIRST_PROBLEMS])
        self.completeChanged.emit()

    def _on_dry_run_failed(self, run: int, message: str) -> None:
        if run != self._run:
            return
        self.job = None
        self.summary_label.setText(f"This file cannot be imported: {message}")
        self.completeChanged.emit()

    def _on_dry_run_canceled(self, run: int) -> None:
        if run == self._run:
            self.job = None
            self.completeChanged.emit()
