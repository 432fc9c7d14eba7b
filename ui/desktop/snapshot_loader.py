"""The main window's table snapshots and page prefetch, on the table read lane.

A search or a refresh shows its first page as soon as it is read (`first_ids`: the FTS match set
walked in order and cut at a page, never counted or sorted whole), then the whole id snapshot
and the book's count arrive from the same lane and are appended. While the user scrolls, the
pages around the screen are read on the lane when the UI is idle, so PageDown finds them cached.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from app.book import LeadBook
from app.jobs import Cancelled, Progress, check_cancelled
from app.query import ContactFilter, first_ids, page_ids
from app.store.contacts import ContactRow
from ui.desktop.jobs import TABLE, BookJob

if TYPE_CHECKING:
    from ui.desktop.main_window import MainWindow

# Up to this many rows a snapshot is rebuilt on the UI thread (< 15 ms); above, on the read lane.
SYNC_SNAPSHOT_ROWS = 20_000
# A search shows this many rows before the whole snapshot is read: a page, more than a screen.
FIRST_ROWS = 64
# Pages are read ahead this many screens above and below the one shown, at most a few per job.
PREFETCH_SCREENS = 2
PREFETCH_PAGES_PER_JOB = 4


def open_ids(book: LeadBook) -> array[int]:
    """The ids a window opens with (read on the UI thread); more than FIRST_ROWS means "more"."""
    return array("q", page_ids(book.conn, ContactFilter(), FIRST_ROWS + 1))


class SnapshotLoader(QObject):
    """Builds the table's snapshots off the UI thread and keeps the pages near the screen read."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pending: ContactFilter | None = None  # the filter whose snapshot is being read
        self.jobs: list[BookJob] = []  # the snapshot job in flight (at most one)
        self._total: tuple[tuple[int, int], int] | None = None  # (book version, live count)
        self._prefetching: BookJob | None = None
        # A zero timer fires once the event loop is idle: after the paint of a scroll, not in it.
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(0)
        self._prefetch_timer.timeout.connect(self._prefetch)

    def watch(self) -> None:
        """Read ahead whenever the table scrolls or shows new rows."""
        model, view = self.window.model, self.window.view
        view.verticalScrollBar().valueChanged.connect(lambda _v: self._prefetch_timer.start())
        model.modelReset.connect(self._prefetch_timer.start)
        model.rowsInserted.connect(lambda *_a: self._prefetch_timer.start())

    @property
    def big(self) -> bool:
        """True when a snapshot is rebuilt on the read lane (a big table, or one in flight)."""
        # A pending filter counts too: its first page alone is shown until the rest is read.
        model = self.window.model
        return model.rowCount() > SYNC_SNAPSHOT_ROWS or bool(self.jobs) or self.pending is not None

    def refresh(self, keep: list[int]) -> None:
        """Rebuild the snapshot after a write, keeping `keep` selected."""
        window = self.window
        if self.big:
            # A big snapshot is rebuilt on the read lane and swapped in (0.5 s at 100k here).
            self.build(window.model.contact_filter, keep)
        else:
            window.model.refresh()
            window.select_ids(keep)
            window.update_counts()

    def book_version(self) -> tuple[int, int]:
        """Moves whenever the book changes: data_version for other connections, total_changes ours."""
        conn = self.window.book.conn
        return int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes

    def total(self) -> int:
        """The book's live contacts, re-counted only when the book changed."""
        version = self.book_version()
        if self._total is None or self._total[0] != version:
            self._total = (version, self.window.book.count())
        return self._total[1]

    def build(self, f: ContactFilter, keep: list[int], first: bool = False) -> None:
        """Build `f`'s snapshot on the table lane (its first page first when `first`), then show it."""
        for old in self.jobs:
            old.cancel()  # a newer snapshot replaces it; the lane skips it if not started
        self.pending = f
        version = self.book_version()
        jobs = self.window.jobs

        def first_rows(book: LeadBook, progress: Progress, cancelled: Cancelled) -> array[int]:
            check_cancelled(cancelled)
            return array("q", first_ids(book.conn, f, FIRST_ROWS))

        def whole(book: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
            check_cancelled(cancelled)
            return book.snapshot(f), book.count()

        if first:
            job = jobs.create(first_rows, "first rows")
            job.signals.finished.connect(lambda ids: self._on_first_rows(job, f, ids, keep))
        else:
            job = jobs.create(whole, "snapshot")
            job.signals.finished.connect(
                lambda result: self._on_snapshot_built(job, f, result, keep, version)
            )
        job.signals.failed.connect(
            lambda message: self.window.show_message(f"Search failed: {message}")
        )
        self.jobs = [job]
        jobs.start_read(job, TABLE)

    def _current(self, job: BookJob, f: ContactFilter) -> bool:
        # False when a newer search or refresh replaced this one, or the window closed.
        return job in self.jobs and f == self.pending and not self.window.closed

    def _on_first_rows(
        self, job: BookJob, f: ContactFilter, ids: array[int], keep: list[int]
    ) -> None:
        if not self._current(job, f):
            return
        self.jobs = []
        window = self.window
        window.model.apply_snapshot(f, ids)
        window.select_ids(keep)
        if len(ids) < FIRST_ROWS:  # that was all of it
            self.pending = None
            window.update_counts()
            return
        # Started once the first page is painted: the whole snapshot (a second of fetching at
        # 1M) would otherwise compete with that paint for the GIL. Posted events (the paint)
        # run before timers.
        QTimer.singleShot(0, lambda: self._after_first_rows(f, keep))

    def _after_first_rows(self, f: ContactFilter, keep: list[int]) -> None:
        if f == self.pending and not self.jobs and not self.window.closed:
            self.build(f, keep)

    def _on_snapshot_built(self, job: BookJob, f: ContactFilter, result: tuple[array[int], int],
                           keep: list[int], version: tuple[int, int]) -> None:  # fmt: skip
        if not self._current(job, f):
            return
        self.jobs = []
        self.pending = None
        ids, total = result
        if self.book_version() == version:
            self._total = (version, total)
        window, model, view = self.window, self.window.model, self.window.view
        top = view.rowAt(0)
        top_id = model.id_at(top) if top >= 0 else None
        model.extend_snapshot(f, ids)  # rows appended, or a reset when the order changed
        if keep and window.selected_ids() != keep:
            window.select_ids(keep)
        elif top_id is not None and view.rowAt(0) != top:
            row = model.row_of(top_id)
            if row >= 0:
                window.scroll_to_top_row(row)
        window.update_counts()

    # -- reading ahead -----------------------------------------------------------------------------
    def _prefetch(self) -> None:
        window = self.window
        if self._prefetching is not None or window.closed:
            return
        view, model = window.view, window.model
        top = view.rowAt(0)
        if top < 0:
            return
        bottom = view.rowAt(view.viewport().height() - 1)
        bottom = model.rowCount() - 1 if bottom < 0 else bottom
        screen = bottom - top + 1
        pages = model.missing_pages(
            top - PREFETCH_SCREENS * screen, bottom + PREFETCH_SCREENS * screen
        )[:PREFETCH_PAGES_PER_JOB]
        if not pages:
            return
        generation = model.generation
        wanted = [(page, model.page_ids(page)) for page in pages]

        def read(book: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
            check_cancelled(cancelled)
            return [(page, book.rows(ids)) for page, ids in wanted]

        job = window.jobs.create(read, "read ahead")
        job.signals.finished.connect(lambda result: self._on_prefetched(generation, result))
        job.signals.ended.connect(lambda: self._on_prefetch_ended(job))
        self._prefetching = job
        window.jobs.start_read(job, TABLE)

    def _on_prefetched(
        self, generation: int, result: list[tuple[int, dict[int, ContactRow]]]
    ) -> None:
        self._prefetching = None
        if self.window.closed:
            return
        for page, rows in result:
            self.window.model.store_page(generation, page, rows)
        self._prefetch_timer.start()  # the screen may have moved meanwhile

    def _on_prefetch_ended(self, job: BookJob) -> None:
        if self._prefetching is job:  # canceled or failed: read again on the next scroll only
            self._prefetching = None
