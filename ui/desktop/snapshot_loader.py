"""The main window's table snapshots and page prefetch, on the table read lane.

A search or a refresh shows its first page as soon as it is read (`first_ids`: the FTS match set
walked in order and cut at a page, never counted or sorted whole) with the rows of that page, so
the paint after the reset reads no SQL; then the whole id snapshot and the book's count arrive
from the same lane and are appended. Until the book changes, a first page read before (a shorter
prefix again) and the last whole snapshot without a search (the search box cleared) are shown
again at once, without a trip to the lane. A big table is re-sorted on the lane too, and a search
in a sorted table walks that sorted snapshot (app/search_order.py) instead of having SQL order
every match. While the user scrolls, the pages around the screen are read on the lane when the
UI is idle, so PageDown finds them cached.
"""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from app.book import LeadBook
from app.errors import JobCancelled
from app.jobs import Cancelled, Progress, check_cancelled
from app.query import SEARCH_LETTERS, ContactFilter, first_ids, page_ids, prepare_letter
from app.search_order import OrderedIds, all_matches, first_matches
from app.store.contacts import ContactRow
from ui.desktop.contact_columns import display_phone
from ui.desktop.jobs import TABLE, BookJob

if TYPE_CHECKING:
    from ui.desktop.main_window import MainWindow

    # A whole snapshot job's result: ids, the book's count (None: unchanged) and, without a
    # search, the rows of its first page.
    WholeResult = tuple[array[int], int | None, dict[int, ContactRow] | None]

# Up to this many rows a snapshot is rebuilt on the UI thread (< 15 ms); above, on the read lane.
SYNC_SNAPSHOT_ROWS = 20_000
# A search shows this many rows before the whole snapshot is read: a page, more than a screen.
FIRST_ROWS = 64
# Pages are read ahead this many screens above and below the one shown, at most a few per job
# (16 pages of 8 rows: one query of 128 rows).
PREFETCH_SCREENS = 2
PREFETCH_PAGES_PER_JOB = 16
QUIET_S = 0.25  # the idle preparation waits until the table has not scrolled for this long
# First pages kept for going back to a shorter prefix (each FIRST_ROWS ids and rows).
CACHED_FIRST_PAGES = 16


@dataclass(frozen=True)
class FirstPage:
    """A filter's first ids and their rows, as read at a book version."""

    version: tuple[int, int]
    ids: array[int]
    rows: dict[int, ContactRow]


@dataclass(frozen=True)
class WholeSnapshot:
    """The last whole snapshot read without a search (what a cleared search box shows)."""

    version: tuple[int, int]
    f: ContactFilter
    ids: array[int]
    rows: dict[int, ContactRow]  # of its first FIRST_ROWS ids
    # Its ids as the order a search under this filter and sort walks (app/search_order.py);
    # its rank map and first texts are read on the lane while the table is idle.
    order: OrderedIds


def lane_rows(book: LeadBook, ids: list[int]) -> dict[int, ContactRow]:
    """Table rows read on the lane, their phones formatted for display here too: the paint then
    finds them in display_phone's cache (~20 µs a number; ~26 numbers a screen)."""
    rows = book.rows(ids)
    for row in rows.values():
        if row.phone:
            display_phone(row.phone)
    return rows


def walks_order(f: ContactFilter) -> bool:
    """True when a search under `f`'s sort and sidebar filter is answered by walking the
    unsearched snapshot (app/search_order.py). Not the whole book in id order: the FTS index
    yields its matches in that order (first_ids). A sidebar filter that matches few contacts
    made the index's walk test every match (465 ms for "m" at 1M); the snapshot is small."""
    everything = ContactFilter(descending=f.descending)
    return f.sort != "id" or replace(f, search="") != everything


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
        # Shown again without a lane trip while the book version they were read at holds.
        self._first_pages: OrderedDict[ContactFilter, FirstPage] = OrderedDict()
        self._whole: WholeSnapshot | None = None
        self._preparing: BookJob | None = None
        self._prepared: tuple[int, int] | None = None  # book version the letters were read at
        # A zero timer fires once the event loop is idle: after the paint of a scroll, not in it.
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(0)
        self._prefetch_timer.timeout.connect(self._prefetch)
        # The idle preparation gives way to scrolling: it stops between two of its reads while
        # the table scrolls and starts again once the table has been still for QUIET_S.
        self._scrolled_at = 0.0  # time.monotonic() of the last scroll (read on the lane too)
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(round(QUIET_S * 1000))
        self._prepare_timer.timeout.connect(self._prepare_letters)

    def watch(self) -> None:
        """Read ahead whenever the table scrolls or shows new rows."""
        model, view = self.window.model, self.window.view
        view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        model.modelReset.connect(self._prefetch_timer.start)
        model.rowsInserted.connect(lambda *_a: self._prefetch_timer.start())

    @property
    def big(self) -> bool:
        """True when a snapshot is rebuilt on the read lane (a big table, or one in flight)."""
        # A pending filter counts too: its first page alone is shown until the rest is read.
        model = self.window.model
        return model.rowCount() > SYNC_SNAPSHOT_ROWS or bool(self.jobs) or self.pending is not None

    @property
    def preparing(self) -> bool:
        """True while the lane reads, for the idle table, what the next search will need (or
        waits for the table to stop scrolling to go on)."""
        return self._preparing is not None or self._prepare_timer.isActive()

    def _on_scrolled(self, _value: int) -> None:
        self._scrolled_at = time.monotonic()
        self._prefetch_timer.start()

    def _scrolling(self) -> bool:
        """True while the table has scrolled within the last QUIET_S (called on the lane too)."""
        return time.monotonic() - self._scrolled_at < QUIET_S

    def refresh(self, keep: list[int]) -> None:
        """Rebuild the snapshot after a write, keeping `keep` selected."""
        window = self.window
        if self.big:
            # A big snapshot is rebuilt on the read lane and swapped in (0.5 s at 100k here),
            # in the order asked for last (a sort may still be in flight).
            self.build(self.pending or window.model.contact_filter, keep)
        else:
            window.model.refresh()
            window.select_ids(keep)
            window.update_counts()

    def sort(self, f: ContactFilter) -> bool:
        """Re-sort a big table on the table lane (the model's `sort_elsewhere`); False when the
        table is small enough to be re-sorted on the UI thread."""
        if not self.big:
            return False
        # The whole snapshot only: a first page under a sort without an index costs a full
        # pass of its own. The table keeps its order until the new one is read.
        self.build(f, self.window.selected_ids())
        return True

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
        """Build `f`'s snapshot on the table lane (its first page first when `first`), then show it.

        A first page or a whole snapshot read since the book last changed is shown at once."""
        for old in self.jobs:
            old.cancel()  # a newer snapshot replaces it; the lane skips it if not started
        self.jobs = []
        for idle_job in (self._prefetching, self._preparing):
            if idle_job is not None:
                idle_job.cancel()  # read-ahead for the table being replaced: not worth a wait
        self._prepare_timer.stop()  # prepared again for the new snapshot once it is whole
        self.pending = f
        version = self.book_version()
        if first and self._show_cached(f, keep, version):
            return
        jobs = self.window.jobs

        # The unsearched snapshot's order: a search under a sort or a sidebar filter walks it
        # for its first page, and any search's whole result is its matches ranked by it.
        order = self._order_for(f, version)
        walk = order if order is not None and walks_order(f) else None

        def first_rows(book: LeadBook, progress: Progress, cancelled: Cancelled) -> FirstPage:
            check_cancelled(cancelled)
            # Under a sort or a sidebar filter, the matches found down the unsearched
            # snapshot: SQL ordering every match cost 0.3-1.2 s at 1M.
            found = None
            if walk is not None:
                found = first_matches(book.conn, walk, f.search, FIRST_ROWS, cancelled)
            ids = array("q", first_ids(book.conn, f, FIRST_ROWS) if found is None else found)
            check_cancelled(cancelled)
            # The rows too: the paint after the reset then finds its pages cached.
            return FirstPage(version, ids, lane_rows(book, ids.tolist()))

        counting = self._total is None or self._total[0] != version
        known = self._first_pages.get(f)  # its first page, read a moment ago on this lane

        def whole(book: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
            check_cancelled(cancelled)
            if order is None:
                ids = book.snapshot(f)
            else:  # the index's matches ranked by the order, not ordered by SQL
                ids = all_matches(book.conn, order, f.search, cancelled)
            # The book's count moves only with the book (a million live rows counted per key).
            total = book.count() if counting else None
            # Without a search this is what clearing the box returns to: keep its first rows
            # (those of the first page when the book has not changed since, else read again).
            head = ids[:FIRST_ROWS]
            if f.search.strip():
                rows = None
            elif known is not None and known.version == version and known.ids == head:
                rows = known.rows
            else:
                rows = lane_rows(book, head.tolist())
            return ids, total, rows

        if first:
            job = jobs.create(first_rows, "first rows")
            job.signals.finished.connect(lambda page: self._on_first_rows(job, f, page, keep))
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

    def _order_for(self, f: ContactFilter, version: tuple[int, int]) -> OrderedIds | None:
        """The order a search can be answered from: the unsearched snapshot of the same filter
        and sort, read at this book version (None: the search goes to SQL)."""
        whole = self._whole
        if not f.search.strip() or whole is None or whole.version != version:
            return None
        return whole.order if whole.f == replace(f, search="") else None

    def _current(self, job: BookJob, f: ContactFilter) -> bool:
        # False when a newer search or refresh replaced this one, or the window closed.
        return job in self.jobs and f == self.pending and not self.window.closed

    def _show_cached(self, f: ContactFilter, keep: list[int], version: tuple[int, int]) -> bool:
        # Clearing the search box, or going back to a shorter prefix, shows what was read for
        # it before without a trip to the lane (the book has not changed since).
        if self._whole is not None and self._whole.version == version and self._whole.f == f:
            self.pending = None
            self.window.model.apply_snapshot(f, self._whole.ids, self._whole.rows, FIRST_ROWS)
            self._select_after_reset(keep)
            self.window.update_counts()
            return True
        page = self._first_pages.get(f)
        if page is None or page.version != version:
            return False
        self._first_pages.move_to_end(f)
        self._show_first_page(f, page, keep)
        return True

    def _on_first_rows(
        self, job: BookJob, f: ContactFilter, page: FirstPage, keep: list[int]
    ) -> None:
        if not self._current(job, f):
            return
        self.jobs = []
        self._first_pages[f] = page
        self._first_pages.move_to_end(f)
        while len(self._first_pages) > CACHED_FIRST_PAGES:
            self._first_pages.popitem(last=False)
        self._show_first_page(f, page, keep)

    def _show_first_page(self, f: ContactFilter, page: FirstPage, keep: list[int]) -> None:
        window = self.window
        window.model.apply_snapshot(f, page.ids, page.rows)
        self._select_after_reset(keep)
        if len(page.ids) < FIRST_ROWS:  # that was all of it
            self.pending = None
            window.update_counts()
            return
        # Started once the first page is painted: the whole snapshot (a second of fetching at
        # 1M) would otherwise compete with that paint for the GIL. Posted events (the paint)
        # run before timers.
        QTimer.singleShot(0, lambda: self._after_first_rows(f, keep))

    def _select_after_reset(self, keep: list[int]) -> None:
        # A reset cleared the selection; with nothing to select again and no contact in the
        # details, selecting nothing would only rebuild the empty details panel (~1 ms a key).
        if keep or self.window.details.contact is not None:
            self.window.select_ids(keep)

    def _after_first_rows(self, f: ContactFilter, keep: list[int]) -> None:
        if f == self.pending and not self.jobs and not self.window.closed:
            self.build(f, keep)

    def _on_snapshot_built(self, job: BookJob, f: ContactFilter, result: WholeResult,
                           keep: list[int], version: tuple[int, int]) -> None:  # fmt: skip
        if not self._current(job, f):
            return
        self.jobs = []
        self.pending = None
        ids, total, rows = result
        if self.book_version() == version:
            if total is not None:
                self._total = (version, total)
            if rows is not None:
                self._whole = WholeSnapshot(version, f, ids, rows, OrderedIds(ids))
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
        self._prepare_letters()

    def _prepare_letters(self) -> None:
        # The first search of a letter reads its two-character prefixes (2-30 ms each at 1M,
        # 0.2 s for all), and a search under a sort walks the top of the table's order: read
        # them on the lane while the table is idle, not on a keystroke.
        if self.window.closed:  # (the retry timer may fire after the window shut its book)
            return
        version = self.book_version()
        whole = self._whole
        order = whole.order if whole is not None and walks_order(whole.f) and self.big else None
        order = None if order is None or order.prepared else order
        letters = self._prepared != version
        if self._preparing is not None or not (letters or order):
            return
        if self._scrolling():
            self._prepare_timer.start()  # reads on the lane would slow the scroll's own
            return
        scrolling = self._scrolling

        def prepare(book: LeadBook, progress: Progress, cancelled: Cancelled) -> bool:
            # Each letter's read (2-30 ms of SQL at 1M) and each block of the order is one step;
            # between two, a scroll of the table stops the job (what was read stays cached).
            # A job on the lane holds the GIL between its SQL calls: the UI thread's scroll
            # waited for it (a jump's wall time 13 -> 24 ms while it ran).
            def stopped() -> bool:
                return cancelled() or scrolling()

            try:
                for letter in SEARCH_LETTERS if letters else "":
                    check_cancelled(stopped)
                    prepare_letter(book.conn, letter)
                if order is not None:
                    order.prepare(book.conn, stopped)
            except JobCancelled:
                if cancelled():
                    raise
                return False  # stopped by a scroll
            return True

        job = self.window.jobs.create(prepare, "prepare search")
        job.signals.finished.connect(lambda done: self._on_prepared(version, done))
        job.signals.ended.connect(lambda: self._on_prepare_ended(job))
        self._preparing = job
        self.window.jobs.start_read(job, TABLE)

    def _on_prepared(self, version: tuple[int, int], done: bool) -> None:
        if done:
            self._prepared = version
        else:
            self._prepare_timer.start()  # stopped by a scroll: on again once the table is still

    def _on_prepare_ended(self, job: BookJob) -> None:
        if self._preparing is job:  # canceled by a search: prepared after its snapshot instead
            self._preparing = None

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
            rows = lane_rows(book, [i for _page, ids in wanted for i in ids])  # one query
            return [(page, rows) for page, _ids in wanted]

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
