"""Long domain work off the UI thread: `fn(book, progress, cancelled)` in a QRunnable.

Every write job opens its OWN LeadBook on the book's path and goes through one single-thread pool,
the serialized write lane of STYLE.md. Read jobs share the read lane's one connection, opened by
its (single, never-expiring) thread on first use: opening a book per search keystroke cost more
than the search.
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


class ReadLane:
    """The read lane's connection: opened in, used by and closed in the lane's one thread."""

    def __init__(self, book_path: Path) -> None:
        self.book_path = book_path
        self._book: LeadBook | None = None
        self._thread = 0

    def book(self) -> LeadBook:
        """The lane's LeadBook, opened on first use by the calling (lane) thread."""
        if self._book is not None and self._thread != threading.get_ident():
            self._book = None  # another thread's connection: unusable here, let it be collected
        if self._book is None:
            self._book = LeadBook.open(self.book_path, create=False)
            self._thread = threading.get_ident()
        return self._book

    def after_job(self) -> None:
        """Leave no read transaction open, so the next job sees every commit."""
        if self._book is not None and self._book.conn.in_transaction:
            self._book.conn.rollback()

    def close(self) -> None:
        """Close the connection (from the lane's thread)."""
        if self._book is not None and self._thread == threading.get_ident():
            self._book.close()
        self._book = None


class _Call(QRunnable):
    """A bare function on a pool's thread (the lane's connection is closed where it was opened)."""

    def __init__(self, fn: Callable[[], object]) -> None:
        super().__init__()
        self.fn = fn

    def run(self) -> None:
        self.fn()


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
        self.lane: ReadLane | None = None  # set by start_read: use the lane's connection
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next chunk (it rolls back and reports `canceled`)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """True once cancel() was called; the `cancelled` probe the function polls."""
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        self.signals.progressed.emit(int(done), int(total))

    def _call(self) -> Any:
        if self.lane is None:
            with LeadBook.open(self.book_path, create=False) as book:
                return self.fn(book, self._progress, self.is_cancelled)
        try:
            return self.fn(self.lane.book(), self._progress, self.is_cancelled)
        finally:
            self.lane.after_job()

    def run(self) -> None:
        """Run the function on a book, report exactly one outcome (a write job closes its book)."""
        try:
            try:
                result = self._call()
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
        self.read_pool.setExpiryTimeout(
            -1
        )  # one thread for the lane's life: it owns the connection
        self.read_lane = ReadLane(book_path)
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
        job.lane = self.read_lane
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
        self.read_pool.start(_Call(self.read_lane.close))  # queued after the lane's jobs
        drained = bool(self.read_pool.waitForDone(timeout_ms)) and drained
        if drained:
            self._ended.clear()
        return drained
