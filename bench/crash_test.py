"""Crash safety, proven: SIGKILL imports, exports and bulk edits at random moments, then check the book.

`python -m bench.crash_test --kills 30 [--rows 50000] [--seed 1] [--keep DIR]`

Each trial copies a prepared book, starts a child process — the real CLI (`main.py --db … import`,
`main.py --db … export`) or a bulk-edit loop (update_contact / delete_contacts / undo) — and
SIGKILLs it after a random delay within the calibrated run time. After each kill the book is
reopened and checked: `PRAGMA integrity_check` is ok, foreign keys hold (no point, source, tag or
list link to a missing contact), the FTS index is consistent, the contacts count is the count
before or after the interrupted import (never in between), no import is left 'running', and an
export's output is absent or complete. Prints kills tried and failures found; exit 1 on a failure.

The child can also kill itself at an exact point (`child … --die-at import-chunk:2`): the regular
test suite uses that for deterministic kills (tests/safety/test_crash.py).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"


@dataclass
class Trial:
    """The outcome of one killed child."""

    scenario: str
    delay: float
    finished_first: bool
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Setup:
    """The prepared files every trial starts from."""

    workdir: Path
    csv: Path
    base: Path  # the book before the import
    after: Path  # the book after the import (exports and edits start from it)
    base_count: int
    after_count: int
    export_rows: int


def count_contacts(path: Path) -> int:
    """Every contacts row (live, merged and soft-deleted): an import only ever adds rows."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
    finally:
        conn.close()


def cli(db: Path, *args: str) -> list[str]:
    """The command line of the real CLI on a book."""
    return [sys.executable, str(MAIN), "--db", str(db), *args]


def prepare(workdir: Path, rows: int, seed: int = 1, base_rows: int = 1000) -> Setup:
    """Generate the CSV, a base book (with overlapping contacts, so the import merges) and the
    book after a complete import; count both."""
    from bench.generate import write_files

    workdir.mkdir(parents=True, exist_ok=True)
    big, small = workdir / f"import_{rows}.csv", workdir / "base.csv"
    write_files(big, rows, seed, 0.1)
    # The base shares the first rows of the big file, so the import merges into stored contacts.
    with open(big, encoding="utf-8", newline="") as src, open(small, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i > base_rows:
                break
            dst.write(line)
    base, after = workdir / "base.db", workdir / "after.db"
    for db in (base, after):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    subprocess.run(cli(base, "import", str(small)), check=True, capture_output=True)
    shutil.copy(base, after)
    subprocess.run(cli(after, "import", str(big)), check=True, capture_output=True)
    out = workdir / "calibrate.csv"
    subprocess.run(
        cli(after, "export", "--format", "csv", "--out", str(out)), check=True, capture_output=True
    )
    with open(out, encoding="utf-8-sig", newline="") as fh:
        exported = sum(1 for _ in csv.reader(fh)) - 1
    return Setup(workdir, big, base, after, count_contacts(base), count_contacts(after), exported)


def check_book(path: Path, allowed_counts: Sequence[int]) -> list[str]:
    """Everything that must hold after a crash; returns the failures (empty when all is well)."""
    failures: list[str] = []
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            return [f"integrity_check: {check}"]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            failures.append(
                f"foreign_key_check: {len(fk)} rows point to missing rows, e.g. {fk[0]}"
            )
        n = int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
        if n not in allowed_counts:
            failures.append(f"contacts count {n} is neither of {list(allowed_counts)}")
        orphans = conn.execute(
            "SELECT count(*) FROM contact_points WHERE contact_id NOT IN (SELECT id FROM contacts)"
        ).fetchone()[0]
        if orphans:
            failures.append(f"{orphans} contact points belong to no contact")
        try:
            conn.execute(
                "INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('integrity-check', 0)"
            )
        except sqlite3.DatabaseError as exc:
            failures.append(f"FTS index damaged: {exc}")
        live = conn.execute(
            "SELECT count(*) FROM contacts WHERE merged_into IS NULL AND deleted_at IS NULL"
        ).fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM contacts_fts").fetchone()[0]
        if live != indexed:
            failures.append(f"{live} live contacts but {indexed} rows in the search index")
    finally:
        conn.close()
    from app.book import LeadBook

    with LeadBook.open(path, create=False) as book:
        running = book.interrupted_imports()
        if running:
            failures.append(f"{len(running)} import(s) left 'running'")
    return failures


def check_export(out: Path, expected_rows: int) -> tuple[list[str], list[str]]:
    """(failures, notes): the output is absent or complete; leftover partial files are noted."""
    failures: list[str] = []
    if out.exists():
        with open(out, encoding="utf-8-sig", newline="") as fh:
            rows = sum(1 for _ in csv.reader(fh)) - 1
        if rows != expected_rows:
            failures.append(f"export file holds {rows} rows, expected 0 or {expected_rows}")
    parts = sorted(p.name for p in out.parent.glob(f".{out.name}.*.part"))
    notes = [f"partial export left behind: {', '.join(parts)}"] if parts else []
    return failures, notes


def child_command(scenario: str, db: Path, setup: Setup, out: Path, die_at: str = "") -> list[str]:
    """The child process of one scenario: the real CLI, or this module's edit loop / self-kill."""
    if not die_at and scenario == "import":
        return cli(db, "import", str(setup.csv))
    if not die_at and scenario == "export":
        return cli(db, "export", "--format", "csv", "--out", str(out))
    cmd = [sys.executable, "-m", "bench.crash_test", "child", scenario, "--db", str(db)]
    cmd += ["--csv", str(setup.csv), "--out", str(out)]
    return cmd + (["--die-at", die_at] if die_at else [])


def run_trial(
    setup: Setup, scenario: str, index: int, delay: float | None, die_at: str = ""
) -> Trial:
    """Copy the right book, start the child, kill it (after `delay`, or it kills itself), check."""
    db = setup.workdir / f"trial_{index}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(setup.base if scenario == "import" else setup.after, db)
    out = setup.workdir / f"trial_{index}_out" / "export.csv"
    out.parent.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        child_command(scenario, db, setup, out, die_at),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: cleaning workers left behind are visible
    )
    finished = False
    if delay is not None:
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate()
    if die_at:
        finished = proc.returncode != -signal.SIGKILL
    trial = Trial(scenario, delay or 0.0, finished)
    if _orphans_left(proc.pid):
        trial.notes.append("worker processes outlived the killed parent (killed by group id)")
    if finished and proc.returncode not in (0, -signal.SIGKILL):
        trial.failures.append(f"child failed: {err.decode(errors='replace').strip()[-300:]}")
    allowed: tuple[int, ...] = (setup.after_count,)
    if scenario == "import":
        allowed = (setup.base_count, setup.after_count)
    trial.failures += check_book(db, allowed)
    if scenario == "export":
        failures, notes = check_export(out, setup.export_rows)
        trial.failures += failures
        trial.notes += notes
    return trial


def _orphans_left(pgid: int) -> bool:
    """True when processes of the child's group survive it (e.g. cleaning workers); ends them."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Give workers the chance to notice their parent is gone before calling them orphans.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    os.killpg(pgid, signal.SIGKILL)
    return True


# -- the child side ------------------------------------------------------------------------------
def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _install_die_at(point: str) -> None:
    """Make this process SIGKILL itself at an exact point: import-chunk:N (after N chunks were
    written), import-commit (inside the import's transaction, just before COMMIT), edit-op:N
    (in the middle of the Nth write transaction of the edit loop), export-row:N."""
    from app import ingest
    from app.book import LeadBook
    from app.store import history

    name, _, number = point.partition(":")
    n = int(number or "1")
    seen = {"count": 0}

    def tick() -> None:
        seen["count"] += 1
        if seen["count"] >= n:
            _die()

    if name == "import-chunk":
        original_add = ingest.ImportSession.add_cleaned

        def add_cleaned(self: ingest.ImportSession, items: object) -> None:
            original_add(self, items)  # type: ignore[arg-type]
            tick()

        ingest.ImportSession.add_cleaned = add_cleaned  # type: ignore[method-assign]
    elif name == "import-commit":
        LeadBook.before_import_commit = lambda self, import_id, contact_ids: _die()  # type: ignore[method-assign, assignment]
    elif name == "edit-op":
        original_record = history.record

        def record(*args: object, **kwargs: object) -> None:
            original_record(*args, **kwargs)  # type: ignore[arg-type]
            tick()

        history.record = record  # type: ignore[assignment]
    elif name == "export-row":
        from app.export import sinks

        original_write = sinks.Parts.write

        def write(self: object, row: object) -> None:
            original_write(self, row)  # type: ignore[arg-type]
            tick()

        sinks.Parts.write = write  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown --die-at point {point!r}")


def edit_loop(db: Path, seed: int, ops: int | None = None) -> None:
    """Bulk edits forever (or `ops` times): edit a title, soft-delete a few, undo now and then."""
    from app.book import LeadBook

    rng = random.Random(seed)
    with LeadBook.open(db, create=False) as book:
        ids = list(book.snapshot())
        done = 0
        while ops is None or done < ops:
            step = done % 6
            if step in (0, 1, 3):
                book.update_contact(rng.choice(ids), {"job_title": f"Title {rng.randrange(10**6)}"})
            elif step == 2:
                book.delete_contacts(rng.sample(ids, 50))
            else:
                book.undo()
            done += 1


def child_main(argv: Sequence[str]) -> int:
    """`python -m bench.crash_test child import|export|edit --db DB [--die-at POINT]`."""
    p = argparse.ArgumentParser(prog="crash_test child")
    p.add_argument("scenario", choices=("import", "export", "edit"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--csv", type=Path)
    p.add_argument("--out", type=Path)
    p.add_argument("--die-at", default="")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if args.die_at:
        _install_die_at(args.die_at)
    if args.scenario == "edit":
        edit_loop(args.db, args.seed)
        return 0
    sys.path.insert(0, str(ROOT))
    from main import main

    if args.scenario == "import":
        return main(["--db", str(args.db), "import", str(args.csv)])
    return main(["--db", str(args.db), "export", "--format", "csv", "--out", str(args.out)])


# -- the parent side -----------------------------------------------------------------------------
def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    """Run the kills and print the table."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "child":
        return child_main(args[1:])
    p = argparse.ArgumentParser(prog="python -m bench.crash_test", description=__doc__)
    p.add_argument("--kills", type=int, default=30)
    p.add_argument("--rows", type=int, default=50_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temp dir)"
    )
    opts = p.parse_args(args)
    workdir = opts.keep or Path(tempfile.mkdtemp(prefix="leadsmith-crash-"))
    rng = random.Random(opts.seed)
    print(f"preparing {opts.rows} rows in {workdir} …", flush=True)
    setup = prepare(workdir, opts.rows, opts.seed)
    scratch = workdir / "calibrate.db"
    shutil.copy(setup.base, scratch)
    durations = {
        "import": _timed(cli(scratch, "import", str(setup.csv))),
        "export": _timed(
            cli(setup.after, "export", "--format", "csv", "--out", str(workdir / "c.csv"))
        ),
        "edit": 3.0,
    }
    print(
        f"base {setup.base_count} contacts, after import {setup.after_count}; "
        f"import {durations['import']:.1f} s, export {durations['export']:.1f} s",
        flush=True,
    )
    trials: list[Trial] = []
    scenarios = ("import", "export", "edit")
    for i in range(opts.kills):
        scenario = scenarios[i % len(scenarios)]
        delay = rng.uniform(0.05, durations[scenario] * 1.1)
        trial = run_trial(setup, scenario, i, delay)
        trials.append(trial)
        state = "FAIL " + "; ".join(trial.failures) if trial.failures else "ok"
        done = " (finished before the kill)" if trial.finished_first else ""
        print(f"  #{i:3} {scenario:6} killed at {delay:6.2f} s{done}: {state}", flush=True)
        for note in trial.notes:
            print(f"        note: {note}")
    print()
    print(f"{'scenario':8} {'kills':>6} {'finished first':>15} {'failures':>9} {'notes':>6}")
    for scenario in scenarios:
        mine = [t for t in trials if t.scenario == scenario]
        print(
            f"{scenario:8} {sum(not t.finished_first for t in mine):6} "
            f"{sum(t.finished_first for t in mine):15} {sum(bool(t.failures) for t in mine):9} "
            f"{sum(bool(t.notes) for t in mine):6}"
        )
    failures = sum(bool(t.failures) for t in trials)
    print(f"kills tried: {len(trials)}, failures found: {failures}")
    if not opts.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
