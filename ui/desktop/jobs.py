"""Long domain work off the UI thread: `fn(book, progress, cancelled)` in a QRunnable.

Every write job opens its OWN LeadBook on the book's path and goes through one single-thread pool,
the serialized write lane of STYLE.md. Reads go to read lanes: each lane is one never-expiring
thread with one connection, opened on first use (opening a book per search keystroke cost more than
the search). There are three, so a reader never queues behind a slower kind of read: TABLE for the
table's snapshots and searches, COUNTS for numbers nobody waits on (sidebar, dashboard, audience
count; a million-row count takes seconds), READ for the rest (duplicate scan, export preview).
A read job that is cancelled while its SQL runs is interrupted (`sqlite3.Connection.interrupt`,
which SQLite allows from another thread) and reports `canceled`, never an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.book import LeadBook
from app.errors import JobCancelled, LeadsmithError
from app.jobs import Cancelled, Progress

JobFunction = Callable[[LeadBook, Progress, Cancelled], Any]

TABLE = "table"  # the contacts table: snapshots and searches (a user is waiting)
READ = "read"  # other reads a user started: duplicate scan, export preview, report
COUNTS = "counts"  # counts shown beside things: sidebar, dashboard, audience live count
LANES = (TABLE, READ, COUNTS)
INTERRUPT_AGAIN_MS = 20  # while closing, how often a still-running read is interrupted again


class ReadLane:
    """A read lane's connection: opened in, used by and closed in the lane's one thread."""

    def __init__(self, book_path: Path) -> None:
        self.book_path = book_path
        self._book: LeadBook | None = None
        self._thread = 0
        # Guards `_current` so an interrupt from the UI thread never hits the job after it.
        self._lock = threading.Lock()
        self._current: BookJob | None = None

    def book(self) -> LeadBook:
        """The lane's LeadBook, opened on first use by the calling (lane) thread."""
        if self._book is not None and self._thread != threading.get_ident():
            self._book = None  # another thread's connection: unusable here, let it be collected
        if self._book is None:
            self._book = LeadBook.open(self.book_path, create=False)
            self._thread = threading.get_ident()
        return self._book

    def run(self, job: BookJob) -> Any:
        """Run `job`'s function on the lane's connection; `interrupt(job)` can stop its SQL."""
        book = self.book()
        with self._lock:
            self._current = job
        try:
            job.raise_if_cancelled()  # cancelled while the connection was opening
            return job.fn(book, job.progress, job.is_cancelled)
        finally:
            with self._lock:
                self._current = None
            self.after_job()

    def interrupt(self, job: BookJob) -> None:
        """Abort the SQL statement `job` is running on this lane (no-op if it is not running)."""
        with self._lock:
            if self._current is job and self._book is not None:
                self._book.conn.interrupt()

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
    partial = Signal(object)  # a result so far, when the function hands one out before the end
    finished = Signal(object)  # the function's result
    failed = Signal(str)  # a message for the user
    canceled = Signal(str)  # the JobCancelled message ("nothing was changed")
    ended = Signal()  # after any of the three above


class BookJob(QRunnable):
    """One run of a job function on its own connection to the book (or a read lane's)."""

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
        """Ask the job to stop: a read's running SQL is interrupted, a write stops at its next
        chunk (it rolls back); either way it reports `canceled`."""
        self._cancel.set()
        if self.lane is not None:
            self.lane.interrupt(self)

    def is_cancelled(self) -> bool:
        """True once cancel() was called; the `cancelled` probe the function polls."""
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise JobCancelled once cancel() was called."""
        if self._cancel.is_set():
            raise JobCancelled()

    def progress(self, done: int, total: int) -> None:
        """The `progress` callback the function is given: emits `progressed`."""
        self.signals.progressed.emit(int(done), int(total))

    def _call(self) -> Any:
        self.raise_if_cancelled()  # superseded before it started: no connection, no SQL
        if self.lane is None:
            with LeadBook.open(self.book_path, create=False) as book:
                return self.fn(book, self.progress, self.is_cancelled)
        return self.lane.run(self)

    def run(self) -> None:
        """Run the function on a book, report exactly one outcome (a write job closes its book)."""
        try:
            try:
                result = self._call()
            except JobCancelled as exc:
                self.signals.canceled.emit(exc.user_message())
            except Exception as exc:
                if self.is_cancelled():
                    # An interrupted statement raises (sqlite3 "interrupted", or a domain error
                    # wrapping it): the user asked for this, so it is a cancel, not a failure.
                    self.signals.canceled.emit(JobCancelled().user_message())
                elif isinstance(exc, LeadsmithError):
                    self.signals.failed.emit(exc.user_message())
                else:
                    # The user gets one line, never a traceback; the type name helps a bug report.
                    self.signals.failed.emit(f"Unexpected error ({type(exc).__name__}): {exc}")
            else:
                self.signals.finished.emit(result)
        finally:
            self.signals.ended.emit()


class JobRunner(QObject):
    """Starts jobs on the book: writes one at a time on the write lane, reads on read lanes."""

    def __init__(self, book_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book_path = book_path
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        # Reads (snapshots of a million ids) run beside the writer: WAL lets them.
        self.read_pools: dict[str, QThreadPool] = {}
        self.read_lanes: dict[str, ReadLane] = {}
        for name in LANES:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(-1)  # one thread for the lane's life: it owns the connection
            self.read_pools[name] = pool
            self.read_lanes[name] = ReadLane(book_path)
        self.read_pool = self.read_pools[READ]
        self.read_lane = self.read_lanes[READ]
        self._running: set[BookJob] = set()  # write jobs submitted, outcome not yet delivered
        self._reading: set[BookJob] = set()  # read jobs submitted, outcome not yet delivered
        self._ended: list[BookJob] = []  # outcome delivered; kept until no worker is inside run()

    def create(self, fn: JobFunction, name: str = "") -> BookJob:
        """A job not yet started: connect to `job.signals` first, then `start_write(job)`.

        A job may end before `start` returns (a file that fails at once), and a signal emitted
        before its slots are connected is lost, so connecting comes first.
        """
        job = BookJob(self.book_path, fn, name)

        # Connected first, so the job no longer counts as busy when the outcome's other slots run.
        def done(*_args: object) -> None:
            self._running.discard(job)
            self._reading.discard(job)

        for signal in (job.signals.finished, job.signals.failed, job.signals.canceled):
            signal.connect(done)
        job.signals.ended.connect(lambda: self._on_job_ended(job))
        return job

    def start_write(self, job: BookJob) -> BookJob:
        """Queue a job that writes to the book on the write lane (one at a time)."""
        self._running.add(job)
        self.write_pool.start(job)
        return job

    def start_read(self, job: BookJob, lane: str = READ) -> BookJob:
        """Start a job from `create` that only reads, on read lane `lane`: never busy."""
        job.lane = self.read_lanes[lane]
        self._reading.add(job)
        self.read_pools[lane].start(job)
        return job

    def start_count(self, job: BookJob) -> BookJob:
        """Start a read job on the COUNTS lane (a slow count never delays a search)."""
        return self.start_read(job, COUNTS)

    def submit_write(self, fn: JobFunction, name: str = "") -> BookJob:
        """Create and start a write job (for callers that only need its outcome later)."""
        return self.start_write(self.create(fn, name))

    def _idle(self) -> bool:
        pools = (self.write_pool, *self.read_pools.values())
        return all(pool.activeThreadCount() == 0 for pool in pools)

    def _on_job_ended(self, job: BookJob) -> None:
        # The worker may still be returning from run(): drop our reference (and with it the
        # C++ runnable) only once no thread of any lane is active.
        self._ended.append(job)
        if self._idle():
            self._ended.clear()

    @property
    def busy(self) -> bool:
        """True while a write job is queued or running."""
        return bool(self._running)

    def wait_reads(self, timeout_ms: int = -1) -> bool:
        """Wait until every read lane is idle (tests, benchmarks); False on timeout."""
        return all(bool(pool.waitForDone(timeout_ms)) for pool in self.read_pools.values())

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every job (interrupting running reads) and wait for all lanes to drain."""
        for job in list(self._running | self._reading):
            job.cancel()
        drained = bool(self.write_pool.waitForDone(timeout_ms))
        for name, pool in self.read_pools.items():
            pool.start(_Call(self.read_lanes[name].close))  # queued after the lane's jobs
        deadline = time.monotonic() + timeout_ms / 1000
        for pool in self.read_pools.values():
            while not pool.waitForDone(INTERRUPT_AGAIN_MS):
                if time.monotonic() > deadline:
                    drained = False
                    break
                # An interrupt that lands between two statements of a job is lost (SQLite
                # clears it when the next one starts): interrupt again until the lane is idle.
                for job in list(self._reading):
                    job.cancel()
        if drained:
            self._ended.clear()
        return drained
