"""Read lanes: a search never waits behind a slow count; cancelled reads are interrupted; closing
a window stops its reads at once; open and delete rebuild big snapshots off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from desktop_data import seed

from app.book import LeadBook
from app.jobs import Cancelled, Progress
from ui.desktop import snapshot_loader
from ui.desktop.jobs import COUNTS, LANES, READ, TABLE, BookJob, JobRunner

CANCELLED = ("canceled", "Cancelled: nothing was changed.")
# Real SQL that never ends on its own: only Connection.interrupt() stops it. started() is a real
# SQLite function that tells the test the statement is running (an interrupt that lands before a
# statement starts is cleared by SQLite when it starts).
ENDLESS = (
    "WITH RECURSIVE r(i) AS (SELECT started() UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"
)


def endless_job(runner: JobRunner, lane: str) -> tuple[BookJob, threading.Event, list[object]]:
    """A read job on `lane` whose SQL runs until interrupted; its outcomes are recorded."""
    started = threading.Event()

    def run(book: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
        book.conn.create_function("started", 0, lambda: started.set() or 1)
        return book.conn.execute(ENDLESS).fetchone()[0]

    job = runner.create(run, "endless")
    outcomes: list[object] = []
    for name in ("finished", "failed", "canceled"):
        getattr(job.signals, name).connect(lambda value, name=name: outcomes.append((name, value)))
    runner.start_read(job, lane)
    assert started.wait(10)  # an Event, not a sleep: the SQL is running on the lane now
    return job, started, outcomes


def count_on(qtbot, runner: JobRunner, lane: str) -> list[object]:
    """Run book.count() on `lane` and return what the job reported."""
    job = runner.create(lambda b, p, c: b.count(), "count")
    outcomes: list[object] = []
    job.signals.finished.connect(lambda n: outcomes.append(("finished", n)))
    job.signals.failed.connect(lambda m: outcomes.append(("failed", m)))
    with qtbot.waitSignal(job.signals.ended, timeout=10_000):
        runner.start_read(job, lane)
    return outcomes


@pytest.mark.parametrize("lane", LANES)
def test_a_cancelled_read_is_interrupted_and_the_lane_goes_on(
    qtbot, book: LeadBook, lane: str
) -> None:
    seed(book, 3)
    runner = JobRunner(Path(book.path))
    job, _started, outcomes = endless_job(runner, lane)
    with qtbot.waitSignal(job.signals.ended, timeout=10_000):
        job.cancel()
    assert outcomes == [CANCELLED]  # a cancel, never an error dialog
    assert count_on(qtbot, runner, lane) == [("finished", 3)]  # the interrupt did not leak
    assert runner.shutdown()


@pytest.mark.parametrize("busy", [COUNTS, READ])
def test_a_table_read_never_waits_behind_other_lanes(qtbot, book: LeadBook, busy: str) -> None:
    seed(book, 4)
    runner = JobRunner(Path(book.path))
    job, _started, outcomes = endless_job(runner, busy)
    assert count_on(qtbot, runner, TABLE) == [("finished", 4)]
    assert outcomes == []  # still counting
    with qtbot.waitSignal(job.signals.ended, timeout=10_000):
        assert runner.shutdown()  # interrupts it: no 30 s wait for a query that never ends
    assert outcomes == [CANCELLED]


def test_a_search_returns_while_the_sidebar_lane_is_busy(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 30)
    window = make_window()
    qtbot.waitUntil(lambda: window.leads.sidebar.counts is not None)
    _job, _started, outcomes = endless_job(window.jobs, COUNTS)
    qtbot.keyClicks(window.search_box, "ann2")  # Ann2, Ann20…Ann29
    window.apply_search()
    qtbot.waitUntil(lambda: window.model.rowCount() == 11 and window.snapshots.pending is None)
    assert window.count_label.text() == "30 contacts · 11 shown"
    assert outcomes == []
    window.close()
    qtbot.waitUntil(lambda: outcomes == [CANCELLED])  # delivered queued to the UI thread


def test_closing_the_window_interrupts_reads_and_leaves_no_thread(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 5)
    window = make_window()
    jobs = [endless_job(window.jobs, lane) for lane in LANES]
    window.close()  # returns only once every lane drained: a stuck read would hold it for 30 s
    pools = [window.jobs.write_pool, *window.jobs.read_pools.values()]
    assert [pool.activeThreadCount() for pool in pools] == [0] * len(pools)
    assert all(lane._book is None for lane in window.jobs.read_lanes.values())  # closed
    qtbot.waitUntil(lambda: all(outcomes for _job, _started, outcomes in jobs))
    assert [outcomes for _job, _started, outcomes in jobs] == [[CANCELLED]] * len(LANES)


def test_a_newer_search_interrupts_the_older_one(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 30)
    window = make_window()
    older, _started, outcomes = endless_job(window.jobs, TABLE)
    window.snapshots.jobs = [older]  # the search in flight, as build() leaves it
    qtbot.keyClicks(window.search_box, "ann1")  # Ann1, Ann10…Ann19
    window.apply_search()
    qtbot.waitUntil(lambda: window.model.rowCount() == 11 and window.snapshots.pending is None)
    assert outcomes == [CANCELLED]
    assert window.statusBar().currentMessage() == ""  # no "Search failed"


def test_open_reads_the_first_rows_then_appends_the_rest(
    qtbot, monkeypatch, make_window, book: LeadBook
) -> None:
    monkeypatch.setattr(snapshot_loader, "FIRST_ROWS", 4)
    seed(book, 30)
    window = make_window()
    resets: list[bool] = []
    window.model.modelReset.connect(lambda: resets.append(True))
    assert window.model.rowCount() == 5  # FIRST_ROWS + 1, read on the UI thread
    assert window.count_label.text() == "Counting contacts…"
    window.select_ids([window.model.id_at(3)])
    chosen = window.selected_ids()
    qtbot.waitUntil(lambda: window.model.rowCount() == 30)
    assert resets == []  # rows appended: selection and scroll position stay
    assert window.selected_ids() == chosen
    qtbot.waitUntil(lambda: window.count_label.text() == "30 contacts")


def test_deleting_in_a_big_book_rebuilds_off_the_ui_thread(
    qtbot, monkeypatch, make_window, book: LeadBook
) -> None:
    monkeypatch.setattr(snapshot_loader, "SYNC_SNAPSHOT_ROWS", 5)
    monkeypatch.setattr(snapshot_loader, "FIRST_ROWS", 4)
    seed(book, 30)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 30 and not window.snapshots.jobs)
    ids = window.model.ids.tolist()
    window.select_ids(ids[10:13])
    window.delete_selected()
    assert window.selected_ids() == [ids[13]]  # at once: the row after the deleted ones
    assert window.statusBar().currentMessage() == "Deleted 3 contacts — Ctrl+Z to undo"
    qtbot.waitUntil(lambda: window.model.rowCount() == 27 and not window.snapshots.jobs)
    assert window.model.ids.tolist() == ids[:10] + ids[13:]
    assert window.selected_ids() == [ids[13]]
    assert window.model.id_at(10) == ids[13]
    assert window.count_label.text() == "27 contacts"
    window.select_ids(ids[-2:])
    window.delete_selected()  # the last rows: the one above them is selected
    qtbot.waitUntil(lambda: window.model.rowCount() == 25 and not window.snapshots.jobs)
    assert window.selected_ids() == [ids[-3]]
    assert window.count_label.text() == "25 contacts"
