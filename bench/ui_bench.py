"""Desktop responsiveness: `python -m bench.ui_bench --size 1000000 [--job-seconds 20] [--write]`.

Drives the real MainWindow offscreen over a book of N contacts: open to first paint, scroll jumps
and PageDown steps, search-as-you-type, and the UI thread's event-loop lateness while an import,
an export and a duplicate scan run in the background. The book is built by direct insert (cached
under bench/out/): the benchmark measures the window, not the import.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import random
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.book import LeadBook
from bench.generate import generate, write_files
from ui.desktop.duplicates_view import scan_with_records
from ui.desktop.launch import freeze_startup_objects
from ui.desktop.main_window import MainWindow
from ui.desktop.sidebar import SidebarChoice

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
TICK_MS = 5
STEP_GAP_MS = 40.0  # between two scroll steps: X11's default key repeat (25/s)
Stats = dict[str, float]


# -- the book ------------------------------------------------------------------------------------
def _point(kind: str, raw: str) -> tuple[str, str | None, str, str]:
    """A contact point cleaned by simple rules: (raw, value, status, reason)."""
    raw = raw.strip()
    if kind == "email":
        ok = re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", raw.lower()) is not None
        return (raw, raw.lower(), "valid", "") if ok else (raw, None, "invalid", "not an address")
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") and len(digits) >= 8:
        return raw, "+" + digits, "valid", ""
    return raw, None, "unchecked", ""


def build_book(size: int, path: Path | None = None, seed: int = 1) -> Path:
    """A book of `size` generated contacts, inserted directly in one transaction (cached)."""
    book = path or OUT / f"ui_book_{size}.db"
    if book.exists():
        return book
    book.parent.mkdir(parents=True, exist_ok=True)
    tmp = book.with_suffix(".tmp.db")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    LeadBook.open(tmp).close()  # the real schema, migrated
    now = datetime.now(UTC).isoformat(timespec="seconds")
    companies: dict[str, int] = {}
    contacts, points, fts, company_rows = [], [], [], []
    for cid, r in enumerate(generate(size, seed, 0.0), start=1):
        name = r["Company"].strip()
        company_id = companies.get(name) if name else None
        if name and company_id is None:
            company_id = companies[name] = len(companies) + 1
            company_rows.append((company_id, name, name.lower(), now, now))
        contacts.append((cid, r["First Name"].strip(), r["Last Name"].strip(), r["Job Title"],
                         company_id, r["City"], r["Country"], r["Lead Source"], now, now))  # fmt: skip
        emails = []
        for kind, raw, primary in (("email", r["Email"], 1), ("phone", r["Phone"], 1),
                                   ("phone", r["Mobile"], 0)):  # fmt: skip
            if raw.strip():
                raw, value, status, reason = _point(kind, raw)
                points.append((cid, kind, raw, value, primary, status, reason))
                if kind == "email":
                    emails.append(value or raw)
        display = f"{r['First Name'].strip()} {r['Last Name'].strip()}".strip()
        fts.append((cid, display, " ".join(emails), name, r["Job Title"]))
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO companies(id, name, name_norm, created_at, updated_at) VALUES (?,?,?,?,?)",
        company_rows,
    )
    conn.executemany(
        """INSERT INTO contacts(id, first_name, last_name, job_title, company_id, city, country,
               lead_source, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
        contacts,
    )
    conn.executemany(
        """INSERT INTO contact_points(contact_id, kind, raw, value, is_primary, status, reason)
           VALUES (?,?,?,?,?,?,?)""",
        points,
    )
    conn.executemany(
        "INSERT INTO contacts_fts(rowid, name, emails, company, title) VALUES (?,?,?,?,?)", fts
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.rename(book)
    return book


def import_csv(rows: int, path: Path | None = None) -> Path:
    """A generated CSV for the background import (cached)."""
    csv_path = path or OUT / f"ui_import_{rows}.csv"
    if not csv_path.exists():
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        write_files(csv_path, rows, seed=7, dup_rate=0.1)
    return csv_path


# -- measuring -----------------------------------------------------------------------------------
def summarize(samples: list[float]) -> Stats:
    """n, median, p95, p99 and max of samples (milliseconds)."""
    s = sorted(samples)
    if not s:
        return {"n": 0, "median": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}

    def pct(q: float) -> float:
        return s[min(len(s) - 1, round(q * (len(s) - 1)))]

    return {"n": len(s), "median": statistics.median(s), "p95": pct(0.95), "p99": pct(0.99),
            "max": s[-1]}  # fmt: skip


def wait(signal: Any, timeout_ms: int) -> bool:
    """Run the event loop until `signal` fires (True) or the timeout passes (False)."""
    loop = QEventLoop()
    fired: list[bool] = []

    def on_fire(*_args: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(on_fire)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(on_fire)
    return bool(fired)


class _PaintWatch(QObject):
    """Quits a loop when its widget receives a paint event (the loop returns once it is done)."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.loop.quit()
        return False


def open_window(book: Path, settings_dir: Path) -> tuple[MainWindow, float]:
    """Construct and show a MainWindow; ms from construction start to its table's first paint."""
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    loop = QEventLoop()
    watch = _PaintWatch(loop)
    start = time.perf_counter()
    window = MainWindow(book, settings=settings)
    window.view.viewport().installEventFilter(watch)
    window.show()
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    ms = (time.perf_counter() - start) * 1000
    window.view.viewport().removeEventFilter(watch)
    freeze_startup_objects()  # as ui.desktop.launch does once the window is up (untimed here)
    return window, ms


def close_window(window: MainWindow) -> None:
    """Shut a window down and wait until its jobs have really ended (and say how long it took).

    MainWindow.shutdown interrupts running reads and waits 30 s at most; a job still running would
    compete with the next window for the two cores, so the benchmark drains every lane.
    """
    t = time.perf_counter()
    window.shutdown()
    closed = time.perf_counter()
    window.jobs.wait_reads(-1)
    window.jobs.write_pool.waitForDone(-1)
    _note(
        f"  window closed in {closed - t:.2f} s; "
        f"its jobs drained in {time.perf_counter() - closed:.1f} s more"
    )
    window.hide()
    window.deleteLater()
    QApplication.processEvents()


def whole_snapshot(window: MainWindow) -> None:
    """Run the event loop until the table holds its whole snapshot (the rest of a search, a
    sort, the window's first rows): rows are appended from the table lane."""
    while window.snapshots.pending is not None:
        wait(window.model.rowsInserted, 200)


def measure_first_paint(book: Path, settings_dir: Path, repeat: int = 3) -> list[float]:
    """First-paint ms of `repeat` fresh windows (each with its own QSettings file)."""
    times = []
    for i in range(repeat):
        (settings_dir / f"fp{i}").mkdir(parents=True, exist_ok=True)
        window, ms = open_window(book, settings_dir / f"fp{i}")
        times.append(ms)
        close_window(window)
    return times


def idle(ms: float) -> None:
    """Run the event loop for `ms` (untimed): the time between two of a user's key presses."""
    if ms <= 0:
        return
    loop = QEventLoop()
    QTimer.singleShot(round(ms), loop.quit)
    loop.exec()


def _unpainted_rows(window: MainWindow) -> int:
    """Rows on screen whose page is not cached: painted as something other than their data."""
    view, model = window.view, window.model
    top = view.rowAt(0)
    bottom = view.rowAt(view.viewport().height() - 1)
    bottom = model.rowCount() - 1 if bottom < 0 else bottom
    return sum(not model.is_cached(r) for r in range(max(top, 0), bottom + 1))


def measure_scrolling(
    window: MainWindow, steps: int = 200, seed: int = 1, gap_ms: float = STEP_GAP_MS
) -> dict[str, list[float]]:
    """Ms per scroll-bar jump to a random row and per PageDown key, each with a forced repaint.

    Between two steps the event loop runs for `gap_ms`, untimed, as it does between a user's
    key presses (a held PageDown repeats every 40 ms with X11's default 25/s); 0 runs the steps
    back to back with no event processed between them (the method before 2026-11-22 21:00, which
    left nothing the window does when idle, such as reading the next page ahead, a chance to run).
    A step counts only if every row on screen was painted from its real data.
    """
    rng = random.Random(seed)
    view, bar = window.view, window.view.verticalScrollBar()
    jumps, pages, jump_cpu, page_cpu = [], [], [], []
    unpainted = 0
    for _ in range(steps):
        target = rng.randint(0, bar.maximum())
        idle(gap_ms)
        t, cpu = time.perf_counter(), time.thread_time()
        bar.setValue(target)
        view.viewport().repaint()
        jumps.append((time.perf_counter() - t) * 1000)
        jump_cpu.append((time.thread_time() - cpu) * 1000)
        unpainted += _unpainted_rows(window)
    bar.setValue(rng.randint(0, bar.maximum() // 2))
    view.setCurrentIndex(view.indexAt(view.viewport().rect().topLeft()))
    view.setFocus()
    for _ in range(steps):
        idle(gap_ms)
        t, cpu = time.perf_counter(), time.thread_time()
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        view.viewport().repaint()
        pages.append((time.perf_counter() - t) * 1000)
        page_cpu.append((time.thread_time() - cpu) * 1000)
        unpainted += _unpainted_rows(window)
    if unpainted:
        raise RuntimeError(f"{unpainted} rows were painted without their data: not a fair step")
    # The UI thread's CPU time per step, beside the wall time: on a shared machine the wall time
    # also counts waiting for a core (reported on stderr, not judged).
    return {"jump": jumps, "page_down": pages, "jump_cpu": jump_cpu, "page_down_cpu": page_cpu}


def _prefixes(book: LeadBook, count: int, seed: int) -> list[str]:
    """`count` name prefixes of 1–4 letters taken from real last names in the book."""
    rng = random.Random(seed)
    top = book.conn.execute("SELECT max(id) FROM contacts").fetchone()[0] or 0
    out: list[str] = []
    while len(out) < count and top:
        row = book.conn.execute(
            "SELECT last_name FROM contacts WHERE id = ?", (rng.randint(1, top),)
        ).fetchone()
        word = re.sub(r"[^a-z]", "", (row[0] if row else "").lower())  # keys QTest can type
        if word:
            out.append(word[: rng.randint(1, 4)])
    return out


class _ResetPaintWatch(QObject):
    """Notes a model reset, then the first paint of the table after it (the rows the user sees)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.reset = self.painted = False
        window.model.modelReset.connect(self._on_reset)

    def _on_reset(self) -> None:
        self.reset = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.reset:
            self.painted = True
        return False


def measure_search(
    window: MainWindow, queries: int = 20, seed: int = 1, gap_ms: float = STEP_GAP_MS
) -> dict[str, list[float]]:
    """Per keystroke: ms from apply_search (the debounce's timeout) to the model reset + repaint.

    The 150 ms debounce is skipped by calling apply_search right after each key, as its timer
    would, once the event loop has run for `gap_ms` (untimed, as it does while the debounce
    waits: the previous step's paint is not charged to the next key). The step ends with the
    first paint of the table after the reset: the event loop's own when it ran one, else a forced
    repaint (before 2026-11-23 00:15 the step always forced one more paint after the loop's own,
    and started with the previous step's paint still pending). `clear` times emptying the box
    again (the full snapshot comes back).
    """
    typed: list[float] = []
    cleared: list[float] = []
    shown: list[float] = []
    whole: list[float] = []
    cpu: list[float] = []
    clear_cpu: list[float] = []
    box, model, viewport = window.search_box, window.model, window.view.viewport()
    watch = _ResetPaintWatch(window)
    viewport.installEventFilter(watch)

    def settle(cpu: list[float]) -> float:
        # The table shows the first rows (a model reset), then the rest is appended: the first
        # figure is what the user waits for; the whole snapshot is awaited before the next key.
        idle(gap_ms)
        watch.reset = watch.painted = False
        t, c = time.perf_counter(), time.thread_time()
        window.apply_search()
        if not watch.reset and window.snapshots.pending is not None:
            wait(model.modelReset, 60_000)
        if not watch.painted:
            viewport.repaint()
        ms = (time.perf_counter() - t) * 1000
        cpu.append((time.thread_time() - c) * 1000)
        whole_snapshot(window)
        whole.append((time.perf_counter() - t) * 1000)
        return ms

    try:
        for prefix in _prefixes(window.book, queries, seed):
            for ch in prefix:
                QTest.keyClick(box, Qt.Key(ord(ch.upper())))  # types the lower-case letter
                typed.append(settle(cpu))
            shown.append(float(model.rowCount()))
            box.clear()
            cleared.append(settle(clear_cpu))
    finally:
        viewport.removeEventFilter(watch)
        model.modelReset.disconnect(watch._on_reset)
    return {"keystroke": typed, "clear": cleared, "rows_shown": shown, "whole": whole,
            "cpu": cpu, "clear_cpu": clear_cpu}  # fmt: skip


def measure_narrowed_search(window: MainWindow, how: str, queries: int) -> dict[str, list[float]]:
    """`measure_search` with the table sorted by name, or narrowed to the sidebar's status New.

    Set up untimed (the whole table is re-read at each end), and put back as it was after."""
    model = window.model
    if how == "sort":
        model.sort(0, Qt.SortOrder.AscendingOrder)  # Name: the whole snapshot, on the UI thread
    else:
        sidebar = window.leads.sidebar
        while sidebar.item_labelled("New") is None:
            wait(sidebar.counts_updated, 200)
        item = sidebar.item_labelled("New")
        assert item is not None
        sidebar.setCurrentIndex(item.index())
    whole_snapshot(window)
    # A user takes a second or more to go from the header (or the sidebar) to the search box;
    # the window reads what a search will need in that time (sorted: the top of the order).
    while window.snapshots.preparing:
        idle(20)
    try:
        return measure_search(window, queries, seed=2)
    finally:
        if how == "sort":
            model.set_filter(replace(model.contact_filter, sort="id"))
            window.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        else:
            window.leads.sidebar.select_choice(SidebarChoice())
        whole_snapshot(window)


def measure_latency(window: MainWindow, start: Callable[[], Any] | None, seconds: float) -> Stats:
    """Lateness (ms) of a 5 ms timer's ticks while a job runs (or idles), plus how the job ended.

    The job runs until it ends or `seconds` pass, then it is cancelled and its lane drained.
    Message boxes that a finished job opens are closed at once so the loop keeps going.
    """
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(max(0.0, (now - last[0]) * 1000 - TICK_MS))
        last[0] = now

    def close_boxes() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.done(0)

    timer, closer = QTimer(), QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    closer.setInterval(50)
    closer.timeout.connect(close_boxes)
    loop = QEventLoop()
    outcome = ["running"]
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    closer.start()
    last[0] = time.perf_counter()
    timer.start()
    job = start() if start is not None else None
    if job is not None:
        job.signals.finished.connect(lambda *_a: outcome.__setitem__(0, "finished"))
        job.signals.failed.connect(lambda m: outcome.__setitem__(0, f"failed: {m}"))
        job.signals.ended.connect(loop.quit)
    loop.exec()
    timer.stop()
    if job is not None and outcome[0] == "running":
        job.cancel()
        outcome[0] = "cancelled"
        t = time.perf_counter()
        wait(job.signals.ended, 600_000)
        _note(f"  cancel honoured after {time.perf_counter() - t:.1f} s")
    window.jobs.shutdown()
    QApplication.processEvents()
    closer.stop()
    stats = summarize(gaps)
    stats["finished"] = 1.0 if outcome[0] == "finished" else 0.0
    stats["outcome_" + outcome[0].split(":")[0]] = 1.0
    return stats


def job_starters(window: MainWindow, csv_path: Path, out_dir: Path) -> dict[str, Callable[[], Any]]:
    """The background jobs a user starts: import a CSV, export the table, scan for duplicates."""

    def dedupe() -> Any:
        # What Contacts → Find duplicates… runs.
        job = window.jobs.create(scan_with_records, "find duplicates")
        return window.jobs.start_read(job)

    return {
        "import": lambda: window.files.start_import(csv_path),
        "export": lambda: window.files.start_export(
            out_dir / "export.csv", window.model.contact_filter
        ),
        "dedupe": dedupe,
    }


def _note_cpu(label: str, cpu: list[float]) -> None:
    """The UI thread's CPU time per step, beside the wall time (a shared machine adds waiting)."""
    s = summarize(cpu)
    _note(f"  {label}, UI thread CPU: median {s['median']:.1f} ms, p95 {s['p95']:.1f} ms")


def _note(text: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# -- the run -------------------------------------------------------------------------------------
TARGETS = {  # metric: (target text, the statistic judged, limit ms)
    "open to first paint": ("≤ 1000 ms (median)", "median", 1000.0),
    "scroll-bar jump + repaint": ("p95 ≤ 16 ms", "p95", 16.0),
    "PageDown + repaint": ("p95 ≤ 16 ms", "p95", 16.0),
    "search keystroke → table": ("≤ 50 ms (p95)", "p95", 50.0),
    "search cleared → all rows": ("≤ 50 ms (p95)", "p95", 50.0),
    "search keystroke, status filter → table": ("≤ 50 ms (p95)", "p95", 50.0),
    "search keystroke, sorted by name → table": ("≤ 50 ms (p95)", "p95", 50.0),
    "UI lateness, idle": ("max ≤ 100 ms", "max", 100.0),
    "UI lateness, import": ("max ≤ 100 ms", "max", 100.0),
    "UI lateness, export": ("max ≤ 100 ms", "max", 100.0),
    "UI lateness, dedupe scan": ("max ≤ 100 ms", "max", 100.0),
}


def run(book: Path, csv_path: Path, work_dir: Path, *, repeat: int = 3, steps: int = 200,
        queries: int = 20, job_seconds: float = 20.0, jobs: tuple[str, ...] = ("import", "export",
        "dedupe")) -> dict[str, Stats]:  # fmt: skip
    """Every measurement on `book` (a QApplication must exist); metric name -> stats in ms."""
    results: dict[str, Stats] = {}
    _note("first paint")
    results["open to first paint"] = summarize(measure_first_paint(book, work_dir, repeat))
    (work_dir / "main").mkdir(parents=True, exist_ok=True)
    window, _ms = open_window(book, work_dir / "main")
    try:
        # The window opens on its first page and appends the rest from the table lane: scroll
        # only once every row is there. (Before 2026-11-22 21:00 the steps started at once and,
        # with no event processed between them, ran over the first 201 rows of the book.)
        whole_snapshot(window)
        _note(f"scrolling over {window.model.rowCount():,} rows")
        scroll = measure_scrolling(window, steps)
        results["scroll-bar jump + repaint"] = summarize(scroll["jump"])
        results["PageDown + repaint"] = summarize(scroll["page_down"])
        for key, label in (("jump_cpu", "jump"), ("page_down_cpu", "PageDown")):
            cpu = summarize(scroll[key])
            _note(f"  {label}, UI thread CPU: median {cpu['median']:.1f} ms, "
                  f"p95 {cpu['p95']:.1f} ms")  # fmt: skip
        _note("search")
        search = measure_search(window, queries)
        results["search keystroke → table"] = summarize(search["keystroke"])
        results["search cleared → all rows"] = summarize(search["clear"])
        whole = summarize(search["whole"])  # not a target: reported beside the table
        _note(f"  search, whole snapshot appended: median {whole['median']:.1f} ms, "
              f"p95 {whole['p95']:.1f} ms, max {whole['max']:.1f} ms")  # fmt: skip
        _note_cpu("search keystroke", search["cpu"])
        _note_cpu("search cleared", search["clear_cpu"])
        for how, metric in (("filter", "search keystroke, status filter → table"),
                            ("sort", "search keystroke, sorted by name → table")):  # fmt: skip
            _note(metric)
            narrowed = measure_narrowed_search(window, how, max(queries // 4, 2))
            results[metric] = summarize(narrowed["keystroke"])
            _note_cpu(f"{how} search keystroke", narrowed["cpu"])
        results["UI lateness, idle"] = measure_latency(window, None, min(job_seconds, 3.0))
        starters = job_starters(window, csv_path, work_dir)
        for name in jobs:
            label = "UI lateness, dedupe scan" if name == "dedupe" else f"UI lateness, {name}"
            _note(label)
            results[label] = measure_latency(window, starters[name], job_seconds)
            if name == "import" and results[label]["finished"]:
                window.book.undo()  # keep the cached book as built
                window.refresh()
    finally:
        close_window(window)
    return results


def table(results: dict[str, Stats]) -> str:
    """The Markdown table: metric | target | n | median | p95 | p99 | max | met."""
    lines = ["| metric | target | n | median ms | p95 ms | p99 ms | max ms | met |",
             "|---|---|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for metric, s in results.items():
        target, stat, limit = TARGETS[metric]
        met = "yes" if s[stat] <= limit else f"**no** ({s[stat] / limit:.1f}× the limit)"
        if metric.startswith("UI lateness") and metric != "UI lateness, idle":
            outcome = "finished" if s.get("finished") else "cancelled at the time cap"
            metric = f"{metric} ({outcome})"
        lines.append(f"| {metric} | {target} | {s['n']:.0f} | {s['median']:.1f} | {s['p95']:.1f} "
                     f"| {s['p99']:.1f} | {s['max']:.1f} | {met} |")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the book, drive the window, print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--job-seconds", type=float, default=20.0,
                        help="cap on each background job; it is cancelled after this")  # fmt: skip
    parser.add_argument("--jobs", default="import,export,dedupe")
    args = parser.parse_args(argv)
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>` prints every thread's stack
    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive for the run
    t = time.perf_counter()
    book = build_book(args.size)
    built = time.perf_counter() - t
    csv_path = import_csv(args.import_rows)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        results = run(book, csv_path, Path(tmp), job_seconds=args.job_seconds,
                      jobs=tuple(j for j in args.jobs.split(",") if j))  # fmt: skip
    print(f"command: python -m bench.ui_bench {' '.join(argv or sys.argv[1:])}")
    print(f"date: {datetime.now().astimezone().isoformat(timespec='minutes')}")
    print(f"machine: {os.cpu_count()} cores, platform {QApplication.platformName()}, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at end")  # fmt: skip
    print(
        f"book: {args.size:,} contacts ({book.name}, ready in {built:.1f} s); "
        f"import file {csv_path.name}; background jobs capped at {args.job_seconds:g} s\n"
    )
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
