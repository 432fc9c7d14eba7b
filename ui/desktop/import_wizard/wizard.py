"""The Import Wizard: source → preview → mapping → validation (dry run) → import and report."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from app.book import LeadBook
from app.contact import ImportReport
from importers.pipeline import ImportOptions
from ui.desktop.import_wizard.mapping_page import MappingPage
from ui.desktop.import_wizard.preview import Preview, pasted_options, read_preview, write_pasted
from ui.desktop.import_wizard.preview_page import PreviewPage
from ui.desktop.import_wizard.report_page import ReportPage
from ui.desktop.import_wizard.source_page import SourcePage
from ui.desktop.import_wizard.validation_page import ValidationPage
from ui.desktop.jobs import BookJob, JobFunction, JobRunner

SOURCE_PAGE, PREVIEW_PAGE, MAPPING_PAGE, VALIDATION_PAGE, REPORT_PAGE = range(5)


class ImportWizard(QWizard):
    """Walks one file (or pasted rows) through preview, mapping and a dry run into the book."""

    imported = Signal(object)  # ImportReport, once the import committed
    status_message = Signal(str)

    def __init__(
        self,
        book: LeadBook,
        jobs: JobRunner,
        parent: QWidget | None = None,
        *,
        path: Path | None = None,
        pasted_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.jobs = jobs
        self.path: Path | None = None
        self.pasted_text: str | None = None
        self.paste_has_header: bool | None = None
        self.read_options = ImportOptions()
        self.preview: Preview | None = None
        self.preview_error = ""
        self.running_job: BookJob | None = None
        self.report: ImportReport | None = None
        self._closing = False
        self._paste_dir: tempfile.TemporaryDirectory[str] | None = None
        self.setWindowTitle("Import contacts")
        self.setObjectName("import_wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # own Cancel import
        self.resize(860, 600)
        self.source_page = SourcePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.validation_page = ValidationPage(self)
        self.report_page = ReportPage(self)
        for page_id, page in enumerate(
            (self.source_page, self.preview_page, self.mapping_page, self.validation_page,
             self.report_page)
        ):  # fmt: skip
            self.setPage(page_id, page)
        if path is not None:
            self.set_file(path)
            self.setStartId(PREVIEW_PAGE)
        elif pasted_text is not None:
            self.set_pasted(pasted_text)
            self.setStartId(PREVIEW_PAGE)

    # -- the source ------------------------------------------------------------------------------
    def set_file(self, path: Path) -> bool:
        """Use this file (detection starts afresh); False when it cannot be read."""
        self.path, self.pasted_text = Path(path), None
        self.read_options = ImportOptions()
        return self.reload_preview()

    def set_pasted(self, text: str) -> bool:
        """Use these pasted rows; False when there is nothing to import in them."""
        self.pasted_text, self.paste_has_header = text, None
        self.read_options = pasted_options()
        return self.reload_preview()

    def set_read_override(self, **changes: Any) -> bool:
        """Read again with one choice changed (encoding, delimiter, header_row, sheet)."""
        self.read_options = replace(self.read_options, **changes)
        return self.reload_preview()

    def reload_preview(self) -> bool:
        """Read the first rows again with the current choices (a direct read: it is ~50 rows)."""
        from app.errors import LeadsmithError

        try:
            if self.pasted_text is not None:
                if self._paste_dir is None:
                    self._paste_dir = tempfile.TemporaryDirectory(prefix="leadsmith-paste-")
                folder = Path(self._paste_dir.name)
                self.path, self.preview = write_pasted(
                    self.pasted_text, folder, self.paste_has_header
                )
            elif self.path is not None:
                self.preview = read_preview(self.path, self.read_options)
            else:
                self.preview = None
        except LeadsmithError as exc:
            self.preview, self.preview_error = None, exc.user_message()
            return False
        self.preview_error = ""
        return self.preview is not None

    @property
    def source_name(self) -> str:
        """The file's name, or "pasted rows"."""
        if self.pasted_text is not None:
            return "pasted rows"
        return self.path.name if self.path is not None else ""

    # -- options and jobs ------------------------------------------------------------------------
    def import_options(self, dry_run: bool) -> ImportOptions:
        """Everything the pages chose, as one ImportOptions."""
        chosen = self.validation_page.chosen_options()
        return replace(
            self.read_options,
            mapping=self.mapping_page.model.as_options(),
            remember_mapping=self.mapping_page.remember_box.isChecked(),
            dry_run=dry_run,
            list_name=chosen.list_name,
            source_label=chosen.source_label,
            legal_basis=chosen.legal_basis,
            on_duplicate=chosen.on_duplicate,
        )

    def start_job(
        self,
        fn: JobFunction,
        name: str,
        on_finished: Callable[[Any], None],
        on_failed: Callable[[str], None],
        on_canceled: Callable[[str], None],
        progressed: Callable[[int, int], None] | None = None,
    ) -> BookJob:
        """Run `fn` on the write lane; the wizard closes only after it ended (Esc cancels it)."""
        job = self.jobs.create(fn, name)
        self.running_job = job
        job.signals.finished.connect(on_finished)
        job.signals.failed.connect(on_failed)
        job.signals.canceled.connect(on_canceled)
        if progressed is not None:
            job.signals.progressed.connect(progressed)
        job.signals.ended.connect(lambda: self._on_job_ended(job))
        return self.jobs.start_write(job)

    def _on_job_ended(self, job: BookJob) -> None:
        if self.running_job is job:
            self.running_job = None
        if self._closing and self.running_job is None:
            self._closing = False
            super().reject()

    # -- closing ---------------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc / Cancel: stop a running dry run or import (it rolls back), then close."""
        if self.running_job is not None:
            if self.currentId() == REPORT_PAGE:
                self.status_message.emit("Import cancelled: nothing was imported.")
            self._closing = True
            self.running_job.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self._paste_dir is not None:
            self._paste_dir.cleanup()
            self._paste_dir = None
        super().done(result)
