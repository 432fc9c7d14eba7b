"""BookJob/JobRunner: one outcome per job, delivered to the UI thread, on the job's own book."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.book import LeadBook
from app.errors import InvalidValue
from app.jobs import Cancelled, Progress, check_cancelled
from ui.desktop.jobs import JobRunner


def returns_count(book: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
    progress(1, 2)
    return book.count()


def raises_typed(book: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
    raise InvalidValue("region must be a two-letter country code such as GB, got 'X'")


def raises_bug(book: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("fn", "signal", "payload"),
    [
        (returns_count, "finished", 0),
        (raises_typed, "failed", "region must be a two-letter country code such as GB, got 'X'"),
        (raises_bug, "failed", "Unexpected error (RuntimeError): boom"),
    ],
)
def test_job_reports_one_outcome(qtbot, book: LeadBook, fn, signal: str, payload: object) -> None:
    runner = JobRunner(Path(book.path))
    job = runner.create(fn)
    outcomes: list[tuple[str, object]] = []
    for name in ("finished", "failed", "canceled"):
        getattr(job.signals, name).connect(lambda value, name=name: outcomes.append((name, value)))
    with qtbot.waitSignal(job.signals.ended, timeout=10_000):
        runner.start_write(job)
    assert outcomes == [(signal, payload)]
    assert not runner.busy
    assert runner.shutdown()


def test_cancel_runs_in_the_worker_and_reports_canceled(qtbot, book: LeadBook) -> None:
    started = threading.Event()
    threads: list[bool] = []

    def wait_for_cancel(b: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
        threads.append(threading.current_thread() is threading.main_thread())
        assert b is not book  # the job's own connection
        started.set()
        while not cancelled():
            started.wait(0.01)
        check_cancelled(cancelled)
        return None

    runner = JobRunner(Path(book.path))
    job = runner.create(wait_for_cancel)
    with qtbot.waitSignal(job.signals.canceled, timeout=10_000) as blocker:
        runner.start_write(job)
        assert runner.busy
        assert started.wait(10)
        job.cancel()
    assert blocker.args == ["Cancelled: nothing was changed."]
    assert threads == [False]
    assert runner.shutdown()


def test_writes_run_one_at_a_time(qtbot, book: LeadBook) -> None:
    runner = JobRunner(Path(book.path))
    active: list[int] = []
    overlap: list[int] = []
    lock = threading.Lock()

    def write(b: LeadBook, progress: Progress, cancelled: Cancelled) -> object:
        with lock:
            active.append(1)
            overlap.append(len(active))
        b.set_setting("touched", "yes")
        with lock:
            active.pop()
        return None

    for _ in range(4):
        runner.submit_write(write)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert runner.shutdown()
    assert overlap == [1, 1, 1, 1]
    assert book.setting("touched") == "yes"
