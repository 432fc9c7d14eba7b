"""Long domain work off the UI thread: `fn(book, progress, cancelled)` in a QRunnable.

Each job opens its OWN LeadBook on the book's path (one connection per thread); every write job
goes through one single-thread pool, the serialized write lane of STYLE.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.book import LeadBook
from app.errors import JobCancelled, LeadsmithError
from app.jobs import Cancelled, Progress

JobFunction = Callable[[LeadBook, Progress, Cancelled], Any]


class JobSignals(QObject):
    """What a job reports; emitted in the worker thread, delivered queued to the UI thread."""

    progressed = Signal(int, int)  # done, total (0 when unknown)
    finished = Signal(object)  # the function's result
    failed = Signal(str)  # a message for the user
    canceled = Signal(str)  # the JobCancelled message ("nothing was changed")
    ended = Signal()  # after any of the three above


class BookJob(QRunnable):
    """One run of a job function on its own connection to the book."""

    def __init__(self, book_path: Path, fn: JobFunction, name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it alive until its thread is done
        self.book_path = book_path
        self.fn = fn
        self.name = name
        self.signals = JobSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next chunk (it rolls back and reports `canceled`)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """True once cancel() was called; the `cancelled` probe the function polls."""
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        self.signals.progressed.emit(int(done), int(total))

    def run(self) -> None:
        """Open the book, run the function, report exactly one outcome, close the book."""
        try:
            try:
                with LeadBook.open(self.book_path, create=False) as book:
                    result = self.fn(book, self._progress, self.is_cancelled)
            except JobCancelled as exc:
                self.signals.canceled.emit(exc.user_message())
            except LeadsmithError as exc:
                self.signals.failed.emit(exc.user_message())
            except Exception as exc:
                # The user gets one line, never a traceback; the type name helps a bug report.
                self.signals.failed.emit(f"Unexpected error ({type(exc).__name__}): {exc}")
            else:
                self.signals.finished.emit(result)
        finally:
            self.signals.ended.emit()


class JobRunner(QObject):
    """Starts jobs on the book: writes one at a time on the write lane."""

    def __init__(self, book_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book_path = book_path
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        # Reads (snapshots of a million ids) run beside the writer: WAL lets them.
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(1)
        self._running: set[BookJob] = set()  # submitted, outcome not yet delivered
        self._ended: list[BookJob] = []  # outcome delivered; kept until no worker is inside run()

    def create(self, fn: JobFunction, name: str = "") -> BookJob:
        """A job not yet started: connect to `job.signals` first, then `start_write(job)`.

        A job may end before `start` returns (a file that fails at once), and a signal emitted
        before its slots are connected is lost, so connecting comes first.
        """
        job = BookJob(self.book_path, fn, name)
        # Connected first, so the job no longer counts as busy when the outcome's other slots run.
        done = lambda *_args: self._running.discard(job)  # noqa: E731
        for signal in (job.signals.finished, job.signals.failed, job.signals.canceled):
            signal.connect(done)
        job.signals.ended.connect(lambda: self._on_job_ended(job))
        return job

    def start_write(self, job: BookJob) -> BookJob:
        """Queue a job that writes to the book on the write lane (one at a time)."""
        self._running.add(job)
        self.write_pool.start(job)
        return job

    def start_read(self, job: BookJob) -> BookJob:
        """Start a job from `create` that only reads: it runs beside the writer, never busy."""
        self.read_pool.start(job)
        return job

    def submit_write(self, fn: JobFunction, name: str = "") -> BookJob:
        """Create and start a write job (for callers that only need its outcome later)."""
        return self.start_write(self.create(fn, name))

    def _on_job_ended(self, job: BookJob) -> None:
        # The worker may still be returning from run(): drop our reference (and with it the
        # C++ runnable) only once no thread of the lane is active.
        self._ended.append(job)
        if self.write_pool.activeThreadCount() == 0 and self.read_pool.activeThreadCount() == 0:
            self._ended.clear()

    @property
    def busy(self) -> bool:
        """True while a job is queued or running."""
        return bool(self._running)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every job and wait for the lane to drain (window close, test teardown)."""
        for job in list(self._running):
            job.cancel()
        drained = bool(self.write_pool.waitForDone(timeout_ms))
        drained = bool(self.read_pool.waitForDone(timeout_ms)) and drained
        if drained:
            self._ended.clear()
        return drained
